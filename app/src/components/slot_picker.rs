//! Choosing a day, then a time: links with the choice in the query string, so it works with
//! JavaScript off and, hydrated, moves between steps without reloading. Every day and time
//! carries its full spoken label (date, weekday, time range, seats left).
//!
//! The two lists are rendered as one piece of HTML each (`inner_html`): they are plain links
//! that never change in place, and hydrating their ~40 items element by element was the
//! largest part of the booking page's takeover on a phone (Lighthouse blocking time). The
//! router still follows the links without a reload. Everything shown is escaped.

use crate::i18n::{
    day_label, day_short, in_brackets, lang, seats_left_short, slot_label, t, Lang, Msg,
};
use crate::model::{DayChoice, SlotChoice, SlotPicker};
use chrono::{DateTime, FixedOffset, NaiveDate};
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
use leptos::prelude::*;
use std::fmt::Write;

/// Link of a slot on a page at `base`.
pub fn slot_href(base: &str, slot: &SlotChoice) -> String {
    format!(
        "{base}?day={}&time={}#form-step",
        slot.start.format("%Y-%m-%d"),
        slot.time_param()
    )
}

/// Days the elderly mode offers at once.
const ELDER_DAYS: usize = 7;

/// The short words the lists show, in the reader's language and mode.
struct Words {
    lang: Lang,
    full: &'static str,
    youth_only: &'static str,
    current: &'static str,
}

impl Words {
    fn seats(&self, free: u32) -> String {
        if free == 0 {
            self.full.to_string()
        } else {
            seats_left_short(self.lang, free)
        }
    }
}

/// The day links as `<li>` items. Elderly mode shows fewer: the days that can still be
/// booked (and the chosen one), a week of them.
fn day_items(
    words: &Words,
    days: &[DayChoice],
    chosen: Option<NaiveDate>,
    base: &str,
    elder: bool,
) -> String {
    let mut html = String::new();
    for d in days
        .iter()
        .filter(|d| !elder || d.free > 0 || chosen == Some(d.date))
        .take(if elder { ELDER_DAYS } else { usize::MAX })
    {
        let href = format!("{base}?day={}#slot-step", d.date.format("%Y-%m-%d"));
        let _ = write!(
            html,
            r#"<li><a class="day{}" href="{}"{}><span class="day-date" aria-hidden="true">{}</span><span class="day-seats" aria-hidden="true">{}</span><span class="visually-hidden">{}</span></a></li>"#,
            if d.free == 0 { " full" } else { "" },
            attr(&href),
            if chosen == Some(d.date) {
                r#" aria-current="true""#
            } else {
                ""
            },
            text(&day_short(words.lang, d.date)),
            text(&words.seats(d.free)),
            text(&day_label(words.lang, d.date, d.free)),
        );
    }
    html
}

/// The time links of the chosen day as `<li>` items; the booking's present slot (when
/// rescheduling) is shown but not offered.
fn slot_items(
    words: &Words,
    slots: &[SlotChoice],
    chosen: Option<DateTime<FixedOffset>>,
    current: Option<DateTime<FixedOffset>>,
    base: &str,
    elder: bool,
) -> String {
    let mut html = String::new();
    for s in slots
        .iter()
        .filter(|s| !elder || s.remaining > 0 || current == Some(s.start))
    {
        let label = slot_label(words.lang, s.start.naive_local(), s.end.time(), s.remaining);
        let spoken = if s.youth_only {
            label + &in_brackets(words.lang, words.youth_only)
        } else {
            label
        };
        let youth = if s.youth_only {
            format!(
                r#"<span class="slot-note" aria-hidden="true">{}</span>"#,
                text(words.youth_only)
            )
        } else {
            String::new()
        };
        let inner = format!(
            r#"<span class="slot-time" aria-hidden="true">{}–{}</span><span class="slot-seats" aria-hidden="true">{}</span>{youth}<span class="visually-hidden">{}</span>"#,
            s.start.format("%H:%M"),
            s.end.format("%H:%M"),
            text(&words.seats(u32::from(s.remaining))),
            text(&spoken),
        );
        if current == Some(s.start) {
            let _ = write!(
                html,
                r#"<li><span class="slot current">{inner}<span class="slot-note">{}</span></span></li>"#,
                text(words.current)
            );
        } else {
            let _ = write!(
                html,
                r#"<li><a class="slot{}" href="{}"{}>{inner}</a></li>"#,
                if s.remaining == 0 { " full" } else { "" },
                attr(&slot_href(base, s)),
                if chosen == Some(s.start) {
                    r#" aria-current="true""#
                } else {
                    ""
                },
            );
        }
    }
    html
}

#[component]
pub fn SlotPickerView(
    picker: SlotPicker,
    /// The page the choices link to, e.g. `/places/3/book/legal_consultation`.
    base: String,
    /// The booking's present slot when rescheduling: shown, not offered.
    #[prop(optional)]
    current: Option<DateTime<FixedOffset>>,
) -> impl IntoView {
    let words = Words {
        lang: lang(),
        full: t(Msg::SlotFullShort),
        youth_only: t(Msg::YouthOnly),
        current: t(Msg::CurrentSlot),
    };
    let elder = crate::prefs::prefs().elder;
    let chosen = picker.chosen.as_ref().map(|c| c.start);
    let days = day_items(&words, &picker.days, picker.day, &base, elder);
    let no_days = days.is_empty();
    let slots = picker
        .day
        .map(|_| slot_items(&words, &picker.slots, chosen, current, &base, elder));
    // each choice links to the next step (`#slot-step`, `#form-step`); with JavaScript off the
    // browser scrolls there, hydrated the page must once the step is rendered
    #[cfg(feature = "hydrate")]
    Effect::new(|_| {
        // in a later task: once the new step is on the page and the router's own scroll is done
        leptos::task::spawn_local(async {
            crate::browser::sleep(50).await;
            crate::browser::scroll_to_fragment();
        })
    });
    view! {
        <section class="card step" aria-labelledby="day-step">
            <h2 id="day-step">{t(Msg::StepDay)}</h2>
            {if no_days {
                view! { <p>{t(Msg::NoSlots)}</p> }.into_any()
            } else {
                view! { <ul class="day-grid" inner_html=days></ul> }.into_any()
            }}
        </section>
        {(!no_days)
            .then(|| {
                view! {
                    <section class="card step" id="slot-step" aria-labelledby="slot-heading">
                        <h2 id="slot-heading">{t(Msg::StepSlot)}</h2>
                        {match slots {
                            Some(slots) => view! { <ul class="slot-grid" inner_html=slots></ul> }.into_any(),
                            None => view! { <p class="hint">{t(Msg::ChooseDayFirst)}</p> }.into_any(),
                        }}
                    </section>
                }
            })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn words(lang: Lang) -> Words {
        Words {
            lang,
            full: "约满",
            youth_only: "仅限青少年",
            current: "当前预约",
        }
    }

    fn at(h: u32) -> DateTime<FixedOffset> {
        FixedOffset::east_opt(8 * 3600)
            .unwrap()
            .with_ymd_and_hms(2026, 12, 7, h, 0, 0)
            .unwrap()
    }

    fn slot(h: u32, remaining: u16, youth_only: bool) -> SlotChoice {
        SlotChoice {
            start: at(h),
            end: at(h + 1),
            capacity: 2,
            remaining,
            youth_only,
        }
    }

    fn day(d: u32, free: u32) -> DayChoice {
        DayChoice {
            date: NaiveDate::from_ymd_opt(2026, 12, d).unwrap(),
            free,
        }
    }

    #[test]
    fn days_link_to_their_slots_and_mark_the_chosen_and_the_full() {
        let days = [day(7, 3), day(8, 0)];
        let html = day_items(
            &words(Lang::ZhCn),
            &days,
            Some(days[0].date),
            "/places/3/book/x",
            false,
        );
        assert_eq!(html.matches("<li>").count(), 2);
        assert!(html.contains(r#"<a class="day" href="/places/3/book/x?day=2026-12-07#slot-step" aria-current="true">"#), "{html}");
        assert!(
            html.contains(
                r#"<a class="day full" href="/places/3/book/x?day=2026-12-08#slot-step">"#
            ),
            "{html}"
        );
        // the spoken label names the weekday, not just numbers
        assert!(html.contains("星期一"), "{html}");
    }

    #[test]
    fn elderly_mode_leaves_out_full_days_but_keeps_the_chosen_one() {
        let days: Vec<DayChoice> = (1..=20)
            .map(|d| day(d, if d % 2 == 0 { 0 } else { 1 }))
            .collect();
        let html = day_items(&words(Lang::ZhCn), &days, Some(days[1].date), "/b", true);
        assert_eq!(html.matches("<li>").count(), ELDER_DAYS);
        assert!(
            html.contains("day=2026-12-02"),
            "the chosen full day stays: {html}"
        );
        assert!(!html.contains("day=2026-12-04"), "{html}");
    }

    #[test]
    fn slots_show_range_seats_and_youth_note_and_the_present_slot_is_not_a_link() {
        let slots = [slot(9, 2, false), slot(10, 0, true), slot(14, 1, false)];
        let html = slot_items(
            &words(Lang::ZhCn),
            &slots,
            Some(at(9)),
            Some(at(14)),
            "/b",
            false,
        );
        assert!(html.contains(r#"<a class="slot" href="/b?day=2026-12-07&amp;time=09:00#form-step" aria-current="true">"#), "{html}");
        assert!(
            html.contains(r#"<span class="slot-time" aria-hidden="true">09:00–10:00</span>"#),
            "{html}"
        );
        assert!(
            html.contains(
                r#"<a class="slot full" href="/b?day=2026-12-07&amp;time=10:00#form-step">"#
            ),
            "{html}"
        );
        assert!(
            html.contains(r#"<span class="slot-note" aria-hidden="true">仅限青少年</span>"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<li><span class="slot current">"#),
            "{html}"
        );
        assert!(
            !html.contains("time=14:00"),
            "the present slot is not offered: {html}"
        );
    }

    #[test]
    fn elderly_mode_leaves_out_full_slots_but_shows_the_present_one() {
        let slots = [slot(9, 0, false), slot(10, 1, false), slot(11, 0, false)];
        let html = slot_items(&words(Lang::En), &slots, None, Some(at(11)), "/b", true);
        assert!(!html.contains("09:00–10:00"), "{html}");
        assert!(html.contains("10:00–11:00"), "{html}");
        assert!(html.contains("slot current"), "{html}");
    }

    #[test]
    fn everything_shown_is_escaped() {
        let w = Words {
            lang: Lang::En,
            full: "<b>full</b>",
            youth_only: "<i>",
            current: "<u>now</u>",
        };
        let html = day_items(&w, &[day(7, 0)], None, "/b\"><script>", false);
        assert!(
            !html.contains("<script>") && !html.contains("<b>"),
            "{html}"
        );
        let html = slot_items(&w, &[slot(9, 0, true)], None, Some(at(9)), "/b", false);
        assert!(!html.contains("<i>") && !html.contains("<u>"), "{html}");
    }
}

//! Choosing a day, then a time: links with the choice in the query string, so it works with
//! JavaScript off and, hydrated, moves between steps without reloading. Every day and time
//! carries its full spoken label (date, weekday, time range, seats left).

use crate::i18n::{day_label, day_short, lang, slot_label, t, Msg};
use crate::model::{SlotChoice, SlotPicker};
use chrono::{DateTime, FixedOffset};
use leptos::prelude::*;

/// Link of a slot on a page at `base`.
pub fn slot_href(base: &str, slot: &SlotChoice) -> String {
    format!(
        "{base}?day={}&time={}#form-step",
        slot.start.format("%Y-%m-%d"),
        slot.time_param()
    )
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
    let lang = lang();
    let SlotPicker {
        days,
        day,
        slots,
        chosen,
    } = picker;
    let chosen_start = chosen.as_ref().map(|c| c.start);
    let day_items = days
        .into_iter()
        .map(|d| {
            let href = format!("{base}?day={}#slot-step", d.date.format("%Y-%m-%d"));
            let selected = day == Some(d.date);
            let seats = if d.free == 0 {
                t(Msg::SlotFullShort).to_string()
            } else {
                format!("{} {}", t(Msg::SeatsLeftShort), d.free)
            };
            view! {
                <li>
                    <a
                        class="day"
                        class:full=d.free == 0
                        href=href
                        aria-current=selected.then_some("true")
                    >
                        <span class="day-date" aria-hidden="true">{day_short(lang, d.date)}</span>
                        <span class="day-seats" aria-hidden="true">{seats}</span>
                        <span class="visually-hidden">{day_label(lang, d.date, d.free)}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    let no_days = day_items.is_empty();
    let slot_items = slots
        .into_iter()
        .map(|s| {
            let label = slot_label(lang, s.start.naive_local(), s.end.time(), s.remaining);
            let range = format!("{}–{}", s.start.format("%H:%M"), s.end.format("%H:%M"));
            let seats = if s.remaining == 0 {
                t(Msg::SlotFullShort).to_string()
            } else {
                format!("{} {}", t(Msg::SeatsLeftShort), s.remaining)
            };
            let youth = s.youth_only.then(|| {
                view! { <span class="slot-note" aria-hidden="true">{t(Msg::YouthOnly)}</span> }
            });
            let spoken = if s.youth_only {
                format!("{label}（{}）", t(Msg::YouthOnly))
            } else {
                label
            };
            let is_current = current == Some(s.start);
            let inner = view! {
                <span class="slot-time" aria-hidden="true">{range}</span>
                <span class="slot-seats" aria-hidden="true">{seats}</span>
                {youth}
                <span class="visually-hidden">{spoken}</span>
            };
            if is_current {
                view! {
                    <li>
                        <span class="slot current">
                            {inner}
                            <span class="slot-note">{t(Msg::CurrentSlot)}</span>
                        </span>
                    </li>
                }
                .into_any()
            } else {
                view! {
                    <li>
                        <a
                            class="slot"
                            class:full=s.remaining == 0
                            href=slot_href(&base, &s)
                            aria-current=(chosen_start == Some(s.start)).then_some("true")
                        >
                            {inner}
                        </a>
                    </li>
                }
                .into_any()
            }
        })
        .collect_view();
    view! {
        <section class="card step" aria-labelledby="day-step">
            <h2 id="day-step">{t(Msg::StepDay)}</h2>
            {if no_days {
                view! { <p>{t(Msg::NoSlots)}</p> }.into_any()
            } else {
                view! { <ul class="day-grid">{day_items}</ul> }.into_any()
            }}
        </section>
        {(!no_days)
            .then(|| {
                view! {
                    <section class="card step" id="slot-step" aria-labelledby="slot-heading">
                        <h2 id="slot-heading">{t(Msg::StepSlot)}</h2>
                        {if day.is_some() {
                            view! { <ul class="slot-grid">{slot_items}</ul> }.into_any()
                        } else {
                            view! { <p class="hint">{t(Msg::ChooseDayFirst)}</p> }.into_any()
                        }}
                    </section>
                }
            })}
    }
}

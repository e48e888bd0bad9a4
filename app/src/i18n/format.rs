//! Dates, times, amounts, counts and short sentences with numbers in them, as each language
//! writes them.

use super::{text, Lang, Msg};
use chrono::Weekday;
use domain::WeeklySession;

pub fn weekday_name(lang: Lang, day: Weekday) -> &'static str {
    let i = day.num_days_from_monday() as usize;
    match lang {
        Lang::ZhCn => ["周一", "周二", "周三", "周四", "周五", "周六", "周日"][i],
        Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][i],
    }
}

/// "周一至周五 09:00–11:30" or "周二、周五 13:30–16:30（仅限青少年）".
pub fn session_text(lang: Lang, s: &WeeklySession) -> String {
    let days: Vec<Weekday> = s.days.days().collect();
    let consecutive = days.len() >= 3
        && days
            .windows(2)
            .all(|w| w[1].num_days_from_monday() == w[0].num_days_from_monday() + 1);
    let (through, sep) = match lang {
        Lang::ZhCn => ("至", "、"),
        Lang::En => ("–", ", "),
    };
    let day_text = if consecutive {
        format!(
            "{}{through}{}",
            weekday_name(lang, days[0]),
            weekday_name(lang, *days.last().unwrap())
        )
    } else {
        days.iter()
            .map(|d| weekday_name(lang, *d))
            .collect::<Vec<_>>()
            .join(sep)
    };
    let mut out = format!(
        "{day_text} {}–{}",
        s.start.format("%H:%M"),
        s.end.format("%H:%M")
    );
    if s.youth_only {
        match lang {
            Lang::ZhCn => out.push_str(&format!("（{}）", text(lang, Msg::YouthOnly))),
            Lang::En => out.push_str(&format!(" ({})", text(lang, Msg::YouthOnly))),
        }
    }
    out
}

fn zh_weekday_long(day: Weekday) -> &'static str {
    [
        "星期一",
        "星期二",
        "星期三",
        "星期四",
        "星期五",
        "星期六",
        "星期日",
    ][day.num_days_from_monday() as usize]
}

/// Full spoken label of a day in the booking calendar, e.g. "3月3日 星期二，还可预约 5 个号"
/// (screen readers must never read bare numbers).
pub fn day_label(lang: Lang, date: chrono::NaiveDate, free: u32) -> String {
    use chrono::Datelike;
    match lang {
        Lang::ZhCn => {
            let weekday = zh_weekday_long(date.weekday());
            let seats = if free == 0 {
                "已约满".to_string()
            } else {
                format!("还可预约 {free} 个号")
            };
            format!("{}月{}日 {weekday}，{seats}", date.month(), date.day())
        }
        Lang::En => {
            let seats = match free {
                0 => "fully booked".to_string(),
                1 => "1 place left".to_string(),
                n => format!("{n} places left"),
            };
            format!("{}, {seats}", date.format("%A %-d %B"))
        }
    }
}

/// Full spoken label of a slot, e.g. "3月3日 星期二 09:00 至 09:30，剩余 1 个号".
pub fn slot_label(
    lang: Lang,
    start: chrono::NaiveDateTime,
    end: chrono::NaiveTime,
    remaining: u16,
) -> String {
    use chrono::Datelike;
    match lang {
        Lang::ZhCn => {
            let weekday = zh_weekday_long(start.weekday());
            let seats = if remaining == 0 {
                "已约满".to_string()
            } else {
                format!("剩余 {remaining} 个号")
            };
            format!(
                "{}月{}日 {weekday} {} 至 {}，{seats}",
                start.month(),
                start.day(),
                start.format("%H:%M"),
                end.format("%H:%M")
            )
        }
        Lang::En => {
            let seats = match remaining {
                0 => "fully booked".to_string(),
                1 => "1 place left".to_string(),
                n => format!("{n} places left"),
            };
            format!(
                "{}, {} to {}, {seats}",
                start.format("%A %-d %B"),
                start.format("%H:%M"),
                end.format("%H:%M")
            )
        }
    }
}

/// "12月9日 星期三 10:00": a moment, spoken in full.
pub fn moment_label(lang: Lang, at: chrono::DateTime<chrono::FixedOffset>) -> String {
    use chrono::Datelike;
    match lang {
        Lang::ZhCn => format!(
            "{}月{}日 {} {}",
            at.month(),
            at.day(),
            zh_weekday_long(at.weekday()),
            at.format("%H:%M")
        ),
        Lang::En => at.format("%A %-d %B, %H:%M").to_string(),
    }
}

/// An amount of money as a document writes it: "人民币 5,000.00 元", "CNY 5,000.00".
pub fn yuan_amount(lang: Lang, yuan: &str) -> String {
    match lang {
        Lang::ZhCn => format!("人民币 {yuan} 元"),
        Lang::En => format!("CNY {yuan}"),
    }
}

/// A month on a chart's axis: `3月`, `03/26`.
pub fn month_short(lang: Lang, month: domain::stats::Month) -> String {
    match lang {
        Lang::ZhCn => format!("{}月", month.month),
        Lang::En => format!("{:02}/{:02}", month.month, month.year % 100),
    }
}

/// A date as a document writes it: "2026年12月9日", "9 December 2026".
pub fn long_date(lang: Lang, date: chrono::NaiveDate) -> String {
    match lang {
        Lang::ZhCn => date.format("%Y年%-m月%-d日").to_string(),
        Lang::En => date.format("%-d %B %Y").to_string(),
    }
}

/// "12月1日 星期二 09:00 至 09:30": a booking's time, spoken in full.
pub fn time_range_label(
    lang: Lang,
    start: chrono::DateTime<chrono::FixedOffset>,
    end: chrono::DateTime<chrono::FixedOffset>,
) -> String {
    use chrono::Datelike;
    match lang {
        Lang::ZhCn => format!(
            "{}月{}日 {} {} 至 {}",
            start.month(),
            start.day(),
            zh_weekday_long(start.weekday()),
            start.format("%H:%M"),
            end.format("%H:%M")
        ),
        Lang::En => format!(
            "{}, {} to {}",
            start.format("%A %-d %B"),
            start.format("%H:%M"),
            end.format("%H:%M")
        ),
    }
}

/// A history line of a booking: "11-26 20:15 预约" or
/// "11-26 20:15 改约 12-01 09:00 → 12-02 10:00"; every kind is named by
/// [`domain::booking::BookingEventKind::label`].
pub fn history_label(lang: Lang, line: &crate::model::HistoryLine) -> String {
    let at = line.at.format("%m-%d %H:%M");
    let moved = match (line.from_start, line.to_start) {
        (Some(f), Some(t)) => format!(" {} → {}", f.format("%m-%d %H:%M"), t.format("%m-%d %H:%M")),
        _ => String::new(),
    };
    format!("{at} {}{moved}", line.kind.label(lang))
}

/// Short visible text of a day button ("12月1日 周二"); the full label is for screen readers.
pub fn day_short(lang: Lang, date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    match lang {
        Lang::ZhCn => format!(
            "{}月{}日 {}",
            date.month(),
            date.day(),
            weekday_name(lang, date.weekday())
        ),
        Lang::En => format!(
            "{} {}",
            weekday_name(lang, date.weekday()),
            date.format("%-d %b")
        ),
    }
}

/// The booking code as read out: one character at a time (the dash dropped), so screen readers
/// spell it instead of reading it as a word.
pub fn code_spoken(code: &str) -> String {
    code.chars()
        .filter(|c| *c != '-')
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A schedule change that would cancel `n` bookings (listed) needs confirming.
pub fn cancels_bookings(lang: Lang, n: usize, lines: &[String]) -> String {
    match lang {
        Lang::ZhCn => format!(
            "这项调整会取消 {n} 个已有预约，请勾选确认后再保存：{}",
            lines.join("；")
        ),
        Lang::En => format!(
            "This change would cancel {n} booking(s). Tick the confirmation box and save again: {}",
            lines.join("; ")
        ),
    }
}

/// Closing a day that has `n` bookings (listed) needs confirming.
pub fn closing_cancels(lang: Lang, n: usize, lines: &[String]) -> String {
    match lang {
        Lang::ZhCn => format!(
            "这一天已有 {n} 个预约，请勾选确认后再关闭（预约人会收到通知）：{}",
            lines.join("；")
        ),
        Lang::En => format!(
            "This day has {n} booking(s). Tick the confirmation box to close it (their holders are told): {}",
            lines.join("; ")
        ),
    }
}

/// A date and time in a list: `3月7日 09:00` / `7 Mar 09:00`.
pub fn moment_short(lang: Lang, at: chrono::NaiveDateTime) -> String {
    match lang {
        Lang::ZhCn => at.format("%-m月%-d日 %H:%M").to_string(),
        Lang::En => at.format("%-d %b %H:%M").to_string(),
    }
}

/// `s` in brackets as the language writes them: full-width in Chinese, ` (…)` in English.
pub fn in_brackets(lang: Lang, s: &str) -> String {
    match lang {
        Lang::ZhCn => format!("（{s}）"),
        Lang::En => format!(" ({s})"),
    }
}

/// Seats left, as a day or time button shows it: `余 3` / `3 left`.
pub fn seats_left_short(lang: Lang, n: u32) -> String {
    match lang {
        Lang::ZhCn => format!("{} {n}", text(lang, Msg::SeatsLeftShort)),
        Lang::En => format!("{n} {}", text(lang, Msg::SeatsLeftShort)),
    }
}

/// The staff queue in one sentence, for the page's live region.
pub fn queue_summary(lang: Lang, waiting: usize, active: usize) -> String {
    match lang {
        Lang::ZhCn => format!("队列已更新：等候 {waiting} 人，正在办理 {active} 人"),
        Lang::En => format!("Queue updated: {waiting} waiting, {active} at the desks",),
    }
}

pub fn workroom_count(lang: Lang, n: usize) -> String {
    match lang {
        Lang::ZhCn => format!("{n} 个居村工作室"),
        Lang::En if n == 1 => "1 workroom".to_string(),
        Lang::En => format!("{n} workrooms"),
    }
}

pub fn results_count(lang: Lang, n: usize) -> String {
    match lang {
        Lang::ZhCn => format!("找到 {n} 个网点"),
        Lang::En if n == 1 => "1 place found".to_string(),
        Lang::En => format!("{n} places found"),
    }
}

/// Where a code went and how long it lasts.
pub fn code_sent_text(lang: Lang, phone: &str, minutes: i64) -> String {
    match lang {
        Lang::ZhCn => format!("验证码已发送至 {phone}，{minutes} 分钟内有效。"),
        Lang::En => format!(
            "A code was sent to {phone}. It is valid for {minutes} {}.",
            if minutes == 1 { "minute" } else { "minutes" }
        ),
    }
}

/// The code itself, shown only by a demo that sends no text messages.
pub fn demo_code_text(lang: Lang, code: &str) -> String {
    match lang {
        Lang::ZhCn => format!("演示环境：不发送短信，验证码是 {code}"),
        Lang::En => format!("Demo: no text message is sent. The code is {code}"),
    }
}

/// What a waiting resident wishes for: "12月8日至12月10日 上午", "8 to 10 December, mornings".
pub fn wish_label(
    lang: Lang,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    part: domain::waitlist::PartOfDay,
) -> String {
    use domain::waitlist::PartOfDay;
    let days = match (lang, from == to) {
        (Lang::ZhCn, true) => from.format("%-m月%-d日").to_string(),
        (Lang::ZhCn, false) => {
            format!("{}至{}", from.format("%-m月%-d日"), to.format("%-m月%-d日"))
        }
        (Lang::En, true) => from.format("%-d %B").to_string(),
        (Lang::En, false) => format!("{} to {}", from.format("%-d %B"), to.format("%-d %B")),
    };
    match (lang, part) {
        (Lang::ZhCn, PartOfDay::Any) => format!("{days} 全天"),
        (Lang::ZhCn, p) => format!("{days} {}", p.label_zh()),
        (Lang::En, PartOfDay::Any) => format!("{days}, any time"),
        (Lang::En, PartOfDay::Morning) => format!("{days}, mornings"),
        (Lang::En, PartOfDay::Afternoon) => format!("{days}, afternoons"),
    }
}

/// Until when a seat is held: "请在 10:30 前确认，逾时将让给下一位。"
pub fn hold_until_text(lang: Lang, until: chrono::DateTime<chrono::FixedOffset>) -> String {
    match lang {
        Lang::ZhCn => format!(
            "请在 {} 前确认，逾时将让给下一位。",
            moment_label(lang, until)
        ),
        Lang::En => format!(
            "Please confirm by {}; after that it passes to the next in line.",
            moment_label(lang, until)
        ),
    }
}

/// "已为候补居民保留名额 3 次，其中 2 次转为预约。"
pub fn waitlist_counts(lang: Lang, offered: u64, booked: u64) -> String {
    match lang {
        Lang::ZhCn => format!("已为候补居民保留名额 {offered} 次，其中 {booked} 次转为预约。"),
        Lang::En => {
            format!("Seats offered to waiting residents: {offered}; taken as bookings: {booked}.")
        }
    }
}

/// A rating's reasons in a line: "服务态度、等候时间".
pub fn reasons_text(lang: Lang, reasons: &[domain::rating::Reason]) -> String {
    reasons
        .iter()
        .map(|r| r.label(lang))
        .collect::<Vec<_>>()
        .join(lang.pick("、", ", "))
}

/// What the place promises after a poor rating: "网点负责人会在 12月10日 前给您回电话……"
pub fn follow_up_promise(lang: Lang, due: chrono::NaiveDate) -> String {
    match lang {
        Lang::ZhCn => format!(
            "网点负责人会在 {} 前给您回电话，了解情况并改进。",
            long_date(lang, due)
        ),
        Lang::En => format!(
            "The head of the office will call you back by {} to hear what went wrong and put it right.",
            long_date(lang, due)
        ),
    }
}

/// The rating window: "完成于 12月7日，可在 12月14日 前评价。"
pub fn rating_window(
    lang: Lang,
    finished: chrono::NaiveDate,
    until: Option<chrono::NaiveDate>,
) -> String {
    match (lang, until) {
        (Lang::ZhCn, Some(u)) => format!(
            "完成于 {}，可在 {} 前评价。",
            long_date(lang, finished),
            long_date(lang, u)
        ),
        (Lang::ZhCn, None) => format!("完成于 {}。", long_date(lang, finished)),
        (Lang::En, Some(u)) => format!(
            "Finished on {}; it can be rated until {}.",
            long_date(lang, finished),
            long_date(lang, u)
        ),
        (Lang::En, None) => format!("Finished on {}.", long_date(lang, finished)),
    }
}

/// A follow-up's deadline: "12月10日 前办结"
pub fn follow_up_due_text(lang: Lang, due: chrono::NaiveDate) -> String {
    match lang {
        Lang::ZhCn => format!("{} 前办结", long_date(lang, due)),
        Lang::En => format!("Due by {}", long_date(lang, due)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_history_line_is_named_in_both_languages() {
        use domain::booking::BookingEventKind;
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-26T20:15:00+08:00").unwrap();
        for kind in BookingEventKind::ALL {
            let line = crate::model::HistoryLine {
                at,
                kind,
                from_start: None,
                to_start: None,
            };
            let en = history_label(Lang::En, &line);
            assert!(en.is_ascii() && !en.contains('_'), "{en}");
            assert!(history_label(Lang::ZhCn, &line).starts_with("11-26 20:15 "));
        }
    }

    #[test]
    fn brackets_follow_the_language() {
        assert_eq!(super::in_brackets(Lang::ZhCn, "张律师"), "（张律师）");
        assert_eq!(super::in_brackets(Lang::En, "Ms Zhang"), " (Ms Zhang)");
    }

    #[test]
    fn sessions_read_naturally_in_both_languages() {
        let s = WeeklySession::parse("mon-fri 09:00-11:30 30min x2").unwrap();
        assert_eq!(session_text(Lang::ZhCn, &s), "周一至周五 09:00–11:30");
        assert_eq!(session_text(Lang::En, &s), "Mon–Fri 09:00–11:30");
        let s = WeeklySession::parse("tue,fri 13:30-16:30 60min x1 youth").unwrap();
        assert_eq!(
            session_text(Lang::ZhCn, &s),
            "周二、周五 13:30–16:30（仅限青少年）"
        );
        let s = WeeklySession::parse("mon,tue 09:00-10:00 30min x1").unwrap();
        assert_eq!(session_text(Lang::ZhCn, &s), "周一、周二 09:00–10:00");
    }

    #[test]
    fn days_and_slots_have_full_spoken_labels() {
        use chrono::{NaiveDate, NaiveTime};
        let d = NaiveDate::from_ymd_opt(2026, 3, 3).unwrap();
        assert_eq!(
            day_label(Lang::ZhCn, d, 5),
            "3月3日 星期二，还可预约 5 个号"
        );
        assert_eq!(day_label(Lang::ZhCn, d, 0), "3月3日 星期二，已约满");
        assert_eq!(day_label(Lang::En, d, 1), "Tuesday 3 March, 1 place left");
        let start = d.and_hms_opt(9, 0, 0).unwrap();
        let end = NaiveTime::from_hms_opt(9, 30, 0).unwrap();
        assert_eq!(
            slot_label(Lang::ZhCn, start, end, 1),
            "3月3日 星期二 09:00 至 09:30，剩余 1 个号"
        );
        assert_eq!(
            slot_label(Lang::En, start, end, 0),
            "Tuesday 3 March, 09:00 to 09:30, fully booked"
        );
    }
}

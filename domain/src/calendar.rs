//! The national holiday calendar: public holidays and the weekend days that become working
//! days in exchange (调休). The State Council publishes each year's arrangement in November or
//! December of the year before, so every year is a small data file a district admin loads
//! without a rebuild (`seed/holidays/2026.toml`):
//!
//! ```toml
//! year = 2026
//! source = "国务院办公厅关于2026年部分节假日安排的通知（2025-11-04）"
//!
//! [[holiday]]
//! name = "元旦"
//! off = ["2026-01-01", "2026-01-03"]   # first and last day off, inclusive
//! workdays = ["2026-01-04"]            # weekend make-up working days, may be empty
//! ```
//!
//! A year whose file is not loaded yet still answers: weekdays open, weekends closed, and the
//! answer says it is a guess ([`DayKind::UnknownYearWorkday`], [`DayKind::UnknownYearWeekend`])
//! so that admins can be warned ([`HolidayCalendar::missing_years`]).

use crate::datafile::{from_toml_error, line_of};
use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use toml::Spanned;

/// Longest run of days off one holiday may have; longer is taken as a typing mistake
/// (the longest national holiday, Spring Festival, is 8–9 days).
pub const MAX_HOLIDAY_DAYS: i64 = 15;

/// Days at the end of the previous year a file may also name. New Year arrangements
/// sometimes start there: the 2024 notice gave 2023-12-30 – 2024-01-01 off, and the 2012
/// notice made Saturday 2011-12-31 a working day. Those days belong to the new year's notice.
pub const DAYS_BEFORE_YEAR: u32 = 7;

/// One holiday of a year: its days off and the weekend days worked in exchange.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    pub name: String,
    /// First day off.
    pub first: NaiveDate,
    /// Last day off (inclusive).
    pub last: NaiveDate,
    /// Saturdays or Sundays that become working days (调休上班), sorted.
    pub workdays: Vec<NaiveDate>,
}

impl Holiday {
    pub fn is_off(&self, date: NaiveDate) -> bool {
        self.first <= date && date <= self.last
    }
    /// Number of days off.
    pub fn days_off(&self) -> i64 {
        (self.last - self.first).num_days() + 1
    }
}

/// One year's arrangement, as published by the State Council.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayYear {
    pub year: i32,
    /// Where the facts come from (the notice's title and date), shown to admins.
    pub source: String,
    /// In file order.
    pub holidays: Vec<Holiday>,
}

impl HolidayYear {
    /// The holiday this date is a day off of, or a make-up working day for.
    fn lookup(&self, date: NaiveDate) -> Option<DayKind> {
        self.holidays.iter().find_map(|h| {
            if h.is_off(date) {
                Some(DayKind::Holiday {
                    name: h.name.clone(),
                })
            } else if h.workdays.contains(&date) {
                Some(DayKind::MakeUpWorkday {
                    name: h.name.clone(),
                })
            } else {
                None
            }
        })
    }
}

/// What kind of day a date is, for opening purposes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DayKind {
    /// Monday–Friday, no holiday.
    Workday,
    /// Saturday or Sunday, no make-up working day.
    Weekend,
    /// A day off of a public holiday (whatever the weekday).
    Holiday { name: String },
    /// A Saturday or Sunday worked in exchange for a holiday (调休上班).
    MakeUpWorkday { name: String },
    /// A weekday in a year whose holiday file is not loaded: taken as open.
    UnknownYearWorkday,
    /// A weekend day in a year whose holiday file is not loaded: taken as closed.
    UnknownYearWeekend,
}

impl DayKind {
    /// Whether offices open on such a day.
    pub fn is_open(&self) -> bool {
        matches!(
            self,
            DayKind::Workday | DayKind::MakeUpWorkday { .. } | DayKind::UnknownYearWorkday
        )
    }
    /// Whether the answer is a guess because the year's holiday file is not loaded.
    pub fn is_guess(&self) -> bool {
        matches!(
            self,
            DayKind::UnknownYearWorkday | DayKind::UnknownYearWeekend
        )
    }
}

/// Whether offices open on a day of this kind (same as [`DayKind::is_open`]).
pub fn is_open(kind: &DayKind) -> bool {
    kind.is_open()
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Every loaded year. Loading a year again replaces it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayCalendar {
    years: BTreeMap<i32, HolidayYear>,
}

impl HolidayCalendar {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn from_years(years: impl IntoIterator<Item = HolidayYear>) -> Self {
        let mut cal = Self::new();
        for y in years {
            cal.insert(y);
        }
        cal
    }

    /// Adds a year, returning the one it replaces.
    pub fn insert(&mut self, year: HolidayYear) -> Option<HolidayYear> {
        self.years.insert(year.year, year)
    }

    pub fn remove(&mut self, year: i32) -> Option<HolidayYear> {
        self.years.remove(&year)
    }

    pub fn year(&self, year: i32) -> Option<&HolidayYear> {
        self.years.get(&year)
    }

    /// Loaded years, in order.
    pub fn years(&self) -> impl Iterator<Item = &HolidayYear> {
        self.years.values()
    }

    pub fn has_year(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    /// What kind of day `date` is. A day named by the next year's file (the last days of
    /// December, see [`DAYS_BEFORE_YEAR`]) follows that newer notice.
    pub fn day(&self, date: NaiveDate) -> DayKind {
        let own = self.years.get(&date.year());
        let next = self.years.get(&(date.year() + 1));
        if let Some(kind) = next
            .and_then(|y| y.lookup(date))
            .or_else(|| own.and_then(|y| y.lookup(date)))
        {
            return kind;
        }
        match (own.is_some(), is_weekend(date)) {
            (true, false) => DayKind::Workday,
            (true, true) => DayKind::Weekend,
            (false, false) => DayKind::UnknownYearWorkday,
            (false, true) => DayKind::UnknownYearWeekend,
        }
    }

    /// Shorthand for `self.day(date).is_open()`.
    pub fn is_open(&self, date: NaiveDate) -> bool {
        self.day(date).is_open()
    }

    /// Years touched by `from..=to` whose file is not loaded, for the admin warning
    /// ("2027 年节假日安排尚未导入，暂按周一至周五开放、周末休息处理"). Empty when `from > to`.
    pub fn missing_years(&self, from: NaiveDate, to: NaiveDate) -> Vec<i32> {
        if from > to {
            return Vec::new();
        }
        (from.year()..=to.year())
            .filter(|y| !self.years.contains_key(y))
            .collect()
    }
}

/// The admin warning for missing years, or `None` when every year is loaded.
pub fn missing_years_warning(years: &[i32]) -> Option<String> {
    if years.is_empty() {
        return None;
    }
    let list: Vec<String> = years.iter().map(|y| format!("{y} 年")).collect();
    Some(format!(
        "{}的节假日安排尚未导入：在导入之前，这些年份按周一至周五开放、周六周日休息处理，法定节假日和调休上班日尚未计入，请尽快导入。",
        list.join("、")
    ))
}

// ---- the data file ------------------------------------------------------------------------

/// What is wrong with a holiday file, and where (same shape as the district file's errors).
pub type CalendarFileError = crate::datafile::DataFileError;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawYear {
    year: Spanned<i64>,
    source: Spanned<String>,
    #[serde(default)]
    holiday: Vec<Spanned<RawHoliday>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHoliday {
    name: Spanned<String>,
    off: Spanned<Vec<Spanned<toml::Value>>>,
    #[serde(default)]
    workdays: Vec<Spanned<toml::Value>>,
}

/// Parses and validates one year's holiday file.
pub fn parse_holiday_year(text: &str) -> Result<HolidayYear, CalendarFileError> {
    let raw: RawYear = toml::from_str(text).map_err(|e| from_toml_error(text, &e))?;
    Checker { text }.check(raw)
}

struct Checker<'t> {
    text: &'t str,
}

impl Checker<'_> {
    fn err<T>(
        &self,
        span: std::ops::Range<usize>,
        field: &str,
        message: impl Into<String>,
    ) -> Result<T, CalendarFileError> {
        Err(CalendarFileError {
            line: Some(line_of(self.text, span.start)),
            field: field.to_string(),
            message: message.into(),
        })
    }

    fn check(&self, raw: RawYear) -> Result<HolidayYear, CalendarFileError> {
        let year = *raw.year.get_ref();
        if !(2000..=2100).contains(&year) {
            return self.err(raw.year.span(), "year", "年份应在 2000 到 2100 之间");
        }
        let year = year as i32;
        let source = raw.source.get_ref().trim();
        if source.is_empty() {
            return self.err(
                raw.source.span(),
                "source",
                "请写明出处，例如“国务院办公厅关于2026年部分节假日安排的通知（2025-11-04）”",
            );
        }
        if raw.holiday.is_empty() {
            return Err(CalendarFileError {
                line: None,
                field: "holiday".into(),
                message: "文件中至少要有一个节假日（[[holiday]]）".into(),
            });
        }
        // each date → the field that named it, to report overlaps
        let mut used: HashMap<NaiveDate, String> = HashMap::new();
        let mut names: HashMap<String, String> = HashMap::new();
        let mut holidays = Vec::new();
        for (i, h) in raw.holiday.iter().enumerate() {
            let path = format!("holiday[{}]", i + 1);
            let h = h.get_ref();

            let name = h.name.get_ref().trim();
            let name_field = format!("{path}.name");
            if name.is_empty() {
                return self.err(h.name.span(), &name_field, "节日名称不能为空");
            }
            if name.chars().count() > 20 {
                return self.err(h.name.span(), &name_field, "节日名称太长了，最多 20 个字");
            }
            if let Some(first) = names.get(name) {
                return self.err(
                    h.name.span(),
                    &name_field,
                    format!("节日名称“{name}”与 {first} 重复"),
                );
            }
            names.insert(name.to_string(), name_field);

            let off_field = format!("{path}.off");
            let off = h.off.get_ref();
            if off.len() != 2 {
                return self.err(
                    h.off.span(),
                    &off_field,
                    "应为放假的第一天和最后一天两个日期，例如 off = [\"2026-10-01\", \"2026-10-07\"]（只放一天就写两次同一天）",
                );
            }
            let first = self.date(&off[0], &format!("{off_field}[1]"), year)?;
            let last = self.date(&off[1], &format!("{off_field}[2]"), year)?;
            if last < first {
                return self.err(
                    off[1].span(),
                    &format!("{off_field}[2]"),
                    format!("放假最后一天 {last} 早于第一天 {first}"),
                );
            }
            let holiday_days = (last - first).num_days() + 1;
            if holiday_days > MAX_HOLIDAY_DAYS {
                return self.err(
                    h.off.span(),
                    &off_field,
                    format!(
                        "放假 {holiday_days} 天，超过 {MAX_HOLIDAY_DAYS} 天，请检查日期是否写错"
                    ),
                );
            }
            for d in first.iter_days().take_while(|d| *d <= last) {
                if let Some(other) = used.get(&d) {
                    return self.err(
                        h.off.span(),
                        &off_field,
                        format!("{d} 已在 {other} 中出现，放假日和调休上班日不能重叠"),
                    );
                }
                used.insert(d, off_field.clone());
            }

            let mut workdays = Vec::new();
            for (k, w) in h.workdays.iter().enumerate() {
                let wfield = format!("{path}.workdays[{}]", k + 1);
                let d = self.date(w, &wfield, year)?;
                if !is_weekend(d) {
                    return self.err(
                        w.span(),
                        &wfield,
                        format!(
                            "调休上班日 {d} 是{}，应为星期六或星期日（工作日本来就上班）",
                            weekday_zh(d.weekday())
                        ),
                    );
                }
                if let Some(other) = used.get(&d) {
                    return self.err(
                        w.span(),
                        &wfield,
                        format!("{d} 已在 {other} 中出现，放假日和调休上班日不能重叠"),
                    );
                }
                used.insert(d, wfield);
                workdays.push(d);
            }
            workdays.sort();
            holidays.push(Holiday {
                name: name.to_string(),
                first,
                last,
                workdays,
            });
        }
        Ok(HolidayYear {
            year,
            source: source.to_string(),
            holidays,
        })
    }

    /// A date written as `"2026-10-01"` (or as a bare TOML date `2026-10-01`), inside the
    /// file's year or in its last days before it.
    fn date(
        &self,
        value: &Spanned<toml::Value>,
        field: &str,
        year: i32,
    ) -> Result<NaiveDate, CalendarFileError> {
        let parsed = match value.get_ref() {
            toml::Value::String(s) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok(),
            toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt
                .date
                .and_then(|d| NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())),
            _ => None,
        };
        let Some(date) = parsed else {
            return self.err(
                value.span(),
                field,
                "日期格式应为“YYYY-MM-DD”，例如 \"2026-10-01\"",
            );
        };
        let earliest = NaiveDate::from_ymd_opt(year - 1, 12, 31 - DAYS_BEFORE_YEAR + 1);
        let latest = NaiveDate::from_ymd_opt(year, 12, 31);
        let inside = date.year() == year || earliest.is_some_and(|e| date >= e);
        if !inside || latest.is_some_and(|l| date > l) {
            return self.err(
                value.span(),
                field,
                format!(
                    "日期 {date} 不在 {year} 年内（元旦安排最早可从 {} 年 12 月 {} 日开始）",
                    year - 1,
                    31 - DAYS_BEFORE_YEAR + 1
                ),
            );
        }
        Ok(date)
    }
}

fn weekday_zh(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "星期一",
        Weekday::Tue => "星期二",
        Weekday::Wed => "星期三",
        Weekday::Thu => "星期四",
        Weekday::Fri => "星期五",
        Weekday::Sat => "星期六",
        Weekday::Sun => "星期日",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE_2026: &str = include_str!("../../seed/holidays/2026.toml");

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn cal_2026() -> HolidayCalendar {
        HolidayCalendar::from_years([parse_holiday_year(FILE_2026).unwrap()])
    }

    fn line_containing(text: &str, needle: &str) -> usize {
        text.lines().position(|l| l.contains(needle)).unwrap() + 1
    }

    #[test]
    fn loads_the_2026_file() {
        let y = parse_holiday_year(FILE_2026).unwrap();
        assert_eq!(y.year, 2026);
        assert!(y.source.contains("2025-11-04"));
        let names: Vec<_> = y.holidays.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "元旦",
                "春节",
                "清明节",
                "劳动节",
                "端午节",
                "中秋节",
                "国庆节"
            ]
        );
        let days: Vec<i64> = y.holidays.iter().map(Holiday::days_off).collect();
        assert_eq!(days, [3, 9, 3, 5, 3, 3, 7]);
        let workdays: usize = y.holidays.iter().map(|h| h.workdays.len()).sum();
        assert_eq!(workdays, 6);
    }

    #[test]
    fn every_2026_holiday_day_is_closed() {
        let cal = cal_2026();
        for (first, last, name) in [
            ("2026-01-01", "2026-01-03", "元旦"),
            ("2026-02-15", "2026-02-23", "春节"),
            ("2026-04-04", "2026-04-06", "清明节"),
            ("2026-05-01", "2026-05-05", "劳动节"),
            ("2026-06-19", "2026-06-21", "端午节"),
            ("2026-09-25", "2026-09-27", "中秋节"),
            ("2026-10-01", "2026-10-07", "国庆节"),
        ] {
            for day in d(first).iter_days().take_while(|x| *x <= d(last)) {
                let kind = cal.day(day);
                assert_eq!(
                    kind,
                    DayKind::Holiday {
                        name: name.to_string()
                    },
                    "{day}"
                );
                assert!(!kind.is_open() && !is_open(&kind) && !cal.is_open(day));
            }
        }
        // the day after each holiday that is a weekday opens again
        assert_eq!(cal.day(d("2026-10-08")), DayKind::Workday);
        assert_eq!(cal.day(d("2026-10-09")), DayKind::Workday);
        assert_eq!(cal.day(d("2026-02-24")), DayKind::Workday);
    }

    #[test]
    fn make_up_days_open() {
        let cal = cal_2026();
        for (day, name) in [
            ("2026-01-04", "元旦"),
            ("2026-02-14", "春节"),
            ("2026-02-28", "春节"),
            ("2026-05-09", "劳动节"),
            ("2026-09-20", "国庆节"),
            ("2026-10-10", "国庆节"),
        ] {
            let kind = cal.day(d(day));
            assert_eq!(
                kind,
                DayKind::MakeUpWorkday {
                    name: name.to_string()
                },
                "{day}"
            );
            assert!(kind.is_open());
        }
    }

    #[test]
    fn ordinary_days() {
        let cal = cal_2026();
        assert_eq!(cal.day(d("2026-03-02")), DayKind::Workday); // Monday
        assert_eq!(cal.day(d("2026-03-07")), DayKind::Weekend); // Saturday
        assert_eq!(cal.day(d("2026-03-08")), DayKind::Weekend); // Sunday
        assert!(!cal.day(d("2026-03-08")).is_guess());
    }

    #[test]
    fn unknown_year_is_a_guess_and_reported() {
        let cal = cal_2026();
        let kind = cal.day(d("2027-01-04")); // Monday
        assert_eq!(kind, DayKind::UnknownYearWorkday);
        assert!(kind.is_open() && kind.is_guess());
        let kind = cal.day(d("2027-01-02")); // Saturday
        assert_eq!(kind, DayKind::UnknownYearWeekend);
        assert!(!kind.is_open() && kind.is_guess());
        // even 2027-01-01 opens: no 2027 notice, no holiday
        assert!(cal.is_open(d("2027-01-01")));

        assert_eq!(
            cal.missing_years(d("2026-12-20"), d("2027-01-03")),
            vec![2027]
        );
        assert!(cal
            .missing_years(d("2026-03-01"), d("2026-03-15"))
            .is_empty());
        assert_eq!(
            cal.missing_years(d("2025-12-30"), d("2028-01-01")),
            vec![2025, 2027, 2028]
        );
        assert!(cal
            .missing_years(d("2027-01-05"), d("2027-01-01"))
            .is_empty());
        assert_eq!(
            HolidayCalendar::new().missing_years(d("2026-01-01"), d("2026-01-01")),
            vec![2026]
        );
        let w = missing_years_warning(&[2027]).unwrap();
        assert!(w.contains("2027 年") && w.contains("周六周日休息"), "{w}");
        assert!(missing_years_warning(&[]).is_none());
    }

    #[test]
    fn next_years_file_may_start_in_late_december() {
        // the 2024 notice: 元旦 2023-12-30 – 2024-01-01
        let text = r#"
year = 2024
source = "国务院办公厅关于2024年部分节假日安排的通知"
[[holiday]]
name = "元旦"
off = ["2023-12-30", "2024-01-01"]
"#;
        let y = parse_holiday_year(text).unwrap();
        assert!(y.holidays[0].workdays.is_empty(), "workdays may be omitted");
        let cal = HolidayCalendar::from_years([y]);
        assert_eq!(
            cal.day(d("2023-12-30")),
            DayKind::Holiday {
                name: "元旦".into()
            }
        );
        // other days of 2023 are still unknown
        assert_eq!(cal.day(d("2023-12-29")), DayKind::UnknownYearWorkday);
        assert_eq!(cal.missing_years(d("2023-12-30"), d("2024-01-02")), [2023]);
        // but not further back than a week
        let e = parse_holiday_year(&text.replace("2023-12-30", "2023-12-20")).unwrap_err();
        assert_eq!(e.field, "holiday[1].off[1]");
    }

    #[test]
    fn inserting_a_year_again_replaces_it() {
        let mut cal = cal_2026();
        let mut y = parse_holiday_year(FILE_2026).unwrap();
        y.holidays.truncate(1);
        assert!(cal.insert(y).is_some());
        assert_eq!(cal.day(d("2026-10-01")), DayKind::Workday);
        assert_eq!(cal.years().count(), 1);
        assert!(cal.has_year(2026) && cal.year(2026).is_some());
        assert!(cal.remove(2026).is_some());
        assert_eq!(cal.day(d("2026-10-01")), DayKind::UnknownYearWorkday);
    }

    #[test]
    fn bare_toml_dates_are_accepted() {
        let text = FILE_2026.replace(
            r#"off = ["2026-04-04", "2026-04-06"]"#,
            "off = [2026-04-04, 2026-04-06]",
        );
        assert_eq!(
            parse_holiday_year(&text).unwrap(),
            parse_holiday_year(FILE_2026).unwrap()
        );
    }

    fn error_for(from: &str, to: &str) -> (CalendarFileError, String) {
        assert!(FILE_2026.contains(from), "{from}");
        let text = FILE_2026.replacen(from, to, 1);
        (
            parse_holiday_year(&text).expect_err("the edited file must be rejected"),
            text,
        )
    }

    #[test]
    fn date_outside_the_year_is_rejected() {
        let (e, text) = error_for("\"2026-06-21\"", "\"2025-06-21\"");
        assert_eq!(e.field, "holiday[5].off[2]");
        assert_eq!(e.line, Some(line_containing(&text, "2025-06-21")));
        assert!(e.message.contains("2026"), "{e}");
        let (e, _) = error_for("\"2026-10-10\"", "\"2027-01-02\"");
        assert_eq!(e.field, "holiday[7].workdays[2]");
    }

    #[test]
    fn backward_range_is_rejected() {
        let (e, _) = error_for(
            r#"["2026-04-04", "2026-04-06"]"#,
            r#"["2026-04-06", "2026-04-04"]"#,
        );
        assert_eq!(e.field, "holiday[3].off[2]");
        assert!(e.message.contains("早于"), "{e}");
    }

    #[test]
    fn off_needs_two_dates() {
        let (e, text) = error_for(r#"["2026-04-04", "2026-04-06"]"#, r#"["2026-04-04"]"#);
        assert_eq!(e.field, "holiday[3].off");
        assert_eq!(
            e.line,
            Some(line_containing(&text, r#"off = ["2026-04-04"]"#))
        );
    }

    #[test]
    fn bad_date_text_is_rejected() {
        let (e, _) = error_for("\"2026-05-09\"", "\"2026/05/09\"");
        assert_eq!(e.field, "holiday[4].workdays[1]");
        assert!(e.message.contains("YYYY-MM-DD"), "{e}");
        let (e, _) = error_for("\"2026-05-09\"", "\"2026-02-30\"");
        assert_eq!(e.field, "holiday[4].workdays[1]");
        let (e, _) = error_for("\"2026-05-09\"", "20260509");
        assert_eq!(e.field, "holiday[4].workdays[1]");
    }

    #[test]
    fn make_up_day_must_be_a_weekend_day() {
        let (e, text) = error_for("\"2026-05-09\"", "\"2026-05-08\"");
        assert_eq!(e.field, "holiday[4].workdays[1]");
        assert_eq!(e.line, Some(line_containing(&text, "2026-05-08")));
        assert!(e.message.contains("星期五"), "{e}");
    }

    #[test]
    fn overlaps_are_rejected() {
        // a make-up day inside a holiday's own days off
        let (e, _) = error_for(
            r#"workdays = ["2026-01-04"]"#,
            r#"workdays = ["2026-01-03"]"#,
        );
        assert_eq!(e.field, "holiday[1].workdays[1]");
        assert!(e.message.contains("holiday[1].off"), "{e}");
        // two holidays sharing a day
        let (e, _) = error_for(
            r#"["2026-09-25", "2026-09-27"]"#,
            r#"["2026-09-25", "2026-10-01"]"#,
        );
        assert_eq!(e.field, "holiday[7].off");
        assert!(e.message.contains("holiday[6].off"), "{e}");
        // a make-up day of one holiday on another's day off
        let (e, _) = error_for(
            r#"workdays = ["2026-09-20", "2026-10-10"]"#,
            r#"workdays = ["2026-09-26", "2026-10-10"]"#,
        );
        assert_eq!(e.field, "holiday[7].workdays[1]");
    }

    #[test]
    fn names_are_checked() {
        let (e, _) = error_for("name = \"清明节\"", "name = \" \"");
        assert_eq!(e.field, "holiday[3].name");
        let (e, _) = error_for("name = \"清明节\"", "name = \"春节\"");
        assert_eq!(e.field, "holiday[3].name");
        assert!(e.message.contains("holiday[2].name"), "{e}");
    }

    #[test]
    fn too_long_holiday_is_a_typo() {
        let (e, _) = error_for(
            r#"["2026-04-04", "2026-04-06"]"#,
            r#"["2026-04-04", "2026-05-06"]"#,
        );
        assert_eq!(e.field, "holiday[3].off");
        assert!(e.message.contains("15"), "{e}");
    }

    #[test]
    fn header_fields_are_checked() {
        let (e, _) = error_for("year = 2026", "year = 26");
        assert_eq!(e.field, "year");
        assert_eq!(e.line, Some(line_containing(FILE_2026, "year = 2026")));
        let (e, _) = error_for("source = \"国务院", "source = \" \" # \"");
        assert_eq!(e.field, "source");
        let e = parse_holiday_year("year = 2026\nsource = \"x\"\n").unwrap_err();
        assert_eq!(e.field, "holiday");
    }

    #[test]
    fn toml_errors_name_line_and_field() {
        let (e, _) = error_for("year = 2026\n", "");
        assert_eq!(e.field, "year");
        assert!(e.message.contains("缺少"), "{e}");
        let (e, text) = error_for("workdays = []", "workday = []");
        assert_eq!(e.field, "workday");
        assert!(e.message.contains("不认识"), "{e}");
        assert!(e.line.is_some(), "{e} in {text}");
        let (e, text) = error_for("name = \"端午节\"", "name = = \"端午节\"");
        assert_eq!(e.line, Some(line_containing(&text, "name = = ")));
        assert!(e.to_string().starts_with("第 "), "{e}");
    }
}

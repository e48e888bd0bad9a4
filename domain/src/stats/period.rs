//! Periods: ranges of dates and the calendar months they cover, named as reports name them.

use crate::booking::FieldError;
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// The longest period a dashboard covers (ten years): keeps raw fall-backs bounded.
pub const MAX_PERIOD_DAYS: i64 = 3660;

/// A range of Shanghai dates, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// A calendar month, `YYYY-MM` in storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    pub fn of(date: NaiveDate) -> Month {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("a month's first day exists")
    }
    pub fn last_day(self) -> NaiveDate {
        self.first_day() + Months::new(1) - chrono::Days::new(1)
    }
    pub fn key(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }
    pub fn parse_key(key: &str) -> Option<Month> {
        let (y, m) = key.split_once('-')?;
        let month = Month {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
        };
        NaiveDate::from_ymd_opt(month.year, month.month, 1).map(|_| month)
    }
    pub fn period(self) -> Period {
        Period {
            from: self.first_day(),
            to: self.last_day(),
        }
    }
}

impl Period {
    /// Reads `from` and `to` (`YYYY-MM-DD`, both included); errors name the field.
    pub fn parse(from: &str, to: &str) -> Result<Period, FieldError> {
        let date = |field: &'static str, text: &str| {
            NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
                .ok()
                .filter(|d| (1970..=2999).contains(&d.year()))
                .ok_or_else(|| {
                    FieldError::new(
                        field,
                        "请填写日期，格式为 年-月-日，例如 2026-01-01",
                        "Enter the date as year-month-day, for example 2026-01-01",
                    )
                })
        };
        let from = date("from", from)?;
        let to = date("to", to)?;
        if to < from {
            return Err(FieldError::new(
                "to",
                "结束日期不能早于开始日期",
                "The “To” date cannot be earlier than the “From” date",
            ));
        }
        let period = Period { from, to };
        if period.days() > MAX_PERIOD_DAYS {
            return Err(FieldError::new(
                "to",
                "统计期间最长十年",
                "The period can be at most ten years long; please choose a shorter one",
            ));
        }
        Ok(period)
    }

    /// From 1 January to `today`: what a statistics page shows first.
    pub fn year_to_date(today: NaiveDate) -> Period {
        Period {
            from: Month {
                year: today.year(),
                month: 1,
            }
            .first_day(),
            to: today,
        }
    }

    /// The whole calendar month before `today`'s.
    pub fn last_month(today: NaiveDate) -> Period {
        Month::of(Month::of(today).first_day() - chrono::Days::new(1)).period()
    }

    /// The whole calendar year before `today`'s.
    pub fn last_year(today: NaiveDate) -> Period {
        Period {
            from: Month {
                year: today.year() - 1,
                month: 1,
            }
            .first_day(),
            to: Month {
                year: today.year() - 1,
                month: 12,
            }
            .last_day(),
        }
    }

    /// The periods the statistics page offers with one tap on `today`: this year so far
    /// (where it opens), last month and last year. What staff open most, so the server keeps
    /// their roll-ups in memory ahead of them.
    pub fn usual(today: NaiveDate) -> [Period; 3] {
        [
            Period::year_to_date(today),
            Period::last_month(today),
            Period::last_year(today),
        ]
    }

    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// Whether the period is whole calendar months (from the 1st to a month's last day).
    pub fn is_whole_months(&self) -> bool {
        self.from.day() == 1 && Month::of(self.to).last_day() == self.to
    }

    /// The period just before, of the same length: the same number of whole months for a
    /// period of whole months (Jan–Sep → Apr–Dec of the year before), else the same number
    /// of days.
    pub fn previous(&self) -> Period {
        if self.is_whole_months() {
            let months = (self.to.year() - self.from.year()) * 12 + self.to.month() as i32
                - self.from.month() as i32
                + 1;
            let from = self.from - Months::new(months as u32);
            Period {
                from,
                to: self.from - chrono::Days::new(1),
            }
        } else {
            let to = self.from - chrono::Days::new(1);
            Period {
                from: to - chrono::Days::new(self.days() as u64 - 1),
                to,
            }
        }
    }

    /// Splits the period into the calendar months it covers whole (answered from monthly
    /// roll-ups) and at most two partial stretches at its ends (answered from the raw rows).
    pub fn split(&self) -> (Vec<Month>, Vec<Period>) {
        let mut whole = Vec::new();
        let mut partial = Vec::new();
        let mut month = Month::of(self.from);
        loop {
            let m = month.period();
            let from = m.from.max(self.from);
            let to = m.to.min(self.to);
            if from == m.from && to == m.to {
                whole.push(month);
            } else {
                partial.push(Period { from, to });
            }
            if m.to >= self.to {
                break;
            }
            month = Month::of(m.to + chrono::Days::new(1));
        }
        (whole, partial)
    }

    /// "2026年1-9月", "2026年", "2026年3月", "2026年3月15日至9月14日".
    pub fn label_zh(&self) -> String {
        let (f, t) = (self.from, self.to);
        if self.is_whole_months() {
            if f.year() == t.year() {
                if f.month() == 1 && t.month() == 12 {
                    return format!("{}年", f.year());
                }
                if f.month() == t.month() {
                    return format!("{}年{}月", f.year(), f.month());
                }
                return format!("{}年{}-{}月", f.year(), f.month(), t.month());
            }
            return format!(
                "{}年{}月至{}年{}月",
                f.year(),
                f.month(),
                t.year(),
                t.month()
            );
        }
        if f == t {
            return format!("{}年{}月{}日", f.year(), f.month(), f.day());
        }
        if f.year() == t.year() {
            format!(
                "{}年{}月{}日至{}月{}日",
                f.year(),
                f.month(),
                f.day(),
                t.month(),
                t.day()
            )
        } else {
            format!(
                "{}年{}月{}日至{}年{}月{}日",
                f.year(),
                f.month(),
                f.day(),
                t.year(),
                t.month(),
                t.day()
            )
        }
    }

    /// "January–September 2026", "2026", "15 March – 14 September 2026".
    pub fn label_en(&self) -> String {
        let (f, t) = (self.from, self.to);
        let month = |d: NaiveDate| d.format("%B").to_string();
        if self.is_whole_months() && f.year() == t.year() {
            if f.month() == 1 && t.month() == 12 {
                return f.year().to_string();
            }
            if f.month() == t.month() {
                return format!("{} {}", month(f), f.year());
            }
            return format!("{}–{} {}", month(f), month(t), f.year());
        }
        if f == t {
            return f.format("%-d %B %Y").to_string();
        }
        format!("{} – {}", f.format("%-d %B %Y"), t.format("%-d %B %Y"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::fixtures::{d, period};

    #[test]
    fn periods_are_read_with_named_errors() {
        assert_eq!(
            Period::parse("2026-13-01", "2026-12-31").unwrap_err().field,
            "from"
        );
        assert_eq!(Period::parse("2026-01-01", "").unwrap_err().field, "to");
        assert_eq!(
            Period::parse("1900-01-01", "1900-01-02").unwrap_err().field,
            "from"
        );
        assert_eq!(
            Period::parse("2026-01-01", "+262143-12-31")
                .unwrap_err()
                .field,
            "to"
        );
        let e = Period::parse("2026-02-01", "2026-01-31").unwrap_err();
        assert_eq!(
            (e.field, e.message.as_str()),
            ("to", "结束日期不能早于开始日期")
        );
        assert_eq!(
            Period::parse("2000-01-01", "2026-01-01").unwrap_err().field,
            "to"
        );
        assert_eq!(period("2026-01-01", "2026-01-01").days(), 1);
    }

    #[test]
    fn the_previous_period_has_the_same_length() {
        // whole months: Jan–Sep → Apr–Dec of the year before; a year → the year before
        assert_eq!(
            period("2026-01-01", "2026-09-30").previous(),
            period("2025-04-01", "2025-12-31")
        );
        assert_eq!(
            period("2026-01-01", "2026-12-31").previous(),
            period("2025-01-01", "2025-12-31")
        );
        assert_eq!(
            period("2026-03-01", "2026-03-31").previous(),
            period("2026-02-01", "2026-02-28")
        );
        // days: ten days → the ten days before
        assert_eq!(
            period("2026-03-05", "2026-03-14").previous(),
            period("2026-02-23", "2026-03-04")
        );
    }

    #[test]
    fn a_period_splits_into_whole_months_and_ragged_ends() {
        let (whole, partial) = period("2026-01-01", "2026-12-31").split();
        assert_eq!(whole.len(), 12);
        assert!(partial.is_empty());
        let (whole, partial) = period("2026-01-15", "2026-04-10").split();
        assert_eq!(
            whole.iter().map(|m| m.key()).collect::<Vec<_>>(),
            ["2026-02", "2026-03"]
        );
        assert_eq!(
            partial,
            [
                period("2026-01-15", "2026-01-31"),
                period("2026-04-01", "2026-04-10")
            ]
        );
        let (whole, partial) = period("2026-05-03", "2026-05-03").split();
        assert!(whole.is_empty());
        assert_eq!(partial, [period("2026-05-03", "2026-05-03")]);
        // every day is in exactly one part
        let p = period("2025-11-20", "2026-02-10");
        let (whole, partial) = p.split();
        let days: i64 = whole.iter().map(|m| m.period().days()).sum::<i64>()
            + partial.iter().map(Period::days).sum::<i64>();
        assert_eq!(days, p.days());
    }

    #[test]
    fn periods_are_named_as_reports_name_them() {
        assert_eq!(period("2026-01-01", "2026-09-30").label_zh(), "2026年1-9月");
        assert_eq!(period("2026-01-01", "2026-12-31").label_zh(), "2026年");
        assert_eq!(period("2026-03-01", "2026-03-31").label_zh(), "2026年3月");
        assert_eq!(
            period("2026-03-15", "2026-09-14").label_zh(),
            "2026年3月15日至9月14日"
        );
        assert_eq!(
            period("2025-12-01", "2026-02-28").label_zh(),
            "2025年12月至2026年2月"
        );
        assert_eq!(
            period("2026-01-01", "2026-09-30").label_en(),
            "January–September 2026"
        );
        assert_eq!(
            Month::parse_key("2026-02").unwrap().last_day(),
            d("2026-02-28")
        );
        assert_eq!(Month::parse_key("2026-13"), None);
    }
}

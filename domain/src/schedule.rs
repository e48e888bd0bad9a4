//! Weekly opening rules of a service at a place, written in data files as compact strings:
//!
//! ```text
//! <days> <HH:MM>-<HH:MM> <N>min x<capacity> [youth]
//! mon-fri 09:00-11:30 30min x2       weekdays, 5 slots of 30 minutes, 2 residents each
//! tue,fri 13:30-16:30 60min x1 youth Tuesday and Friday, youth-only
//! ```

use chrono::{NaiveTime, Weekday};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A set of weekdays, Monday first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct WeekdaySet(u8);

const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl WeekdaySet {
    pub const EMPTY: WeekdaySet = WeekdaySet(0);

    pub fn from_days(days: impl IntoIterator<Item = Weekday>) -> Self {
        let mut set = WeekdaySet(0);
        for d in days {
            set.insert(d);
        }
        set
    }
    pub fn insert(&mut self, day: Weekday) {
        self.0 |= 1 << day.num_days_from_monday();
    }
    pub fn contains(self, day: Weekday) -> bool {
        self.0 & (1 << day.num_days_from_monday()) != 0
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    pub fn bits(self) -> u8 {
        self.0
    }
    pub fn from_bits(bits: u8) -> Self {
        WeekdaySet(bits & 0x7f)
    }
    /// The days in the set, Monday first.
    pub fn days(self) -> impl Iterator<Item = Weekday> {
        (0..7u8)
            .filter(move |i| self.0 & (1 << i) != 0)
            .map(|i| weekday_from_index(i as usize))
    }

    /// Parses `mon`, `mon-fri`, `tue,fri` or `mon-wed,sat`.
    pub fn parse(text: &str) -> Result<Self, ScheduleError> {
        let mut set = WeekdaySet(0);
        for part in text.split(',') {
            let part = part.trim();
            if let Some((a, b)) = part.split_once('-') {
                let (a, b) = (day_index(a)?, day_index(b)?);
                if a > b {
                    return Err(ScheduleError::BackwardDayRange(part.to_string()));
                }
                for i in a..=b {
                    set.insert(weekday_from_index(i));
                }
            } else {
                set.insert(weekday_from_index(day_index(part)?));
            }
        }
        Ok(set)
    }
}

impl fmt::Display for WeekdaySet {
    /// Canonical form: runs of three or more days as ranges (`mon-fri`), others listed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let idx: Vec<usize> = self
            .days()
            .map(|d| d.num_days_from_monday() as usize)
            .collect();
        let mut parts = Vec::new();
        let mut i = 0;
        while i < idx.len() {
            let mut j = i;
            while j + 1 < idx.len() && idx[j + 1] == idx[j] + 1 {
                j += 1;
            }
            if j - i >= 2 {
                parts.push(format!("{}-{}", DAY_NAMES[idx[i]], DAY_NAMES[idx[j]]));
            } else {
                for k in &idx[i..=j] {
                    parts.push(DAY_NAMES[*k].to_string());
                }
            }
            i = j + 1;
        }
        f.write_str(&parts.join(","))
    }
}

fn day_index(name: &str) -> Result<usize, ScheduleError> {
    DAY_NAMES
        .iter()
        .position(|d| *d == name.trim().to_ascii_lowercase())
        .ok_or_else(|| ScheduleError::UnknownDay(name.trim().to_string()))
}

fn weekday_from_index(i: usize) -> Weekday {
    [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ][i]
}

/// One weekly session: on these days, from `start` to `end`, cut into slots of
/// `slot_minutes`, each open to `capacity` residents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklySession {
    pub days: WeekdaySet,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub slot_minutes: u16,
    pub capacity: u16,
    /// Only residents who declare they are under 18 may book (the psychology room's Friday).
    pub youth_only: bool,
}

/// Why a session string is not valid. Messages are in Chinese (data-file authors are staff),
/// and in English for the English staff pages ([`ScheduleError::message`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("时段格式应为“星期 开始-结束 时长min x人数”，例如“mon-fri 09:00-11:30 30min x2”")]
    Shape,
    #[error("无法识别的星期“{0}”，应为 mon、tue、wed、thu、fri、sat、sun")]
    UnknownDay(String),
    #[error("星期范围“{0}”前后颠倒")]
    BackwardDayRange(String),
    #[error("无法识别的时间“{0}”，应为 24 小时制 HH:MM")]
    BadTime(String),
    #[error("结束时间必须晚于开始时间")]
    EndNotAfterStart,
    #[error("时长“{0}”应为 5 到 240 之间的分钟数，例如“30min”")]
    BadSlotLength(String),
    #[error("时段 {minutes} 分钟不能被每号 {slot} 分钟整除")]
    NotWholeSlots { minutes: i64, slot: u16 },
    #[error("人数“{0}”应为 1 到 50 之间，例如“x2”")]
    BadCapacity(String),
    #[error("无法识别的标记“{0}”，只允许“youth”")]
    UnknownFlag(String),
}

impl ScheduleError {
    /// The message in `lang`: the Chinese text is the `Display` one.
    pub fn message(&self, lang: crate::Lang) -> String {
        use ScheduleError::*;
        if lang == crate::Lang::ZhCn {
            return self.to_string();
        }
        match self {
            Shape => "Write each rule as “days start-end length x people”, for example \
                      “mon-fri 09:00-11:30 30min x2”"
                .to_string(),
            UnknownDay(d) => {
                format!("Unknown day “{d}”: use mon, tue, wed, thu, fri, sat or sun")
            }
            BackwardDayRange(r) => format!(
                "The days “{r}” are the wrong way round: write the earlier day first, as in mon-fri"
            ),
            BadTime(t) => {
                format!("Unknown time “{t}”: use the 24-hour clock, HH:MM, for example 09:00")
            }
            EndNotAfterStart => "The end time must be later than the start time".to_string(),
            BadSlotLength(l) => {
                format!("The length “{l}” must be between 5 and 240 minutes, for example “30min”")
            }
            NotWholeSlots { minutes, slot } => format!(
                "{minutes} minutes cannot be divided into slots of {slot} minutes; change the \
                 times or the slot length"
            ),
            BadCapacity(c) => {
                format!("The number of people “{c}” must be between 1 and 50, for example “x2”")
            }
            UnknownFlag(f) => format!("Unknown mark “{f}”: only “youth” is allowed"),
        }
    }
}

impl WeeklySession {
    pub fn parse(text: &str) -> Result<Self, ScheduleError> {
        let mut words = text.split_whitespace();
        let (Some(days), Some(range), Some(len), Some(cap)) =
            (words.next(), words.next(), words.next(), words.next())
        else {
            return Err(ScheduleError::Shape);
        };
        let days = WeekdaySet::parse(days)?;
        let (start, end) = range.split_once('-').ok_or(ScheduleError::Shape)?;
        let start = parse_time(start)?;
        let end = parse_time(end)?;
        if end <= start {
            return Err(ScheduleError::EndNotAfterStart);
        }
        let slot_minutes: u16 = len
            .strip_suffix("min")
            .and_then(|n| n.parse().ok())
            .filter(|n| (5..=240).contains(n))
            .ok_or_else(|| ScheduleError::BadSlotLength(len.to_string()))?;
        let minutes = (end - start).num_minutes();
        if minutes % i64::from(slot_minutes) != 0 {
            return Err(ScheduleError::NotWholeSlots {
                minutes,
                slot: slot_minutes,
            });
        }
        let capacity: u16 = cap
            .strip_prefix('x')
            .and_then(|n| n.parse().ok())
            .filter(|n| (1..=50).contains(n))
            .ok_or_else(|| ScheduleError::BadCapacity(cap.to_string()))?;
        let mut youth_only = false;
        for flag in words {
            match flag {
                "youth" => youth_only = true,
                other => return Err(ScheduleError::UnknownFlag(other.to_string())),
            }
        }
        Ok(WeeklySession {
            days,
            start,
            end,
            slot_minutes,
            capacity,
            youth_only,
        })
    }

    /// Number of slots the session is cut into on each of its days.
    pub fn slots_per_day(&self) -> u32 {
        ((self.end - self.start).num_minutes() / i64::from(self.slot_minutes)) as u32
    }
}

impl fmt::Display for WeeklySession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}-{} {}min x{}{}",
            self.days,
            self.start.format("%H:%M"),
            self.end.format("%H:%M"),
            self.slot_minutes,
            self.capacity,
            if self.youth_only { " youth" } else { "" }
        )
    }
}

fn parse_time(text: &str) -> Result<NaiveTime, ScheduleError> {
    let bad = || ScheduleError::BadTime(text.to_string());
    let (h, m) = text.split_once(':').ok_or_else(bad)?;
    if h.len() != 2 || m.len() != 2 {
        return Err(bad());
    }
    let (h, m): (u32, u32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    NaiveTime::from_hms_opt(h, m, 0).ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_weekday_sessions() {
        let s = WeeklySession::parse("mon-fri 09:00-11:30 30min x2").unwrap();
        assert_eq!(s.days.days().count(), 5);
        assert!(s.days.contains(Weekday::Wed) && !s.days.contains(Weekday::Sat));
        assert_eq!(s.slots_per_day(), 5);
        assert_eq!(s.capacity, 2);
        assert!(!s.youth_only);
    }

    #[test]
    fn parses_lists_and_youth_flag() {
        let s = WeeklySession::parse("tue,fri 13:30-16:30 60min x1 youth").unwrap();
        assert_eq!(
            s.days.days().collect::<Vec<_>>(),
            vec![Weekday::Tue, Weekday::Fri]
        );
        assert!(s.youth_only);
        assert_eq!(s.slots_per_day(), 3);
    }

    #[test]
    fn display_round_trips() {
        for text in [
            "mon-fri 09:00-11:30 30min x2",
            "tue,fri 13:30-16:30 60min x1 youth",
            "mon,tue,thu-sun 08:00-08:30 15min x3",
            "sat 10:00-12:00 60min x1",
        ] {
            let s = WeeklySession::parse(text).unwrap();
            assert_eq!(s.to_string(), text);
            assert_eq!(WeeklySession::parse(&s.to_string()).unwrap(), s);
        }
    }

    #[test]
    fn rejects_each_kind_of_mistake() {
        use ScheduleError::*;
        type Check = fn(&ScheduleError) -> bool;
        let cases: [(&str, Check); 9] = [
            ("mon-fri 09:00-11:30", |e| matches!(e, Shape)),
            (
                "mon-fry 09:00-11:30 30min x2",
                |e| matches!(e, UnknownDay(d) if d == "fry"),
            ),
            ("fri-mon 09:00-11:30 30min x2", |e| {
                matches!(e, BackwardDayRange(_))
            }),
            ("mon 9:00-11:30 30min x2", |e| matches!(e, BadTime(_))),
            ("mon 11:30-09:00 30min x2", |e| {
                matches!(e, EndNotAfterStart)
            }),
            ("mon 09:00-11:30 30 x2", |e| matches!(e, BadSlotLength(_))),
            ("mon 09:00-11:30 60min x2", |e| {
                matches!(
                    e,
                    NotWholeSlots {
                        minutes: 150,
                        slot: 60
                    }
                )
            }),
            ("mon 09:00-11:30 30min x0", |e| matches!(e, BadCapacity(_))),
            ("mon 09:00-11:30 30min x2 adults", |e| {
                matches!(e, UnknownFlag(_))
            }),
        ];
        for (text, check) in cases {
            let err = WeeklySession::parse(text).unwrap_err();
            assert!(check(&err), "{text}: unexpected {err:?}");
            assert!(!err.to_string().is_empty());
        }
    }

    #[test]
    fn weekday_set_bits_round_trip() {
        for bits in 0..128u8 {
            let set = WeekdaySet::from_bits(bits);
            assert_eq!(set.bits(), bits);
            if !set.is_empty() {
                assert_eq!(WeekdaySet::parse(&set.to_string()).unwrap(), set);
            }
        }
    }
}

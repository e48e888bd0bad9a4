//! The slot engine: which appointment slots a service at a place offers, from its weekly
//! sessions, the national holiday calendar, the place's own date exceptions (closures and
//! extra sessions) and the booking window. Pure: the caller passes `now`.
//!
//! All times are Asia/Shanghai. Slots carry `DateTime<FixedOffset>` so that they serialise as
//! RFC 3339 with `+08:00`, e.g. `"2026-03-03T09:00:00+08:00"`.
//!
//! Which days a weekly session opens on:
//! - an ordinary working day (Monday–Friday, no holiday): the sessions listing that weekday;
//! - an ordinary Saturday or Sunday: only sessions that explicitly list that day (a schedule
//!   that says `sat` means it); the usual `mon-fri` schedules stay closed;
//! - a public holiday day off: nothing, whatever the weekday;
//! - a weekend make-up working day (调休上班): the day opens "like a weekday". Exactly the
//!   sessions that run every Monday to Friday (days ⊇ mon–fri, e.g. `mon-fri`) open, with
//!   their usual times, since they are the same on every weekday. A rota session tied to
//!   particular weekdays (a workroom adviser's `wed` only) does not open: the notice does not
//!   say which weekday's rota the Saturday replaces, and the adviser is not expected. A
//!   session that explicitly lists that Saturday or Sunday opens too;
//! - a year whose holiday file is not loaded: as an ordinary weekday / weekend (see
//!   [`crate::calendar::HolidayCalendar::missing_years`] for the admin warning);
//! - a [`ExceptionKind::Closed`] exception for the date: no weekly session;
//! - [`ExceptionKind::Extra`] sessions add their slots on their date whatever the day is
//!   (holiday, weekend, closure). If an extra slot starts at the same time as a weekly slot,
//!   the extra one replaces it; slots with different starts are all kept, even if they overlap.
//!   Among weekly sessions (or among extras) with the same start, the first one listed wins.

use crate::calendar::{DayKind, HolidayCalendar};
use crate::schedule::{ScheduleError, WeeklySession};
use chrono::{
    DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Timelike, Utc,
    Weekday,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::collections::btree_map::Entry;
use std::collections::BTreeMap;
use std::fmt;

/// The portal's time zone.
pub const TIME_ZONE: Tz = chrono_tz::Asia::Shanghai;

/// Converts an instant to Shanghai time, as a fixed `+08:00` offset.
pub fn to_local<T: TimeZone>(t: &DateTime<T>) -> DateTime<FixedOffset> {
    t.with_timezone(&TIME_ZONE).fixed_offset()
}

/// The date in Shanghai at an instant (not the UTC date: 23:30 UTC is already tomorrow).
pub fn local_date<T: TimeZone>(t: &DateTime<T>) -> NaiveDate {
    t.with_timezone(&TIME_ZONE).date_naive()
}

/// A Shanghai wall-clock time as an instant; `None` for a time that does not exist locally
/// (no such gap since Shanghai stopped daylight saving in 1991).
pub fn local_instant(date: NaiveDate, time: NaiveTime) -> Option<DateTime<FixedOffset>> {
    TIME_ZONE
        .from_local_datetime(&date.and_time(time))
        .earliest()
        .map(|t| t.fixed_offset())
}

/// Where a run of Shanghai days begins and ends: midnight of `first` to the midnight after
/// `last` (excluded). `None` only at the end of the calendar.
pub fn days_span(
    first: NaiveDate,
    last: NaiveDate,
) -> Option<(DateTime<FixedOffset>, DateTime<FixedOffset>)> {
    Some((
        local_instant(first, NaiveTime::MIN)?,
        local_instant(last.succ_opt()?, NaiveTime::MIN)?,
    ))
}

/// One bookable appointment slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    pub start: DateTime<FixedOffset>,
    pub end: DateTime<FixedOffset>,
    /// How many residents may book it.
    pub capacity: u16,
    /// Only residents under 18 may book it.
    pub youth_only: bool,
}

impl Slot {
    /// The slot's date in Shanghai.
    pub fn local_date(&self) -> NaiveDate {
        local_date(&self.start)
    }
}

/// How early and how far ahead residents may book.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BookingWindow {
    /// A slot must start at least this long after now.
    pub min_lead: Duration,
    /// The last bookable date is today (Shanghai) plus this many days.
    pub max_days_ahead: u32,
}

impl Default for BookingWindow {
    /// 2 hours' notice, two weeks ahead.
    fn default() -> Self {
        BookingWindow {
            min_lead: Duration::hours(2),
            max_days_ahead: 14,
        }
    }
}

impl BookingWindow {
    /// The earliest instant a slot may start at.
    pub fn earliest_start(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now.checked_add_signed(self.min_lead)
            .unwrap_or(if self.min_lead < Duration::zero() {
                DateTime::<Utc>::MIN_UTC
            } else {
                DateTime::<Utc>::MAX_UTC
            })
    }
    /// The first date (Shanghai) that may have bookable slots.
    pub fn first_day(&self, now: DateTime<Utc>) -> NaiveDate {
        local_date(&self.earliest_start(now))
    }
    /// The last date (Shanghai) that may have bookable slots. With the admin warning:
    /// `calendar.missing_years(local_date(&now), window.last_day(now))`.
    pub fn last_day(&self, now: DateTime<Utc>) -> NaiveDate {
        local_date(&now)
            .checked_add_days(chrono::Days::new(u64::from(self.max_days_ahead)))
            .unwrap_or(NaiveDate::MAX)
    }
    /// Whether a slot starting at `start` may be booked at `now`.
    pub fn contains<T: TimeZone>(&self, now: DateTime<Utc>, start: &DateTime<T>) -> bool {
        start.with_timezone(&Utc) >= self.earliest_start(now)
            && local_date(start) <= self.last_day(now)
    }
}

/// A one-day session added for a date (e.g. an extra consultation day before a holiday).
/// Written like a weekly session without the days: `09:00-11:30 30min x2 [youth]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtraSession {
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub slot_minutes: u16,
    pub capacity: u16,
    pub youth_only: bool,
}

impl ExtraSession {
    /// Parses `09:00-11:30 30min x2` or `13:30-16:30 60min x1 youth`, with the same rules
    /// and Chinese messages as [`WeeklySession::parse`].
    pub fn parse(text: &str) -> Result<Self, ScheduleError> {
        let w = WeeklySession::parse(&format!("mon {}", text.trim()))?;
        Ok(ExtraSession {
            start: w.start,
            end: w.end,
            slot_minutes: w.slot_minutes,
            capacity: w.capacity,
            youth_only: w.youth_only,
        })
    }
}

impl fmt::Display for ExtraSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{} {}min x{}{}",
            self.start.format("%H:%M"),
            self.end.format("%H:%M"),
            self.slot_minutes,
            self.capacity,
            if self.youth_only { " youth" } else { "" }
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ExceptionKind {
    /// No weekly session on this date (extra sessions of the date still open).
    Closed,
    /// Slots added on this date.
    Extra(ExtraSession),
}

/// A change to one service's schedule at one place on one date. The caller passes only the
/// exceptions of the service and place being looked at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateException {
    pub date: NaiveDate,
    pub kind: ExceptionKind,
}

/// Whether a weekly session opens on `date`, a day of kind `kind` (the rules are in the
/// module documentation). Date exceptions are not considered here.
pub fn session_opens(session: &WeeklySession, date: NaiveDate, kind: &DayKind) -> bool {
    let listed = session.days.contains(date.weekday());
    match kind {
        DayKind::Holiday { .. } => false,
        DayKind::Workday
        | DayKind::Weekend
        | DayKind::UnknownYearWorkday
        | DayKind::UnknownYearWeekend => listed,
        DayKind::MakeUpWorkday { .. } => listed || runs_every_weekday(session),
    }
}

/// Whether a session runs on every Monday–Friday (so it can stand in on a make-up day).
pub fn runs_every_weekday(session: &WeeklySession) -> bool {
    [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
    ]
    .into_iter()
    .all(|d| session.days.contains(d))
}

/// Cuts `start..end` of `date` into whole slots of `minutes`; a last partial slot is dropped,
/// and so is everything when `minutes` or `capacity` is 0.
fn cut(
    date: NaiveDate,
    start: NaiveTime,
    end: NaiveTime,
    minutes: u16,
    capacity: u16,
    youth_only: bool,
) -> impl Iterator<Item = (NaiveTime, Slot)> {
    let step = u32::from(minutes) * 60;
    let (from, to) = (
        start.num_seconds_from_midnight(),
        end.num_seconds_from_midnight(),
    );
    let count = if step == 0 || capacity == 0 || to <= from {
        0
    } else {
        (to - from) / step
    };
    (0..count).filter_map(move |i| {
        let s = from + i * step;
        let t0 = NaiveTime::from_num_seconds_from_midnight_opt(s, 0)?;
        let t1 = NaiveTime::from_num_seconds_from_midnight_opt(s + step, 0)?;
        Some((
            t0,
            Slot {
                start: local_instant(date, t0)?,
                end: local_instant(date, t1)?,
                capacity,
                youth_only,
            },
        ))
    })
}

/// Every slot of one date, ignoring the booking window, sorted by start.
pub fn day_slots(
    sessions: &[WeeklySession],
    exceptions: &[DateException],
    calendar: &HolidayCalendar,
    date: NaiveDate,
) -> Vec<Slot> {
    let kind = calendar.day(date);
    let todays = || exceptions.iter().filter(|e| e.date == date);
    let closed = todays().any(|e| e.kind == ExceptionKind::Closed);
    // start → (slot, from an extra session)
    let mut by_start: BTreeMap<NaiveTime, (Slot, bool)> = BTreeMap::new();
    if !closed {
        for s in sessions.iter().filter(|s| session_opens(s, date, &kind)) {
            for (t, slot) in cut(
                date,
                s.start,
                s.end,
                s.slot_minutes,
                s.capacity,
                s.youth_only,
            ) {
                by_start.entry(t).or_insert((slot, false));
            }
        }
    }
    for e in todays() {
        let ExceptionKind::Extra(x) = &e.kind else {
            continue;
        };
        for (t, slot) in cut(
            date,
            x.start,
            x.end,
            x.slot_minutes,
            x.capacity,
            x.youth_only,
        ) {
            match by_start.entry(t) {
                Entry::Vacant(v) => {
                    v.insert((slot, true));
                }
                Entry::Occupied(mut o) => {
                    if !o.get().1 {
                        o.insert((slot, true));
                    }
                }
            }
        }
    }
    by_start.into_values().map(|(slot, _)| slot).collect()
}

/// Every bookable slot whose Shanghai date is in `from..=to`: inside the booking window
/// (start ≥ now + min_lead, date ≤ today + max_days_ahead), sorted by start, one per start.
pub fn slots(
    sessions: &[WeeklySession],
    exceptions: &[DateException],
    calendar: &HolidayCalendar,
    window: &BookingWindow,
    now: DateTime<Utc>,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<Slot> {
    let first = from.max(window.first_day(now));
    let last = to.min(window.last_day(now));
    let mut out = Vec::new();
    if first > last {
        return out;
    }
    for date in first.iter_days().take_while(|d| *d <= last) {
        out.extend(
            day_slots(sessions, exceptions, calendar, date)
                .into_iter()
                .filter(|s| window.contains(now, &s.start)),
        );
    }
    out
}

/// The slot starting at `start`, if it is a real slot inside the booking window at `now`
/// (checked again when a resident books: the page they booked from may be stale).
pub fn find_slot<T: TimeZone>(
    sessions: &[WeeklySession],
    exceptions: &[DateException],
    calendar: &HolidayCalendar,
    window: &BookingWindow,
    now: DateTime<Utc>,
    start: &DateTime<T>,
) -> Option<Slot> {
    let date = local_date(start);
    slots(sessions, exceptions, calendar, window, now, date, date)
        .into_iter()
        .find(|s| s.start == *start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::parse_holiday_year;

    fn cal() -> HolidayCalendar {
        HolidayCalendar::from_years([parse_holiday_year(include_str!(
            "../../seed/holidays/2026.toml"
        ))
        .unwrap()])
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn session(text: &str) -> WeeklySession {
        WeeklySession::parse(text).unwrap()
    }

    /// Slots of a single day, with a window that lets everything through.
    fn on(sessions: &[WeeklySession], exceptions: &[DateException], day: &str) -> Vec<Slot> {
        let date = d(day);
        let now = local_instant(date - Duration::days(1), NaiveTime::MIN)
            .unwrap()
            .with_timezone(&Utc);
        slots(
            sessions,
            exceptions,
            &cal(),
            &BookingWindow::default(),
            now,
            date,
            date,
        )
    }

    fn starts(slots: &[Slot]) -> Vec<String> {
        slots
            .iter()
            .map(|s| s.start.format("%m-%d %H:%M").to_string())
            .collect()
    }

    fn weekdays() -> Vec<WeeklySession> {
        vec![session("mon-fri 09:00-10:00 30min x2")]
    }

    fn wed_rota() -> Vec<WeeklySession> {
        vec![session("wed 13:30-14:30 30min x1")]
    }

    #[test]
    fn weekday_open_weekend_closed() {
        let s = on(&weekdays(), &[], "2026-03-03"); // Tuesday
        assert_eq!(starts(&s), ["03-03 09:00", "03-03 09:30"]);
        assert_eq!(s[0].end, at("2026-03-03T09:30:00+08:00"));
        assert_eq!(s[0].capacity, 2);
        assert!(!s[0].youth_only);
        assert!(on(&weekdays(), &[], "2026-03-07").is_empty()); // Saturday
        assert!(on(&weekdays(), &[], "2026-03-08").is_empty()); // Sunday
        assert_eq!(on(&wed_rota(), &[], "2026-03-04").len(), 2);
        assert!(on(&wed_rota(), &[], "2026-03-05").is_empty());
    }

    #[test]
    fn explicit_weekend_sessions_open_on_weekends() {
        let sat = vec![session("sat 10:00-11:00 60min x1")];
        assert_eq!(starts(&on(&sat, &[], "2026-03-07")), ["03-07 10:00"]);
        assert!(on(&sat, &[], "2026-10-03").is_empty(), "a holiday Saturday");
    }

    #[test]
    fn slots_serialise_as_rfc3339_in_shanghai_time() {
        let s = &on(&weekdays(), &[], "2026-03-03")[0];
        let json = serde_json::to_value(s).unwrap();
        assert_eq!(json["start"], "2026-03-03T09:00:00+08:00");
        assert_eq!(json["end"], "2026-03-03T09:30:00+08:00");
        let back: Slot = serde_json::from_value(json).unwrap();
        assert_eq!(&back, s);
        assert_eq!(s.local_date(), d("2026-03-03"));
    }

    #[test]
    fn every_2026_holiday_is_closed() {
        let every_day = vec![session("mon-sun 09:00-10:00 60min x1")];
        for (first, last) in [
            ("2026-01-01", "2026-01-03"),
            ("2026-02-15", "2026-02-23"),
            ("2026-04-04", "2026-04-06"),
            ("2026-05-01", "2026-05-05"),
            ("2026-06-19", "2026-06-21"),
            ("2026-09-25", "2026-09-27"),
            ("2026-10-01", "2026-10-07"),
        ] {
            for day in d(first).iter_days().take_while(|x| *x <= d(last)) {
                let day = day.to_string();
                assert!(on(&weekdays(), &[], &day).is_empty(), "{day}");
                assert!(on(&every_day, &[], &day).is_empty(), "{day}");
            }
        }
        assert_eq!(on(&weekdays(), &[], "2026-10-08").len(), 2);
        assert_eq!(on(&weekdays(), &[], "2026-10-09").len(), 2); // Friday
        assert_eq!(on(&weekdays(), &[], "2026-02-24").len(), 2);
        // the whole National Day week in one call
        let now = utc("2026-09-28T00:00:00Z");
        let week = slots(
            &weekdays(),
            &[],
            &cal(),
            &BookingWindow::default(),
            now,
            d("2026-09-30"),
            d("2026-10-09"),
        );
        let dates: Vec<_> = week.iter().map(Slot::local_date).collect();
        assert_eq!(
            dates,
            [
                d("2026-09-30"),
                d("2026-09-30"),
                d("2026-10-08"),
                d("2026-10-08"),
                d("2026-10-09"),
                d("2026-10-09"),
            ]
        );
    }

    #[test]
    fn make_up_days_open_like_a_weekday_but_not_for_rotas() {
        for day in [
            "2026-01-04", // Sunday
            "2026-02-14", // Saturday
            "2026-02-28", // Saturday
            "2026-05-09", // Saturday
            "2026-09-20", // Sunday
            "2026-10-10", // Saturday
        ] {
            assert_eq!(on(&weekdays(), &[], day).len(), 2, "{day}");
            assert!(on(&wed_rota(), &[], day).is_empty(), "{day}");
            let tue_thu = vec![session("mon-thu 09:00-10:00 30min x1")];
            assert!(on(&tue_thu, &[], day).is_empty(), "{day}");
            let all_week = vec![session("mon-sun 14:00-15:00 30min x1")];
            assert_eq!(on(&all_week, &[], day).len(), 2, "{day}");
        }
        // a session that lists that weekend day opens too
        let sat = vec![session("sat 10:00-11:00 60min x1")];
        assert_eq!(on(&sat, &[], "2026-02-14").len(), 1);
        assert!(on(&sat, &[], "2026-01-04").is_empty()); // a Sunday
    }

    #[test]
    fn year_without_a_file_opens_weekdays_only() {
        assert_eq!(on(&weekdays(), &[], "2027-01-01").len(), 2); // a Friday, no notice
        assert_eq!(on(&weekdays(), &[], "2027-01-04").len(), 2); // Monday
        assert!(on(&weekdays(), &[], "2027-01-02").is_empty()); // Saturday
        assert!(on(&weekdays(), &[], "2027-01-03").is_empty()); // Sunday
        let now = utc("2026-12-25T02:00:00Z");
        let w = BookingWindow::default();
        assert_eq!(
            cal().missing_years(local_date(&now), w.last_day(now)),
            vec![2027]
        );
    }

    #[test]
    fn lead_time_and_horizon_use_shanghai_dates() {
        let w = BookingWindow::default();
        let c = cal();
        // 23:30 on Monday 2 March in Shanghai
        let now = utc("2026-03-02T15:30:00Z");
        assert_eq!(local_date(&now), d("2026-03-02"));
        assert_eq!(w.first_day(now), d("2026-03-03"));
        assert_eq!(w.last_day(now), d("2026-03-16"));
        let all = slots(
            &weekdays(),
            &[],
            &c,
            &w,
            now,
            d("2026-03-01"),
            d("2026-04-30"),
        );
        assert_eq!(all.first().unwrap().start, at("2026-03-03T09:00:00+08:00"));
        assert_eq!(all.last().unwrap().start, at("2026-03-16T09:30:00+08:00"));
        assert_eq!(all.len(), 2 * 10, "ten weekdays 3–16 March");

        // 00:30 on Tuesday 3 March in Shanghai, still Monday in UTC
        let now = utc("2026-03-02T16:30:00Z");
        assert_eq!(now.date_naive(), d("2026-03-02"));
        assert_eq!(local_date(&now), d("2026-03-03"));
        assert_eq!(w.last_day(now), d("2026-03-17"));
        let all = slots(
            &weekdays(),
            &[],
            &c,
            &w,
            now,
            d("2026-03-01"),
            d("2026-04-30"),
        );
        assert_eq!(all.last().unwrap().start, at("2026-03-17T09:30:00+08:00"));

        // two hours' notice: at 07:15 the 09:00 slot is gone, 09:30 is not
        let now = utc("2026-03-03T23:15:00Z"); // 07:15 Wednesday 4 March
        let day = slots(
            &weekdays(),
            &[],
            &c,
            &w,
            now,
            d("2026-03-04"),
            d("2026-03-04"),
        );
        assert_eq!(starts(&day), ["03-04 09:30"]);
        // exactly two hours' notice is enough, one second less is not
        let now = utc("2026-03-03T23:00:00Z"); // 07:00 local
        let day = slots(
            &weekdays(),
            &[],
            &c,
            &w,
            now,
            d("2026-03-04"),
            d("2026-03-04"),
        );
        assert_eq!(day.len(), 2);
        let later = now + Duration::seconds(1);
        let day = slots(
            &weekdays(),
            &[],
            &c,
            &w,
            later,
            d("2026-03-04"),
            d("2026-03-04"),
        );
        assert_eq!(starts(&day), ["03-04 09:30"]);

        // the range outside the window, and from > to
        assert!(slots(
            &weekdays(),
            &[],
            &c,
            &w,
            now,
            d("2026-01-05"),
            d("2026-01-09")
        )
        .is_empty());
        assert!(slots(
            &weekdays(),
            &[],
            &c,
            &w,
            now,
            d("2026-03-10"),
            d("2026-03-09")
        )
        .is_empty());
        let w0 = BookingWindow {
            min_lead: Duration::zero(),
            max_days_ahead: 0,
        };
        let now = utc("2026-03-04T01:10:00Z"); // 09:10 local
        assert_eq!(
            starts(&slots(
                &weekdays(),
                &[],
                &c,
                &w0,
                now,
                d("2026-03-01"),
                d("2026-03-31")
            )),
            ["03-04 09:30"]
        );
    }

    #[test]
    fn closures_and_extras() {
        let closed = |day: &str| DateException {
            date: d(day),
            kind: ExceptionKind::Closed,
        };
        let extra = |day: &str, text: &str| DateException {
            date: d(day),
            kind: ExceptionKind::Extra(ExtraSession::parse(text).unwrap()),
        };
        // a closure closes the whole day, and only that day
        let ex = [closed("2026-03-03")];
        assert!(on(&weekdays(), &ex, "2026-03-03").is_empty());
        assert_eq!(on(&weekdays(), &ex, "2026-03-04").len(), 2);
        // an extra session opens even on a holiday and a weekend
        let ex = [extra("2026-10-02", "10:00-11:00 30min x3")];
        let s = on(&weekdays(), &ex, "2026-10-02");
        assert_eq!(starts(&s), ["10-02 10:00", "10-02 10:30"]);
        assert_eq!(s[0].capacity, 3);
        let ex = [extra("2026-03-07", "10:00-11:00 60min x1")];
        assert_eq!(on(&weekdays(), &ex, "2026-03-07").len(), 1);
        // closed + extra: the weekly slots go, the extra ones stay
        let ex = [
            closed("2026-03-03"),
            extra("2026-03-03", "14:00-15:00 60min x1"),
        ];
        assert_eq!(starts(&on(&weekdays(), &ex, "2026-03-03")), ["03-03 14:00"]);
        // an extra slot with the same start replaces the weekly one; others are kept
        let ex = [extra("2026-03-03", "09:30-10:30 30min x5 youth")];
        let s = on(&weekdays(), &ex, "2026-03-03");
        assert_eq!(starts(&s), ["03-03 09:00", "03-03 09:30", "03-03 10:00"]);
        assert_eq!((s[0].capacity, s[0].youth_only), (2, false));
        assert_eq!((s[1].capacity, s[1].youth_only), (5, true));
        // overlapping but differently-timed slots are both kept
        let ex = [extra("2026-03-03", "09:15-09:45 30min x1")];
        assert_eq!(
            starts(&on(&weekdays(), &ex, "2026-03-03")),
            ["03-03 09:00", "03-03 09:15", "03-03 09:30"]
        );
        // two extras with the same start: the first one listed wins
        let ex = [
            extra("2026-03-07", "10:00-11:00 60min x1"),
            extra("2026-03-07", "10:00-10:30 30min x4"),
        ];
        let s = on(&weekdays(), &ex, "2026-03-07");
        assert_eq!(starts(&s), ["03-07 10:00"]);
        assert_eq!(
            (s[0].capacity, s[0].end),
            (1, at("2026-03-07T11:00:00+08:00"))
        );
        // exceptions of other dates change nothing
        let ex = [
            closed("2026-03-04"),
            extra("2026-03-04", "14:00-15:00 60min x1"),
        ];
        assert_eq!(
            on(&weekdays(), &ex, "2026-03-03"),
            on(&weekdays(), &[], "2026-03-03")
        );
    }

    #[test]
    fn youth_flag_is_carried() {
        let psych = vec![
            session("tue 13:30-15:30 60min x1"),
            session("fri 13:30-15:30 60min x1 youth"),
        ];
        let tue = on(&psych, &[], "2026-03-03");
        let fri = on(&psych, &[], "2026-03-06");
        assert_eq!(tue.len(), 2);
        assert_eq!(fri.len(), 2);
        assert!(tue.iter().all(|s| !s.youth_only));
        assert!(fri.iter().all(|s| s.youth_only));
    }

    #[test]
    fn duplicate_weekly_starts_keep_the_first_session() {
        let two = vec![
            session("mon-fri 09:00-10:00 30min x2"),
            session("tue 09:00-10:00 60min x1 youth"),
        ];
        let s = on(&two, &[], "2026-03-03");
        assert_eq!(starts(&s), ["03-03 09:00", "03-03 09:30"]);
        assert_eq!(s[0].capacity, 2);
    }

    #[test]
    fn partial_last_slot_is_dropped() {
        let odd = vec![WeeklySession {
            end: NaiveTime::from_hms_opt(10, 10, 0).unwrap(),
            ..session("mon-fri 09:00-10:00 30min x2")
        }];
        assert_eq!(on(&odd, &[], "2026-03-03").len(), 2);
        let zero = vec![WeeklySession {
            slot_minutes: 0,
            ..session("mon-fri 09:00-10:00 30min x2")
        }];
        assert!(on(&zero, &[], "2026-03-03").is_empty());
    }

    #[test]
    fn find_slot_checks_a_requested_start() {
        let c = cal();
        let w = BookingWindow::default();
        let now = utc("2026-03-02T15:30:00Z");
        let find = |start: &str| find_slot(&weekdays(), &[], &c, &w, now, &at(start));
        let s = find("2026-03-03T09:30:00+08:00").unwrap();
        assert_eq!(s.end, at("2026-03-03T10:00:00+08:00"));
        // the same instant written in UTC is the same slot
        assert_eq!(find("2026-03-03T01:30:00+00:00"), Some(s));
        assert_eq!(
            find("2026-03-03T09:15:00+08:00"),
            None,
            "not a slot boundary"
        );
        assert_eq!(find("2026-03-03T10:00:00+08:00"), None, "after the session");
        assert_eq!(find("2026-03-07T09:00:00+08:00"), None, "Saturday");
        assert_eq!(find("2026-03-17T09:00:00+08:00"), None, "beyond 14 days");
        assert!(find("2026-03-16T09:00:00+08:00").is_some(), "day 14");
        let now = utc("2026-03-03T00:00:00Z"); // 08:00 local
        assert_eq!(
            find_slot(
                &weekdays(),
                &[],
                &c,
                &w,
                now,
                &at("2026-03-03T09:30:00+08:00")
            ),
            None,
            "less than two hours ahead"
        );
    }

    #[test]
    fn extra_sessions_parse_and_display() {
        for text in ["09:00-11:30 30min x2", "13:30-16:30 60min x1 youth"] {
            let x = ExtraSession::parse(text).unwrap();
            assert_eq!(x.to_string(), text);
        }
        assert!(matches!(
            ExtraSession::parse("09:00-11:30 40min x2"),
            Err(ScheduleError::NotWholeSlots { .. })
        ));
        let e = DateException {
            date: d("2026-03-07"),
            kind: ExceptionKind::Extra(ExtraSession::parse("09:00-10:00 30min x2").unwrap()),
        };
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["kind"]["kind"], "extra");
        assert_eq!(serde_json::from_value::<DateException>(json).unwrap(), e);
        let json = serde_json::to_value(ExceptionKind::Closed).unwrap();
        assert_eq!(json, serde_json::json!({"kind": "closed"}));
    }

    mod props {
        use super::*;
        use crate::WeekdaySet;
        use proptest::prelude::*;

        fn time(minutes: u32) -> NaiveTime {
            NaiveTime::from_hms_opt(minutes / 60, minutes % 60, 0).unwrap()
        }

        fn weekly() -> impl Strategy<Value = WeeklySession> {
            (
                1u8..128,
                (6 * 12u32..16 * 12).prop_map(|f| f * 5),
                prop::sample::select(vec![10u16, 15, 20, 30, 45, 60]),
                1u32..6,
                0u32..3,
                1u16..5,
                any::<bool>(),
            )
                .prop_map(|(bits, start, len, n, spare, capacity, youth)| {
                    WeeklySession {
                        days: WeekdaySet::from_bits(bits),
                        start: time(start),
                        // sometimes a partial last slot
                        end: time(start + n * u32::from(len) + spare * 5),
                        slot_minutes: len,
                        capacity,
                        youth_only: youth,
                    }
                })
        }

        fn exception() -> impl Strategy<Value = DateException> {
            (0i64..400, any::<bool>(), weekly()).prop_map(|(day, closed, w)| DateException {
                date: d("2026-01-01") + Duration::days(day),
                kind: if closed {
                    ExceptionKind::Closed
                } else {
                    ExceptionKind::Extra(ExtraSession {
                        start: w.start,
                        end: w.end,
                        slot_minutes: w.slot_minutes,
                        capacity: w.capacity,
                        youth_only: w.youth_only,
                    })
                },
            })
        }

        /// Whether `slot` starts on a boundary of a session running start..end by `len`.
        fn on_boundary(slot: &Slot, start: NaiveTime, end: NaiveTime, len: u16) -> bool {
            let t = to_local(&slot.start).time();
            let off = (t - start).num_minutes();
            let local_end = to_local(&slot.end).time();
            t >= start
                && off % i64::from(len) == 0
                && local_end <= end
                && slot.end - slot.start == Duration::minutes(len.into())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(300))]

            #[test]
            fn slots_respect_every_rule(
                sessions in prop::collection::vec(weekly(), 0..4),
                exceptions in prop::collection::vec(exception(), 0..30),
                lead_minutes in 0i64..(3 * 24 * 60),
                max_days in 0u32..30,
                now_secs in 0i64..(400 * 86_400),
                from_off in -5i64..25,
                span in 0i64..35,
            ) {
                let calendar = cal();
                let window = BookingWindow {
                    min_lead: Duration::minutes(lead_minutes),
                    max_days_ahead: max_days,
                };
                let now = utc("2025-12-25T00:00:00Z") + Duration::seconds(now_secs);
                let today = local_date(&now);
                let from = today + Duration::days(from_off);
                let to = from + Duration::days(span);
                let got = slots(&sessions, &exceptions, &calendar, &window, now, from, to);

                for pair in got.windows(2) {
                    prop_assert!(pair[0].start < pair[1].start, "sorted and unique");
                }
                for s in &got {
                    let date = s.local_date();
                    prop_assert_eq!(s.start.offset().local_minus_utc(), 8 * 3600);
                    prop_assert!(from <= date && date <= to);
                    prop_assert!(s.start >= now + window.min_lead);
                    prop_assert!(date <= today + Duration::days(max_days.into()));
                    prop_assert!(s.capacity >= 1);

                    let kind = calendar.day(date);
                    let extras: Vec<&ExtraSession> = exceptions
                        .iter()
                        .filter(|e| e.date == date)
                        .filter_map(|e| match &e.kind {
                            ExceptionKind::Extra(x) => Some(x),
                            ExceptionKind::Closed => None,
                        })
                        .collect();
                    let from_extra = extras.iter().any(|x| {
                        on_boundary(s, x.start, x.end, x.slot_minutes)
                            && s.capacity == x.capacity
                            && s.youth_only == x.youth_only
                    });
                    let closed = exceptions
                        .iter()
                        .any(|e| e.date == date && e.kind == ExceptionKind::Closed);
                    let from_weekly = !closed
                        && sessions.iter().any(|w| {
                            session_opens(w, date, &kind)
                                && on_boundary(s, w.start, w.end, w.slot_minutes)
                                && s.capacity == w.capacity
                                && s.youth_only == w.youth_only
                        });
                    prop_assert!(from_extra || from_weekly, "{s:?} has no source");
                    if matches!(kind, DayKind::Holiday { .. }) {
                        prop_assert!(from_extra, "{s:?} on a holiday");
                    }
                    prop_assert_eq!(
                        find_slot(&sessions, &exceptions, &calendar, &window, now, &s.start),
                        Some(s.clone())
                    );
                }

                // nothing is lost: every boundary of an open weekly session inside the
                // window is offered (by that session, or by an extra with the same start)
                for date in from.iter_days().take_while(|x| *x <= to) {
                    if exceptions.iter().any(|e| e.date == date) {
                        continue;
                    }
                    let kind = calendar.day(date);
                    for w in sessions.iter().filter(|w| session_opens(w, date, &kind)) {
                        for (_, slot) in cut(date, w.start, w.end, w.slot_minutes, w.capacity, w.youth_only) {
                            if window.contains(now, &slot.start) {
                                prop_assert!(
                                    got.iter().any(|g| g.start == slot.start),
                                    "missing {:?}", slot
                                );
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A booking, as a schedule change sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldSlot {
    pub booking_id: i64,
    pub start: DateTime<FixedOffset>,
    pub end: DateTime<FixedOffset>,
}

/// The bookings (ids) that new weekly rules and exceptions would leave without a seat: their
/// slot no longer exists (or has other times), or it keeps fewer seats than are booked, in
/// which case the bookings given last lose theirs. `held` comes oldest booking first.
pub fn displaced_by_change(
    sessions: &[WeeklySession],
    exceptions: &[DateException],
    calendar: &HolidayCalendar,
    held: &[HeldSlot],
) -> Vec<i64> {
    let mut out = Vec::new();
    let mut days: BTreeMap<NaiveDate, Vec<Slot>> = BTreeMap::new();
    let mut taken: BTreeMap<DateTime<FixedOffset>, u16> = BTreeMap::new();
    for h in held {
        let date = local_date(&h.start);
        let slots = days
            .entry(date)
            .or_insert_with(|| day_slots(sessions, exceptions, calendar, date));
        match slots.iter().find(|s| s.start == h.start && s.end == h.end) {
            Some(slot) => {
                let n = taken.entry(h.start).or_insert(0);
                if *n < slot.capacity {
                    *n += 1;
                } else {
                    out.push(h.booking_id);
                }
            }
            None => out.push(h.booking_id),
        }
    }
    out
}

#[cfg(test)]
mod change_tests {
    use super::*;
    use chrono::TimeZone;

    fn at(d: u32, h: u32, m: u32) -> DateTime<FixedOffset> {
        FixedOffset::east_opt(8 * 3600)
            .unwrap()
            .with_ymd_and_hms(2026, 12, d, h, m, 0)
            .unwrap()
    }

    fn held(id: i64, d: u32, h: u32, m: u32) -> HeldSlot {
        HeldSlot {
            booking_id: id,
            start: at(d, h, m),
            end: at(d, h, m) + Duration::minutes(30),
        }
    }

    #[test]
    fn a_change_lists_exactly_the_bookings_it_would_drop() {
        let cal = HolidayCalendar::new();
        // Monday 7 and Tuesday 8 December 2026
        let bookings = [
            held(1, 7, 9, 0),
            held(2, 7, 9, 0),
            held(3, 8, 9, 0),
            held(4, 7, 10, 0),
        ];
        let same = [WeeklySession::parse("mon-fri 09:00-11:00 30min x2").unwrap()];
        assert!(displaced_by_change(&same, &[], &cal, &bookings).is_empty());
        // Mondays dropped: the Monday bookings go, Tuesday's stays
        let no_monday = [WeeklySession::parse("tue-fri 09:00-11:00 30min x2").unwrap()];
        assert_eq!(
            displaced_by_change(&no_monday, &[], &cal, &bookings),
            [1, 2, 4]
        );
        // one seat a slot: the later of the two 09:00 Monday bookings goes
        let one_seat = [WeeklySession::parse("mon-fri 09:00-11:00 30min x1").unwrap()];
        assert_eq!(displaced_by_change(&one_seat, &[], &cal, &bookings), [2]);
        // hour-long slots: a 30-minute booking no longer matches
        let hours = [WeeklySession::parse("mon-fri 09:00-11:00 60min x2").unwrap()];
        assert_eq!(
            displaced_by_change(&hours, &[], &cal, &bookings),
            [1, 2, 3, 4]
        );
        // closing Tuesday
        let closed = [DateException {
            date: NaiveDate::from_ymd_opt(2026, 12, 8).unwrap(),
            kind: ExceptionKind::Closed,
        }];
        assert_eq!(displaced_by_change(&same, &closed, &cal, &bookings), [3]);
    }
}

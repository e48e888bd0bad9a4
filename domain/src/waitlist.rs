//! The waiting list: residents who found no free seat join a place's list for a service, a
//! range of dates and a part of day; when a seat frees, the first matching entry is offered
//! it and the seat is held for them for a while. Pure rules: the store applies them inside the
//! transaction that frees the seat, so a held seat counts as taken from that moment on.
//!
//! An entry's life:
//!
//! ```text
//! Waiting ──offer──▶ Offered{slot, until} ──confirm (before until)──▶ Booked
//!    │                    │  ├──decline──────────▶ Declined
//!    │                    │  ├──expire (at until)─▶ Expired
//!    │                    │  ├──leave────────────▶ Left
//!    │                    │  └──withdraw─────────▶ Waiting   (the office took the slot away)
//!    ├──leave──▶ Left
//!    └──lapse (its last date has passed)──▶ Lapsed
//! ```
//!
//! A declined or expired offer ends the entry, and the seat passes to the next in line (the
//! store runs [`first_match`] again for the same seat). Why it does not return to the queue:
//! - an entry gets at most one offer in its life, so no memory of which slots someone turned
//!   down is needed, a seat can never bounce back to someone who let it go, and "offered"
//!   counts entries, not attempts;
//! - someone who does not answer within the hold would otherwise stay first in line and hold
//!   every following seat for nobody, while those behind wait and the seats drift past the
//!   booking lead time;
//! - the resident asked for "any morning from 3 to 10 March" and got one: if it no longer
//!   suits, their wish has changed, and joining again (one click on the page) says it anew.
//!
//! The one way back to `Waiting` is [`Step::Withdraw`]: the office took the offered slot away
//! (a schedule change or closure), which is nobody's doing of the resident's, so they keep
//! their place in line.

use crate::booking::{check_fairness, check_youth, FairnessLimits, FieldError, MobilePhone};
use crate::slots::{local_date, to_local, BookingWindow, Slot};
use crate::{Lang, LocationId, ServiceCode};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The hold when `PORTAL_WAITLIST_HOLD_MINUTES` is not set.
pub const DEFAULT_HOLD_MINUTES: i64 = 30;

/// [`DEFAULT_HOLD_MINUTES`] as a duration.
pub fn default_hold() -> Duration {
    Duration::minutes(DEFAULT_HOLD_MINUTES)
}

// ---- part of day --------------------------------------------------------------------------

/// Where the morning ends, Asia/Shanghai. The district's sessions run 09:00–11:30 and
/// 13:30–16:30 (a Saturday one 10:00–12:00), so noon falls between them; a slot belongs to
/// the part of day it *starts* in, as residents read a slot by its start time.
pub const NOON: NaiveTime = match NaiveTime::from_hms_opt(12, 0, 0) {
    Some(t) => t,
    None => panic!("12:00 is a time"),
};

/// The part of day a resident can wait for. Codes are an API and database contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartOfDay {
    /// Slots starting before 12:00 Shanghai time.
    Morning,
    /// Slots starting at 12:00 Shanghai time or later (evening sessions too).
    Afternoon,
    Any,
}

impl PartOfDay {
    pub const ALL: [PartOfDay; 3] = [PartOfDay::Morning, PartOfDay::Afternoon, PartOfDay::Any];

    pub const fn code(self) -> &'static str {
        match self {
            PartOfDay::Morning => "morning",
            PartOfDay::Afternoon => "afternoon",
            PartOfDay::Any => "any",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        let code = code.trim();
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    pub const fn label_zh(self) -> &'static str {
        match self {
            PartOfDay::Morning => "上午",
            PartOfDay::Afternoon => "下午",
            PartOfDay::Any => "上午下午均可",
        }
    }

    pub const fn label_en(self) -> &'static str {
        match self {
            PartOfDay::Morning => "Morning",
            PartOfDay::Afternoon => "Afternoon",
            PartOfDay::Any => "Morning or afternoon",
        }
    }

    /// The part of day a slot starting at `start` is in: `Morning` or `Afternoon`.
    pub fn of_start(start: &DateTime<FixedOffset>) -> PartOfDay {
        if to_local(start).time() < NOON {
            PartOfDay::Morning
        } else {
            PartOfDay::Afternoon
        }
    }

    /// Whether a slot starting at `start` suits a resident who asked for `self`.
    pub fn fits(self, start: &DateTime<FixedOffset>) -> bool {
        self == PartOfDay::Any || self == PartOfDay::of_start(start)
    }
}

impl fmt::Display for PartOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

// ---- joining ------------------------------------------------------------------------------

/// What a resident sends to join a list, as typed (dates `YYYY-MM-DD`). The place and the
/// service come from the page's address; the caller checks that the place offers the service
/// by slot (404 otherwise). The phone has been verified by code before this is stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinForm {
    pub phone: String,
    pub from: String,
    pub to: String,
    pub part_of_day: String,
    /// Declared under 18: may be offered a youth-only slot (and only then).
    #[serde(default)]
    pub youth: bool,
}

/// A checked [`JoinForm`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinRequest {
    pub phone: MobilePhone,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub part: PartOfDay,
    pub youth: bool,
}

fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

impl JoinForm {
    /// Checks every field and reports every problem (phone, from, to, part_of_day):
    /// - dates must be real dates;
    /// - `from` not before today (Shanghai);
    /// - `to` not after the last bookable day ([`BookingWindow::last_day`]): the list cannot
    ///   promise dates nobody can book yet;
    /// - `from` ≤ `to` (reported on `to`).
    pub fn check(
        &self,
        window: &BookingWindow,
        now: DateTime<Utc>,
    ) -> Result<JoinRequest, Vec<FieldError>> {
        let today = local_date(&now);
        let last = window.last_day(now);
        let mut errors = Vec::new();
        let phone = MobilePhone::parse(&self.phone)
            .map_err(|e| errors.push(e))
            .ok();
        let read = |text: &str| NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
        let from = match read(&self.from) {
            None => {
                errors.push(FieldError::new(
                    "from",
                    format!("请选择开始日期，例如 {}", date_text(today)),
                    format!("Choose the first date, for example {}", date_text(today)),
                ));
                None
            }
            Some(d) if d < today => {
                errors.push(FieldError::new(
                    "from",
                    format!("开始日期不能早于今天（{}）", date_text(today)),
                    format!(
                        "The first date cannot be before today ({})",
                        date_text(today)
                    ),
                ));
                None
            }
            Some(d) => Some(d),
        };
        let to = match read(&self.to) {
            None => {
                errors.push(FieldError::new(
                    "to",
                    format!("请选择结束日期，例如 {}", date_text(last)),
                    format!("Choose the last date, for example {}", date_text(last)),
                ));
                None
            }
            Some(d) if d > last => {
                errors.push(FieldError::new(
                    "to",
                    format!(
                        "目前最远可以预约到 {}，结束日期请不要晚于这一天",
                        date_text(last)
                    ),
                    format!(
                        "Bookings are open up to {} at the latest; choose a last date no later \
                         than that",
                        date_text(last)
                    ),
                ));
                None
            }
            Some(d) => Some(d),
        };
        if let (Some(f), Some(t)) = (from, to) {
            if f > t {
                errors.push(FieldError::new(
                    "to",
                    "结束日期不能早于开始日期",
                    "The last date cannot be before the first date",
                ));
            }
        }
        let part = PartOfDay::parse(&self.part_of_day);
        if part.is_none() {
            errors.push(FieldError::new(
                "part_of_day",
                "请选择上午、下午或上午下午均可",
                "Choose morning, afternoon or either",
            ));
        }
        match (phone, from, to, part) {
            (Some(phone), Some(from), Some(to), Some(part)) if errors.is_empty() => {
                Ok(JoinRequest {
                    phone,
                    from,
                    to,
                    part,
                    youth: self.youth,
                })
            }
            _ => Err(errors),
        }
    }
}

// ---- entries and their states -------------------------------------------------------------

/// Stable id of an entry (the store's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EntryId(pub i64);

/// A seat held for an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub slot: Slot,
    /// The hold ends at this instant: confirming is refused from then on.
    pub until: DateTime<Utc>,
}

impl Offer {
    /// Whether the hold is over at `now` (it is at exactly `until`).
    pub fn is_over(&self, now: DateTime<Utc>) -> bool {
        now >= self.until
    }
}

/// Where an entry is. `code()` strings are an API and database contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum EntryState {
    /// In line.
    Waiting,
    /// A seat is held for the resident until `until`.
    Offered(Offer),
    /// The offer was confirmed and became a booking. Ends the entry.
    Booked,
    /// The resident turned the offer down. Ends the entry; the seat passed on.
    Declined,
    /// The hold ran out unanswered. Ends the entry; the seat passed on.
    Expired,
    /// The resident left the list (if holding an offer, the seat passed on).
    Left,
    /// The last date of the range passed without an offer.
    Lapsed,
}

impl EntryState {
    pub const fn code(&self) -> &'static str {
        match self {
            EntryState::Waiting => "waiting",
            EntryState::Offered(_) => "offered",
            EntryState::Booked => "booked",
            EntryState::Declined => "declined",
            EntryState::Expired => "expired",
            EntryState::Left => "left",
            EntryState::Lapsed => "lapsed",
        }
    }

    pub const fn label_zh(&self) -> &'static str {
        match self {
            EntryState::Waiting => "候补中",
            EntryState::Offered(_) => "已为您保留名额，待确认",
            EntryState::Booked => "已转为预约",
            EntryState::Declined => "已放弃保留的名额",
            EntryState::Expired => "逾期未确认",
            EntryState::Left => "已退出候补",
            EntryState::Lapsed => "候补日期已过",
        }
    }

    pub const fn label_en(&self) -> &'static str {
        match self {
            EntryState::Waiting => "Waiting",
            EntryState::Offered(_) => "Seat held for you: please confirm",
            EntryState::Booked => "Booked",
            EntryState::Declined => "Offer declined",
            EntryState::Expired => "Offer not confirmed in time",
            EntryState::Left => "Left the list",
            EntryState::Lapsed => "Dates passed",
        }
    }

    /// Still on the list (waiting or holding an offer): shown under "my bookings" with a
    /// button to leave.
    pub const fn is_open(&self) -> bool {
        matches!(self, EntryState::Waiting | EntryState::Offered(_))
    }

    /// The held seat, if any.
    pub const fn offer(&self) -> Option<&Offer> {
        match self {
            EntryState::Offered(o) => Some(o),
            _ => None,
        }
    }
}

/// One resident's wish on a place's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: EntryId,
    pub place: LocationId,
    pub service: ServiceCode,
    pub phone: MobilePhone,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub part: PartOfDay,
    pub youth: bool,
    /// Join order is `(joined_at, id)`.
    pub joined_at: DateTime<Utc>,
    pub state: EntryState,
}

impl Entry {
    /// A new entry, waiting.
    pub fn join(
        id: EntryId,
        place: LocationId,
        service: ServiceCode,
        request: JoinRequest,
        now: DateTime<Utc>,
    ) -> Entry {
        Entry {
            id,
            place,
            service,
            phone: request.phone,
            from: request.from,
            to: request.to,
            part: request.part,
            youth: request.youth,
            joined_at: now,
            state: EntryState::Waiting,
        }
    }

    /// Whether the slot `slot` of `place`/`service` is one this entry waits for: same place and
    /// service, its Shanghai date in the range, its start in the part of day, and not
    /// youth-only unless the resident declared being under 18. The entry's state is not
    /// looked at.
    pub fn wants(&self, place: LocationId, service: ServiceCode, slot: &Slot) -> bool {
        let date = slot.local_date();
        self.place == place
            && self.service == service
            && self.from <= date
            && date <= self.to
            && self.part.fits(&slot.start)
            && check_youth(slot.youth_only, self.youth).is_ok()
    }

    /// The state after `step` at `now`, or why not.
    pub fn next(&self, step: Step, now: DateTime<Utc>) -> Result<EntryState, WaitError> {
        use EntryState as S;
        match (&self.state, step) {
            (S::Waiting, Step::Offer(offer)) => {
                if offer.is_over(now) {
                    Err(WaitError::HoldOver)
                } else {
                    Ok(S::Offered(offer))
                }
            }
            (S::Offered(_), Step::Offer(_)) => Err(WaitError::AlreadyOffered),
            (S::Offered(o), Step::Confirm) => {
                if o.is_over(now) {
                    Err(WaitError::HoldOver)
                } else {
                    Ok(S::Booked)
                }
            }
            // a resident may say no even after the hold ran out (the page was open): it ends
            // the same way, counted as declined only while the seat was still theirs
            (S::Offered(o), Step::Decline) => Ok(if o.is_over(now) {
                S::Expired
            } else {
                S::Declined
            }),
            (S::Offered(o), Step::Expire) => {
                if o.is_over(now) {
                    Ok(S::Expired)
                } else {
                    Err(WaitError::HoldNotOver)
                }
            }
            (S::Offered(_), Step::Withdraw) => Ok(S::Waiting),
            (S::Waiting | S::Offered(_), Step::Leave) => Ok(S::Left),
            (S::Waiting, Step::Lapse) => {
                if local_date(&now) > self.to {
                    Ok(S::Lapsed)
                } else {
                    Err(WaitError::DatesNotPassed)
                }
            }
            (S::Waiting, Step::Confirm | Step::Decline | Step::Expire | Step::Withdraw) => {
                Err(WaitError::NoOffer)
            }
            // an offered entry lapses only through its offer (expire or confirm)
            (S::Offered(_), Step::Lapse) => Err(WaitError::DatesNotPassed),
            (closed, _) => Err(WaitError::Closed(closed.code())),
        }
    }

    /// [`next`](Self::next), applied.
    pub fn apply(&mut self, step: Step, now: DateTime<Utc>) -> Result<(), WaitError> {
        self.state = self.next(step, now)?;
        Ok(())
    }
}

/// What can happen to an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Hold a freed seat for the entry ([`first_match`] picks whom).
    Offer(Offer),
    /// The resident takes the held seat: the store books it under the booking rules.
    Confirm,
    /// The resident turns the held seat down.
    Decline,
    /// The hold ran out (the store's sweep, or whoever touches the entry first after `until`).
    Expire,
    /// The office took the held slot away (schedule change, closure): back in line.
    Withdraw,
    /// The resident leaves the list.
    Leave,
    /// The range's last date has passed (the store's sweep).
    Lapse,
}

impl Step {
    pub const fn code(&self) -> &'static str {
        match self {
            Step::Offer(_) => "offer",
            Step::Confirm => "confirm",
            Step::Decline => "decline",
            Step::Expire => "expire",
            Step::Withdraw => "withdraw",
            Step::Leave => "leave",
            Step::Lapse => "lapse",
        }
    }
}

/// Why a step is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WaitError {
    #[error("这条候补已结束，如仍需要，请重新登记候补")]
    Closed(&'static str),
    #[error("目前没有为您保留的名额")]
    NoOffer,
    #[error("已经为这条候补保留了名额，请先确认或放弃")]
    AlreadyOffered,
    #[error("保留时间已过，名额已让给下一位；如仍需要，请重新登记候补")]
    HoldOver,
    #[error("保留时间还没有到")]
    HoldNotOver,
    #[error("候补日期还没有过去")]
    DatesNotPassed,
    #[error("您已登记过这里这项服务在这些日期的候补，请在“我的预约”中查看")]
    AlreadyWaiting,
}

impl WaitError {
    /// The message in `lang`: the Chinese text is the `Display` one.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::ZhCn => self.to_string(),
            Lang::En => match self {
                WaitError::Closed(_) => {
                    "This waiting-list entry has ended; if you still need a seat, please join \
                     the list again"
                }
                WaitError::NoOffer => "No seat is being held for you at the moment",
                WaitError::AlreadyOffered => {
                    "A seat is already held for this entry; please confirm or decline it first"
                }
                WaitError::HoldOver => {
                    "The time to confirm has passed and the seat went to the next person; if \
                     you still need one, please join the list again"
                }
                WaitError::HoldNotOver => "The seat is still held",
                WaitError::DatesNotPassed => "The dates of this entry have not passed yet",
                WaitError::AlreadyWaiting => {
                    "You are already on this list for these dates; see \"My bookings\""
                }
            }
            .to_string(),
        }
    }
}

/// The open entry that makes a join a duplicate: same phone, place and service, dates
/// overlapping. The caller refuses with [`WaitError::AlreadyWaiting`]. (Different parts of
/// day count as duplicates too: the resident changes the entry by leaving and joining again.)
pub fn already_waiting<'a>(
    entries: &'a [Entry],
    place: LocationId,
    service: ServiceCode,
    request: &JoinRequest,
) -> Option<&'a Entry> {
    entries.iter().find(|e| {
        e.state.is_open()
            && e.phone == request.phone
            && e.place == place
            && e.service == service
            && e.from <= request.to
            && request.from <= e.to
    })
}

// ---- matching -----------------------------------------------------------------------------

/// The rules an offer follows: the booking rules a confirmation must pass, and the hold
/// (`PORTAL_WAITLIST_HOLD_MINUTES`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HoldRules {
    pub limits: FairnessLimits,
    pub window: BookingWindow,
    pub hold: Duration,
}

impl Default for HoldRules {
    /// The booking defaults and a 30-minute hold.
    fn default() -> Self {
        HoldRules {
            limits: FairnessLimits::default(),
            window: BookingWindow::default(),
            hold: default_hold(),
        }
    }
}

/// A seat that has just come free (a cancellation, a reschedule, a no-show release, a
/// schedule change, a declined or expired offer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FreedSeat {
    pub place: LocationId,
    pub service: ServiceCode,
    pub slot: Slot,
}

/// An active (unfinished) booking of a resident, by phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveBooking {
    pub phone: MobilePhone,
    pub start: DateTime<FixedOffset>,
    pub end: DateTime<FixedOffset>,
}

/// When a hold for a seat freed at `now` ends: `now + hold`, but no later than the last
/// instant the slot may still be booked (`start - window.min_lead`), so that confirming
/// in time always passes the booking rules. `None` when that leaves no time at all.
pub fn hold_until(
    now: DateTime<Utc>,
    slot_start: &DateTime<FixedOffset>,
    hold: Duration,
    window: &BookingWindow,
) -> Option<DateTime<Utc>> {
    let last = slot_start.with_timezone(&Utc) - window.min_lead;
    let until = (now + hold).min(last);
    (until > now).then_some(until)
}

/// Whom a freed seat goes to at `now`: among the entries
/// (any order; the earliest `(joined_at, id)` wins), the first that
/// - is waiting (not holding an offer, not ended),
/// - [wants](Entry::wants) the slot (place, service, date in range, part of day, youth),
/// - belongs to a phone that could book it: under the booking rules against the phone's
///   active bookings *and the seats already held for it* elsewhere, neither overlapping the
///   slot nor at the per-phone cap (an offer the resident could not confirm would only hold
///   the seat for nobody).
///
/// `None` when nobody matches, or the slot can no longer be booked at `now` (outside the
/// booking window, or no time left to hold it): the seat is then simply free. Entries of
/// other places and services may be passed too; they never match.
pub fn first_match<'a>(
    seat: &FreedSeat,
    entries: &'a [Entry],
    active: &[ActiveBooking],
    rules: &HoldRules,
    now: DateTime<Utc>,
) -> Option<(&'a Entry, Offer)> {
    let slot = &seat.slot;
    if !rules.window.contains(now, &slot.start) {
        return None;
    }
    let until = hold_until(now, &slot.start, rules.hold, &rules.window)?;
    let offer = Offer {
        slot: slot.clone(),
        until,
    };
    entries
        .iter()
        .filter(|e| e.state == EntryState::Waiting && e.wants(seat.place, seat.service, slot))
        .filter(|e| {
            let mut taken: Vec<(DateTime<FixedOffset>, DateTime<FixedOffset>)> = active
                .iter()
                .filter(|b| b.phone == e.phone)
                .map(|b| (b.start, b.end))
                .collect();
            taken.extend(
                entries
                    .iter()
                    .filter(|o| o.phone == e.phone)
                    .filter_map(|o| o.state.offer())
                    .filter(|o| !o.is_over(now))
                    .map(|o| (o.slot.start, o.slot.end)),
            );
            check_fairness(&taken, (slot.start, slot.end), &rules.limits).is_ok()
        })
        .min_by_key(|e| (e.joined_at, e.id))
        .map(|e| (e, offer))
}

/// Offers a freed seat to [`first_match`]'s entry, in place; returns whom and the offer.
pub fn offer_seat(
    seat: &FreedSeat,
    entries: &mut [Entry],
    active: &[ActiveBooking],
    rules: &HoldRules,
    now: DateTime<Utc>,
) -> Option<(EntryId, Offer)> {
    let (id, offer) = first_match(seat, entries, active, rules, now).map(|(e, o)| (e.id, o))?;
    let entry = entries.iter_mut().find(|e| e.id == id)?;
    entry.apply(Step::Offer(offer.clone()), now).ok()?;
    Some((id, offer))
}

/// Ends every offer whose hold is over at `now` (state `Expired`), in place, and returns the
/// seats they held, the earliest hold end first, each with the entry that let it go, for the
/// caller to pass on with [`offer_seat`].
pub fn expire_holds(entries: &mut [Entry], now: DateTime<Utc>) -> Vec<(EntryId, FreedSeat)> {
    let mut freed = Vec::new();
    for e in entries.iter_mut() {
        if let Some(offer) = e.state.offer().cloned() {
            if offer.is_over(now) && e.apply(Step::Expire, now).is_ok() {
                freed.push((
                    offer.until,
                    e.id,
                    FreedSeat {
                        place: e.place,
                        service: e.service,
                        slot: offer.slot,
                    },
                ));
            }
        }
    }
    freed.sort_by_key(|(until, id, _)| (*until, *id));
    freed.into_iter().map(|(_, id, seat)| (id, seat)).collect()
}

/// The SMS offering a seat. `title` is the booking's public title (never a confidential
/// service's name; the caller passes the same title as for booking messages), `link` the
/// page to confirm on.
pub fn offer_text(title: &str, place: &str, offer: &Offer, link: &str, lang: Lang) -> String {
    let start = to_local(&offer.slot.start);
    let until = to_local(&offer.until);
    match lang {
        Lang::ZhCn => format!(
            "【区公共法律服务】您候补的{title}有空位了：{}，{place}。名额为您保留到 {}，请在此之前确认：{link}。逾期将让给下一位。",
            start.format("%-m月%-d日 %H:%M"),
            until.format("%H:%M"),
        ),
        Lang::En => format!(
            "[District Public Legal Services] A seat you waited for is free: {title}, {}, \
             {place}. It is held for you until {}; please confirm before then: {link}. After \
             that it goes to the next person.",
            start.format("%a %-d %b %H:%M"),
            until.format("%H:%M"),
        ),
    }
}

// ---- statistics ---------------------------------------------------------------------------

/// Waiting-list figures of one place and service over some dates (by the date each thing
/// happened). Tallies add up with [`merge`](Self::merge).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitlistTally {
    /// Entries created.
    pub joined: u64,
    /// Offers made (one per entry at most, but a withdrawn offer and a later one count twice).
    pub offered: u64,
    /// Offers confirmed into bookings.
    pub taken: u64,
    /// Offers that ran out unanswered.
    pub expired: u64,
}

impl WaitlistTally {
    /// Counts a step that happened (joining is counted with [`joined`](Self::joined)).
    pub fn record(&mut self, step: &Step, to: &EntryState) {
        match (step, to) {
            (Step::Offer(_), EntryState::Offered(_)) => self.offered += 1,
            (Step::Confirm, EntryState::Booked) => self.taken += 1,
            (_, EntryState::Expired) => self.expired += 1,
            _ => {}
        }
    }

    pub fn merge(&mut self, other: &WaitlistTally) {
        self.joined += other.joined;
        self.offered += other.offered;
        self.taken += other.taken;
        self.expired += other.expired;
    }

    /// How many offers became bookings, as (taken, offered) for a percentage.
    pub fn taken_of_offered(&self) -> (u64, u64) {
        (self.taken, self.offered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLACE: LocationId = LocationId(3);
    const SERVICE: ServiceCode = ServiceCode::LegalConsultation;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        at(s).with_timezone(&Utc)
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn mins(m: i64) -> Duration {
        Duration::minutes(m)
    }

    /// The test clock's start: Tuesday 3 March 2026, 10:00 Shanghai.
    fn now() -> DateTime<Utc> {
        utc("2026-03-03T10:00:00+08:00")
    }

    /// A 30-minute slot starting at `start` (Shanghai wall clock, `2026-03-05T09:00`).
    fn slot(start: &str) -> Slot {
        let start = at(&format!("{start}:00+08:00"));
        Slot {
            start,
            end: start + mins(30),
            capacity: 1,
            youth_only: false,
        }
    }

    fn seat(start: &str) -> FreedSeat {
        FreedSeat {
            place: PLACE,
            service: SERVICE,
            slot: slot(start),
        }
    }

    fn phone(n: u32) -> MobilePhone {
        MobilePhone::parse(&format!("1380000{n:04}")).unwrap()
    }

    /// Entry `id` for phone `id`, joined `id` minutes after the test clock's start minus a day.
    fn entry(id: i64, from: &str, to: &str, part: PartOfDay) -> Entry {
        Entry {
            id: EntryId(id),
            place: PLACE,
            service: SERVICE,
            phone: phone(id as u32),
            from: d(from),
            to: d(to),
            part,
            youth: false,
            joined_at: now() - Duration::days(1) + mins(id),
            state: EntryState::Waiting,
        }
    }

    fn rules() -> HoldRules {
        HoldRules::default()
    }

    fn matched(seat: &FreedSeat, entries: &[Entry], active: &[ActiveBooking]) -> Option<i64> {
        first_match(seat, entries, active, &rules(), now()).map(|(e, _)| e.id.0)
    }

    #[test]
    fn part_of_day_turns_at_noon_shanghai_by_the_slot_start() {
        use PartOfDay::*;
        let cases = [
            ("2026-03-05T09:00:00+08:00", Morning),
            ("2026-03-05T11:30:00+08:00", Morning),
            ("2026-03-05T11:59:59+08:00", Morning),
            ("2026-03-05T12:00:00+08:00", Afternoon),
            ("2026-03-05T13:30:00+08:00", Afternoon),
            ("2026-03-05T18:00:00+08:00", Afternoon),
            ("2026-03-05T00:00:00+08:00", Morning),
            // the same instants given in UTC are judged in Shanghai time
            ("2026-03-05T03:59:00Z", Morning),
            ("2026-03-05T04:00:00Z", Afternoon),
            ("2026-03-04T23:00:00Z", Morning),
        ];
        for (start, part) in cases {
            let start = at(start);
            assert_eq!(PartOfDay::of_start(&start), part, "{start}");
            assert!(part.fits(&start));
            assert!(Any.fits(&start));
            let other = if part == Morning { Afternoon } else { Morning };
            assert!(!other.fits(&start), "{start}");
        }
        // a slot running across noon belongs to the morning it starts in
        assert_eq!(
            PartOfDay::of_start(&slot("2026-03-05T11:45").start),
            Morning
        );
        for p in PartOfDay::ALL {
            assert_eq!(PartOfDay::parse(p.code()), Some(p));
            assert_eq!(serde_json::to_string(&p).unwrap(), format!("\"{p}\""));
        }
        assert_eq!(PartOfDay::parse(" any "), Some(Any));
        assert_eq!(PartOfDay::parse("evening"), None);
    }

    fn form(from: &str, to: &str, part: &str) -> JoinForm {
        JoinForm {
            phone: "138 1234 5678".into(),
            from: from.into(),
            to: to.into(),
            part_of_day: part.into(),
            youth: false,
        }
    }

    fn fields(r: Result<JoinRequest, Vec<FieldError>>) -> Vec<&'static str> {
        r.unwrap_err().iter().map(|e| e.field).collect()
    }

    #[test]
    fn joining_checks_the_range_against_today_and_the_horizon() {
        let w = BookingWindow::default();
        // today (3 March) to the last bookable day (17 March) is the widest range
        let ok = form("2026-03-03", " 2026-03-17 ", "morning")
            .check(&w, now())
            .unwrap();
        assert_eq!(
            ok,
            JoinRequest {
                phone: MobilePhone::parse("13812345678").unwrap(),
                from: d("2026-03-03"),
                to: d("2026-03-17"),
                part: PartOfDay::Morning,
                youth: false,
            }
        );
        // one day is fine
        assert!(form("2026-03-05", "2026-03-05", "any")
            .check(&w, now())
            .is_ok());
        // yesterday
        let e = form("2026-03-02", "2026-03-05", "any")
            .check(&w, now())
            .unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].field, "from");
        assert_eq!(e[0].message, "开始日期不能早于今天（2026-03-03）");
        assert_eq!(
            e[0].en,
            "The first date cannot be before today (2026-03-03)"
        );
        // past the horizon
        let e = form("2026-03-05", "2026-03-18", "any")
            .check(&w, now())
            .unwrap_err();
        assert_eq!(e[0].field, "to");
        assert!(e[0].message.contains("2026-03-17"), "{}", e[0]);
        // backwards
        let e = form("2026-03-06", "2026-03-05", "any")
            .check(&w, now())
            .unwrap_err();
        assert_eq!(e[0].field, "to");
        assert_eq!(e[0].message, "结束日期不能早于开始日期");
        // "today" is Shanghai's: 23:30 UTC on 2 March is already 3 March there
        let late = utc("2026-03-02T23:30:00Z");
        assert_eq!(
            fields(form("2026-03-02", "2026-03-05", "any").check(&w, late)),
            ["from"]
        );
        assert!(form("2026-03-03", "2026-03-17", "any")
            .check(&w, late)
            .is_ok());
        // a longer window moves the horizon
        let long = BookingWindow {
            max_days_ahead: 30,
            ..w
        };
        assert!(form("2026-03-05", "2026-04-02", "any")
            .check(&long, now())
            .is_ok());
        // everything wrong at once, in form order
        let all = JoinForm {
            phone: "12345".into(),
            from: "3 March".into(),
            to: "2026-02-30".into(),
            part_of_day: "evening".into(),
            youth: false,
        };
        assert_eq!(
            fields(all.check(&w, now())),
            ["phone", "from", "to", "part_of_day"]
        );
        assert_eq!(
            fields(form("2026-03-01", "2026-03-20", "").check(&w, now())),
            ["from", "to", "part_of_day"]
        );
    }

    #[test]
    fn the_first_in_join_order_that_matches_gets_the_seat() {
        use PartOfDay::*;
        let s = seat("2026-03-05T09:00");
        let mut entries = vec![
            entry(5, "2026-03-04", "2026-03-06", Any),
            entry(2, "2026-03-04", "2026-03-06", Morning),
            entry(7, "2026-03-05", "2026-03-05", Morning),
        ];
        // earliest join wins, whatever order the entries come in
        assert_eq!(matched(&s, &entries, &[]), Some(2));
        entries.reverse();
        assert_eq!(matched(&s, &entries, &[]), Some(2));
        // on a tie of join time, the lower id
        let mut tie = entries.clone();
        for e in &mut tie {
            e.joined_at = now() - mins(60);
        }
        assert_eq!(matched(&s, &tie, &[]), Some(2));
        // entries that do not fit are passed over, however early they joined
        let mut early = vec![
            Entry {
                place: LocationId(4),
                ..entry(1, "2026-03-04", "2026-03-06", Any)
            },
            Entry {
                service: ServiceCode::Notary,
                ..entry(2, "2026-03-04", "2026-03-06", Any)
            },
            entry(3, "2026-03-06", "2026-03-10", Any),
            entry(4, "2026-03-03", "2026-03-04", Any),
            entry(5, "2026-03-04", "2026-03-06", Afternoon),
            Entry {
                state: EntryState::Left,
                ..entry(6, "2026-03-04", "2026-03-06", Any)
            },
            Entry {
                state: EntryState::Booked,
                ..entry(7, "2026-03-04", "2026-03-06", Any)
            },
        ];
        assert_eq!(matched(&s, &early, &[]), None);
        early.push(entry(9, "2026-03-05", "2026-03-05", Any));
        assert_eq!(matched(&s, &early, &[]), Some(9));
        // the range's ends are included
        assert_eq!(
            matched(&s, &[entry(1, "2026-03-05", "2026-03-09", Any)], &[]),
            Some(1)
        );
        assert_eq!(
            matched(&s, &[entry(1, "2026-03-03", "2026-03-05", Any)], &[]),
            Some(1)
        );
        // the afternoon seat goes to the afternoon and "any" entries only
        let afternoon = seat("2026-03-05T13:30");
        let list = [
            entry(1, "2026-03-05", "2026-03-05", Morning),
            entry(2, "2026-03-05", "2026-03-05", Afternoon),
        ];
        assert_eq!(matched(&afternoon, &list, &[]), Some(2));
        assert_eq!(matched(&seat("2026-03-05T11:30"), &list, &[]), Some(1));
        assert_eq!(matched(&seat("2026-03-05T12:00"), &list, &[]), Some(2));
        // the offer holds the seat for the rules' hold
        let (_, offer) = first_match(&s, &list, &[], &rules(), now()).unwrap();
        assert_eq!(offer.slot, s.slot);
        assert_eq!(offer.until, now() + mins(30));
    }

    #[test]
    fn a_phone_waits_once_per_place_service_and_dates() {
        let mine = entry(1, "2026-03-05", "2026-03-08", PartOfDay::Morning);
        let req = |from: &str, to: &str| JoinRequest {
            phone: phone(1),
            from: d(from),
            to: d(to),
            part: PartOfDay::Afternoon,
            youth: false,
        };
        let list = [mine.clone()];
        assert_eq!(
            already_waiting(&list, PLACE, SERVICE, &req("2026-03-08", "2026-03-10")).map(|e| e.id),
            Some(EntryId(1))
        );
        assert!(already_waiting(&list, PLACE, SERVICE, &req("2026-03-09", "2026-03-10")).is_none());
        assert!(already_waiting(&list, PLACE, SERVICE, &req("2026-03-01", "2026-03-04")).is_none());
        assert!(already_waiting(
            &list,
            LocationId(4),
            SERVICE,
            &req("2026-03-05", "2026-03-05")
        )
        .is_none());
        assert!(already_waiting(
            &list,
            PLACE,
            ServiceCode::Notary,
            &req("2026-03-05", "2026-03-05")
        )
        .is_none());
        let other_phone = JoinRequest {
            phone: phone(2),
            ..req("2026-03-05", "2026-03-05")
        };
        assert!(already_waiting(&list, PLACE, SERVICE, &other_phone).is_none());
        let ended = [Entry {
            state: EntryState::Expired,
            ..mine
        }];
        assert!(
            already_waiting(&ended, PLACE, SERVICE, &req("2026-03-05", "2026-03-05")).is_none()
        );
    }

    #[test]
    fn youth_only_seats_go_to_declared_young_people_only() {
        let mut s = seat("2026-03-06T13:30");
        s.slot.youth_only = true;
        let adult = entry(1, "2026-03-06", "2026-03-06", PartOfDay::Any);
        let young = Entry {
            youth: true,
            ..entry(2, "2026-03-06", "2026-03-06", PartOfDay::Any)
        };
        assert_eq!(matched(&s, &[adult.clone(), young.clone()], &[]), Some(2));
        assert_eq!(matched(&s, std::slice::from_ref(&adult), &[]), None);
        // a young person may take an ordinary seat too
        s.slot.youth_only = false;
        assert_eq!(matched(&s, &[young], &[]), Some(2));
    }

    #[test]
    fn no_double_offer_and_no_offer_the_phone_could_not_book() {
        use PartOfDay::Any;
        let s = seat("2026-03-05T09:00");
        let rules = rules();
        let mut entries = vec![
            entry(1, "2026-03-05", "2026-03-05", Any),
            entry(2, "2026-03-05", "2026-03-05", Any),
        ];
        // the first seat goes to 1, the second seat of the same slot to 2, a third to nobody
        let (id, offer) = offer_seat(&s, &mut entries, &[], &rules, now()).unwrap();
        assert_eq!(id, EntryId(1));
        assert_eq!(entries[0].state, EntryState::Offered(offer.clone()));
        assert_eq!(
            offer_seat(&s, &mut entries, &[], &rules, now()).map(|x| x.0),
            Some(EntryId(2))
        );
        assert_eq!(offer_seat(&s, &mut entries, &[], &rules, now()), None);
        // an offered entry cannot be offered again
        assert_eq!(
            entries[0].next(Step::Offer(offer.clone()), now()),
            Err(WaitError::AlreadyOffered)
        );

        // a phone with an active booking overlapping the slot is passed over
        let list = [
            entry(1, "2026-03-05", "2026-03-05", Any),
            entry(2, "2026-03-05", "2026-03-05", Any),
        ];
        let overlapping = ActiveBooking {
            phone: phone(1),
            start: at("2026-03-05T09:15:00+08:00"),
            end: at("2026-03-05T09:45:00+08:00"),
        };
        assert_eq!(
            matched(&s, &list, std::slice::from_ref(&overlapping)),
            Some(2)
        );
        // back to back is fine, and so is someone else's booking
        let before = ActiveBooking {
            start: at("2026-03-05T08:30:00+08:00"),
            end: at("2026-03-05T09:00:00+08:00"),
            ..overlapping.clone()
        };
        assert_eq!(matched(&s, &list, std::slice::from_ref(&before)), Some(1));
        let others = ActiveBooking {
            phone: phone(9),
            ..overlapping.clone()
        };
        assert_eq!(matched(&s, &list, &[others]), Some(1));
        // at the per-phone cap (3 active bookings) the seat goes to the next
        let at_cap: Vec<_> = ["2026-03-06", "2026-03-07", "2026-03-08"]
            .iter()
            .map(|day| ActiveBooking {
                phone: phone(1),
                start: at(&format!("{day}T09:00:00+08:00")),
                end: at(&format!("{day}T09:30:00+08:00")),
            })
            .collect();
        assert_eq!(matched(&s, &list, &at_cap), Some(2));
        assert_eq!(matched(&s, &list, &at_cap[..2]), Some(1));
        // a seat held for the same phone through another entry counts like a booking
        let mut elsewhere = entry(8, "2026-03-05", "2026-03-05", Any);
        elsewhere.phone = phone(1);
        elsewhere.place = LocationId(4);
        elsewhere.state = EntryState::Offered(Offer {
            slot: slot("2026-03-05T09:00"),
            until: now() + mins(10),
        });
        let with_hold = [list[0].clone(), list[1].clone(), elsewhere.clone()];
        assert_eq!(matched(&s, &with_hold, &[]), Some(2));
        // …until that hold is over
        assert_eq!(
            first_match(&s, &with_hold, &[], &rules, now() + mins(10)).map(|(e, _)| e.id.0),
            Some(1)
        );
    }

    #[test]
    fn a_hold_ends_at_exactly_until_and_the_seat_passes_to_the_next() {
        use PartOfDay::Any;
        let s = seat("2026-03-05T09:00");
        let rules = rules();
        let mut entries = vec![
            entry(1, "2026-03-05", "2026-03-05", Any),
            entry(2, "2026-03-04", "2026-03-06", Any),
            entry(3, "2026-03-05", "2026-03-05", Any),
        ];
        let (first, offer) = offer_seat(&s, &mut entries, &[], &rules, now()).unwrap();
        assert_eq!(first, EntryId(1));
        let until = now() + mins(30);
        assert_eq!(offer.until, until);
        // a minute before: nothing to expire, the hold still stands
        assert!(expire_holds(&mut entries, until - mins(1)).is_empty());
        assert_eq!(
            entries[0].next(Step::Expire, until - mins(1)),
            Err(WaitError::HoldNotOver)
        );
        let last = until - Duration::milliseconds(1);
        assert_eq!(entries[0].next(Step::Confirm, last), Ok(EntryState::Booked));
        // at until: confirming is refused, and the sweep ends the entry
        assert_eq!(
            entries[0].next(Step::Confirm, until),
            Err(WaitError::HoldOver)
        );
        let freed = expire_holds(&mut entries, until);
        assert_eq!(freed, vec![(EntryId(1), s.clone())]);
        assert_eq!(entries[0].state, EntryState::Expired);
        // the seat passes on to the next in line, with a fresh hold; the first is not offered
        // it again
        let (next, offer2) = offer_seat(&freed[0].1, &mut entries, &[], &rules, until).unwrap();
        assert_eq!(next, EntryId(2));
        assert_eq!(offer2.until, until + mins(30));
        assert!(matches!(entries[1].state, EntryState::Offered(_)));
        // 2 declines: the seat goes to 3
        entries[1].apply(Step::Decline, until + mins(5)).unwrap();
        assert_eq!(entries[1].state, EntryState::Declined);
        let (third, _) = offer_seat(&s, &mut entries, &[], &rules, until + mins(5)).unwrap();
        assert_eq!(third, EntryId(3));
        // 3 confirms in time
        entries[2].apply(Step::Confirm, until + mins(6)).unwrap();
        assert_eq!(entries[2].state, EntryState::Booked);
        // nobody left for the seat
        assert_eq!(
            offer_seat(&s, &mut entries, &[], &rules, until + mins(7)),
            None
        );
        // a configured hold
        let short = HoldRules {
            hold: mins(10),
            ..rules
        };
        let fresh = [entry(1, "2026-03-05", "2026-03-05", Any)];
        let (_, o) = first_match(&s, &fresh, &[], &short, now()).unwrap();
        assert_eq!(o.until, now() + mins(10));
    }

    #[test]
    fn expired_holds_come_back_earliest_first() {
        use PartOfDay::Any;
        let mut entries = vec![
            entry(1, "2026-03-05", "2026-03-05", Any),
            entry(2, "2026-03-05", "2026-03-05", Any),
            entry(3, "2026-03-05", "2026-03-05", Any),
        ];
        let hold = |start: &str, m: i64| {
            EntryState::Offered(Offer {
                slot: slot(start),
                until: now() + mins(m),
            })
        };
        entries[0].state = hold("2026-03-05T10:00", 20);
        entries[1].state = hold("2026-03-05T09:00", 10);
        entries[2].state = hold("2026-03-05T09:30", 40);
        let freed = expire_holds(&mut entries, now() + mins(30));
        let ids: Vec<_> = freed.iter().map(|(id, _)| id.0).collect();
        assert_eq!(ids, [2, 1]);
        assert_eq!(freed[0].1.slot, slot("2026-03-05T09:00"));
        // the hold that runs to 10:40 is untouched
        assert!(entries[2].state.is_open());
    }

    #[test]
    fn holds_never_outlast_the_booking_lead_time() {
        let rules = rules();
        let list = [entry(1, "2026-03-03", "2026-03-05", PartOfDay::Any)];
        // a 12:30 seat freed at 10:00 with 2 hours' lead: held until 10:30 (= 12:30 − 2h)
        let (_, o) = first_match(&seat("2026-03-03T12:30"), &list, &[], &rules, now()).unwrap();
        assert_eq!(o.until, now() + mins(30));
        // a 12:10 seat: only until 10:10
        let (_, o) = first_match(&seat("2026-03-03T12:10"), &list, &[], &rules, now()).unwrap();
        assert_eq!(o.until, now() + mins(10));
        // a 12:00 seat can no longer be booked: nobody is offered it
        assert!(first_match(&seat("2026-03-03T12:00"), &list, &[], &rules, now()).is_none());
        assert!(first_match(&seat("2026-03-03T11:00"), &list, &[], &rules, now()).is_none());
        // nor beyond the horizon
        let far = [entry(1, "2026-03-17", "2026-03-18", PartOfDay::Any)];
        assert!(first_match(&seat("2026-03-18T09:00"), &far, &[], &rules, now()).is_none());
        assert!(first_match(&seat("2026-03-17T09:00"), &far, &[], &rules, now()).is_some());
        assert_eq!(
            hold_until(
                now(),
                &slot("2026-03-03T12:00").start,
                mins(30),
                &rules.window
            ),
            None
        );
    }

    #[test]
    fn the_states_of_an_entry() {
        use EntryState as S;
        let e = entry(1, "2026-03-05", "2026-03-06", PartOfDay::Any);
        let offer = Offer {
            slot: slot("2026-03-05T09:00"),
            until: now() + mins(30),
        };
        let offered = Entry {
            state: S::Offered(offer.clone()),
            ..e.clone()
        };
        let steps = || {
            [
                Step::Offer(offer.clone()),
                Step::Confirm,
                Step::Decline,
                Step::Expire,
                Step::Withdraw,
                Step::Leave,
                Step::Lapse,
            ]
        };
        // waiting
        assert_eq!(
            e.next(Step::Offer(offer.clone()), now()),
            Ok(offered.state.clone())
        );
        assert_eq!(e.next(Step::Leave, now()), Ok(S::Left));
        for step in [Step::Confirm, Step::Decline, Step::Expire, Step::Withdraw] {
            assert_eq!(e.next(step, now()), Err(WaitError::NoOffer));
        }
        // an offer that is already over is not made
        assert_eq!(
            e.next(Step::Offer(offer.clone()), offer.until),
            Err(WaitError::HoldOver)
        );
        // lapsing: only once the last date (6 March, Shanghai) has passed
        assert_eq!(
            e.next(Step::Lapse, utc("2026-03-06T23:59:00+08:00")),
            Err(WaitError::DatesNotPassed)
        );
        assert_eq!(
            e.next(Step::Lapse, utc("2026-03-07T00:00:00+08:00")),
            Ok(S::Lapsed)
        );
        // offered
        assert_eq!(offered.next(Step::Withdraw, now()), Ok(S::Waiting));
        assert_eq!(offered.next(Step::Leave, now()), Ok(S::Left));
        assert_eq!(offered.next(Step::Decline, now()), Ok(S::Declined));
        // declining after the hold ran out counts as expired
        assert_eq!(offered.next(Step::Decline, offer.until), Ok(S::Expired));
        assert_eq!(
            offered.next(Step::Lapse, utc("2026-03-09T00:00:00+08:00")),
            Err(WaitError::DatesNotPassed)
        );
        // ended entries refuse everything
        for end in [S::Booked, S::Declined, S::Expired, S::Left, S::Lapsed] {
            assert!(!end.is_open());
            let closed = Entry {
                state: end.clone(),
                ..e.clone()
            };
            for step in steps() {
                assert_eq!(closed.next(step, now()), Err(WaitError::Closed(end.code())));
            }
        }
        assert!(S::Waiting.is_open() && offered.state.is_open());
        assert_eq!(offered.state.offer(), Some(&offer));
        // codes are unique and serialise as the state tag
        let all = [
            S::Waiting,
            offered.state.clone(),
            S::Booked,
            S::Declined,
            S::Expired,
            S::Left,
            S::Lapsed,
        ];
        let mut codes: Vec<_> = all.iter().map(|s| s.code()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
        for s in &all {
            let json = serde_json::to_value(s).unwrap();
            assert_eq!(json["state"], s.code());
            assert_eq!(serde_json::from_value::<S>(json).unwrap(), *s);
            assert!(!s.label_zh().is_empty() && s.label_en().is_ascii());
        }
        // joining makes a waiting entry
        let req = form("2026-03-05", "2026-03-06", "any")
            .check(&BookingWindow::default(), now())
            .unwrap();
        let joined = Entry::join(EntryId(9), PLACE, SERVICE, req, now());
        assert_eq!(joined.state, S::Waiting);
        assert_eq!(joined.joined_at, now());
        assert!(joined.wants(PLACE, SERVICE, &slot("2026-03-06T16:00")));
    }

    #[test]
    fn the_tally_counts_joined_offered_taken_expired() {
        let mut t = WaitlistTally::default();
        let offer = Offer {
            slot: slot("2026-03-05T09:00"),
            until: now() + mins(30),
        };
        t.joined += 3;
        let mut entries = [
            entry(1, "2026-03-05", "2026-03-05", PartOfDay::Any),
            entry(2, "2026-03-05", "2026-03-05", PartOfDay::Any),
            entry(3, "2026-03-05", "2026-03-05", PartOfDay::Any),
        ];
        let run = |e: &mut Entry, step: Step, at: DateTime<Utc>, t: &mut WaitlistTally| {
            e.apply(step.clone(), at).unwrap();
            t.record(&step, &e.state);
        };
        run(&mut entries[0], Step::Offer(offer.clone()), now(), &mut t);
        run(&mut entries[0], Step::Expire, offer.until, &mut t);
        run(&mut entries[1], Step::Offer(offer.clone()), now(), &mut t);
        run(&mut entries[1], Step::Confirm, now() + mins(1), &mut t);
        run(&mut entries[2], Step::Offer(offer.clone()), now(), &mut t);
        run(&mut entries[2], Step::Decline, offer.until, &mut t);
        assert_eq!(
            t,
            WaitlistTally {
                joined: 3,
                offered: 3,
                taken: 1,
                expired: 2,
            }
        );
        assert_eq!(t.taken_of_offered(), (1, 3));
        let mut sum = t;
        sum.merge(&t);
        assert_eq!(sum.joined, 6);
        assert_eq!(sum.expired, 4);
    }

    #[test]
    fn texts_and_messages() {
        let offer = Offer {
            slot: slot("2026-03-05T09:00"),
            until: now() + mins(30),
        };
        let zh = offer_text(
            "法律咨询预约",
            "江宁路街道司法所",
            &offer,
            "https://x.cn/w/1",
            Lang::ZhCn,
        );
        assert_eq!(
            zh,
            "【区公共法律服务】您候补的法律咨询预约有空位了：3月5日 09:00，江宁路街道司法所。名额为您保留到 10:30，请在此之前确认：https://x.cn/w/1。逾期将让给下一位。"
        );
        let en = offer_text(
            "appointment",
            "Jiangning Road office",
            &offer,
            "https://x.cn/w/1",
            Lang::En,
        );
        assert!(
            en.contains("Thu 5 Mar 09:00") && en.contains("until 10:30"),
            "{en}"
        );
        for text in [&zh, &en] {
            assert!(!text.contains("心理") && !text.to_lowercase().contains("psycholog"));
        }
        let errors = [
            WaitError::Closed("left"),
            WaitError::NoOffer,
            WaitError::AlreadyOffered,
            WaitError::HoldOver,
            WaitError::HoldNotOver,
            WaitError::DatesNotPassed,
            WaitError::AlreadyWaiting,
        ];
        for e in &errors {
            assert_eq!(e.message(Lang::ZhCn), e.to_string());
            let en = e.message(Lang::En);
            assert!(!en.is_empty() && en.is_ascii(), "{en}");
        }
        let mut all = form("x", "y", "z")
            .check(&BookingWindow::default(), now())
            .unwrap_err();
        all.extend(
            form("2026-03-01", "2026-03-30", "any")
                .check(&BookingWindow::default(), now())
                .unwrap_err(),
        );
        all.extend(
            form("2026-03-09", "2026-03-08", "any")
                .check(&BookingWindow::default(), now())
                .unwrap_err(),
        );
        assert_eq!(all.len(), 6);
        for f in &all {
            assert_eq!(f.message_in(Lang::En), f.en);
            assert!(!f.en.is_empty() && f.en.is_ascii(), "{}", f.en);
            assert_ne!(f.message, f.en);
        }
    }
}

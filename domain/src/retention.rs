//! How long residents' personal data is kept (个人信息保护法, PIPL): names, phone numbers and
//! what residents wrote about their matter are anonymised a set number of days
//! (`PORTAL_RETENTION_DAYS`, default 365) after the visit, after the case closed, or after
//! the message went out. What the statistics count (dates, places, services, states,
//! outcomes, dispute types, amounts, the youth flag) is never touched, so every figure stays
//! the same.
//!
//! The rule of what is due is here; the store applies the same comparisons in SQL
//! (`backend/src/store/sql/retention.rs`) and the retention test checks the two agree.

use crate::booking::BookingState;
use crate::mediation::{CaseAction, CaseState};
use crate::notify::MAX_ATTEMPTS;
use crate::slots::{days_span, local_date};
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// Days personal data is kept unless `PORTAL_RETENTION_DAYS` says otherwise.
pub const DEFAULT_RETENTION_DAYS: u32 = 365;
/// The longest retention the configuration accepts (a hundred years).
pub const MAX_RETENTION_DAYS: u32 = 36_500;

/// What an anonymised name reads.
pub const ANONYMISED_NAME: &str = "（已匿名）";
/// What an anonymised phone number reads: eleven digits like every stored number, but no
/// mobile number starts with 0, so it identifies nobody, no look-up can match it (a resident's
/// number is checked with [`crate::booking::MobilePhone::parse`] first) and the per-phone
/// booking limits of real residents never count these rows.
pub const ANONYMISED_PHONE: &str = "00000000000";

/// Case steps whose stored detail carries text staff typed about the matter (a refusal's
/// reason, an agreement's terms, a failure's reason, a follow-up note): emptied with the case.
/// The other steps record only ids, places, times and channels.
pub const fn step_has_typed_text(action: &CaseAction) -> bool {
    match action {
        CaseAction::Refuse { .. } | CaseAction::Conclude { .. } | CaseAction::FollowUp { .. } => {
            true
        }
        CaseAction::Accept
        | CaseAction::AssignMediator { .. }
        | CaseAction::InviteOtherParty
        | CaseAction::OtherPartyAgrees
        | CaseAction::OtherPartyRefuses
        | CaseAction::ScheduleSession { .. }
        | CaseAction::Refer { .. } => false,
    }
}

/// The codes of the steps of [`step_has_typed_text`], as stored in `mediation_events.action`.
pub const STEPS_WITH_TYPED_TEXT: [&str; 3] = ["refuse", "conclude", "follow_up"];

/// The moments that decide what is due at one run of the retention job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cutoff {
    /// `days` before now, in whole seconds (instants are stored with second precision).
    pub before: DateTime<Utc>,
    /// The local midnight that began today: a booking not in a final state is due only once
    /// its day is over.
    pub today_start: DateTime<Utc>,
    /// The local date of [`before`](Self::before): queue entries of earlier days are due.
    pub first_kept_day: NaiveDate,
}

impl Cutoff {
    /// What is due at `now` when personal data is kept for `days` days.
    pub fn at(now: DateTime<Utc>, days: u32) -> Cutoff {
        let now = DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now);
        let before = now - Duration::days(i64::from(days));
        let today_start = days_span(local_date(&now), local_date(&now))
            .map(|(start, _)| start.with_timezone(&Utc))
            .unwrap_or(now);
        Cutoff {
            before,
            today_start,
            first_kept_day: local_date(&before),
        }
    }

    /// A booking is due when its slot ended before the cut-off and it is over: in a final
    /// state, or on a day that has passed.
    pub fn booking_due(
        &self,
        state: BookingState,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> bool {
        end < self.before && (!state.is_active() || start < self.today_start)
    }

    /// A case is due when it is closed and its last step (its closing, or a later follow-up
    /// visit) was before the cut-off.
    pub fn case_due(
        &self,
        state: CaseState,
        closed_at: Option<DateTime<Utc>>,
        last_step: Option<DateTime<Utc>>,
    ) -> bool {
        state.is_closed()
            && closed_at.is_some_and(|c| c < self.before)
            && last_step.is_none_or(|s| s < self.before)
    }

    /// A message is due when it was sent before the cut-off, or was given up (every attempt
    /// failed) and its last try was before the cut-off. A message still being retried is
    /// never due: it would go out to nobody.
    pub fn notification_due(
        &self,
        sent_at: Option<DateTime<Utc>>,
        attempts: u32,
        next_attempt_at: DateTime<Utc>,
    ) -> bool {
        match sent_at {
            Some(sent) => sent < self.before,
            None => attempts >= MAX_ATTEMPTS && next_attempt_at < self.before,
        }
    }

    /// A queue entry (its staff note) is due when its day ended before the cut-off.
    pub fn queue_day_due(&self, day: NaiveDate) -> bool {
        day < self.first_kept_day
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::booking::MobilePhone;
    use chrono::TimeZone;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn the_cut_off_is_whole_days_before_now_in_whole_seconds() {
        // 2026-12-07 10:30:15.7 in Shanghai
        let now = utc(2026, 12, 7, 2, 30) + Duration::milliseconds(15_700);
        let c = Cutoff::at(now, 365);
        assert_eq!(c.before, utc(2025, 12, 7, 2, 30) + Duration::seconds(15));
        // local midnight of 7 December is 16:00 UTC the day before
        assert_eq!(c.today_start, utc(2026, 12, 6, 16, 0));
        assert_eq!(
            c.first_kept_day,
            NaiveDate::from_ymd_opt(2025, 12, 7).unwrap()
        );
        // early morning in Shanghai is still the previous UTC day
        let c = Cutoff::at(utc(2026, 12, 6, 17, 0), 1);
        assert_eq!(
            c.first_kept_day,
            NaiveDate::from_ymd_opt(2026, 12, 6).unwrap()
        );
        assert_eq!(c.today_start, utc(2026, 12, 6, 16, 0));
    }

    #[test]
    fn bookings_are_due_once_over_and_older_than_the_cut_off() {
        let c = Cutoff::at(utc(2026, 12, 7, 2, 0), 365);
        let (start, end) = (utc(2025, 12, 1, 1, 0), utc(2025, 12, 1, 1, 30));
        for state in BookingState::ALL {
            assert!(c.booking_due(state, start, end), "{state:?}, day long past");
        }
        // ended exactly at the cut-off, or after it: kept
        assert!(!c.booking_due(BookingState::Done, start, c.before));
        assert!(c.booking_due(BookingState::Done, start, c.before - Duration::seconds(1)));
        assert!(!c.booking_due(
            BookingState::Done,
            utc(2026, 6, 1, 1, 0),
            utc(2026, 6, 1, 1, 30)
        ));
        // with no retention at all, a visit of today is due once final, an open one tomorrow
        let c = Cutoff::at(utc(2026, 12, 7, 8, 0), 0);
        let (start, end) = (utc(2026, 12, 7, 1, 0), utc(2026, 12, 7, 1, 30));
        assert!(c.booking_due(BookingState::Done, start, end));
        assert!(c.booking_due(BookingState::Cancelled, start, end));
        assert!(!c.booking_due(BookingState::Booked, start, end));
        assert!(!c.booking_due(BookingState::Serving, start, end));
        let c = Cutoff::at(utc(2026, 12, 7, 16, 1), 0);
        assert!(c.booking_due(BookingState::Booked, start, end));
    }

    #[test]
    fn cases_are_due_when_closed_and_their_last_step_is_old() {
        let c = Cutoff::at(utc(2026, 12, 7, 2, 0), 365);
        let old = Some(utc(2025, 11, 1, 2, 0));
        let recent = Some(utc(2026, 3, 1, 2, 0));
        for state in CaseState::ALL {
            assert_eq!(c.case_due(state, old, old), state.is_closed(), "{state:?}");
        }
        assert!(c.case_due(CaseState::Settled, old, None));
        // a follow-up visit after the settlement keeps the case
        assert!(!c.case_due(CaseState::Settled, old, recent));
        assert!(!c.case_due(CaseState::Failed, recent, recent));
        assert!(!c.case_due(CaseState::Refused, None, old));
    }

    #[test]
    fn messages_are_due_when_sent_or_given_up_before_the_cut_off() {
        let c = Cutoff::at(utc(2026, 12, 7, 2, 0), 30);
        let old = utc(2026, 10, 1, 2, 0);
        let recent = utc(2026, 12, 1, 2, 0);
        assert!(c.notification_due(Some(old), 1, old));
        assert!(!c.notification_due(Some(recent), 1, old));
        assert!(c.notification_due(None, MAX_ATTEMPTS, old));
        assert!(!c.notification_due(None, MAX_ATTEMPTS, recent));
        // still to be sent (or retried): never anonymised under the sender's feet
        assert!(!c.notification_due(None, MAX_ATTEMPTS - 1, old));
        assert!(!c.notification_due(None, 0, old));
    }

    #[test]
    fn queue_days_before_the_cut_off_are_due() {
        let c = Cutoff::at(utc(2026, 12, 7, 2, 0), 365);
        assert!(c.queue_day_due(NaiveDate::from_ymd_opt(2025, 12, 6).unwrap()));
        assert!(!c.queue_day_due(NaiveDate::from_ymd_opt(2025, 12, 7).unwrap()));
    }

    #[test]
    fn the_placeholders_identify_nobody() {
        assert!(MobilePhone::parse(ANONYMISED_PHONE).is_err());
        assert_eq!(ANONYMISED_PHONE.len(), 11);
        assert!(ANONYMISED_PHONE.bytes().all(|b| b.is_ascii_digit()));
        assert!(crate::booking::PersonName::parse(ANONYMISED_NAME).is_ok());
    }

    #[test]
    fn the_listed_steps_are_those_with_typed_text() {
        let steps = crate::mediation::one_of_each_action();
        for a in &steps {
            assert_eq!(
                step_has_typed_text(a),
                STEPS_WITH_TYPED_TEXT.contains(&a.code()),
                "{}",
                a.code()
            );
        }
        for code in STEPS_WITH_TYPED_TEXT {
            assert!(steps.iter().any(|a| a.code() == code), "{code} is a step");
        }
    }
}

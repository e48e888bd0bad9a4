//! Dates, periods and a hand-made tally shared by the statistics tests.

use super::{Conclusion, Period, Tally};
use crate::mediation::Referral::*;
use crate::mediation::{CaseState, DisputeType};
use crate::queue::QueueState;
use crate::{BookingState::*, ServiceCode::*};
use chrono::NaiveDate;

pub(super) fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub(super) fn period(from: &str, to: &str) -> Period {
    Period::parse(from, to).unwrap()
}

/// A small place-day with known answers: two services, cancellations, a rescheduled
/// booking, no-shows, walk-ins, a youth psychology session and every mediation outcome.
pub(super) fn hand_made() -> Tally {
    let mut t = Tally::default();
    t.add_bookings(LegalConsultation, Done, 5, 0, 1);
    t.add_bookings(LegalConsultation, Cancelled, 2, 0, 0);
    t.add_bookings(LegalConsultation, NoShow, 1, 0, 0);
    t.add_bookings(LegalConsultation, Booked, 3, 0, 1);
    t.add_bookings(LegalConsultation, Serving, 1, 0, 0);
    t.add_bookings(Psychology, Done, 3, 1, 0);
    t.add_bookings(Psychology, NoShow, 1, 1, 0);
    t.add_bookings(Psychology, Cancelled, 1, 1, 0);
    // arrivals: 4 walk-ins and 8 booked people served, one handed over from another
    // desk (not a walk-in) still waiting, one booked person handed over from here
    t.add_arrivals(LegalConsultation, false, false, QueueState::Done, 4);
    t.add_arrivals(LegalConsultation, true, false, QueueState::Done, 8);
    t.add_arrivals(LegalConsultation, false, true, QueueState::Waiting, 1);
    t.add_arrivals(LegalConsultation, true, false, QueueState::Transferred, 1);
    for minutes in [2, 4, 6, 8, 10, 12, 14, 16, 18, 40] {
        t.add_waits(minutes, 1, i64::from(minutes) * 60);
    }
    t.add_service_times(QueueState::Done, 20, 1, 20 * 60);
    t.add_service_times(QueueState::Transferred, 90, 1, 90 * 60);
    t.add_requests(CaseState::Submitted, 2);
    t.add_requests(CaseState::Accepted, 6);
    t.add_requests(CaseState::Refused, 1);
    t.add_cases(
        DisputeType::Neighbour,
        Some(Conclusion::WrittenAgreement),
        2,
        1_000_000,
    );
    t.add_cases(DisputeType::Family, Some(Conclusion::OralAgreement), 1, 0);
    t.add_cases(DisputeType::Property, Some(Conclusion::Failed), 1, 0);
    t.add_cases(DisputeType::Family, Some(Conclusion::NotMediated), 1, 0);
    t.add_cases(DisputeType::Labour, Some(Conclusion::Referred(Court)), 1, 0);
    t.add_cases(
        DisputeType::Ip,
        Some(Conclusion::WrittenAgreement),
        1,
        500_050,
    );
    t.add_cases(DisputeType::Ip, None, 1, 0);
    t
}

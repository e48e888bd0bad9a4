//! Dates, periods and a hand-made tally shared by the statistics tests.

use super::{Conclusion, Month, Period, Tally};
use crate::mediation::Referral::*;
use crate::mediation::{CaseState, DisputeType};
use crate::queue::QueueState;
use crate::rating::RatingTally;
use crate::waitlist::WaitlistTally;
use crate::{BookingState::*, Location, LocationId, LocationKind, ServiceCode::*};
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
    // the served visits' waits and one service time, as Tally::add_visit would count them
    for minutes in [2, 4, 6, 8, 10, 12, 14, 16, 18, 40] {
        t.wait.add_seconds(minutes * 60);
    }
    t.service_time.add_seconds(20 * 60);
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

fn place(id: i64, office: Option<i64>, name: &str) -> Location {
    Location {
        id: LocationId(id),
        kind: if office.is_some() {
            LocationKind::Workroom
        } else {
            LocationKind::Office
        },
        office_id: office.map(LocationId),
        name: name.into(),
        area: String::new(),
        neighbourhood: String::new(),
        address: String::new(),
        phone: None,
        services: Vec::new(),
    }
}

/// A small directory: office 1 with workroom 101, and office 2.
pub(super) fn places() -> Vec<Location> {
    vec![
        place(1, None, "一所"),
        place(101, Some(1), "一所工作室"),
        place(2, None, "二所"),
    ]
}

/// Waiting lists of March and April 2026 in [`places`]: at workroom 101 (legal consultation)
/// in March 3 joined, 3 offered, 1 taken, 1 expired; at office 1 (notary) 1 joined in March
/// and 1 offered, 1 taken in April; at office 2 (legal consultation) 2 joined in April.
pub(super) fn waiting_lists() -> Vec<(Month, LocationId, Tally)> {
    let (march, april) = (
        Month {
            year: 2026,
            month: 3,
        },
        Month {
            year: 2026,
            month: 4,
        },
    );
    let one = |month, place, service, joined, offered, taken, expired| {
        let mut t = Tally::default();
        t.add_waitlist(
            service,
            &WaitlistTally {
                joined,
                offered,
                taken,
                expired,
            },
        );
        (month, LocationId(place), t)
    };
    vec![
        one(march, 101, LegalConsultation, 3, 3, 1, 1),
        one(march, 1, Notary, 1, 0, 0, 0),
        one(april, 1, Notary, 0, 1, 1, 0),
        one(april, 2, LegalConsultation, 2, 0, 0, 0),
    ]
}

/// A rating tally: ratings per level (in `Level::ALL` order), reasons (in `Reason::ALL`
/// order) and follow-ups `[closed on time, closed late, open, overdue]`.
pub(super) fn rated(levels: [u64; 5], reasons: [u64; 6], follow_ups: [u64; 4]) -> RatingTally {
    let [closed_on_time, closed_late, open, overdue] = follow_ups;
    RatingTally {
        levels,
        reasons,
        closed_on_time,
        closed_late,
        open,
        overdue,
    }
}

/// Ratings of March and April 2026 in [`places`]. March: workroom 101 (legal consultation)
/// 3 very satisfied, 1 satisfied, 1 dissatisfied (a reason; its follow-up closed on time);
/// office 1 (mediation) 1 very satisfied. April: office 1 (mediation) 1 satisfied, 1 basic,
/// 1 very dissatisfied (two reasons; overdue); office 2 (legal consultation) 1 very
/// satisfied, 1 very dissatisfied (a reason; closed late).
pub(super) fn ratings() -> Vec<(Month, LocationId, Tally)> {
    let (march, april) = (
        Month {
            year: 2026,
            month: 3,
        },
        Month {
            year: 2026,
            month: 4,
        },
    );
    let one = |month, place, service, r: RatingTally| {
        let mut t = Tally::default();
        t.add_ratings(service, &r);
        (month, LocationId(place), t)
    };
    vec![
        one(
            march,
            101,
            LegalConsultation,
            rated([3, 1, 0, 1, 0], [1, 0, 0, 0, 0, 0], [1, 0, 0, 0]),
        ),
        one(march, 1, Mediation, rated([1, 0, 0, 0, 0], [0; 6], [0; 4])),
        one(
            april,
            1,
            Mediation,
            rated([0, 1, 1, 0, 1], [0, 0, 1, 1, 0, 0], [0, 0, 0, 1]),
        ),
        one(
            april,
            2,
            LegalConsultation,
            rated([1, 0, 0, 0, 1], [0, 1, 0, 0, 0, 0], [0, 1, 0, 0]),
        ),
    ]
}

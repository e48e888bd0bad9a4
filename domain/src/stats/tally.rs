//! The tally: raw counts of one place over some dates.

use super::Minutes;
#[cfg(doc)]
use super::{minutes_of, Figures};
use crate::mediation::{CaseState, DisputeType, Ending, Referral};
use crate::queue::QueueState;
use crate::rating::RatingTally;
use crate::waitlist::WaitlistTally;
use crate::{BookingState, ServiceCode};
use serde::{Deserialize, Serialize};

/// Bookings of one service in one state (by the date of their slot).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingCell {
    pub service: ServiceCode,
    pub state: BookingState,
    pub n: u64,
    /// Of these, booked for a young person (psychology's youth day).
    pub youth: u64,
    /// Of these, moved to another slot at least once.
    pub rescheduled: u64,
}

/// Mediation cases of one kind, for adding up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseCell {
    pub dispute: DisputeType,
    /// `None` while the case is open.
    pub outcome: Option<Conclusion>,
    pub n: u64,
    /// Sum of the amounts named in written agreements.
    pub amount_fen: i64,
}

/// How an accepted case ended, as statistics distinguish it: an [`Ending`] other than a
/// refusal, with the channel of a referral. It is its own enum only because roll-ups are
/// stored in this shape (postcard numbers the variants in this order: never reorder them);
/// its meaning comes from [`Conclusion::ending`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Conclusion {
    WrittenAgreement,
    OralAgreement,
    Failed,
    /// The other party would not take part.
    NotMediated,
    Referred(Referral),
}

impl Conclusion {
    /// How an accepted case counts, from how it ended (`None` while open). A refusal is not
    /// the end of an accepted case, so it is `None` too.
    pub fn of(ending: Option<Ending>, referral: Option<Referral>) -> Option<Conclusion> {
        Some(match ending? {
            Ending::WrittenAgreement => Conclusion::WrittenAgreement,
            Ending::OralAgreement => Conclusion::OralAgreement,
            Ending::Failed => Conclusion::Failed,
            Ending::NotMediated => Conclusion::NotMediated,
            Ending::Referred => Conclusion::Referred(referral.unwrap_or(Referral::Department)),
            Ending::Refused => return None,
        })
    }
    /// Sort order: open cases first, then as listed here.
    fn rank(self) -> usize {
        match self {
            Conclusion::WrittenAgreement => 1,
            Conclusion::OralAgreement => 2,
            Conclusion::Failed => 3,
            Conclusion::NotMediated => 4,
            Conclusion::Referred(r) => 5 + r as usize,
        }
    }
    /// The case's ending.
    pub const fn ending(self) -> Ending {
        match self {
            Conclusion::WrittenAgreement => Ending::WrittenAgreement,
            Conclusion::OralAgreement => Ending::OralAgreement,
            Conclusion::Failed => Ending::Failed,
            Conclusion::NotMediated => Ending::NotMediated,
            Conclusion::Referred(_) => Ending::Referred,
        }
    }
    /// 成功化解 ([`Ending::settled`]).
    pub const fn settled(self) -> bool {
        self.ending().settled()
    }
}

/// Everything counted at one place over some dates. Tallies of places and of months add up
/// with [`Tally::merge`]; figures are derived from a tally only at the end ([`Figures::of`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub bookings: Vec<BookingCell>,
    /// People who came without a booking (not counting those handed over from another desk).
    pub walk_ins: Vec<(ServiceCode, u64)>,
    /// Handed over to another service or place (访调联动 分流) from this place's queue.
    pub transferred: u64,
    /// Queue entries finished as served.
    pub served: u64,
    /// Check-in (or arrival) to being called.
    pub wait: Minutes,
    /// Being served to finished.
    pub service_time: Minutes,
    /// Mediation requests received (by the date they were sent), and of them refused.
    pub requests: u64,
    pub refused: u64,
    /// Cases accepted (by the date of acceptance), by type and how they ended.
    pub cases: Vec<CaseCell>,
    /// Waiting-list figures per service (each thing by the date it happened). Never part of
    /// a stored roll-up (`serde(skip)`: the roll-ups' encoding stays as it was): the waiting
    /// list is small, so it is counted straight from its table on every request.
    #[serde(skip)]
    pub waitlist: Vec<(ServiceCode, WaitlistTally)>,
    /// Ratings per service, by the date given, with their follow-ups. Like the waiting list,
    /// never part of a stored roll-up (`serde(skip)`): ratings are few, and a follow-up's
    /// standing (open or overdue) depends on when it is asked.
    #[serde(skip)]
    pub ratings: Vec<(ServiceCode, RatingTally)>,
}

impl Tally {
    pub fn is_empty(&self) -> bool {
        *self == Tally::default()
    }

    /// The stored form of a roll-up: postcard, a compact binary encoding about a quarter of
    /// the size of JSON and far quicker to read back, which is what a year's dashboard spends
    /// its time on.
    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_allocvec(self).expect("a tally always encodes")
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Tally, postcard::Error> {
        postcard::from_bytes(bytes)
    }

    pub fn add_bookings(
        &mut self,
        service: ServiceCode,
        state: BookingState,
        n: u64,
        youth: u64,
        rescheduled: u64,
    ) {
        if n == 0 {
            return;
        }
        match self
            .bookings
            .iter_mut()
            .find(|c| c.service == service && c.state == state)
        {
            Some(c) => {
                c.n += n;
                c.youth += youth;
                c.rescheduled += rescheduled;
            }
            None => {
                self.bookings.push(BookingCell {
                    service,
                    state,
                    n,
                    youth,
                    rescheduled,
                });
                self.bookings.sort_by_key(|c| {
                    (
                        c.service.rank(),
                        BookingState::ALL.iter().position(|s| *s == c.state),
                    )
                });
            }
        }
    }

    pub fn add_walk_ins(&mut self, service: ServiceCode, n: u64) {
        if n == 0 {
            return;
        }
        match self.walk_ins.iter_mut().find(|(s, _)| *s == service) {
            Some((_, c)) => *c += n,
            None => {
                self.walk_ins.push((service, n));
                self.walk_ins.sort_by_key(|(s, _)| s.rank());
            }
        }
    }

    /// People who arrived at a desk of `service` and are now in `state`. A walk-in is someone
    /// who neither booked nor was handed over from another desk; a finished visit counts as
    /// served; a hand-over counts where it left.
    pub fn add_arrivals(
        &mut self,
        service: ServiceCode,
        booked: bool,
        handed_over: bool,
        state: QueueState,
        n: u64,
    ) {
        if !booked && !handed_over {
            self.add_walk_ins(service, n);
        }
        match state {
            QueueState::Done => self.served += n,
            QueueState::Transferred => self.transferred += n,
            _ => {}
        }
    }

    /// One visit to a desk of `service`, now in `state`: an arrival (see
    /// [`Tally::add_arrivals`]), with its wait from arrival to being called if it was called
    /// (every call counts, whatever came next) and its time from being served to finished
    /// (only a finished visit's counts: one handed over or undone mid-service has none), in
    /// seconds, rounded to minutes as [`minutes_of`] does (negative ones, from clock skew,
    /// count as zero).
    pub fn add_visit(
        &mut self,
        service: ServiceCode,
        booked: bool,
        handed_over: bool,
        state: QueueState,
        wait_seconds: Option<i64>,
        service_seconds: Option<i64>,
    ) {
        self.add_arrivals(service, booked, handed_over, state, 1);
        if let Some(seconds) = wait_seconds {
            self.wait.add_seconds(seconds);
        }
        if let (Some(seconds), QueueState::Done) = (service_seconds, state) {
            self.service_time.add_seconds(seconds);
        }
    }

    /// Mediation requests sent, now in `state`; refused ones are counted apart.
    pub fn add_requests(&mut self, state: CaseState, n: u64) {
        self.requests += n;
        if state == CaseState::Refused {
            self.refused += n;
        }
    }

    pub fn add_cases(
        &mut self,
        dispute: DisputeType,
        outcome: Option<Conclusion>,
        n: u64,
        amount_fen: i64,
    ) {
        if n == 0 {
            return;
        }
        match self
            .cases
            .iter_mut()
            .find(|c| c.dispute == dispute && c.outcome == outcome)
        {
            Some(c) => {
                c.n += n;
                c.amount_fen += amount_fen;
            }
            None => {
                self.cases.push(CaseCell {
                    dispute,
                    outcome,
                    n,
                    amount_fen,
                });
                self.cases.sort_by_key(|c| {
                    (
                        DisputeType::ALL.iter().position(|d| *d == c.dispute),
                        c.outcome.map_or(0, Conclusion::rank),
                    )
                });
            }
        }
    }

    /// Waiting-list figures of `service` (all-zero ones are not kept).
    pub fn add_waitlist(&mut self, service: ServiceCode, w: &WaitlistTally) {
        if *w == WaitlistTally::default() {
            return;
        }
        match self.waitlist.iter_mut().find(|(s, _)| *s == service) {
            Some((_, t)) => t.merge(w),
            None => {
                self.waitlist.push((service, *w));
                self.waitlist.sort_by_key(|(s, _)| s.rank());
            }
        }
    }

    /// Rating figures of `service` (all-zero ones are not kept).
    pub fn add_ratings(&mut self, service: ServiceCode, r: &RatingTally) {
        if *r == RatingTally::default() {
            return;
        }
        match self.ratings.iter_mut().find(|(s, _)| *s == service) {
            Some((_, t)) => t.merge(r),
            None => {
                self.ratings.push((service, *r));
                self.ratings.sort_by_key(|(s, _)| s.rank());
            }
        }
    }

    pub fn merge(&mut self, other: &Tally) {
        for c in &other.bookings {
            self.add_bookings(c.service, c.state, c.n, c.youth, c.rescheduled);
        }
        for (s, n) in &other.walk_ins {
            self.add_walk_ins(*s, *n);
        }
        self.transferred += other.transferred;
        self.served += other.served;
        self.wait.merge(&other.wait);
        self.service_time.merge(&other.service_time);
        self.requests += other.requests;
        self.refused += other.refused;
        for c in &other.cases {
            self.add_cases(c.dispute, c.outcome, c.n, c.amount_fen);
        }
        for (s, w) in &other.waitlist {
            self.add_waitlist(*s, w);
        }
        for (s, r) in &other.ratings {
            self.add_ratings(*s, r);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::fixtures::hand_made;
    use crate::stats::Figures;
    use BookingState::*;
    use ServiceCode::*;

    #[test]
    fn tallies_add_up_in_any_order_and_survive_storage() {
        let (a, b) = (hand_made(), {
            let mut t = Tally::default();
            t.add_bookings(Notary, Done, 2, 0, 0);
            t.add_bookings(LegalConsultation, Done, 1, 0, 0);
            t.add_walk_ins(Psychology, 1);
            t.add_cases(
                DisputeType::Neighbour,
                Some(Conclusion::WrittenAgreement),
                1,
                7,
            );
            t.wait.add_seconds(60);
            t
        });
        let mut ab = a.clone();
        ab.merge(&b);
        let mut ba = b.clone();
        ba.merge(&a);
        assert_eq!(ab, ba);
        assert_eq!(Figures::of(&ab).bookings_total, 17 + 3);
        assert_eq!(Figures::of(&ab).mediation.amount_fen, 1_500_057);
        assert_eq!(Tally::from_bytes(&ab.to_bytes()).unwrap(), ab);
        assert!(Tally::from_bytes(b"{\"bookings\": []}").is_err());
        assert!(Tally::default().is_empty());
    }

    fn w(joined: u64, offered: u64, taken: u64, expired: u64) -> WaitlistTally {
        WaitlistTally {
            joined,
            offered,
            taken,
            expired,
        }
    }

    #[test]
    fn visits_one_by_one_add_up_as_the_grouped_counts_do() {
        use ServiceCode::LegalConsultation as Legal;
        let mut one_by_one = Tally::default();
        // a walk-in served (wait 89 s, service 10 min 30 s), a booked visit handed over
        // mid-service (its service time does not count), a handed-over visit waiting, and a
        // wait made negative by a clock set back (counts as zero)
        one_by_one.add_visit(Legal, false, false, QueueState::Done, Some(89), Some(630));
        one_by_one.add_visit(
            Legal,
            true,
            false,
            QueueState::Transferred,
            Some(30),
            Some(600),
        );
        one_by_one.add_visit(Legal, false, true, QueueState::Waiting, None, None);
        one_by_one.add_visit(Legal, true, false, QueueState::Done, Some(-40), Some(90));

        let mut grouped = Tally::default();
        grouped.add_arrivals(Legal, false, false, QueueState::Done, 1);
        grouped.add_arrivals(Legal, true, false, QueueState::Transferred, 1);
        grouped.add_arrivals(Legal, false, true, QueueState::Waiting, 1);
        grouped.add_arrivals(Legal, true, false, QueueState::Done, 1);
        // waits of 89 and 30 s round to a minute, the negative one counts as 0; only the
        // finished visits' service times count
        grouped.wait.add(1, 2, 119);
        grouped.wait.add(0, 1, 0);
        grouped.service_time.add(11, 1, 630);
        grouped.service_time.add(2, 1, 90);
        assert_eq!(one_by_one, grouped);
        assert_eq!((one_by_one.served, one_by_one.transferred), (2, 1));
        assert_eq!(one_by_one.wait.n, 3);
        assert_eq!(one_by_one.service_time.total_seconds, 720);
    }

    #[test]
    fn waiting_list_figures_add_up_but_stay_out_of_roll_ups() {
        let mut a = hand_made();
        a.add_waitlist(Psychology, &w(1, 0, 0, 0));
        a.add_waitlist(LegalConsultation, &w(3, 2, 1, 1));
        a.add_waitlist(Notary, &WaitlistTally::default());
        let mut b = Tally::default();
        b.add_waitlist(LegalConsultation, &w(1, 1, 1, 0));
        assert!(!b.is_empty());
        let mut ab = a.clone();
        ab.merge(&b);
        let mut ba = b.clone();
        ba.merge(&a);
        assert_eq!(ab, ba);
        assert_eq!(
            ab.waitlist,
            [
                (LegalConsultation, w(4, 3, 2, 1)),
                (Psychology, w(1, 0, 0, 0))
            ],
            "by service, in the services' order, zeros left out"
        );
        // a roll-up keeps everything else, encoded exactly as before
        let stored = Tally::from_bytes(&ab.to_bytes()).unwrap();
        assert!(stored.waitlist.is_empty());
        assert_eq!(ab.to_bytes(), hand_made().to_bytes());
        assert_eq!(
            stored,
            Tally {
                waitlist: Vec::new(),
                ..ab
            }
        );
    }

    #[test]
    fn rating_figures_add_up_but_stay_out_of_roll_ups() {
        use crate::stats::fixtures::rated;
        let mut a = hand_made();
        a.add_ratings(
            Mediation,
            &rated([1, 0, 0, 0, 1], [0, 1, 0, 0, 0, 0], [0, 0, 1, 0]),
        );
        a.add_ratings(LegalConsultation, &rated([2, 1, 0, 0, 0], [0; 6], [0; 4]));
        a.add_ratings(Notary, &RatingTally::default());
        let mut b = Tally::default();
        b.add_ratings(
            LegalConsultation,
            &rated([0, 0, 1, 1, 0], [1, 0, 0, 0, 0, 1], [1, 0, 0, 0]),
        );
        assert!(!b.is_empty());
        let mut ab = a.clone();
        ab.merge(&b);
        let mut ba = b.clone();
        ba.merge(&a);
        assert_eq!(ab, ba);
        assert_eq!(
            ab.ratings,
            [
                (
                    LegalConsultation,
                    rated([2, 1, 1, 1, 0], [1, 0, 0, 0, 0, 1], [1, 0, 0, 0])
                ),
                (
                    Mediation,
                    rated([1, 0, 0, 0, 1], [0, 1, 0, 0, 0, 0], [0, 0, 1, 0])
                ),
            ],
            "by service, in the services' order, zeros left out"
        );
        // a roll-up keeps everything else, encoded exactly as before
        let stored = Tally::from_bytes(&ab.to_bytes()).unwrap();
        assert!(stored.ratings.is_empty());
        assert_eq!(ab.to_bytes(), hand_made().to_bytes());
        assert_eq!(
            stored,
            Tally {
                ratings: Vec::new(),
                ..ab
            }
        );
    }
}

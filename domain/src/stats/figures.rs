//! Figures: what a dashboard, the API and the exports show.

use super::{BookingCell, CaseCell, Conclusion, Minutes, Tally};
use crate::mediation::{DisputeType, Fen, Referral};
use crate::rating::{Level, RatingTally, Reason};
use crate::waitlist::WaitlistTally;
use crate::{BookingState, ServiceCode};
use serde::{Deserialize, Serialize};

/// A rate with what it is made of: reports always show both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ratio {
    pub numerator: u64,
    pub denominator: u64,
    /// Two decimals, e.g. `97.45%`; `None` when the denominator is zero.
    pub percent: Option<String>,
}

impl Ratio {
    pub fn new(numerator: u64, denominator: u64) -> Ratio {
        Ratio {
            numerator,
            denominator,
            percent: percent_text(numerator, denominator),
        }
    }
    /// Basis points (1/100 of a percent), rounded half up.
    pub fn basis_points(&self) -> Option<u64> {
        basis_points(self.numerator, self.denominator)
    }
}

fn basis_points(num: u64, den: u64) -> Option<u64> {
    (den > 0).then(|| {
        let (num, den) = (u128::from(num), u128::from(den));
        ((num * 20_000 + den) / (2 * den)) as u64
    })
}

/// `97.45%` from 9207 of 9448.
pub fn percent_text(num: u64, den: u64) -> Option<String> {
    basis_points(num, den).map(|bp| format!("{}.{:02}%", bp / 100, bp % 100))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceBookings {
    pub service: ServiceCode,
    /// Every booking whose slot falls in the period, in any state.
    pub total: u64,
    pub booked: u64,
    pub cancelled: u64,
    /// Came (checked in, called, being served or done).
    pub attended: u64,
    pub done: u64,
    pub no_show: u64,
    /// Moved to another slot at least once (counted once, at the slot they now hold).
    pub rescheduled: u64,
    pub walk_ins: u64,
    /// The service's waiting list.
    pub waitlist: WaitlistFigures,
    /// Residents' ratings of the service (mediation: of its cases).
    pub ratings: RatingFigures,
}

impl ServiceBookings {
    /// A service nobody came for.
    pub fn none(service: ServiceCode) -> ServiceBookings {
        ServiceBookings {
            service,
            total: 0,
            booked: 0,
            cancelled: 0,
            attended: 0,
            done: 0,
            no_show: 0,
            rescheduled: 0,
            walk_ins: 0,
            waitlist: WaitlistFigures::of(&WaitlistTally::default()),
            ratings: RatingFigures::of(&RatingTally::default()),
        }
    }
}

/// Waiting-list figures, each thing counted by the date it happened: residents who joined,
/// freed seats offered (held) to them, offers confirmed into bookings and offers left to run
/// out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitlistFigures {
    pub joined: u64,
    pub offered: u64,
    pub taken: u64,
    pub expired: u64,
    /// taken / offered. Offers made at the end of a period may be taken or expire in the
    /// next one, so the two sides are of the same period's events, not of the same offers.
    pub taken_rate: Ratio,
}

impl WaitlistFigures {
    pub fn of(t: &WaitlistTally) -> WaitlistFigures {
        let (taken, offered) = t.taken_of_offered();
        WaitlistFigures {
            joined: t.joined,
            offered: t.offered,
            taken: t.taken,
            expired: t.expired,
            taken_rate: Ratio::new(taken, offered),
        }
    }
}

/// Residents' ratings (好差评), counted by the date they were given, and the follow-ups of
/// the poor ones as they stand now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingFigures {
    /// Ratings per level, in the order of [`Level::ALL`] (best first), zeros included.
    pub levels: Vec<Count<Level>>,
    /// 好评: 非常满意, 满意 and 基本满意.
    pub good: u64,
    pub total: u64,
    /// 满意率: good / total.
    pub satisfaction_rate: Ratio,
    /// Reasons given with poor ratings, in the order of [`Reason::ALL`], zeros included.
    pub reasons: Vec<Count<Reason>>,
    /// Follow-ups closed by the end of their due day, closed after it, still open within it
    /// and still open past it.
    pub closed_on_time: u64,
    pub closed_late: u64,
    pub open: u64,
    pub overdue: u64,
    /// closed on time / (closed + overdue): open items within their deadline wait.
    pub on_time_rate: Ratio,
}

impl RatingFigures {
    pub fn of(t: &RatingTally) -> RatingFigures {
        RatingFigures {
            levels: Level::ALL
                .into_iter()
                .map(|l| Count {
                    key: l,
                    count: t.count(l),
                })
                .collect(),
            good: t.good(),
            total: t.total(),
            satisfaction_rate: t.satisfaction(),
            reasons: Reason::ALL
                .into_iter()
                .map(|r| Count {
                    key: r,
                    count: t.reason_count(r),
                })
                .collect(),
            closed_on_time: t.closed_on_time,
            closed_late: t.closed_late,
            open: t.open,
            overdue: t.overdue,
            on_time_rate: t.follow_up_on_time(),
        }
    }

    /// Poor ratings' follow-ups, in any state.
    pub fn follow_ups(&self) -> u64 {
        self.closed_on_time + self.closed_late + self.open + self.overdue
    }

    pub fn count(&self, level: Level) -> u64 {
        self.levels
            .iter()
            .find(|c| c.key == level)
            .map_or(0, |c| c.count)
    }

    pub fn reason_count(&self, reason: Reason) -> u64 {
        self.reasons
            .iter()
            .find(|c| c.key == reason)
            .map_or(0, |c| c.count)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Timing {
    /// How many visits were timed.
    pub count: u64,
    pub average_minutes: Option<f64>,
    pub p90_minutes: Option<u32>,
}

impl Timing {
    fn of(m: &Minutes) -> Timing {
        Timing {
            count: m.n,
            average_minutes: m.mean_minutes(),
            p90_minutes: m.percentile(90),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count<K> {
    pub key: K,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediationFigures {
    /// Requests received in the period, and of them refused.
    pub requests: u64,
    pub refused: u64,
    /// Accepted in the period (受理).
    pub accepted: u64,
    /// Of those, settled (成功化解) with a written or an oral agreement.
    pub settled: u64,
    pub written_agreements: u64,
    pub oral_agreements: u64,
    pub failed: u64,
    pub not_mediated: u64,
    pub referred: u64,
    /// Still being mediated.
    pub open: u64,
    /// settled / accepted, as the report counts it.
    pub success_rate: Ratio,
    /// Sum named in the written agreements (涉及金额).
    pub amount_fen: i64,
    pub referrals: Vec<Count<Referral>>,
    pub ip_accepted: u64,
    pub ip_settled: u64,
    pub by_type: Vec<Count<DisputeType>>,
}

/// The figures of one scope over one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub bookings: Vec<ServiceBookings>,
    pub bookings_total: u64,
    pub cancelled: u64,
    pub rescheduled: u64,
    pub walk_ins: u64,
    /// People served at a desk (booked and walk-in).
    pub served: u64,
    pub transferred: u64,
    /// Not come / (come + not come), over bookings whose outcome is known.
    pub no_show_rate: Ratio,
    pub wait: Timing,
    pub service_time: Timing,
    /// Young people among the psychology sessions held (booked ones that were attended).
    pub psychology_youth_share: Ratio,
    pub mediation: MediationFigures,
    /// The waiting lists of every service together.
    pub waitlist: WaitlistFigures,
    /// The ratings of every service together.
    pub ratings: RatingFigures,
}

impl Figures {
    pub fn of(t: &Tally) -> Figures {
        let mut bookings: Vec<ServiceBookings> = Vec::new();
        let mut services: Vec<ServiceCode> = t
            .bookings
            .iter()
            .map(|c| c.service)
            .chain(t.walk_ins.iter().map(|(s, _)| *s))
            .chain(t.waitlist.iter().map(|(s, _)| *s))
            .chain(t.ratings.iter().map(|(s, _)| *s))
            .collect();
        services.sort_by_key(|s| s.rank());
        services.dedup();
        for service in services {
            let cells = t.bookings.iter().filter(|c| c.service == service);
            let mut b = ServiceBookings::none(service);
            b.walk_ins = t
                .walk_ins
                .iter()
                .filter(|(s, _)| *s == service)
                .map(|(_, n)| n)
                .sum();
            let mut waiting = WaitlistTally::default();
            for (_, w) in t.waitlist.iter().filter(|(s, _)| *s == service) {
                waiting.merge(w);
            }
            b.waitlist = WaitlistFigures::of(&waiting);
            let mut rated = RatingTally::default();
            for (_, r) in t.ratings.iter().filter(|(s, _)| *s == service) {
                rated.merge(r);
            }
            b.ratings = RatingFigures::of(&rated);
            for c in cells {
                b.total += c.n;
                b.rescheduled += c.rescheduled;
                if c.state.came() {
                    b.attended += c.n;
                }
                match c.state {
                    BookingState::Booked => b.booked += c.n,
                    BookingState::Cancelled => b.cancelled += c.n,
                    BookingState::NoShow => b.no_show += c.n,
                    BookingState::Done => b.done += c.n,
                    BookingState::CheckedIn | BookingState::Called | BookingState::Serving => {}
                }
            }
            bookings.push(b);
        }
        let sum = |f: fn(&ServiceBookings) -> u64| bookings.iter().map(f).sum::<u64>();
        let (attended, no_show) = (sum(|b| b.attended), sum(|b| b.no_show));
        let psychology_attended: Vec<&BookingCell> = t
            .bookings
            .iter()
            .filter(|c| c.service == ServiceCode::Psychology && c.state.came())
            .collect();
        let mut waiting = WaitlistTally::default();
        for (_, w) in &t.waitlist {
            waiting.merge(w);
        }
        let mut rated = RatingTally::default();
        for (_, r) in &t.ratings {
            rated.merge(r);
        }
        Figures {
            bookings_total: sum(|b| b.total),
            cancelled: sum(|b| b.cancelled),
            rescheduled: sum(|b| b.rescheduled),
            walk_ins: sum(|b| b.walk_ins),
            served: t.served,
            transferred: t.transferred,
            no_show_rate: Ratio::new(no_show, attended + no_show),
            wait: Timing::of(&t.wait),
            service_time: Timing::of(&t.service_time),
            psychology_youth_share: Ratio::new(
                psychology_attended.iter().map(|c| c.youth).sum(),
                psychology_attended.iter().map(|c| c.n).sum(),
            ),
            mediation: MediationFigures::of(t),
            waitlist: WaitlistFigures::of(&waiting),
            ratings: RatingFigures::of(&rated),
            bookings,
        }
    }

    /// The bookings figures of one service (zeros when it had none).
    pub fn service(&self, service: ServiceCode) -> ServiceBookings {
        self.bookings
            .iter()
            .find(|b| b.service == service)
            .cloned()
            .unwrap_or_else(|| ServiceBookings::none(service))
    }
}

impl MediationFigures {
    fn of(t: &Tally) -> MediationFigures {
        let count = |keep: &dyn Fn(&CaseCell) -> bool| -> u64 {
            t.cases.iter().filter(|c| keep(c)).map(|c| c.n).sum()
        };
        let is = |o: Conclusion| move |c: &CaseCell| c.outcome == Some(o);
        let accepted = count(&|_| true);
        let settled = count(&|c| c.outcome.is_some_and(Conclusion::settled));
        let referrals: Vec<Count<Referral>> = Referral::ALL
            .into_iter()
            .map(|r| Count {
                key: r,
                count: count(&is(Conclusion::Referred(r))),
            })
            .collect();
        MediationFigures {
            requests: t.requests,
            refused: t.refused,
            accepted,
            settled,
            written_agreements: count(&is(Conclusion::WrittenAgreement)),
            oral_agreements: count(&is(Conclusion::OralAgreement)),
            failed: count(&is(Conclusion::Failed)),
            not_mediated: count(&is(Conclusion::NotMediated)),
            referred: referrals.iter().map(|r| r.count).sum(),
            open: count(&|c| c.outcome.is_none()),
            success_rate: Ratio::new(settled, accepted),
            amount_fen: t
                .cases
                .iter()
                .filter(|c| c.outcome == Some(Conclusion::WrittenAgreement))
                .map(|c| c.amount_fen)
                .sum(),
            referrals,
            ip_accepted: count(&|c| c.dispute == DisputeType::Ip),
            ip_settled: count(&|c| {
                c.dispute == DisputeType::Ip && c.outcome.is_some_and(Conclusion::settled)
            }),
            by_type: DisputeType::ALL
                .into_iter()
                .map(|d| Count {
                    key: d,
                    count: count(&|c| c.dispute == d),
                })
                .collect(),
        }
    }

    pub fn referrals_via(&self, channel: Referral) -> u64 {
        self.referrals
            .iter()
            .find(|r| r.key == channel)
            .map_or(0, |r| r.count)
    }
}

/// Change against the previous period, e.g. `+12.50%` or `-3.00%`; `None` when there was
/// nothing before to compare with.
pub fn change_text(now: u64, before: u64) -> Option<String> {
    if before == 0 {
        return None;
    }
    let sign = if now >= before { '+' } else { '-' };
    percent_text(now.abs_diff(before), before).map(|p| format!("{sign}{p}"))
}

/// `1021.05` (万元, two decimals, half up) from an amount in fen.
pub fn wan_yuan_text(amount: Fen) -> String {
    let hundreds_of_yuan = (amount.0.max(0) + 5_000) / 10_000; // 0.01 万元 = 100 元 = 10,000 fen
    format!("{}.{:02}", hundreds_of_yuan / 100, hundreds_of_yuan % 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mediation::Referral::*;
    use crate::stats::fixtures::hand_made;
    use ServiceCode::*;

    #[test]
    fn rates_keep_two_decimals_rounded_half_up() {
        let r = Ratio::new(9207, 9448);
        assert_eq!(r.percent.as_deref(), Some("97.45%"));
        assert_eq!(r.basis_points(), Some(9745));
        assert_eq!(percent_text(1, 3).as_deref(), Some("33.33%"));
        assert_eq!(percent_text(2, 3).as_deref(), Some("66.67%"));
        assert_eq!(percent_text(1, 8).as_deref(), Some("12.50%"));
        assert_eq!(percent_text(0, 0), None);
        assert_eq!(change_text(110, 100).as_deref(), Some("+10.00%"));
        assert_eq!(change_text(75, 100).as_deref(), Some("-25.00%"));
        assert_eq!(change_text(5, 0), None);
        assert_eq!(wan_yuan_text(Fen(1_021_050_000)), "1021.05");
        assert_eq!(wan_yuan_text(Fen(4_999)), "0.00");
        assert_eq!(wan_yuan_text(Fen(5_000)), "0.01");
    }

    #[test]
    fn every_figure_of_a_hand_made_tally() {
        let f = Figures::of(&hand_made());
        let legal = f.service(LegalConsultation);
        assert_eq!(
            (
                legal.total,
                legal.booked,
                legal.cancelled,
                legal.attended,
                legal.done
            ),
            (12, 3, 2, 6, 5)
        );
        assert_eq!(
            (legal.no_show, legal.rescheduled, legal.walk_ins),
            (1, 2, 4)
        );
        let psy = f.service(Psychology);
        assert_eq!(
            (psy.total, psy.attended, psy.no_show, psy.cancelled),
            (5, 3, 1, 1)
        );
        assert_eq!(f.service(Notary).total, 0);
        assert_eq!((f.bookings_total, f.cancelled, f.rescheduled), (17, 3, 2));
        assert_eq!((f.walk_ins, f.served, f.transferred), (4, 12, 1));
        // no-shows over bookings whose outcome is known: 2 / (9 attended + 2)
        assert_eq!(f.no_show_rate, Ratio::new(2, 11));
        assert_eq!(f.no_show_rate.percent.as_deref(), Some("18.18%"));
        // the youth booking that was cancelled and the one that did not come are not sessions
        assert_eq!(f.psychology_youth_share, Ratio::new(1, 3));
        assert_eq!(f.wait.count, 10);
        assert_eq!(f.wait.average_minutes, Some(13.0));
        assert_eq!(f.wait.p90_minutes, Some(18));
        assert_eq!(f.service_time.p90_minutes, Some(20));
        let m = &f.mediation;
        assert_eq!((m.requests, m.refused, m.accepted, m.settled), (9, 1, 8, 4));
        assert_eq!((m.written_agreements, m.oral_agreements), (3, 1));
        assert_eq!((m.failed, m.not_mediated, m.referred, m.open), (1, 1, 1, 1));
        assert_eq!(m.success_rate, Ratio::new(4, 8));
        assert_eq!(m.amount_fen, 1_500_050);
        assert_eq!(m.referrals_via(Court), 1);
        assert_eq!(m.referrals_via(PoliceLawFirm), 0);
        assert_eq!((m.ip_accepted, m.ip_settled), (2, 1));
        let by = |t| m.by_type.iter().find(|c| c.key == t).unwrap().count;
        assert_eq!(
            (
                by(DisputeType::Neighbour),
                by(DisputeType::Family),
                by(DisputeType::Ip)
            ),
            (2, 2, 2)
        );
        assert_eq!(m.by_type.iter().map(|c| c.count).sum::<u64>(), m.accepted);
        // no waiting list: zeros, and no rate
        assert_eq!(f.waitlist, WaitlistFigures::of(&WaitlistTally::default()));
        assert_eq!(f.waitlist.taken_rate.percent, None);
        assert_eq!(legal.waitlist.joined, 0);
    }

    #[test]
    fn waiting_list_figures_per_service_and_together() {
        let w = |joined, offered, taken, expired| WaitlistTally {
            joined,
            offered,
            taken,
            expired,
        };
        let mut t = hand_made();
        t.add_waitlist(LegalConsultation, &w(3, 3, 1, 1));
        t.add_waitlist(LegalConsultation, &w(2, 1, 1, 0));
        // a service with nothing but a waiting list is listed too
        t.add_waitlist(Notary, &w(2, 0, 0, 0));
        let f = Figures::of(&t);
        let legal = f.service(LegalConsultation).waitlist;
        assert_eq!(
            (legal.joined, legal.offered, legal.taken, legal.expired),
            (5, 4, 2, 1)
        );
        assert_eq!(legal.taken_rate, Ratio::new(2, 4));
        let notary = f.service(Notary);
        assert_eq!((notary.total, notary.waitlist.joined), (0, 2));
        assert_eq!(notary.waitlist.taken_rate.percent, None, "nothing offered");
        assert_eq!(f.service(Psychology).waitlist.joined, 0);
        assert_eq!(
            f.bookings.iter().map(|b| b.service).collect::<Vec<_>>(),
            [LegalConsultation, Psychology, Notary]
        );
        // the scope's figures are the services' sums, the rate taken over offered
        let all = &f.waitlist;
        assert_eq!(
            (all.joined, all.offered, all.taken, all.expired),
            (7, 4, 2, 1)
        );
        assert_eq!(all.taken_rate, Ratio::new(2, 4));
        assert_eq!(all.taken_rate.percent.as_deref(), Some("50.00%"));
        // the waiting list changes nothing else
        let without = Figures::of(&hand_made());
        assert_eq!(
            Figures {
                bookings: without.bookings.clone(),
                waitlist: without.waitlist.clone(),
                ..f.clone()
            },
            without
        );
        assert_eq!(f.bookings_total, without.bookings_total);
    }

    #[test]
    fn rating_figures_per_service_and_together() {
        use crate::rating::{Level, Reason};
        use crate::stats::fixtures::rated;
        let mut t = hand_made();
        t.add_ratings(
            LegalConsultation,
            &rated([3, 1, 0, 1, 0], [1, 0, 0, 0, 0, 0], [1, 0, 0, 0]),
        );
        t.add_ratings(
            LegalConsultation,
            &rated([1, 0, 1, 0, 1], [0, 1, 0, 0, 0, 1], [0, 1, 0, 0]),
        );
        // a service with nothing but ratings (mediation's cases) is listed too
        t.add_ratings(
            Mediation,
            &rated([0, 1, 0, 0, 1], [0, 0, 0, 1, 0, 0], [0, 0, 1, 1]),
        );
        let f = Figures::of(&t);
        let legal = f.service(LegalConsultation).ratings;
        assert_eq!(
            legal.levels.iter().map(|c| c.count).collect::<Vec<_>>(),
            [4, 1, 1, 1, 1]
        );
        assert_eq!(
            legal.levels.iter().map(|c| c.key).collect::<Vec<_>>(),
            Level::ALL
        );
        assert_eq!((legal.good, legal.total), (6, 8));
        assert_eq!(legal.satisfaction_rate, Ratio::new(6, 8));
        assert_eq!(legal.reason_count(Reason::Attitude), 1);
        assert_eq!(legal.reason_count(Reason::Other), 1);
        assert_eq!(
            (
                legal.closed_on_time,
                legal.closed_late,
                legal.open,
                legal.overdue
            ),
            (1, 1, 0, 0)
        );
        assert_eq!(legal.on_time_rate, Ratio::new(1, 2));
        let mediation = f.service(Mediation);
        assert_eq!((mediation.total, mediation.ratings.total), (0, 2));
        assert_eq!(
            mediation.ratings.on_time_rate,
            Ratio::new(0, 1),
            "the overdue one counts, the open one within its deadline waits"
        );
        assert_eq!(f.service(Psychology).ratings.total, 0);
        assert_eq!(
            f.service(Psychology).ratings.satisfaction_rate.percent,
            None
        );
        assert_eq!(
            f.bookings.iter().map(|b| b.service).collect::<Vec<_>>(),
            [LegalConsultation, Psychology, Mediation]
        );
        // the scope's figures are the services' sums
        let all = &f.ratings;
        assert_eq!(all.count(Level::VerySatisfied), 4);
        assert_eq!(all.count(Level::VeryDissatisfied), 2);
        assert_eq!((all.good, all.total), (7, 10));
        assert_eq!(all.satisfaction_rate.percent.as_deref(), Some("70.00%"));
        assert_eq!(
            all.reasons.iter().map(|c| c.count).collect::<Vec<_>>(),
            [1, 1, 0, 1, 0, 1]
        );
        assert_eq!(
            all.reasons.iter().map(|c| c.key).collect::<Vec<_>>(),
            Reason::ALL
        );
        assert_eq!(all.follow_ups(), 4);
        assert_eq!(all.on_time_rate, Ratio::new(1, 3));
        // the ratings change nothing else
        let without = Figures::of(&hand_made());
        assert_eq!(without.ratings.total, 0);
        assert_eq!(without.ratings.levels.len(), 5);
        assert_eq!(
            Figures {
                bookings: without.bookings.clone(),
                ratings: without.ratings.clone(),
                ..f.clone()
            },
            without
        );
    }
}

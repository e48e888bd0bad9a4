//! `server demo-history`: years of realistic past activity for the demo district, so that
//! statistics, exports and their speed can be seen at the size of a real district (about a
//! million bookings and tens of thousands of mediation cases over three years).
//!
//! Everything comes from one seeded ChaCha generator and the places' own weekly schedules:
//! the same seed and district give the same history. Volumes follow the source report
//! (about 12,600 mediation cases a year, 97% settled, a third with written agreements) with
//! seasons (Spring Festival and National Day dips, a busy December), yearly growth and
//! per-place differences.
//!
//! A share of the finished visits and closed cases is rated (好差评), mostly well, and every
//! poor rating has its follow-up, nearly always closed in time. Ratings come from a second
//! stream of the same seed, so the rest of a seed's history is what it was before them.

use crate::store::{
    HistoryBatch, HistoryBooking, HistoryCase, HistoryQueueEntry, HistoryRating, HistoryReschedule,
    RatedSubject, Store,
};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use domain::booking::{topics, BookingCode};
use domain::calendar::parse_holiday_year;
use domain::mediation::{
    agreement_number, agreement_year, committee_short_name, CaseState, DisputeType, Ending,
    Referral,
};
use domain::queue::{ticket, Outcome, QueueState};
use domain::rating::{
    end_of_day, Call, Comment, FollowUp, FollowUpState, Level, Note, Rating, Reason, RATING_DAYS,
};
use domain::slots::{local_date, local_instant};
use domain::stats::Month;
use domain::{BookingState, HolidayCalendar, Location, LocationId, ServiceCode};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct HistoryPlan {
    /// The first day after the history (normally today): nothing is generated from it on.
    pub until: NaiveDate,
    pub years: u32,
    pub seed: u64,
    /// 1.0 is the full district (~330,000 bookings a year); tests use a small fraction.
    pub scale: f64,
}

impl HistoryPlan {
    /// The first and the last month the history touches (the last is `until`'s, partly).
    pub fn months(&self) -> (Month, Month) {
        let first = Month {
            year: self.until.year() - self.years as i32,
            month: self.until.month(),
        };
        (first, Month::of(self.until))
    }
}

/// What was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HistorySummary {
    pub bookings: u64,
    pub walk_ins: u64,
    pub cases: u64,
    /// Ratings, and of them poor ones (each with its follow-up).
    pub ratings: u64,
    pub poor_ratings: u64,
    pub months: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("数据库中已有 {0} 条 {1} 之前的预约：请用一个新的数据库（DATABASE_URL）生成历史数据")]
    NotEmpty(i64, NaiveDate),
    #[error("{0}")]
    Store(#[from] crate::store::StoreError),
}

/// Bookings a year at scale 1.0, before growth: a million over three years.
const BOOKINGS_PER_YEAR: f64 = 320_000.0;
/// Accepted mediation cases a year at scale 1.0 (the report: 9,448 in nine months).
const CASES_PER_YEAR: f64 = 12_600.0;
/// IP disputes a year at scale 1.0 in all IP rooms together (the report: 15 in nine months).
const IP_CASES_PER_YEAR: f64 = 20.0;
/// Working days a year, near enough for rates.
const WORKING_DAYS: f64 = 250.0;

/// Monthly demand relative to an average month.
fn season(month: u32) -> f64 {
    [
        0.95, 0.6, 1.1, 1.0, 1.0, 1.05, 0.95, 0.9, 1.05, 0.8, 1.15, 1.25,
    ][(month - 1) as usize]
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "高", "罗",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀英", "桂英", "建华", "国强", "志刚", "玉兰", "海燕",
];

fn name(rng: &mut ChaCha8Rng) -> String {
    format!(
        "{}{}",
        SURNAMES[rng.gen_range(0..SURNAMES.len())],
        GIVEN[rng.gen_range(0..GIVEN.len())]
    )
}

fn phone(rng: &mut ChaCha8Rng) -> String {
    const PREFIXES: &[&str] = &[
        "139", "138", "137", "136", "135", "158", "186", "189", "177",
    ];
    format!(
        "{}{:08}",
        PREFIXES[rng.gen_range(0..PREFIXES.len())],
        rng.gen_range(0..100_000_000u32)
    )
}

/// A Poisson draw (Knuth; the means here are small).
fn poisson(rng: &mut ChaCha8Rng, mean: f64) -> u32 {
    if mean <= 0.0 {
        return 0;
    }
    if mean > 30.0 {
        // normal approximation for the rare large mean
        let z: f64 = (0..12).map(|_| rng.gen::<f64>()).sum::<f64>() - 6.0;
        return (mean + z * mean.sqrt()).round().max(0.0) as u32;
    }
    let limit = (-mean).exp();
    let (mut k, mut p) = (0, 1.0);
    loop {
        p *= rng.gen::<f64>();
        if p <= limit {
            return k;
        }
        k += 1;
    }
}

/// Minutes from an exponential distribution with `mean`, at least `min`, at most `max`.
fn minutes(rng: &mut ChaCha8Rng, mean: f64, min: i64, max: i64) -> i64 {
    let u: f64 = rng.gen_range(f64::EPSILON..1.0);
    ((-u.ln() * mean).round() as i64).clamp(min, max)
}

fn at(day: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    local_instant(day, time)
        .expect("Shanghai has every time")
        .with_timezone(&Utc)
}

/// How busy each place is compared with the average (0.6 to 1.4).
fn place_busyness(places: &[Location], rng: &mut ChaCha8Rng) -> HashMap<LocationId, f64> {
    places
        .iter()
        .map(|p| (p.id, rng.gen_range(0.6..1.4)))
        .collect()
}

/// A place's share of new mediation cases: an office's committee takes about six times a
/// neighbourhood's.
fn case_weight(place: &Location, busy: f64) -> f64 {
    if place.office_id.is_none() {
        6.0 * busy
    } else {
        busy
    }
}

const POOR_COMMENTS: &[&str] = &[
    "等了很久才叫到号。",
    "解答不够清楚，还是不知道该怎么办。",
    "工作人员态度有点不耐烦。",
    "调解结果不太满意，对方没有按约履行。",
    "等候区太挤，没有座位。",
    "希望能多安排几位律师值班。",
];

const GOOD_COMMENTS: &[&str] = &[
    "律师很耐心，讲得很清楚，谢谢！",
    "预约方便，没怎么等。",
    "调解员很负责，问题解决了。",
    "服务很好。",
];

const CALLS: &[&str] = &[
    "已电话回访，向当事人说明情况，当事人表示理解。",
    "已电话回访，当事人提出的问题已记录并答复。",
    "三次未接通，已发短信告知回访情况。",
];

const CHANGES: &[&str] = &[
    "已对窗口工作人员进行提醒谈话，规范接待用语。",
    "调整了高峰时段的值班和叫号安排。",
    "已安排律师再次联系当事人补充解答。",
    "已安排调解员跟进协议履行情况。",
    "已增加等候区座位。",
];

fn pick<'s>(rng: &mut ChaCha8Rng, list: &[&'s str]) -> &'s str {
    list[rng.gen_range(0..list.len())]
}

/// Residents' ratings of what the history served, drawn from their own random stream.
struct Rater {
    rng: ChaCha8Rng,
    /// For the follow-ups' deadlines.
    calendar: HolidayCalendar,
    /// Per place and year: the share of finished services rated (25–40 %) and the share of
    /// ratings that are good (93–97 %).
    habits: HashMap<(LocationId, i32), (f64, f64)>,
    next_id: i64,
    /// The history's end: nothing is rated, called back or closed from then on.
    until: DateTime<Utc>,
}

impl Rater {
    /// Perhaps a rating of `subject`, finished at `finished`.
    fn rate(
        &mut self,
        subject: RatedSubject,
        place: LocationId,
        service: ServiceCode,
        finished: DateTime<Utc>,
        summary: &mut HistorySummary,
    ) -> Option<HistoryRating> {
        let rng = &mut self.rng;
        let (share, good) = *self
            .habits
            .entry((place, local_date(&finished).year()))
            .or_insert_with(|| (rng.gen_range(0.25..0.40), rng.gen_range(0.93..0.97)));
        if self.rng.gen::<f64>() >= share {
            return None;
        }
        // most rate at the counter (the ticket's QR code), others from the text message later
        let minutes = match self.rng.gen::<f64>() {
            r if r < 0.6 => self.rng.gen_range(1..60),
            r if r < 0.9 => self.rng.gen_range(60..24 * 60),
            _ => self.rng.gen_range(24 * 60..RATING_DAYS * 24 * 60),
        };
        let rated_at = finished + Duration::minutes(minutes);
        if rated_at >= self.until {
            return None;
        }
        let level = if self.rng.gen::<f64>() < good {
            match self.rng.gen::<f64>() {
                r if r < 0.72 => Level::VerySatisfied,
                r if r < 0.93 => Level::Satisfied,
                _ => Level::Basic,
            }
        } else if self.rng.gen::<f64>() < 0.7 {
            Level::Dissatisfied
        } else {
            Level::VeryDissatisfied
        };
        let mut reasons = Vec::new();
        let mut comment = None;
        if level.is_poor() {
            // mediation is rated on its outcome more than on the waiting
            let weights: [u32; 6] = if service == ServiceCode::Mediation {
                [20, 5, 15, 50, 5, 5]
            } else {
                [25, 35, 25, 5, 5, 5]
            };
            let n = if self.rng.gen::<f64>() < 0.65 { 1 } else { 2 };
            while reasons.len() < n {
                let mut at = self.rng.gen_range(0..weights.iter().sum::<u32>());
                let i = weights
                    .iter()
                    .position(|w| {
                        if at < *w {
                            true
                        } else {
                            at -= w;
                            false
                        }
                    })
                    .unwrap_or(5);
                if !reasons.contains(&Reason::ALL[i]) {
                    reasons.push(Reason::ALL[i]);
                }
            }
            if self.rng.gen::<f64>() < 0.45 {
                comment = Some(pick(&mut self.rng, POOR_COMMENTS));
            }
        } else if self.rng.gen::<f64>() < 0.05 {
            comment = Some(pick(&mut self.rng, GOOD_COMMENTS));
        }
        let follow_up = level.is_poor().then(|| self.follow_up(rated_at));
        self.next_id += 1;
        summary.ratings += 1;
        summary.poor_ratings += u64::from(level.is_poor());
        Some(HistoryRating {
            id: self.next_id,
            subject,
            location_id: place,
            service,
            rating: Rating {
                level,
                reasons,
                comment: comment.and_then(|c| Comment::parse(c).expect("a short comment")),
            },
            rated_at,
            follow_up,
        })
    }

    /// A poor rating's follow-up: called back, then closed, nearly always by its deadline;
    /// as far as it got by the history's end.
    fn follow_up(&mut self, rated_at: DateTime<Utc>) -> FollowUp {
        let mut f = FollowUp::open(rated_at, &self.calendar);
        let deadline = end_of_day(f.due);
        let span = (deadline - rated_at).num_minutes().max(4);
        let called_at = rated_at + Duration::minutes(self.rng.gen_range(1..span / 2));
        let closed_at = if self.rng.gen::<f64>() < 0.06 {
            deadline + Duration::minutes(self.rng.gen_range(60..3 * 24 * 60))
        } else {
            let left = (deadline - called_at).num_minutes().max(2);
            called_at + Duration::minutes(self.rng.gen_range(1..left))
        };
        let call = Call {
            at: called_at,
            said: Note::parse("said", pick(&mut self.rng, CALLS)).expect("a short note"),
        };
        let changed = Note::parse("changed", pick(&mut self.rng, CHANGES)).expect("a short note");
        f.state = if closed_at < self.until {
            FollowUpState::Closed {
                call,
                closed_at,
                changed,
            }
        } else if called_at < self.until {
            FollowUpState::Called(call)
        } else {
            FollowUpState::Open
        };
        f
    }
}

struct Generator<'a> {
    rng: ChaCha8Rng,
    places: &'a [Location],
    busy: HashMap<LocationId, f64>,
    /// Chance that a seat is taken, before season, growth and busyness.
    fill: f64,
    /// Seats per slot in the past, as a multiple of today's schedule (see `generate`).
    seats: u16,
    case_rate: f64,
    /// Chance of an IP dispute on a working day at a place with an IP room.
    ip_rate: f64,
    next_id: i64,
    next_queue_id: i64,
    next_case_id: i64,
    rater: Rater,
    codes: HashSet<String>,
    counters: HashMap<(LocationId, i32), i64>,
    until: NaiveDate,
    first_year: i32,
}

impl Generator<'_> {
    fn growth(&self, day: NaiveDate) -> f64 {
        1.0 + 0.08 * f64::from(day.year() - self.first_year)
    }

    fn code(&mut self) -> String {
        loop {
            let code = BookingCode::generate(&mut self.rng).as_str().to_string();
            if self.codes.insert(code.clone()) {
                return code;
            }
        }
    }

    /// One day of every place: bookings on the place's own slots, arrivals, new cases.
    fn day(&mut self, day: NaiveDate, batch: &mut HistoryBatch, summary: &mut HistorySummary) {
        let weekday = day.weekday();
        let demand = season(day.month()) * self.growth(day);
        for place in self.places {
            let busy = self.busy[&place.id];
            for offer in &place.services {
                let mut number = 0u32;
                let mut booked = 0u32;
                for session in offer.sessions.iter().filter(|s| s.days.contains(weekday)) {
                    let slot = Duration::minutes(i64::from(session.slot_minutes.max(5)));
                    let mut start = session.start;
                    while start + slot <= session.end {
                        let p = (self.fill * demand * busy).min(0.95);
                        for _ in 0..session.capacity * self.seats {
                            if self.rng.gen::<f64>() < p {
                                self.booking(
                                    place,
                                    offer.service,
                                    day,
                                    start,
                                    slot,
                                    session.youth_only,
                                    &mut number,
                                    batch,
                                    summary,
                                );
                                booked += 1;
                                summary.bookings += 1;
                            }
                        }
                        start += slot;
                    }
                }
                // walk-ins come to desks that are open that day (not to psychology)
                if let Some(open) = offer
                    .sessions
                    .iter()
                    .find(|s| s.days.contains(weekday))
                    .filter(|_| offer.service != ServiceCode::Psychology)
                {
                    let n = poisson(&mut self.rng, 0.25 * f64::from(booked) + 0.3);
                    for _ in 0..n {
                        number += 1;
                        let span = (open.end - open.start).num_minutes().max(1);
                        let arrived = at(
                            day,
                            open.start + Duration::minutes(self.rng.gen_range(0..span)),
                        );
                        let visit = self.visit(place.id, offer.service, day, number, None, arrived);
                        if let Some(r) = self.rater.rate(
                            RatedSubject::WalkIn(visit.id),
                            place.id,
                            offer.service,
                            visit.finished_at.unwrap_or(arrived),
                            summary,
                        ) {
                            batch.ratings.push(r);
                        }
                        batch.queue.push(visit);
                        summary.walk_ins += 1;
                    }
                }
            }
            if !matches!(weekday, Weekday::Sat | Weekday::Sun) {
                let n = poisson(
                    &mut self.rng,
                    self.case_rate * demand * case_weight(place, busy),
                );
                for _ in 0..n {
                    self.case(place, day, false, batch, summary);
                    summary.cases += 1;
                }
                if place.offers(ServiceCode::IpMediation).is_some()
                    && self.rng.gen::<f64>() < self.ip_rate * demand
                {
                    self.case(place, day, true, batch, summary);
                    summary.cases += 1;
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn booking(
        &mut self,
        place: &Location,
        service: ServiceCode,
        day: NaiveDate,
        start: NaiveTime,
        slot: Duration,
        youth_only: bool,
        number: &mut u32,
        batch: &mut HistoryBatch,
        summary: &mut HistorySummary,
    ) {
        self.next_id += 1;
        let id = self.next_id;
        let start_at = at(day, start);
        let list = topics(service);
        let topic = list[self.rng.gen_range(0..list.len())].code().to_string();
        let roll: f64 = self.rng.gen();
        let state = if roll < 0.08 {
            BookingState::Cancelled
        } else if roll < 0.14 {
            BookingState::NoShow
        } else {
            BookingState::Done
        };
        let created_at = start_at - Duration::hours(self.rng.gen_range(2..24 * 7));
        if state != BookingState::Cancelled && self.rng.gen::<f64>() < 0.04 {
            let from_start = start_at - Duration::days(self.rng.gen_range(1..5));
            batch.reschedules.push(HistoryReschedule {
                booking_id: id,
                at: created_at.min(from_start - Duration::hours(1)),
                from_start,
                to_start: start_at,
            });
        }
        let code = self.code();
        batch.bookings.push(HistoryBooking {
            id,
            code,
            location_id: place.id,
            service,
            start: start_at,
            end: start_at + slot,
            state,
            name: name(&mut self.rng),
            phone: phone(&mut self.rng),
            topic,
            youth: youth_only
                || (service == ServiceCode::Psychology && self.rng.gen::<f64>() < 0.05),
            created_at,
        });
        if state == BookingState::Done {
            *number += 1;
            let arrived = start_at - Duration::minutes(self.rng.gen_range(0..15));
            let visit = self.visit(place.id, service, day, *number, Some(id), arrived);
            if let Some(r) = self.rater.rate(
                RatedSubject::Booking(id),
                place.id,
                service,
                visit.finished_at.unwrap_or(arrived),
                summary,
            ) {
                batch.ratings.push(r);
            }
            batch.queue.push(visit);
        }
    }

    /// A served arrival: waits, is called, served and finished.
    fn visit(
        &mut self,
        place: LocationId,
        service: ServiceCode,
        day: NaiveDate,
        number: u32,
        booking_id: Option<i64>,
        arrived_at: DateTime<Utc>,
    ) -> HistoryQueueEntry {
        let wait = if booking_id.is_some() { 6.0 } else { 14.0 };
        let called_at = arrived_at + Duration::minutes(minutes(&mut self.rng, wait, 0, 120));
        let serving_at = called_at + Duration::minutes(1);
        let finished_at = serving_at + Duration::minutes(minutes(&mut self.rng, 18.0, 3, 120));
        self.next_queue_id += 1;
        HistoryQueueEntry {
            id: self.next_queue_id,
            location_id: place,
            service,
            day,
            number,
            ticket: ticket(service, number),
            booking_id,
            state: QueueState::Done,
            arrived_at,
            called_at: Some(called_at),
            serving_at: Some(serving_at),
            finished_at: Some(finished_at),
            outcome: Some(Outcome::AdviceGiven),
        }
    }

    fn case(
        &mut self,
        place: &Location,
        day: NaiveDate,
        ip: bool,
        batch: &mut HistoryBatch,
        summary: &mut HistorySummary,
    ) {
        const TYPES: &[(DisputeType, u32)] = &[
            (DisputeType::Neighbour, 25),
            (DisputeType::Family, 20),
            (DisputeType::Property, 20),
            (DisputeType::Renovation, 12),
            (DisputeType::Labour, 8),
            (DisputeType::Consumer, 7),
            (DisputeType::Commercial, 5),
            (DisputeType::Other, 3),
        ];
        let dispute_type = if ip {
            DisputeType::Ip
        } else {
            let mut pick = self
                .rng
                .gen_range(0..TYPES.iter().map(|t| t.1).sum::<u32>());
            TYPES
                .iter()
                .find(|(_, w)| {
                    if pick < *w {
                        true
                    } else {
                        pick -= w;
                        false
                    }
                })
                .map_or(DisputeType::Other, |t| t.0)
        };
        let submitted_at = at(day, NaiveTime::from_hms_opt(9, 0, 0).expect("time"))
            + Duration::minutes(self.rng.gen_range(0..480));
        self.next_case_id += 1;
        let mut case = HistoryCase {
            id: self.next_case_id,
            code: String::new(),
            state: CaseState::Submitted,
            applicant_name: name(&mut self.rng),
            applicant_phone: phone(&mut self.rng),
            other_party_name: name(&mut self.rng),
            dispute_type,
            account: "（生成的历史数据）".into(),
            location_id: place.id,
            submitted_at,
            accepted_at: None,
            closed_at: None,
            outcome: None,
            referral: None,
            amount_fen: None,
            terms: None,
            reason: None,
            agreement_no: None,
        };
        // case codes have the booking codes' shape: one pool keeps both unique
        case.code = self.code();
        if self.rng.gen::<f64>() < 0.02 {
            case.closed_at = Some(submitted_at + Duration::days(1));
            case.state = Ending::Refused.state();
            case.outcome = Some(Ending::Refused);
            case.reason = Some("不属于人民调解受理范围".into());
        } else {
            let accepted_at = submitted_at + Duration::hours(self.rng.gen_range(1..48));
            case.accepted_at = Some(accepted_at);
            let closed_at = accepted_at + Duration::days(self.rng.gen_range(2..40));
            if closed_at >= at(self.until, NaiveTime::MIN) {
                case.state = CaseState::SessionScheduled;
            } else {
                case.closed_at = Some(closed_at);
                let ending = match self.rng.gen::<f64>() {
                    r if r < 0.343 => Ending::WrittenAgreement,
                    r if r < 0.9745 => Ending::OralAgreement,
                    r if r < 0.99 => Ending::Failed,
                    r if r < 0.997 => Ending::Referred,
                    _ => Ending::NotMediated,
                };
                case.state = ending.state();
                case.outcome = Some(ending);
                match ending {
                    Ending::WrittenAgreement => {
                        // ¥1,800 to ¥99,000, about ¥24,000 on average (the report: 448
                        // agreements, ¥10.2105 million)
                        let yuan = (self.rng.gen_range(7.5f64..11.5)).exp();
                        case.amount_fen = Some(if self.rng.gen::<f64>() < 0.7 {
                            (yuan.round() as i64) * 100
                        } else {
                            0
                        });
                        case.terms = Some("双方自愿达成调解协议，按约履行。".into());
                        let year = agreement_year(closed_at.fixed_offset());
                        let seq = self.counters.entry((place.id, year)).or_insert(0);
                        *seq += 1;
                        case.agreement_no = Some(agreement_number(
                            committee_short_name(&place.name),
                            year,
                            u32::try_from(*seq).unwrap_or(0),
                        ));
                    }
                    Ending::OralAgreement => case.terms = Some("双方当场达成口头协议。".into()),
                    Ending::Failed => case.reason = Some("双方分歧较大，未能达成一致。".into()),
                    Ending::Referred => {
                        case.referral = Some(match self.rng.gen_range(0..20) {
                            0..=7 => Referral::Court,
                            8..=15 => Referral::PoliceLawFirm,
                            16 => Referral::Procuratorate,
                            _ => Referral::Department,
                        })
                    }
                    Ending::NotMediated | Ending::Refused => {}
                }
            }
        }
        if let (true, Some(closed_at)) = (case.state.is_closed(), case.closed_at) {
            if let Some(r) = self.rater.rate(
                RatedSubject::Case(case.id),
                place.id,
                ServiceCode::Mediation,
                closed_at,
                summary,
            ) {
                batch.ratings.push(r);
            }
        }
        batch.cases.push(case);
    }
}

/// Writes the history month by month; `progress(done, total)` after each month.
pub async fn generate(
    store: &Arc<dyn Store>,
    places: &[Location],
    plan: HistoryPlan,
    mut progress: impl FnMut(u64, u64),
) -> Result<HistorySummary, HistoryError> {
    let first = plan.months().0.first_day();
    let state = store.history_state(at(plan.until, NaiveTime::MIN)).await?;
    if state.bookings_before > 0 {
        return Err(HistoryError::NotEmpty(state.bookings_before, plan.until));
    }
    // the follow-ups' deadlines skip the holidays the portal knows (weekends otherwise)
    let mut calendar = HolidayCalendar::new();
    for body in store.holiday_files().await? {
        if let Ok(year) = parse_holiday_year(&body) {
            calendar.insert(year);
        }
    }
    let mut rng = ChaCha8Rng::seed_from_u64(plan.seed);
    let mut rating_rng = ChaCha8Rng::seed_from_u64(plan.seed);
    rating_rng.set_stream(1);
    let busy = place_busyness(places, &mut rng);
    // Calibrate the chance a seat is taken so that a year brings BOOKINGS_PER_YEAR × scale.
    // Today's demo schedules offer about 190,000 seats a year, fewer than a district of a
    // million bookings in three years needs: the past is generated with `seats` times
    // today's seats per slot (more duty lawyers), keeping every seat at most half taken on
    // an average day so that seasons and busy places have room.
    let seats_per_year: f64 = places
        .iter()
        .flat_map(|p| {
            p.services
                .iter()
                .flat_map(move |o| o.sessions.iter().map(move |s| (p.id, s)))
        })
        .map(|(id, s)| {
            let slots = ((s.end - s.start).num_minutes() / i64::from(s.slot_minutes.max(5))) as f64;
            slots * f64::from(s.capacity) * s.days.days().count() as f64 * 52.0 * busy[&id]
        })
        .sum::<f64>()
        .max(1.0);
    let target = BOOKINGS_PER_YEAR * plan.scale;
    let seats = (target / (seats_per_year * 0.5)).ceil().clamp(1.0, 50.0);
    let fill = target / (seats_per_year * seats);
    let weight_sum: f64 = places.iter().map(|p| case_weight(p, busy[&p.id])).sum();
    let case_rate = CASES_PER_YEAR * plan.scale / WORKING_DAYS / weight_sum.max(1.0);
    let ip_rooms = places
        .iter()
        .filter(|p| p.offers(ServiceCode::IpMediation).is_some())
        .count();
    let ip_rate = IP_CASES_PER_YEAR * plan.scale / WORKING_DAYS / (ip_rooms.max(1) as f64);
    let mut generator = Generator {
        rng,
        places,
        busy,
        fill,
        seats: seats as u16,
        case_rate,
        ip_rate,
        next_id: state.last_booking,
        next_queue_id: state.last_queue_entry,
        next_case_id: state.last_case,
        rater: Rater {
            rng: rating_rng,
            calendar,
            habits: HashMap::new(),
            next_id: state.last_rating,
            until: at(plan.until, NaiveTime::MIN),
        },
        codes: HashSet::new(),
        counters: HashMap::new(),
        until: plan.until,
        first_year: first.year(),
    };
    let mut months = Vec::new();
    let mut m = Month::of(first);
    while m.first_day() < plan.until {
        months.push(m);
        m = Month::of(m.last_day() + chrono::Days::new(1));
    }
    let mut summary = HistorySummary::default();
    let total = months.len() as u64;
    for (i, month) in months.into_iter().enumerate() {
        let mut batch = HistoryBatch::default();
        let mut day = month.first_day();
        while day <= month.last_day() && day < plan.until {
            generator.day(day, &mut batch, &mut summary);
            day = day + chrono::Days::new(1);
        }
        batch.agreement_counters = generator
            .counters
            .iter()
            .map(|((place, year), last)| (*place, *year, *last))
            .collect();
        store.insert_history(&batch).await?;
        summary.months += 1;
        progress(i as u64 + 1, total);
    }
    Ok(summary)
}

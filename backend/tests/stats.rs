//! Statistics over generated history: the monthly roll-ups give exactly what counting the
//! working tables gives, stay right when a booking changes, the report paragraph says what
//! the dashboard says, and the same seed gives the same history.

use backend::history::{generate, HistoryPlan};
use backend::testing::{demo_store, engines, fresh_store, Engine, TestDatabase};
use backend::{Directory, Statistics, Store};
use chrono::NaiveDate;
use domain::staff::{Role, StaffAccount};
use domain::stats::{Dashboard, Figures, Period, Scope, Tally};
use domain::{BookingState, LocationId};

use std::collections::BTreeMap;
use std::sync::Arc;

const DEMO: &str = include_str!("../../seed/demo-district.toml");

fn admin() -> StaffAccount {
    StaffAccount {
        id: 1,
        username: "district".into(),
        display_name: "区司法局".into(),
        role: Role::DistrictAdmin,
        place: None,
    }
}

fn plan(seed: u64, scale: f64) -> HistoryPlan {
    HistoryPlan {
        until: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
        years: 2,
        seed,
        scale,
    }
}

/// A database with the demo district and two generated years, roll-ups computed.
async fn history(
    engine: Engine,
    seed: u64,
    scale: f64,
) -> (TestDatabase, Arc<dyn Store>, Statistics) {
    let (dir, store, directory, places) = demo_store(engine).await;
    let mut last = 0;
    let summary = generate(&store, &places, plan(seed, scale), |done, total| {
        assert!(done > last && done <= total, "progress moves forward");
        last = done;
    })
    .await
    .unwrap();
    assert!(summary.bookings as f64 > 500_000.0 * scale, "{summary:?}");
    let stats = Statistics::new(store.clone(), directory, backend::booking::system_clock());
    let (first, to) = plan(seed, scale).months();
    assert!(stats.refresh(first, to).await.unwrap() > 0);
    (dir, store, stats)
}

/// The figures of `period` counted straight from the working tables (the ratings too).
async fn raw(store: &Arc<dyn Store>, period: Period) -> Figures {
    let mut all = Tally::default();
    for t in store.tally_raw(period, None).await.unwrap().values() {
        all.merge(t);
    }
    let (from, to) = domain::slots::days_span(period.from, period.to).unwrap();
    let ratings = store
        .rating_tally(from.to_utc(), to.to_utc(), chrono::Utc::now())
        .await
        .unwrap();
    for ((_, service), r) in ratings {
        all.add_ratings(service, &r);
    }
    Figures::of(&all)
}

fn number_after(text: &str, before: &str, after: &str) -> String {
    let start = text
        .find(before)
        .unwrap_or_else(|| panic!("{before:?} not in {text}"))
        + before.len();
    let rest = &text[start..];
    rest[..rest
        .find(after)
        .unwrap_or_else(|| panic!("{after:?} after {before:?} in {text}"))]
        .to_string()
}

#[tokio::test]
async fn a_generated_year_adds_up_and_its_report_says_what_the_dashboard_says() {
    for engine in engines() {
        a_generated_year_adds_up_and_its_report_says_what_the_dashboard_says_on(engine).await;
    }
}

async fn a_generated_year_adds_up_and_its_report_says_what_the_dashboard_says_on(engine: Engine) {
    // a twentieth of the district; with this seed its 2025 has referrals and IP disputes,
    // so every sentence of the paragraph is checked
    let (_dir, store, stats) = history(engine, 1, 0.05).await;
    let year = Period::parse("2025-01-01", "2025-12-31").unwrap();
    let d: Dashboard = stats
        .dashboard(&admin(), Scope::District, year)
        .await
        .unwrap();
    let f = &d.figures;

    // roll-ups (whole months) = counting the working tables
    assert_eq!(*f, raw(&store, year).await);
    // the drill-down rows add up to the district
    let rows_total: u64 = d.rows.iter().map(|r| r.figures.bookings_total).sum();
    assert_eq!(rows_total, f.bookings_total);
    assert_eq!(d.rows.len(), 14);
    let months_total: u64 = d.months.iter().map(|m| m.figures.mediation.accepted).sum();
    assert_eq!(months_total, f.mediation.accepted);
    assert_eq!(d.months.len(), 12);

    // a realistic year: the source report's shape
    let m = &f.mediation;
    let rate = m.success_rate.basis_points().unwrap();
    assert!((9_500..=9_900).contains(&rate), "success rate {rate}");
    assert!(m.written_agreements * 4 > m.settled && m.written_agreements * 2 < m.settled);
    assert!(m.amount_fen > 0);
    assert_eq!(m.settled, m.written_agreements + m.oral_agreements);
    assert_eq!(
        m.accepted,
        m.settled + m.failed + m.not_mediated + m.referred + m.open
    );
    assert!(f.no_show_rate.basis_points().unwrap() > 300);
    assert!(f.psychology_youth_share.numerator > 0);
    assert!(f.wait.p90_minutes.unwrap() >= f.wait.average_minutes.unwrap() as u32);
    // seasons: February (Spring Festival) is quieter than December
    let served = |i: usize| d.months[i].figures.bookings_total;
    assert!(
        served(1) < served(11),
        "Feb {} vs Dec {}",
        served(1),
        served(11)
    );

    // ratings: a third or so of what was finished, mostly good, every poor one followed up
    // and nearly always in time (this year's follow-ups are all closed)
    let r = &f.ratings;
    let finished = f.bookings.iter().map(|b| b.done + b.walk_ins).sum::<u64>() + m.accepted
        - m.open
        + m.refused;
    let share = r.total as f64 / finished as f64;
    assert!((0.22..=0.42).contains(&share), "rated {share}");
    let good = r.satisfaction_rate.basis_points().unwrap();
    assert!((9_200..=9_800).contains(&good), "satisfaction {good}");
    assert_eq!(
        r.good,
        r.count(domain::rating::Level::VerySatisfied)
            + r.count(domain::rating::Level::Satisfied)
            + r.count(domain::rating::Level::Basic)
    );
    let poor = r.total - r.good;
    assert_eq!(r.follow_ups(), poor);
    assert_eq!((r.open, r.overdue), (0, 0));
    assert!(r.closed_late > 0 && r.closed_late * 5 < poor, "{r:?}");
    let reasons: u64 = r.reasons.iter().map(|c| c.count).sum();
    assert!(reasons >= poor && reasons <= 2 * poor);
    assert!(f.service(domain::ServiceCode::Mediation).ratings.total > 0);
    let rated_rows: u64 = d.rows.iter().map(|r| r.figures.ratings.total).sum();
    assert_eq!(rated_rows, r.total);

    // every number of the report paragraph is the dashboard's
    let p = &d.report_zh;
    assert!(
        p[0].starts_with("2025年，各级人民调解委员会共受理纠纷"),
        "{}",
        p[0]
    );
    assert_eq!(
        number_after(&p[0], "共受理纠纷", "件"),
        m.accepted.to_string()
    );
    assert_eq!(number_after(&p[0], "成功化解", "件"), m.settled.to_string());
    assert_eq!(
        number_after(&p[0], "成功率为", "，"),
        m.success_rate.percent.clone().unwrap()
    );
    assert_eq!(
        number_after(&p[0], "制作书面协议书", "份"),
        m.written_agreements.to_string()
    );
    assert_eq!(
        number_after(&p[0], "达成口头协议", "件"),
        m.oral_agreements.to_string()
    );
    assert_eq!(
        number_after(&p[0], "涉及金额", "万元"),
        domain::stats::wan_yuan_text(domain::mediation::Fen(m.amount_fen))
    );
    let legal = f.service(domain::ServiceCode::LegalConsultation);
    assert_eq!(
        number_after(&p[1], "法律咨询", "人次（"),
        (legal.attended + legal.walk_ins).to_string()
    );
    assert_eq!(
        number_after(&p[1], "法律咨询", "人次、现场"),
        format!(
            "{}人次（其中预约{}",
            legal.attended + legal.walk_ins,
            legal.attended
        )
    );
    assert_eq!(
        number_after(&p[1], "心理咨询中青少年", "人次"),
        f.psychology_youth_share.numerator.to_string()
    );
    assert_eq!(
        number_after(&p[1], "爽约率为", "。"),
        f.no_show_rate.percent.clone().unwrap()
    );
    assert_eq!(
        number_after(&p[1], "预约后未到", "人次"),
        f.no_show_rate.numerator.to_string()
    );
    assert_eq!(
        number_after(&p[1], "收到群众评价", "次"),
        r.total.to_string()
    );
    assert_eq!(
        number_after(&p[1], "满意率", "（"),
        r.satisfaction_rate.percent.clone().unwrap()
    );
    assert_eq!(number_after(&p[1], "差评回访", "件"), poor.to_string());
    assert_eq!(
        number_after(&p[1], "按期办结", "件"),
        r.closed_on_time.to_string()
    );

    for r in m.referrals.iter().filter(|r| r.count > 0) {
        let mechanism = domain::stats::referral_mechanism_zh(r.key);
        assert_eq!(
            number_after(&p[0], &format!("通过“{mechanism}”转交"), "件"),
            r.count.to_string()
        );
    }
    assert!(m.referred > 0, "a generated year has referrals");
    assert!(m.ip_accepted > 0, "this year has IP disputes");
    assert_eq!(
        number_after(&p[0], "共受理知识产权纠纷", "件"),
        m.ip_accepted.to_string()
    );
    assert_eq!(
        number_after(&p[0], "调解成功", "件。"),
        m.ip_settled.to_string()
    );

    // a ragged period (roll-ups in the middle, working tables at the ends) = raw counting
    let ragged = Period::parse("2025-03-15", "2025-09-14").unwrap();
    let r = stats
        .dashboard(&admin(), Scope::District, ragged)
        .await
        .unwrap();
    assert_eq!(r.figures, raw(&store, ragged).await);
    // an office's dashboard is its district row
    let office = stats
        .dashboard(&admin(), Scope::Place(LocationId(2)), year)
        .await
        .unwrap();
    assert_eq!(
        office.figures,
        d.rows
            .iter()
            .find(|r| r.location_id == LocationId(2))
            .unwrap()
            .figures
    );
}

#[tokio::test]
async fn roll_ups_follow_every_change() {
    for engine in engines() {
        roll_ups_follow_every_change_on(engine).await;
    }
}

async fn roll_ups_follow_every_change_on(engine: Engine) {
    let (_dir, store, stats) = history(engine, 11, 0.01).await;
    let march = Period::parse("2025-03-01", "2025-03-31").unwrap();
    let before = stats
        .dashboard(&admin(), Scope::District, march)
        .await
        .unwrap();
    // three no-shows of March are corrected: the next dashboard counts them as booked
    let from = domain::slots::local_instant(march.from, chrono::NaiveTime::MIN)
        .unwrap()
        .to_utc();
    let to = from + chrono::Duration::days(31);
    let mut changed = 0;
    for place in store.locations().await.unwrap() {
        for b in store.bookings_between(place.id, from, to).await.unwrap() {
            if b.state == BookingState::NoShow && changed < 3 {
                assert!(store
                    .revert_no_show(b.id, chrono::Utc::now())
                    .await
                    .unwrap());
                changed += 1;
            }
        }
    }
    assert_eq!(changed, 3);
    let after = stats
        .dashboard(&admin(), Scope::District, march)
        .await
        .unwrap();
    assert_eq!(
        after.figures.no_show_rate.numerator + 3,
        before.figures.no_show_rate.numerator
    );
    assert_eq!(after.figures, raw(&store, march).await);
    // nothing stale is left behind for March
    let m = domain::stats::Month::of(march.from);
    assert!(store.stale_rollups(m, m).await.unwrap().is_empty());
}

/// The background round keeps what staff open most in memory: on a new instance before
/// anyone asks, and again, at the new version, after a booking of one of those months changed.
#[tokio::test]
async fn the_usual_periods_are_in_memory_before_staff_ask_and_after_a_change() {
    for engine in engines() {
        the_usual_periods_are_in_memory_on(engine).await;
    }
}

async fn the_usual_periods_are_in_memory_on(engine: Engine) {
    use domain::stats::Month;
    let (_dir, store, _) = history(engine, 13, 0.01).await;
    // a new instance on the history's last day
    let now = domain::slots::local_instant(
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
        chrono::NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
    )
    .unwrap()
    .to_utc();
    let stats = Statistics::new(
        store.clone(),
        Directory::new(store.clone()),
        Arc::new(move || now),
    );
    assert!(stats.parts_in_memory().is_empty());
    stats.refresh_and_warm().await.unwrap();
    let october = Period::parse("2026-10-01", "2026-10-31").unwrap();
    let in_memory = |stats: &Statistics, part: Period| {
        stats
            .parts_in_memory()
            .into_iter()
            .find(|(p, _)| *p == part)
            .map(|(_, version)| version)
    };
    let version_of = |month: Month| {
        let store = store.clone();
        async move {
            store
                .rollup_versions(month, month)
                .await
                .unwrap()
                .first()
                .map(|(_, v)| *v)
                .unwrap_or(0)
        }
    };
    // this year so far (its ragged end too), last month, last year and what they are
    // compared with, each at the version the store has now
    let mut expected: Vec<Period> = (1..=12)
        .map(|m| {
            Month {
                year: 2025,
                month: m,
            }
            .period()
        })
        .collect();
    expected.push(october);
    expected.push(Period::parse("2026-11-01", "2026-11-27").unwrap());
    expected.push(Period::parse("2024-12-01", "2024-12-31").unwrap());
    for part in expected {
        let month = Month::of(part.from);
        assert_eq!(
            in_memory(&stats, part),
            Some(version_of(month).await),
            "{part:?} in memory at the stored version"
        );
    }
    // a no-show of October is corrected: the next round recomputes that place-month and
    // reads October again at its new version, so last month's page waits for neither
    let (from, to) = domain::slots::days_span(october.from, october.to).unwrap();
    let (from, to) = (from.to_utc(), to.to_utc());
    let mut reverted = false;
    for place in store.locations().await.unwrap() {
        if let Some(b) = store
            .bookings_between(place.id, from, to)
            .await
            .unwrap()
            .into_iter()
            .find(|b| b.state == BookingState::NoShow)
        {
            assert!(store
                .revert_no_show(b.id, chrono::Utc::now())
                .await
                .unwrap());
            reverted = true;
            break;
        }
    }
    assert!(reverted, "the history has a no-show in October");
    let month = Month::of(october.from);
    let before = version_of(month).await;
    assert!(stats.refresh_and_warm().await.unwrap() >= 1);
    let after = version_of(month).await;
    assert!(after > before, "the recomputed month has a new version");
    assert_eq!(in_memory(&stats, october), Some(after));
    let page = stats
        .dashboard(&admin(), Scope::District, october)
        .await
        .unwrap();
    assert_eq!(page.figures, raw(&store, october).await);
}

#[tokio::test]
async fn the_same_seed_gives_the_same_history() {
    for engine in engines() {
        the_same_seed_gives_the_same_history_on(engine).await;
    }
}

async fn the_same_seed_gives_the_same_history_on(engine: Engine) {
    let (_a, _, first) = history(engine, 5, 0.01).await;
    let (_b, _, second) = history(engine, 5, 0.01).await;
    let (_c, _, other) = history(engine, 6, 0.01).await;
    let year = Period::parse("2025-01-01", "2025-12-31").unwrap();
    let d = |s: Statistics| async move {
        s.dashboard(&admin(), Scope::District, year)
            .await
            .unwrap()
            .figures
    };
    let (x, y, z) = (d(first).await, d(second).await, d(other).await);
    assert_eq!(x, y);
    assert_ne!(x, z);
}

/// Every place's roll-up counts of `period` (the waiting list and ratings, never rolled up,
/// left out), places without activity left out.
async fn rolled_up(stats: &Statistics, period: Period) -> BTreeMap<LocationId, Tally> {
    let mut by_place: BTreeMap<LocationId, Tally> = BTreeMap::new();
    for (_, place, t) in stats.tallies(period).await.unwrap() {
        let mut t = std::sync::Arc::unwrap_or_clone(t);
        t.waitlist.clear();
        t.ratings.clear();
        by_place.entry(place).or_default().merge(&t);
    }
    by_place.retain(|_, t| !t.is_empty());
    by_place
}

/// The same counted straight from the working tables.
async fn counted(store: &Arc<dyn Store>, period: Period) -> BTreeMap<LocationId, Tally> {
    let mut by_place: BTreeMap<LocationId, Tally> = store
        .tally_raw(period, None)
        .await
        .unwrap()
        .into_iter()
        .collect();
    by_place.retain(|_, t| !t.is_empty());
    by_place
}

/// Periods that start or end mid-month add up daily roll-ups: place by place they give
/// exactly what counting the working tables gives, the previous period too, and right after a
/// booking changed, also on a second instance that had the old counts in memory.
#[tokio::test]
async fn ragged_periods_add_up_the_days() {
    for engine in engines() {
        ragged_periods_add_up_the_days_on(engine).await;
    }
}

async fn ragged_periods_add_up_the_days_on(engine: Engine) {
    let (_dir, store, stats) = history(engine, 5, 0.01).await;
    // another server instance on the same database, with its own memory
    let other = Statistics::new(
        store.clone(),
        Directory::new(store.clone()),
        backend::booking::system_clock(),
    );
    let week = Period::parse("2025-06-11", "2025-06-17").unwrap();
    for (from, to) in [
        ("2025-03-15", "2025-09-14"),
        ("2025-01-02", "2025-12-30"),
        ("2025-06-11", "2025-06-17"),
        ("2025-05-31", "2025-06-01"),
    ] {
        let period = Period::parse(from, to).unwrap();
        for p in [period, period.previous()] {
            let days = rolled_up(&stats, p).await;
            assert!(!days.is_empty(), "{p:?} has activity");
            assert_eq!(days, counted(&store, p).await, "{p:?}");
            assert_eq!(rolled_up(&other, p).await, days, "{p:?} from memory");
        }
        let d = stats
            .dashboard(&admin(), Scope::District, period)
            .await
            .unwrap();
        assert_eq!(d.figures, raw(&store, period).await, "{from}..{to}");
    }

    // a no-show of that week is corrected: both instances count it at once
    let before = rolled_up(&other, week).await;
    let (from, to) = domain::slots::days_span(week.from, week.to).unwrap();
    let mut changed = None;
    for place in store.locations().await.unwrap() {
        let bookings = store
            .bookings_between(place.id, from.to_utc(), to.to_utc())
            .await
            .unwrap();
        if let Some(b) = bookings.iter().find(|b| b.state == BookingState::NoShow) {
            assert!(store
                .revert_no_show(b.id, chrono::Utc::now())
                .await
                .unwrap());
            changed = Some(place.id);
            break;
        }
    }
    let place = changed.expect("a no-show that week");
    let after = rolled_up(&stats, week).await;
    assert_ne!(after[&place], before[&place], "the change shows");
    assert_eq!(after, counted(&store, week).await);
    // `stats` recomputed the place-month; `other` rereads it by the month's new version
    assert_eq!(rolled_up(&other, week).await, after);
    let month = Period::parse("2025-06-01", "2025-06-30").unwrap();
    assert_eq!(rolled_up(&other, month).await, counted(&store, month).await);
}

/// Counting in SQL rounds durations as the domain does (half a minute up, a clock running
/// backwards as zero) and gives service time only to finished visits.
#[tokio::test]
async fn durations_are_counted_as_the_domain_rounds_them() {
    for engine in engines() {
        durations_are_counted_as_the_domain_rounds_them_on(engine).await;
    }
}

async fn durations_are_counted_as_the_domain_rounds_them_on(engine: Engine) {
    use backend::store::{HistoryBatch, HistoryQueueEntry};
    use chrono::{Duration, TimeZone, Utc};
    use domain::queue::{ticket, QueueState};
    use domain::stats::Minutes;
    let (_dir, store) = fresh_store(engine).await;
    Directory::new(store.clone())
        .seed_if_empty(DEMO)
        .await
        .unwrap();
    let day = NaiveDate::from_ymd_opt(2025, 6, 2).unwrap();
    let nine = Utc.with_ymd_and_hms(2025, 6, 2, 1, 0, 0).unwrap();
    let waits = [29, 30, 89, 90, -5, 3599, 0, 61];
    let mut batch = HistoryBatch::default();
    let (mut wait, mut served) = (Minutes::default(), Minutes::default());
    for (i, w) in waits.iter().enumerate() {
        let state = if i % 4 == 3 {
            QueueState::Transferred
        } else {
            QueueState::Done
        };
        let called = nine + Duration::seconds(*w);
        let serving = called + Duration::seconds(10);
        let finished = serving + Duration::seconds(60 * i as i64 + 29);
        wait.add_seconds(*w);
        if state == QueueState::Done {
            served.add_seconds(60 * i as i64 + 29);
        }
        batch.queue.push(HistoryQueueEntry {
            id: i as i64 + 1,
            location_id: LocationId(1),
            service: domain::ServiceCode::LegalConsultation,
            day,
            number: i as u32 + 1,
            ticket: ticket(domain::ServiceCode::LegalConsultation, i as u32 + 1),
            booking_id: None,
            state,
            arrived_at: nine,
            called_at: Some(called),
            serving_at: Some(serving),
            finished_at: Some(finished),
            outcome: None,
        });
    }
    store.insert_history(&batch).await.unwrap();
    let raw = store
        .tally_raw(Period { from: day, to: day }, None)
        .await
        .unwrap();
    let t = &raw[&LocationId(1)];
    assert_eq!(t.wait, wait);
    assert_eq!(
        t.wait.counts[..3],
        [(0, 3), (1, 3), (2, 1)],
        "-5, 0, 29 → 0; 30, 61, 89 → 1; 90 → 2"
    );
    assert_eq!(t.service_time, served);
    assert_eq!(
        t.service_time.n, 6,
        "the handed-over visits have no service time"
    );
    assert_eq!((t.served, t.transferred), (6, 2));
    assert_eq!(t.walk_ins, [(domain::ServiceCode::LegalConsultation, 8)]);
}

/// Waiting lists at workroom 101 and its office 1 (March 2030) and at office 2 (February):
/// the statistics count them per place, service, month and scope, straight from the store.
#[tokio::test]
async fn waiting_lists_are_counted_for_a_place_its_office_and_the_district() {
    for engine in engines() {
        waiting_lists_are_counted_on(engine).await;
    }
}

async fn waiting_lists_are_counted_on(engine: Engine) {
    use backend::store::{FairnessCheck, HoldRules, NewBookingRecord, NewWaitlistEntry};
    use chrono::{DateTime, Duration, TimeZone, Utc};
    use domain::booking::{check_fairness, FairnessLimits};
    use domain::slots::to_local;
    use domain::stats::WaitlistFigures;
    use domain::waitlist::PartOfDay;
    use domain::ServiceCode::{self, AdminReconsideration, LegalConsultation};

    let (_dir, store, directory, _) = demo_store(engine).await;
    let stats = Statistics::new(store.clone(), directory, backend::booking::system_clock());
    // Sunday 3 March 2030, 09:00 in Shanghai; the seat is Monday's 09:00 at workroom 101
    let now = Utc.with_ymd_and_hms(2030, 3, 3, 1, 0, 0).unwrap();
    let seat = Utc.with_ymd_and_hms(2030, 3, 4, 1, 0, 0).unwrap();
    let monday = NaiveDate::from_ymd_opt(2030, 3, 4).unwrap();
    let rules = HoldRules::default();
    let fair = |start: DateTime<Utc>| -> FairnessCheck {
        let new = (to_local(&start), to_local(&(start + Duration::minutes(30))));
        Arc::new(move |existing: &[_]| check_fairness(existing, new, &FairnessLimits::default()))
    };
    let waiting =
        |place: i64, service: ServiceCode, phone: &str, at: DateTime<Utc>| NewWaitlistEntry {
            location_id: LocationId(place),
            service,
            name: "候补".into(),
            phone: phone.into(),
            topic: "labour".into(),
            account: None,
            youth: false,
            from: monday,
            to: monday,
            part: PartOfDay::Any,
            link_code: format!("LINK{phone}"),
            created_at: at,
        };
    let booking = |code: &str, phone: &str, at: DateTime<Utc>| {
        let mut b = backend::testing::consultation(code, phone, seat, at);
        b.location_id = LocationId(101);
        b
    };
    let join = |e: NewWaitlistEntry| {
        let store = store.clone();
        async move { store.join_waitlist(&e).await.unwrap().unwrap() }
    };

    // workroom 101: the only seat is booked, three wait for it
    let full = store
        .create_booking(&booking("FULL000001", "13900000001", now), 1, fair(seat))
        .await
        .unwrap()
        .unwrap();
    for (n, phone) in ["13800000001", "13800000002", "13800000003"]
        .iter()
        .enumerate()
    {
        join(waiting(
            101,
            LegalConsultation,
            phone,
            now - Duration::minutes(60) + Duration::seconds(n as i64),
        ))
        .await;
    }
    // office 1 itself: one waits for administrative reconsideration; office 2: one in February
    join(waiting(1, AdminReconsideration, "13800000004", now)).await;
    join(waiting(
        2,
        LegalConsultation,
        "13800000005",
        Utc.with_ymd_and_hms(2030, 2, 27, 2, 0, 0).unwrap(),
    ))
    .await;

    // the seat frees: offered to the first, who takes it
    let freed = store
        .cancel_booking(&full.code, now, Some(&rules))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(freed.offers.len(), 1, "{engine}");
    let first = store
        .waitlist_by_link(&freed.offers[0].link_code)
        .await
        .unwrap()
        .unwrap();
    let offer = first.entry.state.offer().unwrap().clone();
    let taken_at = now + Duration::minutes(5);
    let confirmed = NewBookingRecord {
        code: "WAIT000001".into(),
        start: offer.slot.start.with_timezone(&Utc),
        end: offer.slot.end.with_timezone(&Utc),
        phone: first.entry.phone.as_str().into(),
        ..booking("WAIT000001", "13800000001", taken_at)
    };
    let (_, made) = store
        .confirm_offer(first.entry.id, &confirmed, fair(seat))
        .await
        .unwrap()
        .unwrap()
        .record;
    // then cancelled: offered to the second, who lets it run out, and on to the third
    let freed = store
        .cancel_booking(&made.code, now + Duration::minutes(10), Some(&rules))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(freed.offers.len(), 1, "{engine}");
    let passed = store
        .expire_holds(now + Duration::minutes(40), &rules)
        .await
        .unwrap();
    assert_eq!(passed.len(), 1, "{engine}");

    let four = |w: &WaitlistFigures| (w.joined, w.offered, w.taken, w.expired);
    let dashboard = |scope: Scope, from: &str, to: &str| {
        let stats = stats.clone();
        let period = Period::parse(from, to).unwrap();
        async move { stats.dashboard(&admin(), scope, period).await.unwrap() }
    };
    let rows = |d: &Dashboard| -> Vec<(i64, (u64, u64, u64, u64))> {
        d.rows
            .iter()
            .filter(|r| r.figures.waitlist.joined + r.figures.waitlist.offered > 0)
            .map(|r| (r.location_id.0, four(&r.figures.waitlist)))
            .collect()
    };

    // March, a whole month (bookings from roll-ups, the waiting list read directly)
    let room = dashboard(Scope::Place(LocationId(101)), "2030-03-01", "2030-03-31").await;
    assert_eq!(four(&room.figures.waitlist), (3, 3, 1, 1), "{engine}");
    assert_eq!(
        room.figures.waitlist.taken_rate.percent.as_deref(),
        Some("33.33%")
    );
    let legal = room.figures.service(LegalConsultation).waitlist;
    assert_eq!(four(&legal), (3, 3, 1, 1), "{engine}");
    assert_eq!(
        room.figures.bookings_total, 2,
        "{engine}: the two bookings of the seat"
    );

    let office = dashboard(Scope::Place(LocationId(1)), "2030-03-01", "2030-03-31").await;
    assert_eq!(four(&office.figures.waitlist), (4, 3, 1, 1), "{engine}");
    assert_eq!(
        rows(&office),
        [(1, (1, 0, 0, 0)), (101, (3, 3, 1, 1))],
        "{engine}"
    );
    assert_eq!(
        four(&office.figures.service(AdminReconsideration).waitlist),
        (1, 0, 0, 0)
    );
    assert_eq!(four(&office.previous.waitlist), (0, 0, 0, 0), "{engine}");

    let district = dashboard(Scope::District, "2030-03-01", "2030-03-31").await;
    assert_eq!(four(&district.figures.waitlist), (4, 3, 1, 1), "{engine}");
    assert_eq!(rows(&district), [(1, (4, 3, 1, 1))], "{engine}");
    assert_eq!(
        four(&district.previous.waitlist),
        (1, 0, 0, 0),
        "{engine}: February"
    );
    assert!(
        district.report_zh[1].contains("候补登记4人次"),
        "{}",
        district.report_zh[1]
    );

    // ragged ends: office 2's February entry and the rest, month by month
    let spread = dashboard(Scope::District, "2030-02-15", "2030-03-03").await;
    assert_eq!(four(&spread.figures.waitlist), (5, 3, 1, 1), "{engine}");
    assert_eq!(
        rows(&spread),
        [(1, (4, 3, 1, 1)), (2, (1, 0, 0, 0))],
        "{engine}"
    );
    let months: Vec<_> = spread
        .months
        .iter()
        .map(|m| (m.month.clone(), m.figures.waitlist.joined))
        .collect();
    assert_eq!(
        months,
        [("2030-02".to_string(), 1), ("2030-03".to_string(), 4)]
    );
    // nothing happened on the Monday itself (everything was on Sunday, local time)
    let monday = dashboard(Scope::District, "2030-03-04", "2030-03-31").await;
    assert_eq!(four(&monday.figures.waitlist), (0, 0, 0, 0), "{engine}");

    // the one query behind those dashboards: per local month, place and service, with a
    // joining half an hour into March in Shanghai (still February in UTC) in March
    join(waiting(
        3,
        LegalConsultation,
        "13800000006",
        Utc.with_ymd_and_hms(2030, 2, 28, 16, 30, 0).unwrap(),
    ))
    .await;
    let (from, to) = domain::slots::days_span(
        NaiveDate::from_ymd_opt(2030, 2, 1).unwrap(),
        NaiveDate::from_ymd_opt(2030, 3, 31).unwrap(),
    )
    .unwrap();
    let tally = store
        .waitlist_tally(from.to_utc(), to.to_utc())
        .await
        .unwrap();
    let mut months: Vec<_> = tally
        .iter()
        .map(|((month, place, service), w)| {
            (
                month.key(),
                place.0,
                service.code(),
                (w.joined, w.offered, w.taken, w.expired),
            )
        })
        .collect();
    months.sort();
    let mut expected = vec![
        (
            "2030-02".to_string(),
            2,
            LegalConsultation.code(),
            (1, 0, 0, 0),
        ),
        (
            "2030-03".to_string(),
            1,
            AdminReconsideration.code(),
            (1, 0, 0, 0),
        ),
        (
            "2030-03".to_string(),
            3,
            LegalConsultation.code(),
            (1, 0, 0, 0),
        ),
        (
            "2030-03".to_string(),
            101,
            LegalConsultation.code(),
            (3, 3, 1, 1),
        ),
    ];
    expected.sort();
    assert_eq!(months, expected, "{engine}");
}

/// Ratings stored at office 1 and its workroom 101 on Monday 2 March 2026 (three good, a poor
/// one followed up in time, one late, one never): the dashboards count them per place,
/// service, month and scope, the follow-ups as they stand at the statistics' clock.
#[tokio::test]
async fn stored_ratings_show_in_the_dashboards() {
    for engine in engines() {
        stored_ratings_show_in_the_dashboards_on(engine).await;
    }
}

async fn stored_ratings_show_in_the_dashboards_on(engine: Engine) {
    use backend::store::{NewRating, NewStaffUser, RatedSubject};
    use chrono::{DateTime, Duration, TimeZone, Utc};
    use domain::rating::{follow_up_due, Call, FollowUpState, Level, Note, Rating, Reason};
    use domain::stats::RatingFigures;
    use domain::ServiceCode::LegalConsultation;

    let (_dir, store, directory, _) = demo_store(engine).await;
    // Monday 2 March 2026, 10:00 in Shanghai; the statistics look on Friday 20 March
    let monday = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let rated_at = Utc.with_ymd_and_hms(2026, 3, 2, 2, 0, 0).unwrap();
    let looked = Utc.with_ymd_and_hms(2026, 3, 20, 2, 0, 0).unwrap();
    let stats = Statistics::new(store.clone(), directory, Arc::new(move || looked));
    let head = store
        .create_staff_user(&NewStaffUser {
            username: "head".into(),
            display_name: "所长".into(),
            password_hash: "x".into(),
            role: Role::OfficeHead,
            place: Some(LocationId(1)),
            created_at: rated_at,
        })
        .await
        .unwrap()
        .unwrap();
    let due = follow_up_due(rated_at, &domain::HolidayCalendar::new());
    assert_eq!(due, NaiveDate::from_ymd_opt(2026, 3, 5).unwrap());
    let rate = |place: i64, level: Level, reasons: Vec<Reason>| {
        let store = store.clone();
        async move {
            let visit = store
                .add_walk_in(LocationId(place), LegalConsultation, monday, rated_at, None)
                .await
                .unwrap();
            store
                .add_rating(&NewRating {
                    subject: RatedSubject::WalkIn(visit.id),
                    location_id: LocationId(place),
                    service: LegalConsultation,
                    rating: Rating {
                        level,
                        reasons,
                        comment: None,
                    },
                    rated_at,
                    follow_up_due: level.is_poor().then_some(due),
                })
                .await
                .unwrap()
                .unwrap()
        }
    };
    let follow_up = |id: i64, closed_at: DateTime<Utc>| {
        let store = store.clone();
        async move {
            let call = Call {
                at: rated_at + Duration::hours(3),
                said: Note::parse("said", "已电话回访").unwrap(),
            };
            assert!(store
                .step_follow_up(
                    id,
                    "open",
                    &FollowUpState::Called(call.clone()),
                    head,
                    call.at
                )
                .await
                .unwrap());
            let closed = FollowUpState::Closed {
                call,
                closed_at,
                changed: Note::parse("changed", "已整改").unwrap(),
            };
            assert!(store
                .step_follow_up(id, "called", &closed, head, closed_at)
                .await
                .unwrap());
        }
    };
    for level in [Level::VerySatisfied, Level::Satisfied, Level::Basic] {
        rate(1, level, Vec::new()).await;
    }
    let in_time = rate(1, Level::Dissatisfied, vec![Reason::WaitingTime]).await;
    follow_up(in_time, Utc.with_ymd_and_hms(2026, 3, 5, 8, 0, 0).unwrap()).await;
    let late = rate(
        1,
        Level::VeryDissatisfied,
        vec![Reason::Attitude, Reason::UnclearAnswer],
    )
    .await;
    follow_up(late, Utc.with_ymd_and_hms(2026, 3, 9, 2, 0, 0).unwrap()).await;
    rate(101, Level::Dissatisfied, vec![Reason::Other]).await;

    // (ratings, good, closed on time, closed late, open, overdue)
    let six = |r: &RatingFigures| {
        (
            r.total,
            r.good,
            r.closed_on_time,
            r.closed_late,
            r.open,
            r.overdue,
        )
    };
    let dashboard = |scope: Scope, from: &str, to: &str| {
        let stats = stats.clone();
        let period = Period::parse(from, to).unwrap();
        async move { stats.dashboard(&admin(), scope, period).await.unwrap() }
    };
    let district = dashboard(Scope::District, "2026-03-01", "2026-03-31").await;
    let r = &district.figures.ratings;
    assert_eq!(six(r), (6, 3, 1, 1, 0, 1), "{engine}");
    assert_eq!(
        r.levels.iter().map(|c| c.count).collect::<Vec<_>>(),
        [1, 1, 1, 2, 1],
        "{engine}"
    );
    assert_eq!(r.satisfaction_rate.percent.as_deref(), Some("50.00%"));
    assert_eq!(
        r.reasons.iter().map(|c| c.count).collect::<Vec<_>>(),
        [1, 1, 1, 0, 0, 1],
        "{engine}"
    );
    assert_eq!(r.on_time_rate.percent.as_deref(), Some("33.33%"));
    assert_eq!(
        six(&district.figures.service(LegalConsultation).ratings),
        (6, 3, 1, 1, 0, 1)
    );
    let rows: Vec<_> = district
        .rows
        .iter()
        .filter(|r| r.figures.ratings.total > 0)
        .map(|r| (r.location_id.0, six(&r.figures.ratings)))
        .collect();
    assert_eq!(rows, [(1, (6, 3, 1, 1, 0, 1))], "{engine}");
    assert!(
        district.report_zh[1].contains(
            "收到群众评价6次，满意率50.00%（满意3次／评价6次）；差评回访3件，按期办结1件，超期未办结1件。"
        ),
        "{}",
        district.report_zh[1]
    );

    // the office: itself and its workroom
    let office = dashboard(Scope::Place(LocationId(1)), "2026-03-01", "2026-03-31").await;
    let rows: Vec<_> = office
        .rows
        .iter()
        .filter(|r| r.figures.ratings.total > 0)
        .map(|r| (r.location_id.0, six(&r.figures.ratings)))
        .collect();
    assert_eq!(
        rows,
        [(1, (5, 3, 1, 1, 0, 0)), (101, (1, 0, 0, 0, 0, 1))],
        "{engine}"
    );

    // by month, and as the previous period of April; a ragged period of that Monday alone
    let spring = dashboard(Scope::District, "2026-02-15", "2026-04-30").await;
    let months: Vec<_> = spring
        .months
        .iter()
        .map(|m| (m.month.as_str(), m.figures.ratings.total))
        .collect();
    assert_eq!(months, [("2026-02", 0), ("2026-03", 6), ("2026-04", 0)]);
    let april = dashboard(Scope::District, "2026-04-01", "2026-04-30").await;
    assert_eq!(april.figures.ratings.total, 0);
    assert_eq!(six(&april.previous.ratings), (6, 3, 1, 1, 0, 1), "{engine}");
    let day = dashboard(Scope::District, "2026-03-02", "2026-03-02").await;
    assert_eq!(day.figures.ratings.total, 6, "{engine}");
    let after = dashboard(Scope::District, "2026-03-03", "2026-03-31").await;
    assert_eq!(after.figures.ratings.total, 0, "{engine}");

    // asked on the due day, the one not yet called back is open, not overdue
    let early = Statistics::new(
        store.clone(),
        Directory::new(store.clone()),
        Arc::new(|| Utc.with_ymd_and_hms(2026, 3, 5, 8, 0, 0).unwrap()),
    );
    let d = early
        .dashboard(
            &admin(),
            Scope::District,
            Period::parse("2026-03-01", "2026-03-31").unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(six(&d.figures.ratings), (6, 3, 1, 1, 1, 0), "{engine}");

    // rating figures kept in memory follow a new rating and a follow-up's step at once
    let unclosed = rate(101, Level::VeryDissatisfied, vec![Reason::Other]).await;
    let d = dashboard(Scope::District, "2026-03-01", "2026-03-31").await;
    assert_eq!(six(&d.figures.ratings), (7, 3, 1, 1, 0, 2), "{engine}");
    follow_up(
        unclosed,
        Utc.with_ymd_and_hms(2026, 3, 10, 2, 0, 0).unwrap(),
    )
    .await;
    let d = dashboard(Scope::District, "2026-03-01", "2026-03-31").await;
    assert_eq!(six(&d.figures.ratings), (7, 3, 1, 2, 0, 1), "{engine}");
}

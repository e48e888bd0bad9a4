//! PIPL retention over generated history, on both engines: the job anonymises the names,
//! phone numbers and texts of exactly the rows `domain::retention` says are due (and
//! nothing else of them), leaves every other row as it was, and every statistic computed
//! afterwards equals the one computed before.

use backend::history::{generate, HistoryPlan};
use backend::retention::Retention;
use backend::store::{BookingRecord, CaseEvent, CaseRecord, NewNotification, QueueChange};
use backend::testing::{demo_store, engines, Engine};
use backend::{Statistics, Store};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use domain::mediation::{CaseState, DisputeType, Ending, Fen};
use domain::notify::{NoticeKind, MAX_ATTEMPTS};
use domain::queue::QueueState;
use domain::retention::{Cutoff, ANONYMISED_NAME, ANONYMISED_PHONE};
use domain::staff::{Role, StaffAccount};
use domain::stats::{Figures, Period, Scope, Tally};
use domain::{BookingState, Location, LocationId};
use std::collections::HashMap;
use std::sync::Arc;

const DAYS: u32 = 365;

fn admin() -> StaffAccount {
    StaffAccount {
        id: 1,
        username: "district".into(),
        display_name: "区司法局".into(),
        role: Role::DistrictAdmin,
        place: None,
    }
}

/// The job runs a little after the history ends: about a year of it is due, a year is not.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 2, 0, 0).unwrap()
}

fn utc(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 2, 0, 0).unwrap()
}

/// Every booking of every place, by id.
async fn bookings(store: &Arc<dyn Store>, places: &[Location]) -> HashMap<i64, BookingRecord> {
    let (from, to) = (utc(2020, 1, 1), utc(2030, 1, 1));
    let mut all = HashMap::new();
    for p in places {
        for b in store.bookings_between(p.id, from, to).await.unwrap() {
            all.insert(b.id, b);
        }
    }
    all
}

/// Every case of every place with its steps, by id.
async fn cases(
    store: &Arc<dyn Store>,
    places: &[Location],
) -> HashMap<i64, (CaseRecord, Vec<CaseEvent>)> {
    let mut all = HashMap::new();
    for p in places {
        for c in store.cases_at(p.id).await.unwrap() {
            let events = store.case_events(c.id).await.unwrap();
            all.insert(c.id, (c, events));
        }
    }
    all
}

async fn raw(store: &Arc<dyn Store>, period: Period) -> Figures {
    let mut all = Tally::default();
    for t in store.tally_raw(period, None).await.unwrap().values() {
        all.merge(t);
    }
    Figures::of(&all)
}

/// Periods whose statistics must not move: a year across the cut-off, the whole history,
/// the month of the cut-off and one office's year.
fn periods() -> Vec<(Scope, Period)> {
    vec![
        (
            Scope::District,
            Period::parse("2025-01-01", "2025-12-31").unwrap(),
        ),
        (
            Scope::District,
            Period::parse("2024-11-01", "2026-11-30").unwrap(),
        ),
        (
            Scope::District,
            Period::parse("2025-12-01", "2025-12-31").unwrap(),
        ),
        (
            Scope::District,
            Period::parse("2025-11-20", "2025-12-19").unwrap(),
        ),
        (
            Scope::Place(LocationId(2)),
            Period::parse("2025-01-01", "2025-12-31").unwrap(),
        ),
    ]
}

/// A closed case with an agreement, settled in spring 2025; `follow_up`: a visit after it.
async fn settled_case(
    store: &Arc<dyn Store>,
    place: LocationId,
    code: &str,
    follow_up: Option<DateTime<Utc>>,
) -> i64 {
    let submitted = utc(2025, 3, 3);
    let mut case = CaseRecord {
        id: 0,
        code: code.into(),
        state: CaseState::Accepted,
        version: 0,
        applicant_name: "赵秀英".into(),
        applicant_phone: "13911112222".into(),
        other_party_name: "钱国强".into(),
        other_party_phone: Some("13933334444".into()),
        relation: Some("楼上邻居".into()),
        dispute_type: DisputeType::Neighbour,
        account: "楼上卫生间漏水到我家，多次协商未果，希望对方维修并赔偿。".into(),
        location_id: place,
        queue_entry_id: None,
        mediator_id: None,
        submitted_at: submitted,
        closed_at: None,
        outcome: None,
        referral: None,
        amount: None,
        terms: None,
        reason: None,
        agreement_no: None,
        next_session: None,
    };
    case.id = store.create_case(&case).await.unwrap().unwrap();
    let closed = utc(2025, 4, 1);
    let settled = CaseRecord {
        state: CaseState::Settled,
        closed_at: Some(closed),
        outcome: Some(Ending::WrittenAgreement),
        amount: Some(Fen(120_000)),
        terms: Some("钱国强于2025年4月30日前修复漏水并赔偿赵秀英1200元。".into()),
        ..case.clone()
    };
    let conclude = CaseEvent {
        at: closed,
        action: "conclude".into(),
        from_state: Some(CaseState::Accepted),
        to_state: CaseState::Settled,
        staff_id: None,
        detail: Some(r#"{"terms":"钱国强于2025年4月30日前修复漏水并赔偿赵秀英1200元。"}"#.into()),
    };
    let mut saved = store
        .save_case_step(0, &settled, &conclude, None)
        .await
        .unwrap()
        .unwrap();
    if let Some(at) = follow_up {
        let visit = CaseEvent {
            at,
            action: "follow_up".into(),
            from_state: Some(CaseState::Settled),
            to_state: CaseState::Settled,
            staff_id: None,
            detail: Some(r#"{"kept":true,"note":"赵秀英说已修好"}"#.into()),
        };
        saved = store
            .save_case_step(saved.version, &saved, &visit, None)
            .await
            .unwrap()
            .unwrap();
    }
    saved.id
}

/// Adds a staff note to a booked visit that was done; `false` if it has no queue entry.
async fn note_on_visit(store: &Arc<dyn Store>, b: &BookingRecord) -> Option<i64> {
    let day = domain::slots::local_date(&b.start);
    let entry = store
        .queue_entries(b.location_id, day)
        .await
        .unwrap()
        .into_iter()
        .find(|e| {
            e.state == QueueState::Done && e.booking.as_ref().is_some_and(|eb| eb.id == b.id)
        })?;
    let change = QueueChange {
        to: QueueState::Done,
        at: entry.finished_at.unwrap_or(entry.arrived_at),
        desk: None,
        outcome: None,
        note: Some(format!("{} 咨询离婚财产分割", b.name)),
    };
    store
        .change_queue_entry(entry.id, QueueState::Done, &change)
        .await
        .unwrap()
        .expect("the entry is done");
    Some(entry.id)
}

async fn notify(store: &Arc<dyn Store>, b: &BookingRecord, kind: NoticeKind, at: DateTime<Utc>) {
    assert!(store
        .enqueue_notification(&NewNotification {
            booking_id: Some(b.id),
            kind,
            phone: b.phone.clone(),
            body: format!("{}：您的预约 {} 已确认", b.name, b.code),
            dedupe_key: None,
            created_at: at,
            send_at: at,
        })
        .await
        .unwrap());
}

#[tokio::test]
async fn retention_anonymises_what_is_due_and_keeps_every_statistic() {
    for engine in engines() {
        retention_anonymises_what_is_due_and_keeps_every_statistic_on(engine).await;
    }
}

async fn retention_anonymises_what_is_due_and_keeps_every_statistic_on(engine: Engine) {
    // two generated years of a fiftieth of the district ...
    let (_db, store, directory, places) = demo_store(engine).await;
    let plan = HistoryPlan {
        until: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
        years: 2,
        seed: 5,
        scale: 0.02,
    };
    generate(&store, &places, plan, |_, _| {}).await.unwrap();
    let cutoff = Cutoff::at(now(), DAYS);
    assert_eq!(cutoff.before, utc(2025, 12, 7));

    // ... with what the generator leaves out: messages, staff notes and case steps
    let history = bookings(&store, &places).await;
    let mut by_end: Vec<&BookingRecord> = history.values().collect();
    by_end.sort_by_key(|b| (b.end, b.id));
    let old = by_end
        .iter()
        .find(|b| b.state == BookingState::Done && b.end < utc(2025, 6, 1))
        .copied()
        .unwrap()
        .clone();
    let recent = by_end
        .iter()
        .rev()
        .find(|b| b.state == BookingState::Done && b.end > utc(2026, 6, 1))
        .copied()
        .unwrap()
        .clone();
    // sent long ago (due), given up long ago (due), still to be sent (kept), sent lately (kept)
    notify(&store, &old, NoticeKind::Confirmed, old.created_at).await;
    notify(
        &store,
        &old,
        NoticeKind::Reminder,
        old.start - Duration::hours(14),
    )
    .await;
    notify(&store, &old, NoticeKind::Changed, old.created_at).await;
    notify(&store, &recent, NoticeKind::Confirmed, recent.created_at).await;
    let outbox = store.notifications_of_booking(old.id).await.unwrap();
    store
        .notification_sent(outbox[0].id, old.created_at)
        .await
        .unwrap();
    for _ in 0..MAX_ATTEMPTS {
        store
            .notification_failed(outbox[1].id, "gateway answered 500", old.start)
            .await
            .unwrap();
    }
    let recent_outbox = store.notifications_of_booking(recent.id).await.unwrap();
    store
        .notification_sent(recent_outbox[0].id, recent.created_at)
        .await
        .unwrap();
    let mut old_notes = Vec::new();
    for b in by_end
        .iter()
        .filter(|b| b.state == BookingState::Done && b.end < utc(2025, 6, 1))
    {
        if let Some(id) = note_on_visit(&store, b).await {
            old_notes.push((id, b.location_id, domain::slots::local_date(&b.start)));
            break;
        }
    }
    let mut recent_notes = Vec::new();
    for b in by_end
        .iter()
        .rev()
        .filter(|b| b.state == BookingState::Done && b.end > utc(2026, 6, 1))
    {
        if let Some(id) = note_on_visit(&store, b).await {
            recent_notes.push((id, b.location_id, domain::slots::local_date(&b.start)));
            break;
        }
    }
    assert_eq!((old_notes.len(), recent_notes.len()), (1, 1));
    let closed_long_ago = settled_case(&store, LocationId(2), "RETAIN-1", None).await;
    let visited_lately =
        settled_case(&store, LocationId(2), "RETAIN-2", Some(utc(2026, 2, 1))).await;

    // the statistics and every row before
    let stats = Statistics::new(store.clone(), directory.clone(), Arc::new(now));
    let mut before_stats = Vec::new();
    for (scope, period) in periods() {
        before_stats.push((
            stats.dashboard(&admin(), scope, period).await.unwrap(),
            raw(&store, period).await,
        ));
    }
    let before = bookings(&store, &places).await;
    let before_cases = cases(&store, &places).await;

    let clock: backend::booking::Clock = Arc::new(now);
    let retention = Retention::new(store.clone(), DAYS, clock);
    let done = retention.run().await.unwrap();

    // bookings: exactly the due ones lost name, phone and texts, and nothing else
    let after = bookings(&store, &places).await;
    assert_eq!(after.len(), before.len());
    let mut due = 0;
    for (id, b) in &before {
        let a = &after[id];
        if cutoff.booking_due(b.state, b.start, b.end) {
            due += 1;
            let expected = BookingRecord {
                name: ANONYMISED_NAME.into(),
                phone: ANONYMISED_PHONE.into(),
                topic: String::new(),
                account: None,
                ..b.clone()
            };
            assert_eq!(*a, expected, "booking {} is anonymised", b.code);
        } else {
            assert_eq!(a, b, "booking {} is kept", b.code);
        }
    }
    assert!(
        due > 1_000 && due < before.len() - 1_000,
        "{due} of {}",
        before.len()
    );
    assert_eq!(done.bookings, due as u64);
    assert_eq!(after[&old.id].name, ANONYMISED_NAME);
    assert_eq!(after[&recent.id], before[&recent.id]);

    // cases: the closed ones whose last step is old; their typed steps emptied
    let after_cases = cases(&store, &places).await;
    assert_eq!(after_cases.len(), before_cases.len());
    let mut due = 0;
    for (id, (c, events)) in &before_cases {
        let (a, a_events) = &after_cases[id];
        let last_step = events.iter().map(|e| e.at).max();
        if cutoff.case_due(c.state, c.closed_at, last_step) {
            due += 1;
            let expected = CaseRecord {
                version: c.version + 1,
                applicant_name: ANONYMISED_NAME.into(),
                applicant_phone: ANONYMISED_PHONE.into(),
                other_party_name: ANONYMISED_NAME.into(),
                other_party_phone: None,
                relation: None,
                account: String::new(),
                terms: c.terms.as_ref().map(|_| String::new()),
                reason: c.reason.as_ref().map(|_| String::new()),
                ..c.clone()
            };
            assert_eq!(*a, expected, "case {} is anonymised", c.code);
            for (e, ae) in events.iter().zip(a_events) {
                let typed = domain::retention::STEPS_WITH_TYPED_TEXT.contains(&e.action.as_str());
                let detail = if typed { None } else { e.detail.clone() };
                assert_eq!(
                    *ae,
                    CaseEvent {
                        detail,
                        ..e.clone()
                    }
                );
            }
        } else {
            assert_eq!((a, a_events), (c, events), "case {} is kept", c.code);
        }
    }
    assert!(
        due > 50 && due < before_cases.len() - 50,
        "{due} of {}",
        before_cases.len()
    );
    assert_eq!(done.cases, due as u64);
    let (long_ago, long_ago_events) = &after_cases[&closed_long_ago];
    assert_eq!(long_ago.applicant_name, ANONYMISED_NAME);
    assert_eq!(long_ago_events.last().unwrap().detail, None);
    // settled long ago, but visited after the cut-off: kept whole
    assert_eq!(after_cases[&visited_lately], before_cases[&visited_lately]);
    assert_eq!(after_cases[&visited_lately].0.applicant_name, "赵秀英");

    // messages: sent or given up long ago
    let outbox = store.notifications_of_booking(old.id).await.unwrap();
    for n in &outbox[..2] {
        assert_eq!((n.phone.as_str(), n.body.as_str()), (ANONYMISED_PHONE, ""));
    }
    assert_eq!(
        outbox[2].phone, old.phone,
        "a message still to be sent is kept"
    );
    assert!(outbox[2].body.contains(&old.name));
    assert_eq!(
        store.notifications_of_booking(recent.id).await.unwrap(),
        recent_outbox
            .into_iter()
            .map(|n| backend::store::NotificationRecord {
                attempts: 1,
                sent_at: Some(recent.created_at),
                ..n
            })
            .collect::<Vec<_>>()
    );
    assert_eq!(done.notifications, 2);

    // staff notes on the queues of old days
    let note = |(id, place, day): (i64, LocationId, NaiveDate)| {
        let store = store.clone();
        async move {
            store
                .queue_entries(place, day)
                .await
                .unwrap()
                .into_iter()
                .find(|e| e.id == id)
                .unwrap()
                .note
        }
    };
    assert_eq!(note(old_notes[0]).await, None);
    assert!(note(recent_notes[0]).await.is_some());
    assert_eq!(done.queue_notes, 1);

    // every statistic as before, from the roll-ups and from the working tables
    for ((scope, period), (dashboard, figures)) in periods().into_iter().zip(&before_stats) {
        let now = stats.dashboard(&admin(), scope, period).await.unwrap();
        assert_eq!(&now, dashboard, "{scope:?} {period:?}");
        assert_eq!(&raw(&store, period).await, figures, "{period:?}");
    }

    // a second run finds nothing left to do
    assert_eq!(retention.run().await.unwrap().total(), 0);
    assert_eq!(bookings(&store, &places).await, after);
}

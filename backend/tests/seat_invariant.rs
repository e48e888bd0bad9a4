//! Whatever residents do (book, cancel, reschedule, in any order), every slot's seat counter
//! equals the number of active bookings in it and never exceeds its capacity. Random
//! sequences of operations, reproducible from their seed.

use backend::store::{FairnessCheck, Refusal, Store};
use backend::testing::{consultation, engines, fresh_store, Engine, TestDatabase};
use chrono::{DateTime, Duration, TimeZone, Utc};
use domain::booking::{check_fairness, FairnessLimits};
use domain::district_file::parse_district;
use domain::{LocationId, ServiceCode};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::sync::Arc;

const DISTRICT: &str = backend::testing::ONE_OFFICE_DISTRICT;

async fn store(engine: Engine) -> (TestDatabase, Arc<dyn Store>) {
    let (dir, store) = fresh_store(engine).await;
    store
        .load_district_if_empty(&parse_district(DISTRICT).unwrap())
        .await
        .unwrap();
    (dir, store)
}

fn slot_starts() -> Vec<DateTime<Utc>> {
    // three 30-minute slots, an hour apart so that fairness overlaps depend on the choice
    let base = Utc.with_ymd_and_hms(2030, 3, 4, 1, 0, 0).unwrap();
    (0..3).map(|i| base + Duration::minutes(60 * i)).collect()
}

/// The seat counters of the three slots.
async fn seats_taken(
    store: &Arc<dyn Store>,
    starts: &[DateTime<Utc>],
) -> std::collections::HashMap<DateTime<Utc>, u32> {
    store
        .seats_taken(
            LocationId(1),
            ServiceCode::LegalConsultation,
            starts[0],
            starts[2] + Duration::minutes(1),
        )
        .await
        .unwrap()
}

async fn check_invariant(store: &Arc<dyn Store>, codes: &[String]) {
    let starts = slot_starts();
    let taken = seats_taken(store, &starts).await;
    let mut active = std::collections::HashMap::new();
    for code in codes {
        let b = store.booking_by_code(code).await.unwrap().unwrap();
        if b.state.is_active() {
            *active.entry(b.start).or_insert(0u32) += 1;
        }
    }
    for s in &starts {
        let t = taken.get(s).copied().unwrap_or(0);
        assert_eq!(
            t,
            active.get(s).copied().unwrap_or(0),
            "counter of {s} disagrees with the bookings"
        );
        assert!(t <= 2, "slot {s} overbooked: {t}");
    }
}

#[tokio::test]
async fn seat_counters_always_match_active_bookings() {
    for engine in engines() {
        seat_counters_always_match_active_bookings_on(engine).await;
    }
}

async fn seat_counters_always_match_active_bookings_on(engine: Engine) {
    for seed in 0..5u64 {
        let (_dir, store) = store(engine).await;
        let mut rng = StdRng::seed_from_u64(seed);
        let starts = slot_starts();
        let now = starts[0] - Duration::days(1);
        let limits = FairnessLimits::default();
        let mut codes: Vec<String> = Vec::new();
        for step in 0..120 {
            let start = starts[rng.gen_range(0..starts.len())];
            let end = start + Duration::minutes(30);
            let fairness: FairnessCheck = Arc::new(move |existing: &[_]| {
                check_fairness(
                    existing,
                    (start.fixed_offset(), end.fixed_offset()),
                    &limits,
                )
            });
            match rng.gen_range(0..3) {
                0 => {
                    let rec = consultation(
                        format!("S{seed}N{step}"),
                        format!("1380000000{}", rng.gen_range(0..4)),
                        start,
                        now,
                    );
                    if let Ok(b) = store
                        .create_booking(&rec, 2, fairness.clone())
                        .await
                        .unwrap()
                    {
                        codes.push(b.code);
                    }
                }
                1 if !codes.is_empty() => {
                    let code = &codes[rng.gen_range(0..codes.len())];
                    let _ = store.cancel_booking(code, now, None).await.unwrap();
                }
                2 if !codes.is_empty() => {
                    let code = codes[rng.gen_range(0..codes.len())].clone();
                    let r = store
                        .reschedule_booking(&code, start, end, 2, fairness, now, None)
                        .await
                        .unwrap();
                    if let Err(refusal) = r {
                        assert!(
                            matches!(
                                refusal,
                                Refusal::Full | Refusal::Fairness(_) | Refusal::NotActive(_)
                            ),
                            "{refusal:?}"
                        );
                    }
                }
                _ => {}
            }
            check_invariant(&store, &codes).await;
        }
        assert!(codes.len() >= 3, "seed {seed}: the run did book something");
    }
}

#[tokio::test]
async fn a_booking_keeps_its_whole_history() {
    for engine in engines() {
        a_booking_keeps_its_whole_history_on(engine).await;
    }
}

async fn a_booking_keeps_its_whole_history_on(engine: Engine) {
    let (_dir, store) = store(engine).await;
    let starts = slot_starts();
    let now = starts[0] - Duration::days(1);
    let pass: FairnessCheck = Arc::new(|_: &[_]| Ok(()));
    let rec = consultation("HISTORY001", "13800000009", starts[0], now);
    let b = store
        .create_booking(&rec, 2, pass.clone())
        .await
        .unwrap()
        .unwrap();
    let end = starts[1] + Duration::minutes(30);
    store
        .reschedule_booking(&b.code, starts[1], end, 2, pass, now, None)
        .await
        .unwrap()
        .unwrap();
    store
        .cancel_booking(&b.code, now, None)
        .await
        .unwrap()
        .unwrap();
    let events = store.booking_events(b.id).await.unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.code()).collect();
    assert_eq!(kinds, ["created", "rescheduled", "cancelled"]);
    assert_eq!(
        (events[1].from_start, events[1].to_start),
        (Some(starts[0]), Some(starts[1]))
    );
    assert_eq!(events[2].from_start, Some(starts[1]));
    let kept = store
        .booking_by_code(&b.code)
        .await
        .unwrap()
        .expect("cancelled bookings are kept");
    assert_eq!(kept.state, domain::BookingState::Cancelled);
}

/// Many bookings arriving together are written in one group commit: a refused one (full
/// slot) or a failed one (duplicate code) rolls back alone, and the others are confirmed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_bad_booking_does_not_spoil_its_batch() {
    for engine in engines() {
        one_bad_booking_does_not_spoil_its_batch_on(engine).await;
    }
}

async fn one_bad_booking_does_not_spoil_its_batch_on(engine: Engine) {
    let (_dir, store) = store(engine).await;
    let store = Arc::new(store);
    let starts = slot_starts();
    let now = starts[0] - Duration::days(1);
    let pass: FairnessCheck = Arc::new(|_: &[_]| Ok(()));
    let mut tasks = Vec::new();
    for i in 0..60u32 {
        let (store, pass) = (store.clone(), pass.clone());
        let slot = (i % 3) as usize;
        // slot 0 has two seats for twenty requests; slots 1 and 2 have room for all
        let capacity = if slot == 0 { 2 } else { 100 };
        // two requests for slot 1 share a code: the second one written must fail alone
        let code = if i == 1 || i == 4 {
            "DUP".to_string()
        } else {
            format!("B{i}")
        };
        let start = starts[slot];
        tasks.push(tokio::spawn(async move {
            let rec = consultation(code, format!("139{i:08}"), start, now);
            (slot, store.create_booking(&rec, capacity, pass).await)
        }));
    }
    let mut confirmed = [0u32; 3];
    let (mut full, mut failed) = (0, 0);
    for t in tasks {
        match t.await.unwrap() {
            (slot, Ok(Ok(_))) => confirmed[slot] += 1,
            (0, Ok(Err(Refusal::Full))) => full += 1,
            (slot, Ok(Err(other))) => panic!("slot {slot}: unexpected refusal {other:?}"),
            // the use case draws another code on exactly this error
            (1, Err(e)) if e.is_unique_violation() => failed += 1,
            (slot, Err(e)) => panic!("slot {slot}: unexpected error {e}"),
        }
    }
    assert_eq!(confirmed, [2, 19, 20]);
    assert_eq!((full, failed), (18, 1));
    let taken = seats_taken(&store, &starts).await;
    let counted: Vec<u32> = starts.iter().map(|s| taken[s]).collect();
    assert_eq!(
        counted,
        [2, 19, 20],
        "seat counters match the confirmed bookings"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_booking_that_panics_is_undone_and_the_writer_goes_on() {
    for engine in engines() {
        a_booking_that_panics_is_undone_and_the_writer_goes_on_on(engine).await;
    }
}

/// A bug that panics in the middle of a booking (here its fairness check, which runs after
/// the seat is taken) must neither confirm it nor keep its seat, nor leave the writer inside
/// an open transaction where every later booking would fail.
async fn a_booking_that_panics_is_undone_and_the_writer_goes_on_on(engine: Engine) {
    let (_dir, store) = store(engine).await;
    let starts = slot_starts();
    let now = starts[0] - Duration::days(1);
    let panics: FairnessCheck = Arc::new(|_: &[_]| panic!("a bug in a booking rule"));
    let bad = consultation("PANIC", "13900000001", starts[0], now);
    let attempt = {
        let store = store.clone();
        tokio::spawn(async move { store.create_booking(&bad, 2, panics).await }).await
    };
    // SQLite: the writer answers "not written"; PostgreSQL: the caller's task panics
    assert!(
        !matches!(attempt, Ok(Ok(Ok(_)))),
        "a booking that panicked was confirmed"
    );
    assert!(store.booking_by_code("PANIC").await.unwrap().is_none());
    let pass: FairnessCheck = Arc::new(|_: &[_]| Ok(()));
    let good = consultation("AFTER", "13900000002", starts[0], now);
    let after = store.create_booking(&good, 2, pass).await;
    assert!(
        matches!(after, Ok(Ok(_))),
        "the next booking failed: {after:?}"
    );
    assert_eq!(seats_taken(&store, &starts).await[&starts[0]], 1);
}

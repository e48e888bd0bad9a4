//! The store on both engines: the district round trip, reopening, and what several server
//! instances on one database rely on (each "instance" here is a store with its own pool).

use backend::store::{FairnessCheck, NewBookingRecord, Refusal, Store, StoreError};
use backend::testing::{consultation, engines, Engine, TestDatabase};
use chrono::{DateTime, Duration, TimeZone, Utc};
use domain::booking::{check_fairness, FairnessLimits};
use domain::district_file::{parse_district, District};
use domain::{LocationId, ServiceCode};
use std::sync::Arc;

fn demo() -> District {
    parse_district(include_str!("../../seed/demo-district.toml")).unwrap()
}

async fn demo_store(engine: Engine) -> (TestDatabase, Arc<dyn Store>) {
    let (db, store) = backend::testing::fresh_store(engine).await;
    assert!(store.load_district_if_empty(&demo()).await.unwrap());
    (db, store)
}

#[tokio::test]
async fn district_round_trips_through_the_database() {
    for engine in engines() {
        let (_db, store) = backend::testing::fresh_store(engine).await;
        assert_eq!(store.district().await.unwrap(), None);
        let d = demo();
        assert!(store.load_district_if_empty(&d).await.unwrap());
        assert_eq!(store.district().await.unwrap().unwrap().name, d.name);
        let back = store.locations().await.unwrap();
        assert_eq!(
            back, d.locations,
            "{engine}: every place, service and session comes back unchanged and in order"
        );
        let one = store.location(d.locations[5].id).await.unwrap();
        assert_eq!(one, d.locations[5]);
    }
}

#[tokio::test]
async fn second_load_is_refused_and_changes_nothing() {
    for engine in engines() {
        let (_db, store) = demo_store(engine).await;
        let d = demo();
        let mut other = d.clone();
        other.name = "另一个区".into();
        other.locations.truncate(3);
        assert!(!store.load_district_if_empty(&other).await.unwrap());
        assert_eq!(store.district().await.unwrap().unwrap().name, d.name);
        assert_eq!(store.locations().await.unwrap().len(), d.locations.len());
        assert!(matches!(
            store.location(LocationId(999_999)).await,
            Err(StoreError::NotFound)
        ));
    }
}

#[tokio::test]
async fn data_survives_reopening() {
    for engine in engines() {
        let db = TestDatabase::new(engine).await;
        {
            let first = db.open().await;
            first.store().load_district_if_empty(&demo()).await.unwrap();
            first.close().await;
        }
        let again = db.open().await;
        assert_eq!(
            again.store().locations().await.unwrap().len(),
            14 + 263,
            "{engine}"
        );
        again.close().await;
    }
}

fn booking(code: String, phone: String, start: DateTime<Utc>) -> NewBookingRecord {
    consultation(code, phone, start, start - Duration::days(2))
}

fn fair(start: DateTime<Utc>) -> FairnessCheck {
    let limits = FairnessLimits::default();
    Arc::new(move |existing: &[_]| {
        check_fairness(
            existing,
            (
                start.fixed_offset(),
                (start + Duration::minutes(30)).fixed_offset(),
            ),
            &limits,
        )
    })
}

/// A Monday morning slot of office 1 (seeded with legal consultation on weekdays).
fn slot(hour_utc: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2030, 3, 4, hour_utc, 0, 0).unwrap()
}

/// Two instances (two stores, two pools on one database), 40 residents each, all at once
/// for one slot of 2 seats: exactly 2 succeed, and the seat counter says 2.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_never_overbook_a_slot() {
    for engine in engines() {
        let (db, a) = demo_store(engine).await;
        let b = db.open().await.store();
        let start = slot(1);
        let mut tasks = Vec::new();
        for i in 0..80 {
            let store = if i % 2 == 0 { a.clone() } else { b.clone() };
            tasks.push(tokio::spawn(async move {
                let rec = booking(format!("RACE{i:04}"), format!("1390000{i:04}"), start);
                store.create_booking(&rec, 2, fair(start)).await
            }));
        }
        let mut booked = 0;
        for t in tasks {
            match t.await.unwrap().unwrap() {
                Ok(_) => booked += 1,
                Err(Refusal::Full) => {}
                Err(other) => panic!("{engine}: unexpected refusal {other:?}"),
            }
        }
        assert_eq!(booked, 2, "{engine}: seats given");
        let taken = a
            .seats_taken(
                LocationId(1),
                ServiceCode::LegalConsultation,
                start,
                start + Duration::minutes(1),
            )
            .await
            .unwrap();
        assert_eq!(taken.get(&start), Some(&2), "{engine}: counter");
    }
}

/// One phone booking six different slots at once through two instances, in ten rounds:
/// the fairness rule (at most three active bookings) holds although the bookings do not
/// share a slot row.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_phone_racing_on_two_instances_keeps_the_fairness_rule() {
    for engine in engines() {
        let (db, a) = demo_store(engine).await;
        let b = db.open().await.store();
        for round in 0..10u32 {
            let phone = format!("1391111{round:04}");
            let mut tasks = Vec::new();
            for i in 0..6u32 {
                let store = if i % 2 == 0 { a.clone() } else { b.clone() };
                let start = slot(1 + i % 3) + Duration::days(i64::from(i / 3 + 2 * round));
                let rec = booking(format!("FAIR{round}-{i}"), phone.clone(), start);
                tasks.push(tokio::spawn(async move {
                    store.create_booking(&rec, 50, fair(start)).await
                }));
            }
            let mut results = Vec::new();
            for t in tasks {
                results.push(t.await.unwrap().unwrap());
            }
            let booked = results.iter().filter(|r| r.is_ok()).count();
            assert_eq!(booked, 3, "{engine}, round {round}: {results:?}");
            assert!(results
                .iter()
                .all(|r| matches!(r, Ok(_) | Err(Refusal::Fairness(_)))));
        }
    }
}

/// Residents swapping slots at the same moment on two instances (the pattern that makes two
/// transactions wait for each other's rows): every move succeeds or is refused cleanly, no
/// error reaches the caller, and the counters still match the bookings.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn crossing_reschedules_on_two_instances_all_complete() {
    for engine in engines() {
        let (db, a) = demo_store(engine).await;
        let b = db.open().await.store();
        let (s1, s2) = (slot(1), slot(2));
        let mut codes = Vec::new();
        for i in 0..6 {
            let start = if i % 2 == 0 { s1 } else { s2 };
            let rec = booking(format!("SWAP{i}"), format!("1370000{i:04}"), start);
            codes.push(
                a.create_booking(&rec, 8, fair(start))
                    .await
                    .unwrap()
                    .unwrap(),
            );
        }
        for _round in 0..4 {
            let mut tasks = Vec::new();
            for (i, bk) in codes.iter().enumerate() {
                let store = if i % 2 == 0 { a.clone() } else { b.clone() };
                let code = bk.code.clone();
                tasks.push(tokio::spawn(async move {
                    let now = store.booking_by_code(&code).await.unwrap().unwrap();
                    let to = if now.start == s1 { s2 } else { s1 };
                    store
                        .reschedule_booking(
                            &code,
                            to,
                            to + Duration::minutes(30),
                            8,
                            fair(to),
                            to - Duration::days(2),
                            None,
                        )
                        .await
                }));
            }
            for t in tasks {
                let r = t.await.unwrap();
                assert!(
                    matches!(r, Ok(Ok(_))),
                    "{engine}: a reschedule failed: {r:?}"
                );
            }
        }
        let taken = a
            .seats_taken(
                LocationId(1),
                ServiceCode::LegalConsultation,
                s1,
                s2 + Duration::minutes(1),
            )
            .await
            .unwrap();
        let mut at = std::collections::HashMap::new();
        for bk in &codes {
            let now = a.booking_by_code(&bk.code).await.unwrap().unwrap();
            *at.entry(now.start).or_insert(0u32) += 1;
        }
        assert_eq!(taken, at, "{engine}: counters match the bookings");
    }
}

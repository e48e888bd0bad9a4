//! `server migrate-db`: a SQLite portal with history and today's activity is copied to
//! PostgreSQL; every table has the same rows and content; the portal then runs on the copy
//! with the same bookings, the same signed-in sessions and new ids after the old ones.

mod common;
use backend::store::copy::{summaries, TABLES};
use backend::store::Database;
use backend::testing::{engines, Engine, TestDatabase};
use chrono::{TimeZone, Utc};
use common::*;
use serde_json::json;
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_portal_moves_to_postgresql_and_nothing_is_lost() {
    if !engines().contains(&Engine::Postgres) {
        eprintln!("PORTAL_TEST_ENGINES excludes postgres: migrate-db not tested");
        return;
    }
    // a SQLite portal with two generated years behind it ...
    let old = spawn_app().await;
    let store = backend::store::open(&old.db.url, 2).await.unwrap().store();
    let places = backend::Directory::new(store.clone())
        .locations()
        .await
        .unwrap();
    let plan = backend::history::HistoryPlan {
        until: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        years: 2,
        seed: 3,
        scale: 0.01,
    };
    backend::history::generate(&store, &places, plan, |_, _| {})
        .await
        .unwrap();
    // ... and today's work: bookings, a queue, a mediation request, a signed-in clerk
    let code = old
        .book(
            1,
            "legal_consultation",
            "2026-12-07T09:00:00+08:00",
            "13977778888",
        )
        .await;
    old.book(
        2,
        "legal_consultation",
        "2026-12-08T09:00:00+08:00",
        "13977770000",
    )
    .await;
    old.set_now(Utc.with_ymd_and_hms(2026, 12, 7, 1, 5, 0).unwrap());
    let clerk = old.signed_in("o1-clerk").await;
    assert_eq!(clerk.check_in(&code).await.0, 200);
    clerk.walk_in(1, "legal_consultation").await;
    clerk.call_next(1, None).await;
    let (s, case) = old
        .client()
        .post(
            "/api/v1/mediation-requests",
            &json!({"applicant_name": "李梅", "applicant_phone": "13812345678",
                    "other_party_name": "王强", "dispute_type": "neighbour",
                    "account": "楼上漏水到我家，多次协商未果。", "location_id": 2, "consent": true}),
        )
        .await;
    assert_eq!(s, 201, "{case}");
    let stats = old.signed_in("district").await;
    assert_eq!(
        stats
            .get("/api/v1/stats?scope=district&from=2025-01-01&to=2025-12-31")
            .await
            .0,
        200,
        "roll-ups computed before the move"
    );

    // The portal is stopped before a move (the command says so); this one keeps running, so
    // let its outbox send the booking messages first, or a send between the copy and the
    // comparison would change a row under the checksum.
    let source = sqlx::SqlitePool::connect(&old.db.url).await.unwrap();
    for _ in 0..100 {
        let (unsent,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM notifications WHERE sent_at IS NULL")
                .fetch_one(&source)
                .await
                .unwrap();
        if unsent == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    source.close().await;

    // the move
    let target = Arc::new(TestDatabase::new(Engine::Postgres).await);
    let mut seen = Vec::new();
    let report = server::migrate::migrate_db(&old.db.url, &target.url, |table, _| {
        if seen.last().map(String::as_str) != Some(table) {
            seen.push(table.to_string());
        }
    })
    .await
    .unwrap();
    for t in &report.tables {
        assert_eq!(t.source, t.target, "{} differs", t.table);
    }
    assert!(report.complete());
    assert_eq!(report.tables.len(), TABLES.len());
    let rows = |name: &str| {
        report
            .tables
            .iter()
            .find(|t| t.table == name)
            .unwrap()
            .source
            .rows
    };
    assert_eq!(rows("locations"), 14 + 263);
    for table in [
        "bookings",
        "booking_events",
        "queue_entries",
        "mediation_cases",
        "mediation_events",
        "staff_users",
        "audit_log",
        "notifications",
        "slot_seats",
        "stats_rollups",
        "stats_stale",
        "agreement_counters",
        "holiday_years",
    ] {
        assert!(rows(table) > 0, "{table} had rows to copy");
    }
    assert!(rows("bookings") > 5_000, "the history was copied");
    assert!(
        report.sessions >= 2,
        "sessions carried over: {}",
        report.sessions
    );

    // the checksum sees content, not only counts: one changed phone number shows
    let pg = match backend::store::open(&target.url, 2).await.unwrap() {
        Database::Postgres(pg) => pg,
        _ => unreachable!(),
    };
    sqlx::query("UPDATE bookings SET phone = '13900000000' WHERE code = $1")
        .bind(&code)
        .execute(pg.pool())
        .await
        .unwrap();
    let after = summaries(&Database::Postgres(pg.clone()), &pg)
        .await
        .unwrap();
    let booking_sum = |list: &[(&str, backend::store::copy::Summary)]| {
        list.iter()
            .find(|(t, _)| *t == "bookings")
            .unwrap()
            .1
            .clone()
    };
    let before = report
        .tables
        .iter()
        .find(|t| t.table == "bookings")
        .unwrap();
    assert_eq!(booking_sum(&after).rows, before.source.rows);
    assert_ne!(booking_sum(&after).checksum, before.source.checksum);
    sqlx::query("UPDATE bookings SET phone = '13977778888' WHERE code = $1")
        .bind(&code)
        .execute(pg.pool())
        .await
        .unwrap();

    // a second copy into the now full database is refused
    let again = server::migrate::migrate_db(&old.db.url, &target.url, |_, _| {}).await;
    assert!(again.is_err(), "copying over a portal is refused");
    // a table the copy does not know (a later migration's) stops it, instead of being left out
    let other = TestDatabase::new(Engine::Postgres).await;
    let pg_other = match backend::store::open(&other.url, 2).await.unwrap() {
        Database::Postgres(pg) => pg,
        _ => unreachable!(),
    };
    sqlx::query("CREATE TABLE notes (id BIGINT PRIMARY KEY)")
        .execute(pg_other.pool())
        .await
        .unwrap();
    let unknown = server::migrate::migrate_db(&old.db.url, &other.url, |_, _| {}).await;
    let message = unknown
        .expect_err("an unknown table is refused")
        .to_string();
    assert!(message.contains("notes"), "{message}");

    // the portal runs on the copy: same booking, same signed-in clerk, new ids continue
    let new = spawn_instance(&target, &old.now).await;
    let (s, b) = new
        .client()
        .get(&format!("/api/v1/bookings/{code}?phone=13977778888"))
        .await;
    assert_eq!((s, b["code"].as_str()), (200, Some(code.as_str())), "{b}");
    let on_new = clerk.on(&new);
    let (s, me) = on_new.get("/api/v1/staff/me").await;
    assert_eq!((s, me["username"].as_str()), (200, Some("o1-clerk")));
    let (s, queue) = on_new.get("/api/v1/staff/queue?location_id=1").await;
    assert_eq!(s, 200, "{queue}");
    new.book(
        1,
        "legal_consultation",
        "2026-12-09T09:00:00+08:00",
        "13966660000",
    )
    .await;
    let (s, _) = on_new.walk_in(1, "legal_consultation").await;
    assert_eq!(s, 201, "a new queue entry gets an id after the copied ones");
}

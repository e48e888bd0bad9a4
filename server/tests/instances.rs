//! Several server instances on one PostgreSQL database, as behind a load balancer: the race
//! for the last seats between instances, live display events from one instance to the
//! screens of another, sessions valid on every instance, and new weekly hours used by all.

mod common;
use backend::testing::{engines, Engine, TestDatabase};
use chrono::{TimeZone, Utc};
use common::*;
use serde_json::json;
use std::sync::atomic::AtomicI64;
use std::sync::Arc;

/// Two instances on one fresh PostgreSQL database, or `None` when the run excludes
/// PostgreSQL explicitly (`PORTAL_TEST_ENGINES=sqlite`).
async fn two_instances() -> Option<(TestApp, TestApp)> {
    if !engines().contains(&Engine::Postgres) {
        eprintln!("PORTAL_TEST_ENGINES excludes postgres: multi-instance tests not run");
        return None;
    }
    let db = Arc::new(TestDatabase::new(Engine::Postgres).await);
    let now = Arc::new(AtomicI64::new(monday_6am().timestamp()));
    let a = spawn_instance(&db, &now).await;
    let b = spawn_instance(&db, &now).await;
    Some((a, b))
}

fn booking(place: i64, start: &str, n: u32) -> serde_json::Value {
    json!({"location_id": place, "service": "legal_consultation", "start": start,
           "name": "测试居民", "phone": format!("139{n:08}"), "topic": "labour",
           "consent": true, "youth": false})
}

async fn first_slot(app: &TestApp) -> (String, u64) {
    let slot = app
        .client()
        .slots(1, "legal_consultation")
        .await
        .into_iter()
        .find(|s| s["remaining"].as_u64() > Some(0))
        .expect("a free slot");
    (
        slot["start"].as_str().unwrap().to_string(),
        slot["capacity"].as_u64().unwrap(),
    )
}

async fn remaining(app: &TestApp, start: &str) -> u64 {
    app.client()
        .slots(1, "legal_consultation")
        .await
        .iter()
        .find(|s| s["start"] == start)
        .map(|s| s["remaining"].as_u64().unwrap())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_never_overbook_a_slot() {
    let Some((a, b)) = two_instances().await else {
        return;
    };
    let (start, capacity) = first_slot(&a).await;
    let (created, full) = race(
        200,
        // alternate instances, as a round-robin balancer does
        |n| {
            format!(
                "{}/api/v1/bookings",
                if n % 2 == 0 { &a.base } else { &b.base }
            )
        },
        |n| booking(1, &start, 10_000 + n),
    )
    .await;
    assert_eq!(created, capacity, "exactly the seats there were");
    assert_eq!(full, 200 - capacity);
    assert_eq!(remaining(&a, &start).await, 0);
    assert_eq!(remaining(&b, &start).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_call_on_one_instance_reaches_the_display_on_the_other() {
    let Some((a, b)) = two_instances().await else {
        return;
    };
    let code = b
        .book(
            1,
            "legal_consultation",
            "2026-12-07T09:00:00+08:00",
            "13977778888",
        )
        .await;
    // 09:05, both share the clock; the screen is connected to instance A ...
    a.set_now(Utc.with_ymd_and_hms(2026, 12, 7, 1, 5, 0).unwrap());
    let (mut screen, first) = a.display_events(1).await;
    assert!(first.contains("\"calling\":[]"), "{first}");
    // ... the clerk works on instance B
    let clerk = b.signed_in("o1-clerk").await;
    let (s, _) = clerk.check_in(&code).await;
    assert_eq!(s, 200);
    event_containing(
        &mut screen,
        "\"next\":[\"A001\"]",
        std::time::Duration::from_secs(3),
    )
    .await;
    let (s, _) = clerk.call_next(1, Some("2号窗口")).await;
    assert_eq!(s, 200);
    let called = event_containing(
        &mut screen,
        "\"ticket\":\"A001\"",
        std::time::Duration::from_secs(3),
    )
    .await;
    assert!(called.contains("2号窗口"), "{called}");
}

#[tokio::test]
async fn a_session_works_on_every_instance() {
    let Some((a, b)) = two_instances().await else {
        return;
    };
    // one browser: cookies are per host, not per port, so it talks to both instances
    let browser = a.signed_in("o1-clerk").await;
    let on_b = browser.on(&b);
    let (s, me) = on_b.get("/api/v1/staff/me").await;
    assert_eq!((s, me["username"].as_str()), (200, Some("o1-clerk")));
    let (s, _) = on_b.post("/api/v1/staff/logout", &json!({})).await;
    assert!(s == 200 || s == 204, "logout: {s}");
    let (s, _) = browser.get("/api/v1/staff/me").await;
    assert_eq!(s, 401, "signed out everywhere");
}

/// Weekly hours are kept in memory by each instance: a change on one must reach the others.
#[tokio::test]
async fn new_weekly_hours_on_one_instance_are_used_by_the_other() {
    let Some((a, b)) = two_instances().await else {
        return;
    };
    let mondays_offered = |app: &TestApp| {
        let client = app.client();
        async move {
            client
                .slots(1, "legal_consultation")
                .await
                .iter()
                .any(|s| s["start"].as_str().unwrap().starts_with("2026-12-07"))
        }
    };
    assert!(
        mondays_offered(&a).await,
        "Monday is open on A (and cached)"
    );
    let head = b.signed_in("o1-head").await;
    let (s, body) = head
        .post("/api/v1/staff/schedules", &hours_without_mondays(true))
        .await;
    assert_eq!(s, 200, "{body}");
    assert!(!mondays_offered(&b).await, "no Monday on B at once");
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(3);
    while mondays_offered(&a).await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "A still offers Mondays"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

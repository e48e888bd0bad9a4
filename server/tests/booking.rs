//! Booking API: the whole life of a booking, every field's validation, and the race for
//! the last seats. Real router on port 0, one database per test (the race on both engines).

mod common;

use backend::testing::{engines, Engine, TestDatabase};
use serde_json::{json, Value};
use server::config::Config;
use server::startup::Application;

/// The portal on the wall clock (slots are offered from the real now on): a client of it
/// without cookies.
struct TestApp {
    client: common::Client,
    _db: TestDatabase,
}

impl std::ops::Deref for TestApp {
    type Target = common::Client;

    fn deref(&self) -> &common::Client {
        &self.client
    }
}

async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    spawn_app_on(Engine::Sqlite, adjust).await
}

async fn spawn_app_on(engine: Engine, adjust: impl FnOnce(&mut Config)) -> TestApp {
    let db = TestDatabase::new(engine).await;
    let mut config = Config::for_tests(db.url.clone());
    adjust(&mut config);
    let app = Application::build(config).await.expect("app starts");
    let base = format!("http://{}", app.addr);
    tokio::spawn(app.run());
    TestApp {
        client: common::Client {
            http: reqwest::Client::new(),
            base,
        },
        _db: db,
    }
}

impl TestApp {
    /// The start of the first consultation slot offered at `place`.
    async fn first_start(&self, place: i64) -> String {
        self.slots(place, "legal_consultation").await[0]["start"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Seats left in the slot of `place`'s consultation service that starts at `start`.
    async fn remaining(&self, place: i64, start: &str) -> Value {
        let slots = self.slots(place, "legal_consultation").await;
        let slot = slots
            .iter()
            .find(|s| s["start"] == start)
            .expect("the slot is listed");
        slot["remaining"].clone()
    }
}

fn phone(n: u32) -> String {
    format!("139{n:08}")
}

fn booking(place: i64, start: &str, n: u32) -> Value {
    json!({
        "location_id": place, "service": "legal_consultation", "start": start,
        "name": "王小明", "phone": phone(n), "topic": "labour", "consent": true
    })
}

#[tokio::test]
async fn slots_are_in_shanghai_time_inside_the_window() {
    let app = spawn_app().await;
    let slots = app.slots(1, "legal_consultation").await;
    assert!(
        !slots.is_empty(),
        "an office offers consultation within the next 14 days"
    );
    for s in &slots {
        let start = s["start"].as_str().unwrap();
        assert!(start.ends_with("+08:00"), "{start}");
        assert_eq!(s["capacity"], 2);
        assert!(s["remaining"].as_u64().unwrap() <= 2);
        let t = chrono::DateTime::parse_from_rfc3339(start).unwrap();
        let lead = t.signed_duration_since(chrono::Utc::now());
        assert!(
            lead >= chrono::Duration::hours(2) - chrono::Duration::minutes(1),
            "{start}"
        );
        assert!(lead <= chrono::Duration::days(15), "{start}");
    }
    let (status, _) = app.get("/api/v1/locations/1/slots?service=nope").await;
    assert_eq!(status, 422);
    let (status, _) = app
        .get("/api/v1/locations/99999/slots?service=legal_consultation")
        .await;
    assert_eq!(status, 404);
    let (status, body) = app
        .get("/api/v1/locations/1/slots?service=legal_consultation&from=2026-13-01")
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["field"], "from");
}

#[tokio::test]
async fn book_look_up_reschedule_and_cancel() {
    let app = spawn_app().await;
    let slots = app.slots(101, "legal_consultation").await;
    assert!(
        slots.len() >= 2,
        "a workroom rota has several slots in two weeks"
    );
    let first = slots[0]["start"].as_str().unwrap().to_string();
    let second = slots[1]["start"].as_str().unwrap().to_string();

    let (status, b) = app.post("/api/v1/bookings", &booking(101, &first, 1)).await;
    assert_eq!(status, 201, "{b}");
    let code = b["code"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 10);
    assert_eq!(b["state"], "booked");
    assert_eq!(
        b["phone"], "139****0001",
        "phone numbers are masked in answers"
    );

    // the seat is gone
    assert_eq!(app.remaining(101, &first).await, 0);

    // look-up needs the right phone; a wrong phone looks like an unknown code
    let (status, found) = app
        .get(&format!("/api/v1/bookings/{code}?phone={}", phone(1)))
        .await;
    assert_eq!(status, 200);
    assert_eq!(found["start"], first.as_str());
    let (wrong_phone, body_a) = app
        .get(&format!("/api/v1/bookings/{code}?phone={}", phone(2)))
        .await;
    let (unknown, body_b) = app
        .get(&format!("/api/v1/bookings/ABCDEFGHJK?phone={}", phone(1)))
        .await;
    assert_eq!((wrong_phone, unknown), (404, 404));
    assert_eq!(body_a, body_b);

    // reschedule keeps the code and moves the seat
    let (status, moved) = app
        .post(
            &format!("/api/v1/bookings/{code}/reschedule"),
            &json!({"phone": phone(1), "start": second}),
        )
        .await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["code"], code.as_str());
    assert_eq!(moved["start"], second.as_str());
    assert_eq!(app.remaining(101, &first).await, 1);
    assert_eq!(app.remaining(101, &second).await, 0);

    // cancel frees the seat and keeps the booking, now cancelled
    let (status, cancelled) = app.on_booking(&code, "cancel", &phone(1)).await;
    assert_eq!(status, 200);
    assert_eq!(cancelled["state"], "cancelled");
    let (_, still) = app
        .get(&format!("/api/v1/bookings/{code}?phone={}", phone(1)))
        .await;
    assert_eq!(still["state"], "cancelled", "cancelled bookings are kept");
    assert_eq!(app.remaining(101, &second).await, 1);
    let (status, again) = app.on_booking(&code, "cancel", &phone(1)).await;
    assert_eq!(status, 409, "{again}");
}

#[tokio::test]
async fn every_invalid_field_gets_a_4xx_naming_it() {
    let app = spawn_app().await;
    let start = app.first_start(1).await;
    let good = booking(1, &start, 5);
    let cases: Vec<(&str, Value, &str)> = vec![
        ("location_id", json!(null), "location_id"),
        ("location_id", json!("one"), "location_id"),
        ("location_id", json!(424242), "location_id"),
        ("service", json!("haircut"), "service"),
        ("service", json!("notary"), "service"), // office 1 has no notary
        ("start", json!("tomorrow"), "start"),
        ("start", json!("2026-01-01T03:00:00+08:00"), "start"),
        ("name", json!(""), "name"),
        ("name", json!("x".repeat(31)), "name"),
        ("name", json!(12), "name"),
        ("phone", json!("12345"), "phone"),
        ("phone", json!("23812345678"), "phone"),
        ("topic", json!("astrology"), "topic"),
        ("account", json!("长".repeat(501)), "account"),
        ("consent", json!(false), "consent"),
        ("consent", json!("yes"), "consent"),
    ];
    for (key, value, field) in cases {
        let mut body = good.clone();
        body[key] = value.clone();
        let (status, err) = app.post("/api/v1/bookings", &body).await;
        assert_eq!(status, 422, "{key}={value}: {err}");
        assert_eq!(err["field"], field, "{key}={value}: {err}");
        assert!(!err["message"].as_str().unwrap().is_empty());
    }
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/bookings", app.base))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    // nothing was booked by any of these
    let (status, _) = app.post("/api/v1/bookings", &good).await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn one_phone_holds_at_most_three_bookings_and_none_overlapping() {
    let app = spawn_app().await;
    let slots = app.slots(1, "legal_consultation").await;
    let (status, _) = app
        .post(
            "/api/v1/bookings",
            &booking(1, slots[0]["start"].as_str().unwrap(), 7),
        )
        .await;
    assert_eq!(status, 201);
    // same time at another office: overlap
    let other = app.slots(2, "legal_consultation").await;
    let same_time = other
        .iter()
        .find(|s| s["start"] == slots[0]["start"])
        .unwrap();
    let mut b = booking(2, same_time["start"].as_str().unwrap(), 7);
    b["location_id"] = json!(2);
    let (status, err) = app.post("/api/v1/bookings", &b).await;
    assert_eq!(status, 409, "{err}");
    assert!(
        err["message"].as_str().unwrap().contains("已有其他预约"),
        "{err}"
    );
    for s in &slots[1..3] {
        let (status, body) = app
            .post(
                "/api/v1/bookings",
                &booking(1, s["start"].as_str().unwrap(), 7),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
    let (status, err) = app
        .post(
            "/api/v1/bookings",
            &booking(1, slots[3]["start"].as_str().unwrap(), 7),
        )
        .await;
    assert_eq!(status, 409);
    assert!(err["message"].as_str().unwrap().contains("最多"), "{err}");
}

#[tokio::test]
async fn a_full_slot_offers_alternatives() {
    let app = spawn_app().await;
    let start = app.first_start(101).await;
    assert_eq!(
        app.post("/api/v1/bookings", &booking(101, &start, 21))
            .await
            .0,
        201
    );
    let (status, body) = app
        .post("/api/v1/bookings", &booking(101, &start, 22))
        .await;
    assert_eq!(status, 409);
    assert_eq!(body["error"], "full");
    let alts = body["alternatives"].as_array().unwrap();
    assert!(!alts.is_empty());
    assert_eq!(alts[0]["location_id"], 101, "same place first");
    assert!(alts
        .iter()
        .all(|a| a["remaining"].as_u64().unwrap() > 0 && a["start"] != start.as_str()));
    assert!(
        alts.iter().any(|a| a["location_id"] != 101),
        "then other places of the same office area"
    );
}

/// 200 residents press "book" on the same slot at the same moment: exactly the free seats
/// are taken, everyone else is told it is full, and the counters agree with the bookings.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_requests_never_overbook_a_slot() {
    for engine in engines() {
        concurrent_requests_never_overbook_a_slot_on(engine).await;
    }
}

async fn concurrent_requests_never_overbook_a_slot_on(engine: Engine) {
    let app = spawn_app_on(engine, |_| {}).await;
    let slot = app.slots(1, "legal_consultation").await[0].clone();
    let start = slot["start"].as_str().unwrap().to_string();
    let capacity = slot["capacity"].as_u64().unwrap();
    // one seat already taken: 200 requests race for the last ones
    assert_eq!(
        app.post("/api/v1/bookings", &booking(1, &start, 9999))
            .await
            .0,
        201
    );
    let free = capacity - 1;

    let (created, full) = common::race(
        200,
        |_| format!("{}/api/v1/bookings", app.base),
        |n| booking(1, &start, 10_000 + n),
    )
    .await;
    assert_eq!(created, free, "exactly the free seats were taken");
    assert_eq!(full, 200 - free);
    assert_eq!(app.remaining(1, &start).await, 0);
}

#[tokio::test]
async fn code_look_ups_and_bookings_are_rate_limited_per_client() {
    let app = spawn_app_with(|c| c.rate_limit = Some("5/min".parse().unwrap())).await;
    let mut statuses = Vec::new();
    for _ in 0..8 {
        statuses.push(
            app.get(&format!("/api/v1/bookings/ABCDEFGHJK?phone={}", phone(1)))
                .await,
        );
    }
    assert!(statuses[..5].iter().all(|(s, _)| *s == 404), "{statuses:?}");
    let (status, body) = &statuses[7];
    assert_eq!(*status, 429);
    assert!(
        body["message"].as_str().unwrap().contains("频繁"),
        "refusals say why, in Chinese"
    );
    // booking creation shares the client's budget
    let start = app.first_start(1).await;
    assert_eq!(
        app.post("/api/v1/bookings", &booking(1, &start, 1)).await.0,
        429
    );
    // reading places and slots is not limited
    assert_eq!(app.get("/api/v1/locations/1").await.0, 200);
}

#[tokio::test]
async fn calendar_file_and_qr_code_for_the_holder_only() {
    let app = spawn_app().await;
    let start = app.first_start(1).await;
    let (_, b) = app.post("/api/v1/bookings", &booking(1, &start, 31)).await;
    let code = b["code"].as_str().unwrap();
    let r = app
        .fetch(&format!(
            "/api/v1/bookings/{code}/calendar.ics?phone={}",
            phone(31)
        ))
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let ics = r.text().await.unwrap();
    assert!(ics.contains("BEGIN:VEVENT") && ics.contains("彭浦新村街道司法所"));
    let r = app
        .fetch(&format!(
            "/api/v1/bookings/{code}/qr.svg?phone={}",
            phone(31)
        ))
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("<svg"));
    for path in ["calendar.ics", "qr.svg"] {
        let (status, _) = app
            .get(&format!(
                "/api/v1/bookings/{code}/{path}?phone={}",
                phone(32)
            ))
            .await;
        assert_eq!(status, 404, "{path} with a wrong phone");
    }
}

#[tokio::test]
async fn psychology_bookings_are_confidential_and_fridays_are_for_youth() {
    let app = spawn_app().await;
    let slots = app.slots(3, "psychology").await;
    assert!(
        !slots.is_empty(),
        "江宁路's psychology room opens twice a week"
    );
    let weekday = |s: &Value| {
        chrono::DateTime::parse_from_rfc3339(s["start"].as_str().unwrap())
            .unwrap()
            .format("%a")
            .to_string()
    };
    for s in &slots {
        assert!(["Tue", "Fri"].contains(&weekday(s).as_str()));
        assert_eq!(
            s["youth_only"],
            weekday(s) == "Fri",
            "Friday is the youth-only day"
        );
    }
    let body = |start: &str, youth: bool| {
        json!({
            "location_id": 3, "service": "psychology", "start": start, "name": "李同学",
            "phone": phone(41), "topic": "emotion", "account": "最近睡不好", "youth": youth, "consent": true
        })
    };
    // a 14-day window always holds a Tuesday and a Friday, even around the longest holiday
    let friday = slots
        .iter()
        .find(|s| s["youth_only"] == true)
        .expect("a Friday slot");
    let tuesday = slots
        .iter()
        .find(|s| s["youth_only"] == false)
        .expect("a Tuesday slot");
    {
        let start = friday["start"].as_str().unwrap();
        let (status, err) = app.post("/api/v1/bookings", &body(start, false)).await;
        assert_eq!(status, 422);
        assert_eq!(err["field"], "youth");
        let (status, _) = app.post("/api/v1/bookings", &body(start, true)).await;
        assert_eq!(status, 201);
    }
    {
        let (status, b) = app
            .post(
                "/api/v1/bookings",
                &body(tuesday["start"].as_str().unwrap(), false),
            )
            .await;
        assert_eq!(status, 201, "{b}");
        assert!(
            b["topic"].is_null(),
            "the topic of a psychology booking is not sent back: {b}"
        );
        let code = b["code"].as_str().unwrap();
        let ics = app
            .fetch(&format!(
                "/api/v1/bookings/{code}/calendar.ics?phone={}",
                phone(41)
            ))
            .await
            .text()
            .await
            .unwrap();
        assert!(!ics.contains("心理") && !ics.contains("睡不好"), "{ics}");
    }
}

/// Behind nginx every request comes from the proxy: with the proxy trusted, each resident
/// (named by X-Forwarded-For) has a budget of their own; from an untrusted peer the header
/// is ignored, so nobody escapes the limit by writing it.
#[tokio::test]
async fn behind_a_trusted_proxy_each_resident_has_their_own_budget() {
    let app = spawn_app_with(|c| {
        c.rate_limit = Some("3/min".parse().unwrap());
        c.trusted_proxies = "127.0.0.1".parse().unwrap();
    })
    .await;
    let look_up = |client: &'static str| {
        let (http, url) = (
            app.http.clone(),
            format!("{}/api/v1/bookings/ABCDEFGHJK?phone={}", app.base, phone(1)),
        );
        async move {
            http.get(url)
                .header("x-forwarded-for", client)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    for _ in 0..3 {
        assert_eq!(look_up("203.0.113.7").await, 404);
    }
    assert_eq!(
        look_up("203.0.113.7").await,
        429,
        "this resident is over budget"
    );
    assert_eq!(look_up("203.0.113.8").await, 404, "another resident is not");

    let untrusted = spawn_app_with(|c| c.rate_limit = Some("3/min".parse().unwrap())).await;
    let mut statuses = Vec::new();
    for n in 0..4 {
        statuses.push(
            untrusted
                .http
                .get(format!(
                    "{}/api/v1/bookings/ABCDEFGHJK?phone={}",
                    untrusted.base,
                    phone(1)
                ))
                .header("x-forwarded-for", format!("198.51.100.{n}"))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16(),
        );
    }
    assert_eq!(
        statuses,
        [404, 404, 404, 429],
        "a forged header changes nothing"
    );
}

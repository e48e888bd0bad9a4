//! What the API tests share: the real application on port 0 with its own database (SQLite
//! unless a test names the engine) and a clock the test moves, and browser-like clients
//! with their own cookie jars.
// each test file uses its own part of this
#![allow(dead_code)]

use backend::testing::{Engine, TestDatabase};
use chrono::{DateTime, TimeZone, Utc};
use serde_json::{json, Value};
use server::config::Config;
use server::startup::Application;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// Monday 7 December 2026, 06:00 in Shanghai: a working day, before opening.
pub fn monday_6am() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 6, 22, 0, 0).unwrap()
}

pub struct TestApp {
    pub base: String,
    pub now: Arc<AtomicI64>,
    pub db: Arc<TestDatabase>,
}

/// The portal on port 0 with a fresh SQLite database.
pub async fn spawn_app() -> TestApp {
    spawn_app_on(Engine::Sqlite).await
}

/// The portal on port 0 with a fresh database on `engine`.
pub async fn spawn_app_on(engine: Engine) -> TestApp {
    let db = Arc::new(TestDatabase::new(engine).await);
    let now = Arc::new(AtomicI64::new(monday_6am().timestamp()));
    spawn_instance(&db, &now).await
}

/// The portal on port 0 with a fresh SQLite database and the test configuration changed by
/// `configure`.
pub async fn spawn_app_with(configure: impl FnOnce(&mut Config)) -> TestApp {
    let db = Arc::new(TestDatabase::new(Engine::Sqlite).await);
    let now = Arc::new(AtomicI64::new(monday_6am().timestamp()));
    spawn_configured(&db, &now, configure).await
}

/// Another instance of the portal on the same database and clock (as behind a load
/// balancer).
pub async fn spawn_instance(db: &Arc<TestDatabase>, now: &Arc<AtomicI64>) -> TestApp {
    spawn_configured(db, now, |_| {}).await
}

async fn spawn_configured(
    db: &Arc<TestDatabase>,
    now: &Arc<AtomicI64>,
    configure: impl FnOnce(&mut Config),
) -> TestApp {
    let clock_now = now.clone();
    let clock: backend::booking::Clock = Arc::new(move || {
        Utc.timestamp_opt(clock_now.load(Ordering::SeqCst), 0)
            .unwrap()
    });
    let mut config = Config::for_tests(db.url.clone());
    configure(&mut config);
    let app = Application::build_at(config, clock)
        .await
        .expect("app starts");
    let base = format!("http://{}", app.addr);
    tokio::spawn(app.run());
    TestApp {
        base,
        now: now.clone(),
        db: db.clone(),
    }
}

/// Reads server-sent events until one whose data contains `needle`, or fails after `within`.
pub async fn event_containing(
    stream: &mut reqwest::Response,
    needle: &str,
    within: std::time::Duration,
) -> String {
    let deadline = tokio::time::Instant::now() + within;
    let mut buffer = String::new();
    loop {
        let chunk = tokio::time::timeout_at(deadline, stream.chunk())
            .await
            .unwrap_or_else(|_| panic!("no event with {needle:?} in time; got {buffer:?}"))
            .unwrap()
            .expect("the stream stays open");
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let event: String = buffer.drain(..end + 2).collect();
            if event.contains(needle) {
                return event;
            }
        }
    }
}

/// A browser-like client with its own cookie jar.
pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
}

impl TestApp {
    pub fn set_now(&self, t: DateTime<Utc>) {
        self.now.store(t.timestamp(), Ordering::SeqCst);
    }

    pub fn client(&self) -> Client {
        Client {
            http: reqwest::Client::builder()
                .cookie_store(true)
                .build()
                .unwrap(),
            base: self.base.clone(),
        }
    }

    pub async fn signed_in(&self, username: &str) -> Client {
        let c = self.client();
        let (status, body) = c.login(username, "demo1234").await;
        assert_eq!(status, 200, "{username} signs in: {body}");
        c
    }

    /// Books a consultation (or psychology) seat through the public API; returns its code.
    pub async fn book(&self, place: i64, service: &str, start: &str, phone: &str) -> String {
        let (status, body) = self
            .client()
            .post(
                "/api/v1/bookings",
                &json!({"location_id": place, "service": service, "start": start,
                        "name": "测试居民", "phone": phone, "topic": if service == "psychology" { "emotion" } else { "labour" },
                        "consent": true, "youth": false}),
            )
            .await;
        assert_eq!(status, 201, "booking at {place} {start}: {body}");
        body["code"].as_str().unwrap().to_string()
    }

    /// The event stream of `place`'s call display, open, and the first board it showed.
    pub async fn display_events(&self, place: i64) -> (reqwest::Response, String) {
        let mut stream = reqwest::get(format!("{}/api/v1/display/{place}/events", self.base))
            .await
            .unwrap();
        assert_eq!(stream.status().as_u16(), 200);
        let first = event_containing(
            &mut stream,
            "event: board",
            std::time::Duration::from_secs(2),
        )
        .await;
        (stream, first)
    }

    /// The state of the booking `code` as its holder (with `phone`) sees it.
    pub async fn booking_state(&self, code: &str, phone: &str) -> Value {
        self.client()
            .get(&format!("/api/v1/bookings/{code}?phone={phone}"))
            .await
            .1["state"]
            .clone()
    }

    /// Waits until the server's no-show rule (run every second in tests) has marked each
    /// booking `(code, phone)`; fails after ten seconds, saying `what`.
    pub async fn await_no_shows(&self, bookings: &[(&str, &str)], what: &str) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        for (code, phone) in bookings {
            while self.booking_state(code, phone).await != "no_show" {
                assert!(std::time::Instant::now() < deadline, "{what}");
                tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            }
        }
    }

    /// The staff use cases on this portal's database, as the `server user` commands use them.
    pub async fn staff(&self) -> backend::staff::Staff {
        let store = backend::store::open(&self.db.url, 2).await.unwrap().store();
        backend::staff::Staff::new(
            store.clone(),
            backend::Directory::new(store),
            backend::booking::system_clock(),
        )
    }

    /// Adds an account straight into the database (there is no user-management API yet).
    pub async fn add_user(&self, username: &str, role: domain::staff::Role, place: i64) {
        self.staff()
            .await
            .add_user(
                username,
                "",
                "demo1234",
                role,
                Some(domain::LocationId(place)),
            )
            .await
            .unwrap();
    }
}

/// New weekly consultation hours for office 1 that close it on Mondays (a change that
/// cancels its Monday bookings), `confirm`ed or not.
pub fn hours_without_mondays(confirm: bool) -> Value {
    let mut body = json!({"location_id": 1, "service": "legal_consultation",
        "sessions": ["tue-fri 09:00-11:30 30min x2"]});
    if confirm {
        body["confirm"] = json!(true);
    }
    body
}

/// The steps that take a mediation case from its request to where a meeting can be
/// arranged, with the account `mediator` as its mediator.
pub fn intake_steps(mediator: i64) -> [Value; 4] {
    [
        json!({"action": "accept"}),
        json!({"action": "assign_mediator", "mediator_id": mediator}),
        json!({"action": "invite_other_party"}),
        json!({"action": "other_party_agrees"}),
    ]
}

/// The element of the JSON array `list` whose `key` is `value`; fails when there is none.
pub fn item<'a, T>(list: &'a Value, key: &str, value: T) -> &'a Value
where
    Value: PartialEq<T>,
    T: std::fmt::Debug,
{
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .find(|e| e[key] == value)
        .unwrap_or_else(|| panic!("no {key} = {value:?} in {list}"))
}

/// Sends `n` requests at once, the `i`th a POST of `body(i)` to `url(i)`, and counts the
/// answers: `(201 created, 409 refused)`; any other status fails.
pub async fn race(n: u32, url: impl Fn(u32) -> String, body: impl Fn(u32) -> Value) -> (u64, u64) {
    let http = reqwest::Client::new();
    let mut tasks = Vec::new();
    for i in 0..n {
        let (http, url, body) = (http.clone(), url(i), body(i));
        tasks.push(tokio::spawn(async move {
            http.post(url)
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    let (mut created, mut full) = (0, 0);
    for t in tasks {
        match t.await.unwrap() {
            201 => created += 1,
            409 => full += 1,
            other => panic!("unexpected status {other}"),
        }
    }
    (created, full)
}

impl Client {
    /// The same browser (cookies and all) talking to another instance.
    pub fn on(&self, app: &TestApp) -> Client {
        Client {
            http: self.http.clone(),
            base: app.base.clone(),
        }
    }

    /// The slots of `service` at `place` in the booking window.
    pub async fn slots(&self, place: i64, service: &str) -> Vec<Value> {
        let (status, body) = self
            .get(&format!(
                "/api/v1/locations/{place}/slots?service={service}"
            ))
            .await;
        assert_eq!(status, 200, "{body}");
        body.as_array().unwrap().clone()
    }

    /// The signed-in account's id.
    pub async fn my_id(&self) -> i64 {
        let (_, me) = self.get("/api/v1/staff/me").await;
        me["id"].as_i64().unwrap()
    }

    /// A resident's action (`lookup`, `cancel`) on the booking `code`, proved with `phone`.
    pub async fn on_booking(&self, code: &str, action: &str, phone: &str) -> (u16, Value) {
        self.post(
            &format!("/api/v1/bookings/{code}/{action}"),
            &json!({"phone": phone}),
        )
        .await
    }

    /// A sign-in attempt.
    pub async fn login(&self, username: &str, password: &str) -> (u16, Value) {
        self.post(
            "/api/v1/staff/login",
            &json!({"username": username, "password": password}),
        )
        .await
    }

    /// A walk-in for `service` at `place`.
    pub async fn walk_in(&self, place: i64, service: &str) -> (u16, Value) {
        self.post(
            "/api/v1/staff/walk-ins",
            &json!({"location_id": place, "service": service}),
        )
        .await
    }

    /// Checks in the booking `code`.
    pub async fn check_in(&self, code: &str) -> (u16, Value) {
        self.post("/api/v1/staff/check-in", &json!({"code": code}))
            .await
    }

    /// Calls the next person at `place`, at `desk` when it is named.
    pub async fn call_next(&self, place: i64, desk: Option<&str>) -> (u16, Value) {
        let body = match desk {
            Some(desk) => json!({"location_id": place, "desk": desk}),
            None => json!({"location_id": place}),
        };
        self.post("/api/v1/staff/call-next", &body).await
    }

    /// One step (`serve`, `finish`, `undo`, `transfer`, …) on the queue entry `id`.
    pub async fn queue_step(&self, id: i64, step: &str, body: &Value) -> (u16, Value) {
        self.post(&format!("/api/v1/staff/queue/{id}/{step}"), body)
            .await
    }

    pub async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .json(body)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }
    /// A GET whose answer the test reads itself (headers, text, bytes).
    pub async fn fetch(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }
    pub async fn get(&self, path: &str) -> (u16, Value) {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }
}

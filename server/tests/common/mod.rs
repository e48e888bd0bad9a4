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
        let (status, body) = c
            .post(
                "/api/v1/staff/login",
                &json!({"username": username, "password": "demo1234"}),
            )
            .await;
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

impl Client {
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

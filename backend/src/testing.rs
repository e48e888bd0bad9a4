//! Fresh, empty databases for tests, on either engine: the storage and race tests run once
//! per engine in [`engines`].
//!
//! PostgreSQL tests connect to `PORTAL_TEST_PG_URL` (default
//! `postgres://portal:portal@127.0.0.1:5432/postgres`, which `scripts/postgres.sh` and so
//! `make test` provide), create a database of their own and drop it afterwards. A developer
//! without PostgreSQL may set `PORTAL_TEST_ENGINES=sqlite`; nothing skips it silently.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        })
    }
}

/// The engines to test: both, unless `PORTAL_TEST_ENGINES` names fewer.
pub fn engines() -> Vec<Engine> {
    match std::env::var("PORTAL_TEST_ENGINES") {
        Ok(list) => list
            .split(',')
            .map(|e| match e.trim() {
                "sqlite" => Engine::Sqlite,
                "postgres" => Engine::Postgres,
                other => panic!("PORTAL_TEST_ENGINES: unknown engine {other:?}"),
            })
            .collect(),
        Err(_) => vec![Engine::Sqlite, Engine::Postgres],
    }
}

/// The server the PostgreSQL tests use.
pub fn postgres_server_url() -> String {
    std::env::var("PORTAL_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://portal:portal@127.0.0.1:5432/postgres".into())
}

/// An empty database (no migrations run yet), removed when dropped.
pub struct TestDatabase {
    pub engine: Engine,
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Directory(std::path::PathBuf),
    Database { server: String, name: String },
}

fn unique_name() -> String {
    use rand::Rng;
    format!(
        "portal_test_{}_{:08x}",
        std::process::id(),
        rand::thread_rng().gen::<u32>()
    )
}

/// Replaces the database name (the path) of a PostgreSQL URL.
fn with_database(server: &str, name: &str) -> String {
    let (base, query) = match server.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (server, String::new()),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_end = base[scheme_end..]
        .find('/')
        .map(|i| scheme_end + i)
        .unwrap_or(base.len());
    format!("{}/{name}{query}", &base[..host_end])
}

impl TestDatabase {
    pub async fn new(engine: Engine) -> TestDatabase {
        let name = unique_name();
        match engine {
            Engine::Sqlite => {
                let dir = std::env::temp_dir().join(&name);
                std::fs::create_dir_all(&dir).expect("temporary folder");
                TestDatabase {
                    engine,
                    url: format!("sqlite://{}", dir.join("portal.db").display()),
                    cleanup: Cleanup::Directory(dir),
                }
            }
            Engine::Postgres => {
                let server = postgres_server_url();
                let mut conn = connect_server(&server).await;
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .await
                    .expect("CREATE DATABASE");
                TestDatabase {
                    engine,
                    url: with_database(&server, &name),
                    cleanup: Cleanup::Database { server, name },
                }
            }
        }
    }
}

impl TestDatabase {
    /// Opens the database (migrating it) as the server would.
    pub async fn open(&self) -> crate::store::Database {
        crate::store::open(&self.url, 8)
            .await
            .unwrap_or_else(|e| panic!("{} test database: {e}", self.engine))
    }
}

/// A fresh, migrated, empty store on `engine`; keep the guard as long as the store is used.
pub async fn fresh_store(engine: Engine) -> (TestDatabase, std::sync::Arc<dyn crate::Store>) {
    let db = TestDatabase::new(engine).await;
    let store = db.open().await.store();
    (db, store)
}

/// A fresh store on `engine` holding the demo district (seed/demo-district.toml): its
/// directory and places.
pub async fn demo_store(
    engine: Engine,
) -> (
    TestDatabase,
    std::sync::Arc<dyn crate::Store>,
    crate::Directory,
    Vec<domain::Location>,
) {
    let (db, store) = fresh_store(engine).await;
    let directory = crate::Directory::new(store.clone());
    directory
        .seed_if_empty(include_str!("../../seed/demo-district.toml"))
        .await
        .unwrap();
    let places = directory.locations().await.unwrap();
    (db, store, directory, places)
}

/// A fresh store on `engine` holding [`ONE_OFFICE_DISTRICT`], and its directory.
pub async fn one_office_store(
    engine: Engine,
) -> (
    TestDatabase,
    std::sync::Arc<dyn crate::Store>,
    crate::Directory,
) {
    let (db, store) = fresh_store(engine).await;
    let directory = crate::Directory::new(store.clone());
    directory.seed_if_empty(ONE_OFFICE_DISTRICT).await.unwrap();
    (db, store, directory)
}

async fn connect_server(server: &str) -> sqlx::PgConnection {
    use sqlx::Connection;
    sqlx::PgConnection::connect(server)
        .await
        .unwrap_or_else(|e| {
            panic!(
                "PostgreSQL is not reachable at PORTAL_TEST_PG_URL ({e}). Run scripts/postgres.sh \
             (make test does), or set PORTAL_TEST_ENGINES=sqlite to test SQLite only."
            )
        })
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Directory(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Database { server, name } => {
                let (server, name) = (server.clone(), name.clone());
                // Drop runs outside async; a short-lived runtime on its own thread does it.
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .expect("runtime");
                    rt.block_on(async {
                        let mut conn = connect_server(&server).await;
                        let _ =
                            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                                .execute(&mut conn)
                                .await;
                    });
                })
                .join();
            }
        }
    }
}

/// Whether `text` has Chinese in it: Han characters, CJK punctuation or full-width forms.
pub fn has_han(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}')
    })
}

/// A district of one office (甲街道司法所, id 1) with two morning consultation slots of two
/// seats and one afternoon psychology session of one, Monday to Friday: small enough that a
/// test can fill it.
pub const ONE_OFFICE_DISTRICT: &str = r#"
[district]
name = "测试区"
bureau = "测试区司法局"

[[office]]
id = 1
name = "甲街道司法所"
area = "甲街道"
address = "甲路1号"

[office.services]
legal_consultation = ["mon-fri 09:00-10:30 30min x2"]
psychology = ["mon-fri 14:00-15:00 60min x1"]
"#;

/// A half-hour legal consultation at office 1 of [`ONE_OFFICE_DISTRICT`], as a store test
/// writes it.
pub fn consultation(
    code: impl Into<String>,
    phone: impl Into<String>,
    start: chrono::DateTime<chrono::Utc>,
    created_at: chrono::DateTime<chrono::Utc>,
) -> crate::store::NewBookingRecord {
    crate::store::NewBookingRecord {
        code: code.into(),
        location_id: domain::LocationId(1),
        service: domain::ServiceCode::LegalConsultation,
        start,
        end: start + chrono::Duration::minutes(30),
        name: "测试".into(),
        phone: phone.into(),
        topic: "labour".into(),
        account: None,
        youth: false,
        created_at,
    }
}

/// The two fairness refusals, against one booking on Tuesday 3 March 2026 09:00–09:30: a
/// second booking overlapping it, and a second booking on another day when one is the most.
pub fn fairness_refusals() -> (
    domain::booking::FairnessError,
    domain::booking::FairnessError,
) {
    use chrono::DateTime;
    use domain::booking::{check_fairness, FairnessLimits};
    let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap();
    let one = [(
        t("2026-03-03T09:00:00+08:00"),
        t("2026-03-03T09:30:00+08:00"),
    )];
    let overlap = check_fairness(
        &one,
        (
            t("2026-03-03T09:15:00+08:00"),
            t("2026-03-03T09:45:00+08:00"),
        ),
        &FairnessLimits::default(),
    )
    .unwrap_err();
    let too_many = check_fairness(
        &one,
        (
            t("2026-03-04T09:00:00+08:00"),
            t("2026-03-04T09:30:00+08:00"),
        ),
        &FairnessLimits { max_active: 1 },
    )
    .unwrap_err();
    (overlap, too_many)
}

/// Every refusal every use case can make (one of each kind of reason, each state a rule
/// names), for the tests that walk them through both front doors in both languages.
pub fn every_refusal() -> Vec<Box<dyn crate::UseCaseError>> {
    use crate::booking::{BookingError, NotActive};
    use crate::mediation::{Conflict as MediationConflict, MediationError};
    use crate::queue::{Conflict, QueueError};
    use crate::schedules::ScheduleError;
    use crate::staff::StaffError;
    use crate::stats::StatsError;
    use crate::store::BookingRecord;
    use chrono::{DateTime, Utc};
    use domain::booking::{FieldError, MobilePhone};
    use domain::queue::QueueState;
    use domain::{BookingState, Lang, LocationId, ServiceCode};

    let field = || MobilePhone::parse("123").unwrap_err();
    let (overlap, too_many) = fairness_refusals();
    let at: DateTime<Utc> = "2026-03-03T01:00:00Z".parse().unwrap();
    let booking = |state| BookingRecord {
        id: 1,
        code: "7K3QX9MPA2".into(),
        location_id: LocationId(4),
        service: ServiceCode::LegalConsultation,
        start: at,
        end: at,
        state,
        name: "王芳".into(),
        phone: "13812345678".into(),
        topic: "labour".into(),
        account: None,
        youth: false,
        created_at: at,
    };

    let mut all: Vec<Box<dyn crate::UseCaseError>> = vec![
        Box::new(crate::ServiceError::NotFound),
        Box::new(BookingError::Invalid(field())),
        Box::new(BookingError::Full {
            alternatives: vec![],
        }),
        Box::new(BookingError::from(overlap)),
        Box::new(BookingError::from(too_many)),
        Box::new(BookingError::NotFound),
    ];
    for r in NotActive::all() {
        all.push(Box::new(BookingError::from(r)));
    }
    {
        use crate::verify::VerifyError;
        use domain::verify::{self, CheckOutcome, VerifyPolicy};
        let policy = VerifyPolicy {
            per_hour: 0,
            ..Default::default()
        };
        let too_many = verify::may_issue(&[], at, &policy).unwrap_err();
        all.push(Box::new(VerifyError::Invalid(field())));
        all.push(Box::new(VerifyError::TooManyCodes(too_many)));
        all.push(Box::new(VerifyError::Stale(verify::no_code_error())));
        for outcome in [
            CheckOutcome::Wrong { tries_left: 3 },
            CheckOutcome::Wrong { tries_left: 1 },
            CheckOutcome::Expired,
            CheckOutcome::TooManyTries,
        ] {
            let f = outcome.field_error().expect("a refusal");
            all.push(Box::new(VerifyError::Invalid(f.clone())));
            all.push(Box::new(BookingError::from(VerifyError::Stale(f))));
        }
    }

    all.extend(
        [
            QueueError::Forbidden,
            QueueError::NotFound,
            QueueError::Invalid(field()),
            QueueError::from(Conflict::NotToday(at)),
            QueueError::from(Conflict::TooManyCalling),
            QueueError::from(Conflict::NothingToUndo),
            QueueError::from(Conflict::ChangedMeanwhile),
        ]
        .map(|e| Box::new(e) as Box<dyn crate::UseCaseError>),
    );
    for s in BookingState::ALL {
        all.push(Box::new(QueueError::from(Conflict::CannotCheckIn(s))));
        all.push(Box::new(QueueError::from(Conflict::NoNoShowToUndo(s))));
    }
    for from in QueueState::ALL {
        for step in domain::queue::Step::ALL {
            if let Err(e) = domain::queue::next_state(from, step) {
                all.push(Box::new(QueueError::from(Conflict::Step(e))));
            }
        }
    }

    all.extend(
        [
            MediationError::Invalid(vec![field()]),
            MediationError::Invalid(vec![
                FieldError::new("name", "请填写姓名", "Please enter your name"),
                field(),
            ]),
            MediationError::NotFound,
            MediationError::Forbidden,
            MediationError::from(MediationConflict::ChangedMeanwhile),
        ]
        .map(|e| Box::new(e) as Box<dyn crate::UseCaseError>),
    );
    let meeting = DateTime::parse_from_rfc3339("2026-12-08T09:00:00+08:00").unwrap();
    for from in domain::mediation::CaseState::ALL {
        for action in [
            domain::mediation::CaseAction::Accept,
            domain::mediation::CaseAction::OtherPartyAgrees,
            domain::mediation::CaseAction::ScheduleSession {
                location_id: LocationId(4),
                start: meeting,
            },
            domain::mediation::CaseAction::FollowUp {
                kept: false,
                note: "n".into(),
            },
        ] {
            if let Err(e) = domain::mediation::next_state(from, &action) {
                all.push(Box::new(MediationError::from(MediationConflict::Step(e))));
            }
        }
    }

    all.extend(
        [
            StaffError::BadCredentials,
            StaffError::Invalid(field()),
            StaffError::Forbidden,
            StaffError::Busy,
        ]
        .map(|e| Box::new(e) as Box<dyn crate::UseCaseError>),
    );

    let line = domain::WeeklySession::parse("mon 9:00-11:30 30min x2").unwrap_err();
    all.extend(
        [
            ScheduleError::Forbidden,
            ScheduleError::NotFound,
            ScheduleError::Invalid(field()),
            ScheduleError::Invalid(FieldError::new(
                "sessions",
                format!("第 1 条：{line}"),
                format!("Rule 1: {}", line.message(Lang::En)),
            )),
            ScheduleError::NeedsConfirmation(vec![booking(BookingState::Booked)]),
            ScheduleError::NeedsConfirmation(vec![booking(BookingState::Booked); 3]),
        ]
        .map(|e| Box::new(e) as Box<dyn crate::UseCaseError>),
    );

    {
        use crate::waitlist::WaitlistError;
        use domain::waitlist::{EntryState, JoinForm, WaitError};
        let window = domain::BookingWindow::default();
        let join = JoinForm::default().check(&window, at).unwrap_err();
        all.push(Box::new(WaitlistError::Invalid(join)));
        all.push(Box::new(WaitlistError::Invalid(vec![field()])));
        for e in [
            WaitError::Closed(EntryState::Booked.code()),
            WaitError::NoOffer,
            WaitError::AlreadyOffered,
            WaitError::HoldOver,
            WaitError::HoldNotOver,
            WaitError::DatesNotPassed,
            WaitError::AlreadyWaiting,
        ] {
            all.push(Box::new(WaitlistError::Refused(e)));
        }
        let (overlap, too_many) = fairness_refusals();
        all.push(Box::new(WaitlistError::Fairness(overlap)));
        all.push(Box::new(WaitlistError::Fairness(too_many)));
        all.push(Box::new(WaitlistError::NotFound));
        all.push(Box::new(WaitlistError::Forbidden));
    }

    all.extend(
        [
            StatsError::Invalid(
                domain::stats::Period::parse("2026-03-01", "2026-01-01").unwrap_err(),
            ),
            StatsError::Invalid(domain::stats::Scope::parse("nowhere").unwrap_err()),
            StatsError::NotFound,
            StatsError::Forbidden,
        ]
        .map(|e| Box::new(e) as Box<dyn crate::UseCaseError>),
    );
    all
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn database_name_is_replaced_and_options_kept() {
        assert_eq!(
            with_database("postgres://u:p@h:5432/postgres", "t1"),
            "postgres://u:p@h:5432/t1"
        );
        assert_eq!(
            with_database("postgres://u:p@h/postgres?sslmode=disable", "t1"),
            "postgres://u:p@h/t1?sslmode=disable"
        );
        assert_eq!(with_database("postgres://h", "t1"), "postgres://h/t1");
    }
}

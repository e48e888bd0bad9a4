//! `server backup FILE`: a copy of a running SQLite portal, taken while residents keep
//! booking, is a sound database with the same rows; an existing FILE and a PostgreSQL
//! database are refused.

mod common;
use backend::store::copy::TABLES;
use common::*;
use sqlx::{Connection, SqliteConnection};
use std::path::Path;

/// Runs `server backup FILE` on `url`; (success, standard error).
async fn backup(url: &str, file: &Path) -> (bool, String) {
    let (url, file) = (url.to_string(), file.to_path_buf());
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .arg("backup")
            .arg(&file)
            .env("DATABASE_URL", url)
            .env("RUST_LOG", "warn")
            .env_remove("PORTAL_DEMO")
            .env_remove("PORTAL_FAKE_NOW")
            .output()
            .expect("server runs")
    })
    .await
    .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

async fn connect(file: &Path) -> SqliteConnection {
    SqliteConnection::connect(&format!("sqlite://{}?mode=ro", file.display()))
        .await
        .unwrap()
}

/// Rows per table.
async fn counts(conn: &mut SqliteConnection) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    for table in TABLES {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        out.push((table.to_string(), n));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_portal_is_backed_up_and_the_copy_has_the_same_rows() {
    let app = spawn_app().await;
    let codes = [
        app.book(
            1,
            "legal_consultation",
            "2026-12-07T09:00:00+08:00",
            "13977778888",
        )
        .await,
        app.book(
            2,
            "legal_consultation",
            "2026-12-08T09:00:00+08:00",
            "13977770000",
        )
        .await,
    ];
    let live_file = app
        .db
        .url
        .strip_prefix("sqlite://")
        .expect("a SQLite test database")
        .to_string();
    let dir = tempfile::tempdir().unwrap();

    // the portal is running with its database open (the new rows still in its WAL)
    let copy = dir.path().join("portal-copy.db");
    let (ok, err) = backup(&app.db.url, &copy).await;
    assert!(ok, "backup: {err}");
    let mut copied = connect(&copy).await;
    let mut live = connect(Path::new(&live_file)).await;
    assert_eq!(counts(&mut copied).await, counts(&mut live).await);
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut copied)
        .await
        .unwrap();
    assert_eq!(check, "ok");
    // the portal's own store opens the copy and finds the bookings
    let store = backend::store::open(&format!("sqlite://{}", copy.display()), 1)
        .await
        .unwrap()
        .store();
    let live_store = backend::store::open(&app.db.url, 1).await.unwrap().store();
    for code in &codes {
        let b = store.booking_by_code(code).await.unwrap().expect("copied");
        assert_eq!(Some(b), live_store.booking_by_code(code).await.unwrap());
    }
    assert_eq!(
        store.staff_user_count().await.unwrap(),
        live_store.staff_user_count().await.unwrap()
    );

    // taken while residents book: a sound snapshot somewhere between before and after
    let (_, slots) = app
        .client()
        .get("/api/v1/locations/1/slots?service=legal_consultation&from=2026-12-09&to=2026-12-11")
        .await;
    let starts: Vec<String> = slots
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["remaining"].as_u64().unwrap_or(0) > 0)
        .map(|s| s["start"].as_str().unwrap().to_string())
        .take(8)
        .collect();
    assert!(starts.len() >= 4, "free slots: {slots}");
    let booked_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM bookings")
        .fetch_one(&mut live)
        .await
        .unwrap();
    let residents = {
        let app = TestApp {
            base: app.base.clone(),
            now: app.now.clone(),
            db: app.db.clone(),
        };
        let starts = starts.clone();
        tokio::spawn(async move {
            for (i, start) in starts.iter().enumerate() {
                app.book(1, "legal_consultation", start, &format!("1380000{i:04}"))
                    .await;
            }
        })
    };
    let during = dir.path().join("portal-during.db");
    let (ok, err) = backup(&app.db.url, &during).await;
    residents.await.unwrap();
    assert!(ok, "backup: {err}");
    let mut copied = connect(&during).await;
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut copied)
        .await
        .unwrap();
    assert_eq!(check, "ok");
    let in_copy: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM bookings")
        .fetch_one(&mut copied)
        .await
        .unwrap();
    assert!(
        (booked_before..=booked_before + starts.len() as i64).contains(&in_copy),
        "{in_copy} bookings in the copy"
    );
    // every copied booking holds its seat: the copy is one moment, not a mix
    let unbalanced: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM slot_seats s WHERE s.taken <> (
             SELECT COUNT(*) FROM bookings b WHERE b.location_id = s.location_id
               AND b.service = s.service AND b.start_at = s.start_at
               AND b.state = 'booked')",
    )
    .fetch_one(&mut copied)
    .await
    .unwrap();
    assert_eq!(unbalanced, 0);

    // an existing file is never overwritten
    let size = std::fs::metadata(&copy).unwrap().len();
    let (ok, err) = backup(&app.db.url, &copy).await;
    assert!(!ok);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(std::fs::metadata(&copy).unwrap().len(), size);
    // PostgreSQL has its own tools
    let (ok, err) = backup(
        "postgres://portal:portal@127.0.0.1:1/portal",
        &dir.path().join("pg.db"),
    )
    .await;
    assert!(!ok);
    assert!(err.contains("pg_dump"), "{err}");
    assert!(!dir.path().join("pg.db").exists());
}

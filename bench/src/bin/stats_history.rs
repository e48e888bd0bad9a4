//! The statistics benchmark's history, without building the web server: what
//! `server demo-history` does (the demo district, `backend::history::generate`, every
//! month's roll-ups) and what `server migrate-db` does for it (`backend::store::copy`; the
//! generated history has no sessions to carry over).
//!
//! Usage: `stats_history generate SQLITE_URL UNTIL YEARS SEED` (UNTIL: the last day,
//! YYYY-MM-DD) or `stats_history copy SQLITE_URL POSTGRES_URL` (into an empty database).

use backend::store::{copy, Database};
use backend::Directory;
use chrono::NaiveDate;
use domain::stats::Month;
use std::process::ExitCode;

const DEMO_DISTRICT: &str = include_str!("../../../seed/demo-district.toml");

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        [_, "generate", url, until, years, seed] => {
            let until = NaiveDate::parse_from_str(until, "%Y-%m-%d").expect("UNTIL");
            generate(
                url,
                until,
                years.parse().expect("YEARS"),
                seed.parse().expect("SEED"),
            )
            .await
        }
        [_, "copy", from, to] => copy_to_postgres(from, to).await,
        _ => {
            eprintln!("usage: stats_history generate SQLITE_URL UNTIL YEARS SEED | copy SQLITE_URL POSTGRES_URL");
            ExitCode::from(2)
        }
    }
}

async fn generate(url: &str, until: NaiveDate, years: u32, seed: u64) -> ExitCode {
    let db = backend::store::open(url, 4).await.expect("database");
    let store = db.store();
    let directory = Directory::new(store.clone());
    directory
        .seed_if_empty(DEMO_DISTRICT)
        .await
        .expect("demo district");
    let places = directory.locations().await.expect("places");
    let plan = backend::history::HistoryPlan {
        until,
        years,
        seed,
        scale: 1.0,
    };
    let s = backend::history::generate(&store, &places, plan, |_, _| {})
        .await
        .expect("history");
    let stats = backend::Statistics::new(store, directory, backend::booking::system_clock());
    let (first, last) = plan.months();
    let mut month = first;
    while month <= last {
        stats.refresh(month, month).await.expect("roll-ups");
        month = Month::of(month.last_day() + chrono::Days::new(1));
    }
    println!(
        "{} months: {} bookings, {} walk-ins, {} mediation requests, {} ratings (seed {seed})",
        s.months, s.bookings, s.walk_ins, s.cases, s.ratings
    );
    ExitCode::SUCCESS
}

async fn copy_to_postgres(from: &str, to: &str) -> ExitCode {
    let (Database::Sqlite(source), Database::Postgres(target)) = (
        backend::store::open(from, 4).await.expect("SQLite"),
        backend::store::open(to, 4).await.expect("PostgreSQL"),
    ) else {
        eprintln!("copy: a SQLite URL, then a PostgreSQL one");
        return ExitCode::from(2);
    };
    let tables = copy::sqlite_to_postgres(&source, &target, |_, _| {})
        .await
        .expect("copy");
    let rows: u64 = tables.iter().map(|t| t.source.rows).sum();
    if tables.iter().all(|t| t.matches()) {
        println!(
            "{rows} rows in {} tables copied, every count and checksum the same",
            tables.len()
        );
        ExitCode::SUCCESS
    } else {
        eprintln!("the copy differs from the source");
        ExitCode::FAILURE
    }
}

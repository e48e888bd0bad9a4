//! Dashboard speed over generated history: the server time of `Statistics::dashboard` (the
//! use case behind `GET /api/v1/stats` and the statistics page), measured in process on a
//! database filled by `server demo-history`.
//!
//! Usage: `stats_bench DATABASE_URL YEAR [SUMMARY]` (YEAR: a full past year of the history;
//! SQLite or PostgreSQL). With SUMMARY, one markdown row per target (p95 against the issue's
//! limit, PASS or FAIL) is appended to that file.

use backend::{Directory, Statistics, Store};
use domain::staff::{Role, StaffAccount};
use domain::stats::{Month, Period, Scope};
use domain::{BookingState, LocationId};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Runs per row; `STATS_RUNS` overrides it (for a quick look).
fn runs() -> usize {
    std::env::var("STATS_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(30)
}

/// A booking of the measured year changes (a no-show reverted), which makes its place-month
/// stale, as any booking, arrival or case does on the server.
async fn change_a_booking(store: &dyn Store, id: i64) {
    store
        .revert_no_show(id, chrono::Utc::now())
        .await
        .expect("revert");
}

fn summary(mut times: Vec<Duration>) -> (f64, f64, f64) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let p =
        |q: f64| ms(times[((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1]);
    (p(0.5), p(0.95), ms(*times.last().expect("runs")))
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n_runs = runs();
    let (url, year, summary_file) = match args.as_slice() {
        [_, url, year] => (url.clone(), year.parse::<i32>().expect("YEAR"), None),
        [_, url, year, summary] => (
            url.clone(),
            year.parse::<i32>().expect("YEAR"),
            Some(summary.clone()),
        ),
        _ => panic!("usage: stats_bench DATABASE_URL YEAR [SUMMARY]"),
    };
    let engine = if url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let db = backend::store::open(&url, 8).await.expect("database");
    let store: Arc<dyn Store> = db.store();
    store.migrate().await.expect("migrations");
    // "today" as `bench/stats.sh` fixes it (the history's last day), so that the periods
    // a new instance warms up (last year among them) are the same on every run
    let clock: backend::booking::Clock = match std::env::var("PORTAL_FAKE_NOW")
        .ok()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
    {
        Some(now) => Arc::new(move || now.to_utc()),
        None => backend::booking::system_clock(),
    };
    let new_stats = || Statistics::new(store.clone(), Directory::new(store.clone()), clock.clone());
    let stats = new_stats();
    let admin = StaffAccount {
        id: 0,
        username: "bench".into(),
        display_name: "bench".into(),
        role: Role::DistrictAdmin,
        place: None,
    };
    let period = |from: String, to: String| Period::parse(&from, &to).expect("period");
    let full_year = period(format!("{year}-01-01"), format!("{year}-12-31"));
    // (name, scope, period, the p95 limit in ms and its summary name)
    let cases = [
        (
            "district, full year",
            Scope::District,
            full_year,
            Some((50.0, "district full year")),
        ),
        (
            "one office and its workrooms, full year",
            Scope::Place(LocationId(1)),
            full_year,
            None,
        ),
        (
            "district, 15 Mar – 14 Sep (ragged)",
            Scope::District,
            period(format!("{year}-03-15"), format!("{year}-09-14")),
            Some((100.0, "district 15 Mar–14 Sep (ragged)")),
        ),
        (
            "district, 2 Jan – 30 Dec (ragged)",
            Scope::District,
            period(format!("{year}-01-02"), format!("{year}-12-30")),
            Some((100.0, "district 2 Jan–30 Dec (ragged)")),
        ),
        (
            "district, one ragged week (11–17 Jun)",
            Scope::District,
            period(format!("{year}-06-11"), format!("{year}-06-17")),
            Some((100.0, "district 11–17 Jun (ragged week)")),
        ),
        (
            "district, Jan–Sep",
            Scope::District,
            period(format!("{year}-01-01"), format!("{year}-09-30")),
            None,
        ),
    ];
    let mut summary_rows = Vec::new();
    // warm up (first refresh of anything stale, caches)
    let first = Instant::now();
    let d = stats
        .dashboard(&admin, Scope::District, full_year)
        .await
        .expect("dashboard");
    let warm = first.elapsed();
    println!("# Statistics dashboard over generated history\n");
    println!(
        "District {year}: {} bookings, {} walk-ins, {} mediation cases accepted ({} settled, {}).\n",
        d.figures.bookings_total,
        d.figures.walk_ins,
        d.figures.mediation.accepted,
        d.figures.mediation.settled,
        d.figures.mediation.success_rate.percent.as_deref().unwrap_or("-"),
    );
    println!(
        "{engine}. First call (nothing in memory yet): {:.1} ms\n",
        warm.as_secs_f64() * 1000.0
    );
    println!("| dashboard ({n_runs} runs, with the previous period) | p50 ms | p95 ms | max ms |");
    println!("|---|---:|---:|---:|");
    for (name, scope, period, target) in cases {
        // the first call of a ragged period reads its days; the runs then find them in memory
        stats
            .dashboard(&admin, scope, period)
            .await
            .expect("dashboard");
        let mut times = Vec::new();
        for _ in 0..n_runs {
            let t = Instant::now();
            stats
                .dashboard(&admin, scope, period)
                .await
                .expect("dashboard");
            times.push(t.elapsed());
        }
        let (p50, p95, max) = summary(times);
        println!("| {name} | {p50:.1} | {p95:.1} | {max:.1} |");
        if let Some((limit, short)) = target {
            let verdict = if p95 <= limit { "PASS" } else { "FAIL" };
            summary_rows.push(format!(
                "| dashboard: {short}, {engine} | p95 {p95:.1} ms | ≤ {limit:.0} ms p95 | {verdict} |"
            ));
        }
    }
    // a server instance that just started (nothing in memory): every roll-up is read
    for (name, period) in [
        (
            "district, full year, nothing in memory (new instance)",
            full_year,
        ),
        (
            "district, 15 Mar – 14 Sep, nothing in memory (new instance)",
            period(format!("{year}-03-15"), format!("{year}-09-14")),
        ),
    ] {
        let mut times = Vec::new();
        for _ in 0..n_runs {
            let fresh = new_stats();
            let t = Instant::now();
            fresh
                .dashboard(&admin, Scope::District, period)
                .await
                .expect("dashboard");
            times.push(t.elapsed());
        }
        let (p50, p95, max) = summary(times);
        println!("| {name} | {p50:.1} | {p95:.1} | {max:.1} |");
    }
    // a new instance once its background round has run (what the server starts with)
    let (mut warming, mut warmed) = (Vec::new(), Vec::new());
    for _ in 0..n_runs {
        let fresh = new_stats();
        let t = Instant::now();
        fresh.refresh_and_warm().await.expect("warm");
        warming.push(t.elapsed());
        let t = Instant::now();
        fresh
            .dashboard(&admin, Scope::District, full_year)
            .await
            .expect("dashboard");
        warmed.push(t.elapsed());
    }
    let (p50, p95, max) = summary(warmed);
    println!("| district, full year, new instance after its first background round | {p50:.1} | {p95:.1} | {max:.1} |");
    summary_rows.push(format!(
        "| dashboard: district full year on a new instance after its first background round, {engine} | p95 {p95:.1} ms | ≤ 50 ms p95 | {} |",
        if p95 <= 50.0 { "PASS" } else { "FAIL" }
    ));
    let (p50, p95, max) = summary(warming);
    println!("| of which not waited for: a new instance's first background round (roll-ups of the usual periods read) | {p50:.1} | {p95:.1} | {max:.1} |");
    // where the time of the first row goes: reading the year's roll-ups, adding them up
    let mut read = Vec::new();
    let mut build = Vec::new();
    let places = Directory::new(store.clone()).all().await.expect("places");
    for _ in 0..n_runs {
        let t = Instant::now();
        let current = stats.tallies(full_year).await.expect("tallies");
        read.push(t.elapsed());
        let t = Instant::now();
        let _ = domain::stats::Dashboard::build(Scope::District, full_year, &places, &current, &[]);
        build.push(t.elapsed());
    }
    // of those: the roll-ups alone (in memory, then as a new instance reads them)
    let (mut rolled, mut cold) = (Vec::new(), Vec::new());
    for _ in 0..n_runs {
        let t = Instant::now();
        stats.rolled_up(full_year).await.expect("roll-ups");
        rolled.push(t.elapsed());
        let fresh = new_stats();
        let t = Instant::now();
        fresh.rolled_up(full_year).await.expect("roll-ups");
        cold.push(t.elapsed());
    }
    let (p50, p95, max) = summary(read);
    println!("| of which: one year's tallies (roll-ups in memory, waiting list and ratings read) | {p50:.1} | {p95:.1} | {max:.1} |");
    let (p50, p95, max) = summary(rolled);
    println!("| of which: one year's roll-ups (in memory) | {p50:.1} | {p95:.1} | {max:.1} |");
    let (p50, p95, max) = summary(cold);
    println!("| of which: one year's roll-ups (nothing in memory: read and decoded) | {p50:.1} | {p95:.1} | {max:.1} |");
    let (p50, p95, max) = summary(build);
    println!(
        "| of which: adding one year up (Dashboard::build) | {p50:.1} | {p95:.1} | {max:.1} |"
    );
    // after a change: one booking of January goes back to booked; the next dashboard first
    // recomputes that place-month's roll-up
    let mut after = Vec::new();
    let jan = Period::parse(&format!("{year}-01-01"), &format!("{year}-01-31")).expect("jan");
    let (from, to) = domain::slots::days_span(jan.from, jan.to).expect("January");
    let (from, to) = (from.to_utc(), to.to_utc());
    // the history has no booked slots in the past: marking them restores what an earlier
    // run of this bench reverted, and the end of this run does the same
    store
        .mark_no_shows(to, chrono::Utc::now())
        .await
        .expect("restore");
    let no_shows: Vec<i64> = store
        .bookings_between(LocationId(1), from, to)
        .await
        .expect("bookings")
        .into_iter()
        .filter(|b| b.state == BookingState::NoShow)
        .map(|b| b.id)
        .take(3 * n_runs)
        .collect();
    let (changed, rest) = no_shows.split_at(no_shows.len() / 3);
    let (recomputed, recounted) = rest.split_at(rest.len() / 2);
    for id in changed {
        change_a_booking(store.as_ref(), *id).await;
        let t = Instant::now();
        stats
            .dashboard(&admin, Scope::District, full_year)
            .await
            .expect("dashboard");
        after.push(t.elapsed());
    }
    // the same once the background round (every 5 s on the server) has come by: it
    // recomputes the place-month and reads the month again, so the page waits for neither
    let (mut round, mut after_round) = (Vec::new(), Vec::new());
    for id in recomputed {
        change_a_booking(store.as_ref(), *id).await;
        let t = Instant::now();
        let n = stats.refresh_and_warm().await.expect("refresh");
        round.push(t.elapsed());
        assert!(n >= 1, "the changed place-month was stale");
        let t = Instant::now();
        stats
            .dashboard(&admin, Scope::District, full_year)
            .await
            .expect("dashboard");
        after_round.push(t.elapsed());
    }
    // what a page waits for in the first case: counting the changed place-month from its
    // rows, then the whole recomputation (counting again, saving, patching memory)
    let (mut recount, mut recompute) = (Vec::new(), Vec::new());
    let month = Month::of(jan.from);
    for id in recounted {
        change_a_booking(store.as_ref(), *id).await;
        let t = Instant::now();
        store
            .tally_days(jan, Some(&[LocationId(1)]))
            .await
            .expect("count");
        recount.push(t.elapsed());
        let t = Instant::now();
        let n = stats.refresh(month, month).await.expect("refresh");
        recompute.push(t.elapsed());
        assert_eq!(n, 1, "the changed place-month was stale");
    }
    store
        .mark_no_shows(to, chrono::Utc::now())
        .await
        .expect("restore");
    if !after.is_empty() {
        let (p50, p95, max) = summary(after);
        println!("| district, full year, right after a booking of that year changed (before the background round) | {p50:.1} | {p95:.1} | {max:.1} |");
        let verdict = if p95 <= 50.0 { "PASS" } else { "FAIL" };
        summary_rows.push(format!(
            "| dashboard: district full year right after a booking of it changed, before the background round, {engine} | p95 {p95:.1} ms | ≤ 50 ms p95 | {verdict} |"
        ));
    }
    if !recount.is_empty() {
        let (p50, p95, max) = summary(recount);
        println!("| of which waited for: counting the changed place-month from its rows | {p50:.1} | {p95:.1} | {max:.1} |");
        let (p50, p95, max) = summary(recompute);
        println!("| of which waited for: recomputing it (counted again, saved, patched into memory) | {p50:.1} | {p95:.1} | {max:.1} |");
    }
    if !after_round.is_empty() {
        let (p50, p95, max) = summary(after_round);
        println!("| district, full year, after a booking of that year changed, once the background round ran | {p50:.1} | {p95:.1} | {max:.1} |");
        let verdict = if p95 <= 50.0 { "PASS" } else { "FAIL" };
        summary_rows.push(format!(
            "| dashboard: district full year after a booking of it changed, once the background round ran, {engine} | p95 {p95:.1} ms | ≤ 50 ms p95 | {verdict} |"
        ));
        let (p50, p95, max) = summary(round);
        println!("| of which not waited for: the background round after a change (place-month recomputed and put in memory) | {p50:.1} | {p95:.1} | {max:.1} |");
    }
    if let Some(file) = summary_file {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&file)
            .expect("summary file");
        for row in summary_rows {
            writeln!(f, "{row}").expect("summary");
        }
    }
}

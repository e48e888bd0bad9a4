//! Booking throughput and latency against a running portal.
//!
//! Usage: `booking_load BASE_URL[,BASE_URL…] [CLIENTS]` (servers run with
//! PORTAL_RATE_LIMIT=off). With several URLs (instances on one database) requests go to them
//! in turn, as a round-robin balancer sends them.
//! Books every free seat of every bookable service in the window, with CLIENTS concurrent
//! clients (default 64), each request a different resident (phone number), consecutive
//! requests on distinct slots. Then checks that no slot was overbooked: exactly the free
//! seats were confirmed and every slot now shows 0 remaining.
//!
//! For an external load generator (`bench/booking-wrk.sh`):
//! - `booking_load --seats BASE_URL FILE` writes the same free seats, one a line
//!   (`location_id TAB service TAB topic TAB start`), each slot repeated once per free seat;
//! - `booking_load --check-only DB_FILE SEATS_FILE ACKNOWLEDGED` is the race check on the
//!   SQLite file once the server has stopped: no slot holds more bookings than it had free
//!   seats (counted from SEATS_FILE, taken before the run), the seat counters agree with the
//!   bookings, and at least the ACKNOWLEDGED (201) bookings are on disk. It prints
//!   `confirmed TAB overbooked-slots` and fails when the check does.

use bench::get_json;
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const TOPICS: &[(&str, &str)] = &[
    ("legal_consultation", "labour"),
    ("admin_reconsideration", "consult"),
    ("notary", "other"),
    ("ip_mediation", "other"),
];

#[derive(Clone)]
struct Seat {
    location_id: i64,
    service: &'static str,
    topic: &'static str,
    start: String,
}

/// Every free seat, ordered so that consecutive seats belong to different slots.
async fn free_seats(client: &reqwest::Client, base: &str) -> Vec<Seat> {
    let places = get_json(client, &format!("{base}/api/v1/locations")).await;
    let mut by_slot: Vec<(Seat, u64)> = Vec::new();
    for p in places.as_array().expect("places") {
        let id = p["id"].as_i64().unwrap();
        for (service, topic) in TOPICS {
            if !p["services"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s == service)
            {
                continue;
            }
            let slots = get_json(
                client,
                &format!("{base}/api/v1/locations/{id}/slots?service={service}"),
            )
            .await;
            for s in slots.as_array().expect("slots") {
                if s["youth_only"] == true {
                    continue;
                }
                let seat = Seat {
                    location_id: id,
                    service,
                    topic,
                    start: s["start"].as_str().unwrap().to_string(),
                };
                by_slot.push((seat, s["remaining"].as_u64().unwrap()));
            }
        }
    }
    let mut seats = Vec::new();
    let max = by_slot.iter().map(|(_, n)| *n).max().unwrap_or(0);
    for round in 0..max {
        seats.extend(
            by_slot
                .iter()
                .filter(|(_, n)| *n > round)
                .map(|(s, _)| s.clone()),
        );
    }
    seats
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

/// `--seats BASE FILE`: the free seats for the Lua script of `bench/booking-wrk.lua`.
async fn write_seats(base: &str, file: &str) {
    let client = reqwest::Client::new();
    let seats = free_seats(&client, base).await;
    let lines: String = seats
        .iter()
        .map(|s| {
            format!(
                "{}\t{}\t{}\t{}\n",
                s.location_id, s.service, s.topic, s.start
            )
        })
        .collect();
    std::fs::write(file, lines).expect("seats file");
    println!("{}", seats.len());
}

/// `--check-only DB SEATS ACKNOWLEDGED`: see the module comment.
async fn check_only(db: &str, seats_file: &str, acknowledged: usize) -> bool {
    use chrono::{DateTime, Utc};
    use std::collections::HashMap;
    type Slot = (i64, String, DateTime<Utc>);
    let instant = |s: &str| {
        DateTime::parse_from_rfc3339(s)
            .expect("an RFC 3339 time")
            .with_timezone(&Utc)
    };
    let mut capacity: HashMap<Slot, i64> = HashMap::new();
    for line in std::fs::read_to_string(seats_file)
        .expect("seats file")
        .lines()
    {
        let f: Vec<&str> = line.split('\t').collect();
        let key = (
            f[0].parse().expect("location id"),
            f[1].to_string(),
            instant(f[3]),
        );
        *capacity.entry(key).or_default() += 1;
    }
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(db)
        .read_only(true);
    let mut conn = sqlx::ConnectOptions::connect(&options)
        .await
        .expect("database");
    let booked: Vec<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT location_id, service, start_at, COUNT(*) FROM bookings GROUP BY 1, 2, 3",
    )
    .fetch_all(&mut conn)
    .await
    .expect("bookings");
    let counters: Vec<(i64, String, String, i64)> =
        sqlx::query_as("SELECT location_id, service, start_at, taken FROM slot_seats")
            .fetch_all(&mut conn)
            .await
            .expect("slot_seats");
    let taken: HashMap<Slot, i64> = counters
        .into_iter()
        .map(|(l, s, t, n)| ((l, s, instant(&t)), n))
        .collect();
    let mut confirmed = 0;
    let mut overbooked = 0;
    let mut miscounted = 0;
    for (l, s, t, n) in booked {
        let key = (l, s, instant(&t));
        confirmed += n;
        if n > capacity.get(&key).copied().unwrap_or(0) {
            overbooked += 1;
        }
        if taken.get(&key).copied() != Some(n) {
            miscounted += 1;
        }
    }
    println!("{confirmed}\t{overbooked}");
    let ok = overbooked == 0 && miscounted == 0 && confirmed >= acknowledged as i64;
    if !ok {
        eprintln!(
            "race check FAILED: {confirmed} bookings on disk, {acknowledged} acknowledged, \
             {overbooked} slots overbooked, {miscounted} seat counters disagree"
        );
    }
    ok
}

#[tokio::main]
async fn main() {
    let all: Vec<String> = std::env::args().skip(1).collect();
    match all.first().map(String::as_str) {
        Some("--seats") => return write_seats(&all[1], &all[2]).await,
        Some("--check-only") => {
            let acknowledged = all[3].parse().expect("ACKNOWLEDGED");
            if !check_only(&all[1], &all[2], acknowledged).await {
                std::process::exit(1);
            }
            return;
        }
        _ => {}
    }
    let mut args = all.into_iter();
    let bases: Arc<Vec<String>> = Arc::new(
        args.next()
            .unwrap_or_else(|| "http://127.0.0.1:3197".into())
            .split(',')
            .map(str::to_string)
            .collect(),
    );
    let base = bases[0].clone();
    let clients: usize = args.next().and_then(|c| c.parse().ok()).unwrap_or(64);
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .build()
        .unwrap();

    let seats = Arc::new(free_seats(&client, &base).await);
    let total = seats.len();
    eprintln!("{total} free seats; booking them with {clients} concurrent clients");
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..clients {
        let (client, bases, seats, next) =
            (client.clone(), bases.clone(), seats.clone(), next.clone());
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let (mut created, mut other) = (0usize, Vec::new());
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(seat) = seats.get(i) else { break };
                let body = json!({
                    "location_id": seat.location_id, "service": seat.service, "start": seat.start,
                    "name": "压测居民", "phone": format!("13{:09}", i), "topic": seat.topic, "consent": true
                });
                let t = Instant::now();
                let base = &bases[i % bases.len()];
                let status = client.post(format!("{base}/api/v1/bookings")).json(&body).send().await.unwrap().status();
                latencies.push(t.elapsed());
                if status.as_u16() == 201 { created += 1 } else { other.push(status.as_u16()) }
            }
            (latencies, created, other)
        }));
    }
    let mut latencies = Vec::new();
    let mut created = 0;
    let mut other = Vec::new();
    for w in workers {
        let (l, c, o) = w.await.unwrap();
        latencies.extend(l);
        created += c;
        other.extend(o);
    }
    let wall = started.elapsed();
    latencies.sort();

    // race check: nothing overbooked, nothing left over
    let left: usize = free_seats(&client, &base).await.len();
    let overbooked = created > total;
    println!("| requests | confirmed | other statuses | wall time | throughput | p50 | p99 | max | seats left | overbooked |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    println!(
        "| {} | {} | {} | {:.2} s | {:.0} bookings/s | {:.1} ms | {:.1} ms | {:.1} ms | {} | {} |",
        latencies.len(),
        created,
        other.len(),
        wall.as_secs_f64(),
        created as f64 / wall.as_secs_f64(),
        percentile(&latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
        left,
        if overbooked { "YES" } else { "no" },
    );
    if overbooked || left != 0 || created != total {
        eprintln!("race check FAILED: {created} confirmed of {total} seats, {left} left, statuses {other:?}");
        std::process::exit(1);
    }
}

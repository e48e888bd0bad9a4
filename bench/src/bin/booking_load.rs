//! Booking throughput and latency against a running portal.
//!
//! Usage: `booking_load BASE_URL[,BASE_URL…] [CLIENTS]` (servers run with
//! PORTAL_RATE_LIMIT=off). With several URLs (instances on one database) requests go to them
//! in turn, as a round-robin balancer sends them.
//! Books every free seat of every bookable service in the window, with CLIENTS concurrent
//! clients (default 64), each request a different resident (phone number), consecutive
//! requests on distinct slots. Then checks that no slot was overbooked: exactly the free
//! seats were confirmed and every slot now shows 0 remaining.

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

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
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

#!/usr/bin/env bash
# Booking throughput and latency on each engine, measured the same way (bench/booking_load:
# every free seat of the demo district's window, 64 concurrent clients, then the race
# check): SQLite with one instance, PostgreSQL with one instance, and PostgreSQL with two
# instances behind round-robin. Each run starts from an empty database. Writes
# bench/results/booking-engines.md.
set -euo pipefail
cd "$(dirname "$0")/.."
CLIENTS=${CLIENTS:-64}
RUNS=${RUNS:-3}
bash scripts/postgres.sh >/dev/null
SERVER_URL="${PORTAL_TEST_PG_URL:-postgres://portal:portal@127.0.0.1:5432/postgres}"
BENCH_URL="${SERVER_URL%/*}/portal_bench"
cargo build --release -p bench --bin booking_load
source bench/lib.sh

fresh_pg() {
  psql "$SERVER_URL" -qc "DROP DATABASE IF EXISTS portal_bench WITH (FORCE)" -c "CREATE DATABASE portal_bench"
}

run() { # label, bases
  target/release/booking_load "$2" "$CLIENTS" | tail -1 | sed "s/^|/| $1 |/"
}

OUT=bench/results/booking-engines.md
{
  echo "| engine and instances | requests | confirmed | other statuses | wall time | throughput | p50 | p99 | max | seats left | overbooked |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  for n in $(seq 1 "$RUNS"); do
    rm -f "$TMP"/portal.db*
    start_portal 3301 PORTAL_RATE_LIMIT=off
    run "SQLite, 1 instance" "http://127.0.0.1:3301"
    stop_portals

    fresh_pg
    start_portal 3302 PORTAL_RATE_LIMIT=off DATABASE_URL="$BENCH_URL"
    run "PostgreSQL, 1 instance" "http://127.0.0.1:3302"
    stop_portals

    fresh_pg
    start_portal 3303 PORTAL_RATE_LIMIT=off DATABASE_URL="$BENCH_URL"
    start_portal 3304 PORTAL_RATE_LIMIT=off DATABASE_URL="$BENCH_URL"
    run "PostgreSQL, 2 instances" "http://127.0.0.1:3303,http://127.0.0.1:3304"
    stop_portals
  done
  echo
  echo "$CLIENTS clients on the same $(nproc) cores as the servers and the database; PostgreSQL $(psql "$SERVER_URL" -qAtc 'SHOW server_version') with its defaults (fsync and synchronous_commit on), SQLite in WAL with synchronous=FULL: every confirmed booking is on disk before the answer on both. Measured $(date -u +%Y-%m-%dT%H:%MZ)."
} | tee "$OUT"

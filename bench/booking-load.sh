#!/usr/bin/env bash
# Booking throughput, latency (p50/p99) and the race check against the release server, with
# 64 concurrent clients on distinct slots (bench/src/bin/booking_load.rs), RUNS runs
# (default 3), each on a fresh database. Writes bench/results/booking-load.md and
# bench/results/summary/booking-load.md (RESULTS_DIR instead of bench/results, for a side
# measurement). BIN_DIR: where the built server and booking_load are (default: build
# booking_load here and take the server from `make build`).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-3197}
CLIENTS=${CLIENTS:-64}
RUNS=${RUNS:-3}
if [ -z "${BIN_DIR:-}" ]; then
  cargo build --release -p bench --bin booking_load
  BIN_DIR=${CARGO_TARGET_DIR:-target}/release
fi
export BIN_DIR
source bench/lib.sh
source bench/booking-summary.sh

RESULTS_DIR=${RESULTS_DIR:-bench/results}
OUT=$RESULTS_DIR/booking-load.md
mkdir -p "$RESULTS_DIR/summary"
ok=1
: >"$TMP/runs"
# the host's own speed, before and after: figures from different hosts or minutes compare
# only beside it
host_speed=$(bash bench/host-speed.sh)
{
  echo "| run | requests | confirmed | other statuses | wall time | throughput | p50 | p99 | max | seats left | overbooked |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  for run in $(seq 1 "$RUNS"); do
    rm -f "$TMP"/portal.db*
    start_portal "$PORT" PORTAL_RATE_LIMIT=off
    row=$("$BIN_DIR/booking_load" "$BASE" "$CLIENTS" | tail -1) || ok=0
    stop_portals
    echo "$row" | sed "s/^|/| $run |/"
    # fields: throughput "N bookings/s" and p99 "N ms"
    echo "$row" | awk -F'|' '{split($6, t, " "); split($8, p, " "); print t[1], p[1]}' >>"$TMP/runs"
  done
  echo
  echo "SQLite (WAL, synchronous=FULL) on this machine's disk, $CLIENTS clients on the same $(nproc) cores as the server, measured $(date -u +%Y-%m-%dT%H:%MZ)."
  echo
  echo "Before the runs, $host_speed; after them, $(bash bench/host-speed.sh)."
} | tee "$OUT"
booking_summary "bookings, booking_load" "$TMP/runs" "$ok" | tee "$RESULTS_DIR/summary/booking-load.md"
[ "$ok" = 1 ]

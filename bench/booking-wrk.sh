#!/usr/bin/env bash
# Booking throughput and latency measured by an external load generator, wrk (Debian's
# `wrk`): the release server on a fresh SQLite database (WAL, synchronous=FULL), wrk with
# 2 threads and 64 connections posting every free seat of the demo district's window once
# (bench/booking-wrk.lua: distinct residents, consecutive requests on distinct slots), then
# the race check on the database file (booking_load --check-only: no slot holds more
# bookings than it had seats, the seat counters agree, every 201 is on disk). RUNS runs
# (default 3). Writes bench/results/booking-wrk.md and bench/results/summary/booking-wrk.md
# (RESULTS_DIR instead of bench/results: bench/profile-booking.sh keeps its run apart).
# BIN_DIR: where the built server and booking_load are (default: build them here).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-3198}
RUNS=${RUNS:-3}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
if [ -z "${BIN_DIR:-}" ]; then
  cargo build --release -p server -p bench --bin server --bin booking_load
  BIN_DIR=${CARGO_TARGET_DIR:-target}/release
fi
export BIN_DIR
source bench/lib.sh
source bench/booking-summary.sh

RESULTS_DIR=${RESULTS_DIR:-bench/results}
OUT=$RESULTS_DIR/booking-wrk.md
mkdir -p "$RESULTS_DIR/summary"
ok=1
: >"$TMP/runs"
# the host's own speed, before and after: figures from different hosts or minutes compare
# only beside it
host_speed=$(bash bench/host-speed.sh)
{
  echo "| run | seats | confirmed (201) | other statuses | wall time | throughput | p50 | p99 | max | on disk | overbooked slots |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for run in $(seq 1 "$RUNS"); do
    rm -f "$TMP"/portal.db*
    start_portal "$PORT" PORTAL_RATE_LIMIT=off
    seats=$("$BIN_DIR/booking_load" --seats "$BASE" "$TMP/seats.tsv")
    result=$(SEATS_FILE="$TMP/seats.tsv" WRK_THREADS=$THREADS \
      wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION:-30}s" --latency -s bench/booking-wrk.lua "$BASE" |
      tee "$TMP/wrk.out" | grep '^RESULT')
    stop_portals
    read -r _ created other duration p50 p99 max <<<"$result"
    if check=$("$BIN_DIR/booking_load" --check-only "$TMP/portal.db" "$TMP/seats.tsv" "$created"); then
      read -r on_disk overbooked <<<"$check"
    else
      ok=0
      read -r on_disk overbooked <<<"${check:-? ?}"
    fi
    [ "$created" = "$seats" ] && [ "$other" = 0 ] || ok=0
    awk -v c="$created" -v d="$duration" -v p="$p99" 'BEGIN{printf "%.1f %.2f\n", c / (d / 1e6), p / 1e3}' >>"$TMP/runs"
    awk -v r="$run" -v s="$seats" -v c="$created" -v o="$other" -v d="$duration" -v a="$p50" \
      -v p="$p99" -v m="$max" -v k="$on_disk" -v b="$overbooked" \
      'BEGIN{printf "| %d | %d | %d | %d | %.2f s | %.0f bookings/s | %.1f ms | %.1f ms | %.1f ms | %s | %s |\n",
        r, s, c, o, d / 1e6, c / (d / 1e6), a / 1e3, p / 1e3, m / 1e3, k, b}'
  done
  echo
  echo "wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'), $THREADS threads, $CONNECTIONS connections, on the same $(nproc) cores as the server; SQLite (WAL, synchronous=FULL) on this machine's disk; measured $(date -u +%Y-%m-%dT%H:%MZ)."
  echo
  echo "Before the runs, $host_speed; after them, $(bash bench/host-speed.sh)."
} | tee "$OUT"
booking_summary "bookings, wrk" "$TMP/runs" "$ok" | tee "$RESULTS_DIR/summary/booking-wrk.md"
[ "$ok" = 1 ]

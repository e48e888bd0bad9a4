#!/usr/bin/env bash
# Booking throughput, latency (p50/p99) and the race check against the release server, with
# 64 concurrent clients on distinct slots. Writes bench/results/booking-load.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-3197}
CLIENTS=${CLIENTS:-64}
cargo build --release -p bench --bin booking_load
source bench/lib.sh
start_portal "$PORT" PORTAL_RATE_LIMIT=off
{
  target/release/booking_load "$BASE" "$CLIENTS"
  echo
  echo "SQLite (WAL, synchronous=FULL) on this machine's disk, $CLIENTS clients, $(nproc) cores, measured $(date -u +%Y-%m-%dT%H:%MZ)."
} | tee bench/results/booking-load.md

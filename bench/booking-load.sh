#!/usr/bin/env bash
# Booking throughput, latency (p50/p99) and the race check against the release server, with
# 64 concurrent clients on distinct slots. Writes bench/results/booking-load.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-3197}
CLIENTS=${CLIENTS:-64}
BASE="http://127.0.0.1:$PORT"
TMP=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$TMP"' EXIT
cargo build --release -p bench --bin booking_load
DATABASE_URL="sqlite://$TMP/portal.db" LEPTOS_SITE_ADDR="127.0.0.1:$PORT" LEPTOS_SITE_ROOT=target/site \
  PORTAL_DEMO=1 PORTAL_RATE_LIMIT=off RUST_LOG=warn target/release/server &
SERVER=$!
for _ in $(seq 1 100); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.1; done
{
  target/release/booking_load "$BASE" "$CLIENTS"
  echo
  echo "SQLite (WAL, synchronous=FULL) on this machine's disk, $CLIENTS clients, $(nproc) cores, measured $(date -u +%Y-%m-%dT%H:%MZ)."
} | tee bench/results/booking-load.md

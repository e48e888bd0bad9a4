#!/usr/bin/env bash
# Hostile traffic against the release server (issue 17): about 1,000 hostile requests and
# 2,000 display-stream attempts while normal bookings go on, then server RSS and database size
# before and after, 5xx count and how each kind was answered. Writes bench/results/abuse.md;
# fails when a target is missed. Traffic goes only to the server started here (127.0.0.1).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-3196}
cargo build --release -p bench --bin abuse
source bench/lib.sh
# The per-client booking limit is off so that the background bookings (all from 127.0.0.1)
# are not throttled; the body cap, sign-in throttles and display-stream caps stay on. The
# server logs errors only (its warning per refused request would flood the terminal).
start_portal "$PORT" PORTAL_RATE_LIMIT=off RUST_LOG=error
wait_for_precompression
{
  rc=0
  target/release/abuse "$BASE" "${PORTAL_PIDS[0]}" "$TMP/portal.db" || rc=$?
  echo
  echo "Release server on a scratch SQLite database (demo district, PORTAL_RATE_LIMIT=off: the"
  echo "booking limit per client is off for the background bookings; every other limit is on),"
  echo "$(nproc) cores, client on the same machine, measured $(date -u +%Y-%m-%dT%H:%MZ)."
  exit $rc
} | tee bench/results/abuse.md

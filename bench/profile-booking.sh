#!/usr/bin/env bash
# Where a booking's time goes on the server: one wrk run of bench/booking-wrk.sh with
# `perf record` (flat, 999 Hz) attached to the server for SECONDS (default 3) once it
# listens, then the samples summed by part of the request path (bench/perf-categories.py).
# Writes bench/results/booking-profile.md. Needs `perf` (Debian: linux-perf) and root or
# kernel.perf_event_paranoid <= 1. BIN_DIR as for bench/booking-wrk.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v perf >/dev/null || { echo "perf is missing: apt-get install -y linux-perf" >&2; exit 1; }
OUT=bench/results/booking-profile.md
DATA=$(mktemp -d)
trap 'rm -rf "$DATA"' EXIT
RUNS=1 RESULTS_DIR="$DATA" bash bench/booking-wrk.sh >"$DATA/wrk.log" 2>&1 &
WRK=$!
pid=""
for _ in $(seq 1 300); do
  pid=$(pgrep -f "${BIN_DIR:-target/release}/server" | head -1 || true)
  [ -n "$pid" ] && ss -ltn | grep -q ":${PORT:-3198} " && break
  sleep 0.2
done
[ -n "$pid" ] || { echo "the server did not start" >&2; exit 1; }
sleep 1.5 # booking_load lists the free seats first; wrk starts after it
perf record -F 999 -p "$pid" -o "$DATA/perf.data" -- sleep "${SECONDS_PROFILED:-3}" 2>/dev/null
wait "$WRK" || true
perf report -i "$DATA/perf.data" --no-children --sort dso,sym 2>/dev/null | grep '%' >"$DATA/flat.txt"
{
  python3 bench/perf-categories.py "$DATA/flat.txt"
  echo
  echo "Top symbols:"
  echo
  echo '```'
  head -25 "$DATA/flat.txt"
  echo '```'
  echo
  grep '^| 1 ' "$DATA/wrk.log" | sed 's/^/wrk run while profiled: /' || true
  echo "Profiled $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores."
} | tee "$OUT"

#!/usr/bin/env bash
# Statistics at district size: generates three years of history with `server demo-history`
# (once; kept in target/bench/), then times the dashboard use case over it.
# Writes bench/results/stats.md.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p server -p bench --bin server --bin stats_bench
mkdir -p target/bench
DB=target/bench/history-3y.db
# a fixed "today", so that the history (and the figures below) are the same on every run
NOW=2026-11-27T09:00:00+08:00
GEN_LOG=target/bench/history-3y.log
if [ ! -f "$DB" ]; then
  rm -f "$DB"-*
  start=$(date +%s)
  DATABASE_URL="sqlite://$DB" PORTAL_DEMO=1 PORTAL_FAKE_NOW=$NOW RUST_LOG=warn \
    target/release/server demo-history --years 3 --seed 2026 | tee "$GEN_LOG"
  echo "generated in $(( $(date +%s) - start )) s" | tee -a "$GEN_LOG"
fi
{
  target/release/stats_bench "sqlite://$DB" 2025
  echo
  echo "History: \`server demo-history --years 3 --seed 2026\` up to $NOW: $(tr '\n' ' ' < "$GEN_LOG")."
  echo "Database file: $(du -h "$DB" | cut -f1). SQLite (WAL) on this machine's disk, $(nproc) cores, release build, measured $(date -u +%Y-%m-%dT%H:%MZ)."
} | tee bench/results/stats.md

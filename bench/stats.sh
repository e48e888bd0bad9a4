#!/usr/bin/env bash
# Statistics at district size: generates three years of history (once; kept in
# target/bench/) as `server demo-history --years 3 --seed 2026` does, copies it to PostgreSQL
# as `server migrate-db` does (once), then times the dashboard use case over it on both
# engines. `stats_history` runs the same backend code as those two commands without the web
# server, so neither the site nor the server has to be built for this benchmark.
# Writes bench/results/stats.md and bench/results/summary/stats.md (markdown rows, no header:
# each target's p95 on each engine, PASS or FAIL).
#
# BIN_DIR: where `stats_history` and `stats_bench` are (default: built here, target/release).
# STATS_DB: the SQLite file (default target/bench/history-3y.db).
# PG_URL: a PostgreSQL server (default PORTAL_TEST_PG_URL, as bash scripts/postgres.sh
#   starts it); the history goes into its database portal_stats_bench. STATS_PG=0 skips it.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${BIN_DIR:-}" ]; then
  cargo build --release -p bench --bin stats_history --bin stats_bench
  BIN_DIR=target/release
fi
DB=${STATS_DB:-target/bench/history-3y.db}
mkdir -p "$(dirname "$DB")" bench/results/summary
# a fixed "today", so that the history (and the figures below) are the same on every run
NOW=2026-11-27T09:00:00+08:00
UNTIL=2026-11-27
GEN_LOG=${DB%.db}.log
PG_DONE=${DB%.db}.pg-copied
if [ ! -f "$DB" ]; then
  rm -f "$DB"-* "$PG_DONE"
  start=$(date +%s)
  RUST_LOG=warn "$BIN_DIR/stats_history" generate "sqlite://$DB" $UNTIL 3 2026 | tee "$GEN_LOG"
  echo "generated in $(( $(date +%s) - start )) s" | tee -a "$GEN_LOG"
fi

PG_SERVER=${PG_URL:-${PORTAL_TEST_PG_URL:-postgres://portal:portal@127.0.0.1:5432/postgres}}
PG_DB=${PG_SERVER%/*}/portal_stats_bench
if [ "${STATS_PG:-1}" != 0 ] && [ ! -f "$PG_DONE" ]; then
  psql "$PG_SERVER" -qc 'DROP DATABASE IF EXISTS portal_stats_bench' -c 'CREATE DATABASE portal_stats_bench'
  start=$(date +%s)
  copied=$(RUST_LOG=warn "$BIN_DIR/stats_history" copy "sqlite://$DB" "$PG_DB")
  echo "$copied in $(( $(date +%s) - start )) s" | tee "$PG_DONE"
fi

# The planner's statistics, as autovacuum keeps them on a running server: a server that
# stopped uncleanly has forgotten them, and PostgreSQL then picks worse plans for the
# counting queries than it would in use. (Shared catalogs are skipped with a warning.)
# random_page_cost as docs/deployment.md recommends for a database on SSD or in memory:
# with the default (4, for spinning disks) PostgreSQL reads a whole district's month of
# visits through the date index rather than one place's through (place, date).
if [ "${STATS_PG:-1}" != 0 ]; then
  psql "$PG_DB" -qc 'ANALYZE' 2>/dev/null
  psql "$PG_DB" -qc 'ALTER DATABASE portal_stats_bench SET random_page_cost = 1.1'
fi

SUMMARY=bench/results/summary/stats.md
: > "$SUMMARY"
{
  echo "# Statistics dashboard over generated history"
  echo
  echo "## SQLite"
  echo
  PORTAL_FAKE_NOW=$NOW "$BIN_DIR/stats_bench" "sqlite://$DB" 2025 "$SUMMARY" | tail -n +2
  if [ "${STATS_PG:-1}" != 0 ]; then
    echo
    echo "## PostgreSQL"
    echo
    PORTAL_FAKE_NOW=$NOW "$BIN_DIR/stats_bench" "$PG_DB" 2025 "$SUMMARY" | tail -n +2
    echo
    echo "PostgreSQL $(psql "$PG_SERVER" -qAtc 'SHOW server_version') on this machine; the history copied as \`server migrate-db\` copies it: $(cat "$PG_DONE")."
  fi
  echo
  echo "History: as \`server demo-history --years 3 --seed 2026\` up to $NOW: $(tr '\n' ' ' < "$GEN_LOG")."
  echo "Database file: $(du -h "$DB" | cut -f1). SQLite (WAL) on this machine's disk, $(nproc) cores, release build, measured $(date -u +%Y-%m-%dT%H:%MZ)."
} | tee bench/results/stats.md
cat "$SUMMARY"

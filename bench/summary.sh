#!/usr/bin/env bash
# One table of every target `make bench` measures: the rows each bench script left in
# bench/results/summary/ (measured figure, target, PASS/FAIL), written to
# bench/results/summary.md and printed.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=bench/results/summary.md
{
  echo "| measure | measured | target | result |"
  echo "|---|---|---|---|"
  for f in page-weight lighthouse booking-load booking-wrk stats; do
    if [ -f "bench/results/summary/$f.md" ]; then
      cat "bench/results/summary/$f.md"
    else
      echo "| $f | not measured | | MISSING |"
    fi
  done
  echo
  echo "Collected $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores; each row's script writes its full table to bench/results/."
} | tee "$OUT"

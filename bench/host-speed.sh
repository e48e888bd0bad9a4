#!/usr/bin/env bash
# How fast this host is right now, printed as one sentence for a results file's footnote.
# The development machine is a virtual machine whose speed differs between sessions (the
# same build booked 2,442–2,973/s on one and 4,760–6,974/s on another) and swings within
# minutes, so a throughput figure means little without the host's own speed beside it:
# - synchronous commits a second: one-row SQLite transactions one by one in WAL mode with
#   synchronous=FULL, each an fsync, on the disk the benchmarks write to (TMPDIR);
# - a single-core CPU probe: the milliseconds a fixed pure-Python loop takes (lower is faster).
# Usage: bash bench/host-speed.sh   (about a second)
set -euo pipefail
python3 - <<'EOF'
import os, sqlite3, tempfile, time

with tempfile.TemporaryDirectory() as d:
    db = sqlite3.connect(os.path.join(d, "probe.db"), isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    n = 1000
    start = time.perf_counter()
    for i in range(n):
        db.execute("BEGIN")
        db.execute("INSERT INTO t (v) VALUES (?)", ("x" * 100,))
        db.execute("COMMIT")
    commits = n / (time.perf_counter() - start)
    db.close()

start = time.perf_counter()
acc = 0
for i in range(3_000_000):
    acc += i * i % 7
cpu_ms = (time.perf_counter() - start) * 1000
print(f"host speed: {commits:,.0f} synchronous SQLite commits/s one by one (WAL, FULL); "
      f"CPU probe {cpu_ms:.0f} ms (bench/host-speed.sh)")
EOF

#!/usr/bin/env python3
"""Where a booking's CPU goes: reads `perf report --no-children --sort dso,sym` output (a
flat profile of the server taken with `perf record -F 999 -p PID` during a wrk run, see
bench/profile-booking.sh) and sums the samples into the request path's parts. Prints a
markdown table, largest first."""
import collections
import re
import sys

KERNEL = "[kernel.kallsyms]"


def kernel_has(*words):
    return lambda d, s: d == KERNEL and any(w in s for w in words)


# First match wins: the order matters (e.g. kernel write paths before "kernel: other").
CATEGORIES = [
    ("kernel: thread switches, futex wake-ups, epoll",
     kernel_has("spin_unlock", "task_switch", "futex", "schedule", "wake", "syscall", "irq",
                "exit_to_user", "fdget", "epoll", "ep_", "select_task", "enqueue", "dequeue",
                "update_")),
    ("kernel: file writes and fsync (SQLite WAL)",
     kernel_has("ext4", "jbd2", "write", "folio", "block", "fsync", "blk", "page", "copy_",
                "iomap", "filemap", "mark_buffer", "bio")),
    ("kernel: loopback TCP", kernel_has("tcp", "skb", "sock", "net_", "ip_", "__dev", "loopback",
                                        "inet", "napi", "sk_")),
    ("kernel: other", lambda d, s: d == KERNEL),
    ("SQLite engine", lambda d, s: "sqlite3" in s or "pcache" in s or "wal" in s.lower()),
    ("sqlx: worker threads and channels", lambda d, s: "sqlx" in s or "flume" in s),
    ("threads parked and woken (libc futex)",
     lambda d, s: s == "syscall" or "park" in s or "futex" in s or "Mutex" in s or "Condvar" in s),
    ("allocation and copying (mimalloc, memcpy)",
     lambda d, s: s.startswith(("_mi_", "mi_")) or any(w in s for w in ("memmove", "memcpy",
                                                                        "memset", "memcmp"))),
    ("app state cloned and dropped per request",
     lambda d, s: ("as core::clone::Clone>::clone" in s or "drop_in_place" in s) and "backend::" in s),
    ("tokio runtime", lambda d, s: "tokio" in s),
    ("HTTP: hyper, axum, tower", lambda d, s: any(w in s for w in ("hyper", "axum", "tower", "http::"))),
    ("JSON (serde)", lambda d, s: "serde" in s),
    ("chrono: formatting and parsing instants", lambda d, s: "chrono" in s),
    ("logging (tracing)", lambda d, s: "tracing" in s),
    ("booking rules and services", lambda d, s: "backend::" in s or "domain::" in s),
    ("libc: other", lambda d, s: d.startswith("libc")),
    ("other", lambda d, s: True),
]


def main(path):
    totals = collections.Counter()
    for line in open(path, encoding="utf-8", errors="replace"):
        m = re.match(r"\s*([\d.]+)%\s+(\S+)\s+\[[.k]\]\s+(.*)$", line)
        if not m:
            continue
        share, dso, sym = float(m.group(1)), m.group(2), m.group(3).strip()
        for name, matches in CATEGORIES:
            if matches(dso, sym):
                totals[name] += share
                break
    print("| part of the request path | share of the server's CPU samples |")
    print("|---|---:|")
    for name, share in totals.most_common():
        print(f"| {name} | {share:.1f}% |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/dev/stdin")

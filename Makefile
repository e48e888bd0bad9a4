# The README's two commands are `make run` and `make test`. Both start with an idempotent
# set-up (scripts/setup.sh) that installs whatever a fresh Debian machine is missing.

SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)

DATABASE_URL ?= sqlite://data/portal.db
LEPTOS_SITE_ADDR ?= 127.0.0.1:3000
RUST_LOG ?= info,sqlx=warn

.PHONY: setup postgres build run test test-rust test-e2e lint fmt bench bench-profile bench-weight bench-stats bench-pg bench-lighthouse bench-abuse clean-e2e

setup:
	@bash scripts/setup.sh

## A local PostgreSQL server for the tests (Debian's package, installed and started when
## none answers at PORTAL_TEST_PG_URL).
postgres:
	@bash scripts/postgres.sh

## Release build of the server binary and the WebAssembly site (target/site).
build: setup
	cargo leptos build --release --split

## Serve the portal on http://127.0.0.1:3000 with the demo district in data/portal.db.
run: build
	@mkdir -p data
	@echo "[run] serving http://$(LEPTOS_SITE_ADDR) (database: $(DATABASE_URL))"
	DATABASE_URL='$(DATABASE_URL)' LEPTOS_SITE_ADDR='$(LEPTOS_SITE_ADDR)' \
	LEPTOS_SITE_ROOT=target/site LEPTOS_OUTPUT_NAME=portal PORTAL_DEMO=1 RUST_LOG='$(RUST_LOG)' \
	target/release/server

## Every test: formatting and lints, unit and integration tests, then the browser tests
## against the release build.
test: setup lint test-rust build test-e2e

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p app --lib --target wasm32-unknown-unknown --no-default-features --features hydrate -- -D warnings

## The storage, race and multi-instance tests run on SQLite and on PostgreSQL.
test-rust: postgres
	cargo test --workspace

test-e2e:
	cd end2end && npx playwright test

fmt:
	cargo fmt --all

## Every performance target of issue 21, then one summary table (bench/results/summary.md):
## page weight, Lighthouse (3 runs), bookings with the project's client and with wrk (3 runs
## each), the statistics dashboard on SQLite and PostgreSQL. Each script also writes its
## full table to bench/results/ (see BENCHMARKS.md).
bench: build postgres
	bash bench/page-weight.sh
	bash bench/lighthouse.sh
	bash bench/booking-load.sh
	bash bench/booking-wrk.sh
	bash bench/stats.sh
	bash bench/summary.sh

## Where a booking's server time goes: one wrk run with perf attached (needs perf).
bench-profile: build
	bash bench/profile-booking.sh

## Page weight of the built site alone.
bench-weight: build
	bash bench/page-weight.sh

## Lighthouse (mobile) on home, booking, confirmation and mediation request, both modes.
bench-lighthouse: build
	bash bench/lighthouse.sh

## Booking throughput on SQLite and on PostgreSQL with one and two instances.
bench-pg: build
	bash bench/booking-engines.sh

## Hostile traffic (oversized bodies, deep JSON, 2,000 display streams, a sign-in flood, ...)
## against the release server while bookings go on: memory, disk, 5xx (issue 17).
bench-abuse: build
	bash bench/abuse.sh

## Statistics at district size: three years of generated history, dashboard timings.
bench-stats: setup
	bash bench/stats.sh

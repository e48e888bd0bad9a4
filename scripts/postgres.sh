#!/usr/bin/env bash
# Makes a PostgreSQL server reachable for the tests and benchmarks, idempotently:
# if PORTAL_TEST_PG_URL (default below) already answers, nothing is done; otherwise Debian's
# `postgresql` package is installed when missing, its cluster started, and a `portal` role
# (password `portal`, allowed to create databases) made. Each test creates and drops its
# own database on that server. No Docker.
set -euo pipefail

URL="${PORTAL_TEST_PG_URL:-postgres://portal:portal@127.0.0.1:5432/postgres}"
say() { printf '\033[1;34m[postgres]\033[0m %s\n' "$*"; }
SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO=sudo; fi
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }

if command -v psql >/dev/null && psql "$URL" -qAtc 'SELECT 1' >/dev/null 2>&1; then
  say "reachable at ${URL%%@*}@${URL#*@}"
  exit 0
fi

if ! command -v pg_ctlcluster >/dev/null || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  say "installing Debian's postgresql package"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql
fi

# The newest installed version's cluster; created when the package left none.
VERSION=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$VERSION main$"; then
  say "creating cluster $VERSION/main"
  $SUDO pg_createcluster "$VERSION" main
fi
if ! pg_lsclusters -h | awk -v v="$VERSION" '$1==v && $2=="main" {print $4}' | grep -q online; then
  say "starting cluster $VERSION/main"
  $SUDO pg_ctlcluster "$VERSION" main start
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done

as_postgres psql -qAt -p 5432 <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'portal') THEN
    CREATE ROLE portal LOGIN PASSWORD 'portal' CREATEDB;
  END IF;
END $$;
SQL
if ! as_postgres psql -qAt -p 5432 -c "SELECT 1 FROM pg_database WHERE datname = 'portal'" | grep -q 1; then
  as_postgres createdb -p 5432 -O portal portal
fi
psql "$URL" -qAtc 'SELECT 1' >/dev/null
say "ready at ${URL%%:*}://portal@127.0.0.1:5432 (role portal)"

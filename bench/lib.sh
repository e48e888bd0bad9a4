# Shared by the bench scripts: start the release server on a scratch database.
# Usage: source bench/lib.sh; start_portal PORT [extra VAR=value ...]
# Sets BASE (of the last one started) and TMP; every server started is stopped and TMP
# removed when the script exits. A DATABASE_URL among the extras replaces the scratch SQLite.
# BIN_DIR (default target/release) holds the server binary, SITE_ROOT (default target/site)
# the built site.

PORTAL_PIDS=()
TMP=$(mktemp -d)
trap 'kill "${PORTAL_PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$TMP"' EXIT

start_portal() {
  local port=$1
  shift
  BASE="http://127.0.0.1:$port"
  env DATABASE_URL="sqlite://$TMP/portal.db" LEPTOS_SITE_ADDR="127.0.0.1:$port" \
    LEPTOS_SITE_ROOT="${SITE_ROOT:-target/site}" PORTAL_DEMO=1 PORTAL_PHONE_VERIFY=off RUST_LOG=warn "$@" \
    "${BIN_DIR:-target/release}/server" &
  PORTAL_PIDS+=($!)
  for _ in $(seq 1 100); do curl -fs "$BASE/healthz" >/dev/null && return 0; sleep 0.1; done
  echo "the portal did not start on port $port" >&2
  return 1
}

stop_portals() {
  kill "${PORTAL_PIDS[@]}" 2>/dev/null || true
  wait "${PORTAL_PIDS[@]}" 2>/dev/null || true
  PORTAL_PIDS=()
}

# The server precompresses the bundle in the background after its first start on a new
# build; measurements wait for it (its brotli would otherwise compete for the CPU).
wait_for_precompression() {
  local pkg=target/site/pkg
  for _ in $(seq 1 600); do
    # the last file may still be being written: a second more
    [ "$(ls "$pkg"/*.wasm | wc -l)" = "$(ls "$pkg"/*.wasm.br 2>/dev/null | wc -l)" ] && sleep 1 && return 0
    sleep 0.2
  done
}

#!/usr/bin/env bash
# Page weight of the home page as a phone downloads it: HTML, CSS, JS and WASM (the core
# and the resident pages' chunks), raw and
# as served (brotli, gzip); then the HTML of every step of the booking flow (the bundle is
# cached by then), booking through the plain HTML form as a phone without JavaScript does. Starts the release server on a scratch database, measures with
# curl, writes bench/results/page-weight.md and prints it.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-3199}
OUT=bench/results/page-weight.md
source bench/lib.sh
start_portal "$PORT"
# the server precompresses the bundle in the background after start-up: wait for it
wait_for_precompression
sleep 1

size() { # url encoding -> bytes on the wire
  curl -fs -H "Accept-Encoding: $2" -o "$TMP/body" "$1" && stat -c %s "$TMP/body"
}
html_raw=$(size "$BASE/" identity)
html_br=$(size "$BASE/" br)
html_gz=$(size "$BASE/" gzip)
# asset URLs as the page references them
curl -fs "$BASE/" -o "$TMP/home.html"
css=$(grep -o 'href="/pkg/[^"]*\.css"' "$TMP/home.html" | head -1 | sed 's/href="//;s/"$//')
# the hydration script names them: ("pkg","<js name>","<wasm name>")
names=$(grep -o '("pkg","[^"]*","[^"]*")' "$TMP/home.html" | head -1)
js="/pkg/$(echo "$names" | cut -d'"' -f4).js"
wasm="/pkg/$(echo "$names" | cut -d'"' -f6).wasm"

{
  echo "| resource | raw (bytes) | gzip | brotli |"
  echo "|---|---:|---:|---:|"
  echo "| home HTML (\`/\`) | $html_raw | $html_gz | $html_br |"
  total_br=$html_br; total_raw=$html_raw
  # the release build splits the WebAssembly (`--split`): the core, then the resident pages'
  # chunk and what it shares with the staff pages, loaded by a small split loader
  hashes=target/release/hash.txt
  split="/pkg/__wasm_split.$(awk '$1=="split:"{print $2}' "$hashes").js"
  manifest="target/site/pkg/__wasm_split_manifest.$(awk '$1=="manifest:"{print $2}' "$hashes").json"
  chunks=$(node -e 'const m=require(process.argv[1]);for(const[k,v]of Object.entries(m))if(k.startsWith("resident_pages"))for(const f of v)console.log(f)' "$(realpath "$manifest")")
  pairs=("CSS:$css" "JS:$js" "WASM core:$wasm" "JS split loader:$split")
  for c in $chunks; do pairs+=("WASM chunk:/pkg/$c.wasm"); done
  for pair in "${pairs[@]}"; do
    name=${pair%%:*}; url=${pair#*:}
    raw=$(size "$BASE$url" identity); gz=$(size "$BASE$url" gzip); br=$(size "$BASE$url" br)
    total_br=$((total_br + br)); total_raw=$((total_raw + raw))
    echo "| $name (\`$(basename "$url")\`) | $raw | $gz | $br |"
  done
  echo "| **total** | $total_raw | | **$total_br** |"
  echo
  echo "Cache-Control of the bundle: \`$(curl -fsI "$BASE$wasm" | grep -i '^cache-control' | cut -d' ' -f2- | tr -d '\r')\`"
  echo
  echo "Booking flow, HTML of each step (\`/places/3\`, legal consultation):"
  echo
  echo "| step | raw (bytes) | gzip | brotli |"
  echo "|---|---:|---:|---:|"
  jar="$TMP/cookies"
  step() { # name path
    local raw gz br
    raw=$(curl -fs -b "$jar" -c "$jar" -o "$TMP/step" "$BASE$2" && stat -c %s "$TMP/step")
    gz=$(curl -fs -b "$jar" -H "Accept-Encoding: gzip" -o "$TMP/step.gz" "$BASE$2" && stat -c %s "$TMP/step.gz")
    br=$(curl -fs -b "$jar" -H "Accept-Encoding: br" -o "$TMP/step.br" "$BASE$2" && stat -c %s "$TMP/step.br")
    echo "| $1 (\`$2\`) | $raw | $gz | $br |"
  }
  book="/places/3/book/legal_consultation"
  step "service: days" "$book"
  day=$(grep -o 'day=[0-9-]*' "$TMP/step" | head -1 | cut -d= -f2)
  step "day: times" "$book?day=$day"
  time=$(grep -o 'time=[0-9:]*' "$TMP/step" | head -1 | cut -d= -f2)
  step "time: form" "$book?day=$day&time=$time"
  action=$(grep -o 'action="/api/book_slot[^"]*"' "$TMP/step" | head -1 | cut -d'"' -f2)
  start=$(grep -o 'name="start" value="[^"]*"' "$TMP/step" | head -1 | cut -d'"' -f4)
  # the plain form post of a phone without JavaScript: 302 to the confirmation page (a
  # browser names the page it posts from; the portal refuses form posts that name no site)
  confirmation=$(curl -fs -b "$jar" -c "$jar" -o /dev/null -w '%{redirect_url}' \
    -H "Accept: text/html" -H "Origin: $BASE" --data-urlencode location_id=3 --data-urlencode service=legal_consultation \
    --data-urlencode "start=$start" --data-urlencode name=王芳 --data-urlencode phone=13912345678 \
    --data-urlencode topic=labour --data-urlencode consent=on "$BASE$action")
  step "confirmation" "${confirmation#"$BASE"}"
  step "my bookings" "/bookings"
  echo
  echo "Measured $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores."
} | tee "$OUT"

# Everything the browser itself downloads (headers included) on a first visit to `/` and
# through the whole booking flow with JavaScript: the Playwright check of the same name
# (end2end/tests/weight.spec.ts, which `make test` runs with the limit), here only measuring.
(cd end2end && PORTAL_E2E_URL="$BASE" PORTAL_WEIGHT_LIMIT=1000000000 \
  npx playwright test tests/weight.spec.ts --project phone-js --reporter=line >/dev/null)
mkdir -p bench/results/summary
node -e '
  const fs = require("fs");
  const limit = 200 * 1024;
  const row = (name, what) => {
    const r = JSON.parse(fs.readFileSync(`target/weight/${name}.json`, "utf8"));
    const kb = (n) => (n / 1024).toFixed(1) + " KB";
    return `| page weight: ${what} (brotli, first visit, browser-counted) | ${kb(r.total)} | ≤ 200 KB | ${r.total <= limit ? "PASS" : "FAIL"} |`;
  };
  const rows = [row("home", "`/`"), row("booking-flow", "`/` and the whole booking flow")];
  fs.writeFileSync("bench/results/summary/page-weight.md", rows.join("\n") + "\n");
  console.log("\n" + rows.join("\n"));
' | tee -a "$OUT"

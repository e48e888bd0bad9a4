#!/usr/bin/env bash
# Page weight of the home page as a phone downloads it: HTML, CSS, JS and WASM, raw and
# as served (brotli, gzip). Starts the release server on a scratch database, measures with
# curl, writes bench/results/page-weight.md and prints it.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-3199}
OUT=bench/results/page-weight.md
source bench/lib.sh
start_portal "$PORT"
# the server precompresses the bundle in the background after start-up: wait for it
for _ in $(seq 1 300); do ls target/site/pkg/*.wasm.br >/dev/null 2>&1 && break; sleep 0.2; done
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
js=$(grep -o '/pkg/[^"]*\.js' "$TMP/home.html" | head -1)
wasm=$(grep -o '/pkg/[^"]*\.wasm' "$TMP/home.html" | head -1)

{
  echo "| resource | raw (bytes) | gzip | brotli |"
  echo "|---|---:|---:|---:|"
  echo "| home HTML (\`/\`) | $html_raw | $html_gz | $html_br |"
  total_br=$html_br; total_raw=$html_raw
  for pair in "CSS:$css" "JS:$js" "WASM:$wasm"; do
    name=${pair%%:*}; url=${pair#*:}
    raw=$(size "$BASE$url" identity); gz=$(size "$BASE$url" gzip); br=$(size "$BASE$url" br)
    total_br=$((total_br + br)); total_raw=$((total_raw + raw))
    echo "| $name (\`$(basename "$url")\`) | $raw | $gz | $br |"
  done
  echo "| **total** | $total_raw | | **$total_br** |"
  echo
  echo "Cache-Control of the bundle: \`$(curl -fsI "$BASE$wasm" | grep -i '^cache-control' | cut -d' ' -f2- | tr -d '\r')\`"
  echo
  echo "Measured $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores."
} | tee "$OUT"

#!/usr/bin/env bash
# Lighthouse mobile audit (simulated slow 4G, mid-range phone) of the portal's pages against
# Debian's Chromium. Starts the release server on a scratch database, audits each page,
# writes bench/results/lighthouse.md and prints it.
set -euo pipefail
cd "$(dirname "$0")"
[ -d node_modules ] || npm ci --no-audit --no-fund
cd ..
PORT=${PORT:-3198}
source bench/lib.sh
start_portal "$PORT"

export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
OUT=bench/results/lighthouse.md
{
  echo "| page | performance | accessibility | best practices | SEO | LCP | TBT | CLS |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  day=$(curl -fs "$BASE/places/3/book/legal_consultation" | grep -o "day=[0-9-]*" | head -1 | cut -d= -f2)
  for path in "/" "/offices" "/places/3" "/?q=平顺" "/places/3/book/legal_consultation?day=$day&time=09:30" "/bookings"; do
    bench/node_modules/.bin/lighthouse "$BASE$path" --quiet --output=json --output-path="$TMP/lh.json" \
      --form-factor=mobile --only-categories=performance,accessibility,best-practices,seo \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run" \
      >/dev/null 2>"$TMP/lh.err" || { cat "$TMP/lh.err" >&2; exit 1; }
    node -e '
      const r = require(process.argv[1]); const c = r.categories, a = r.audits;
      const s = (k) => c[k].score.toFixed(2);
      console.log(`| \`${process.argv[2]}\` | ${s("performance")} | ${s("accessibility")} | ${s("best-practices")} | ${s("seo")} | ${a["largest-contentful-paint"].displayValue} | ${a["total-blocking-time"].displayValue} | ${a["cumulative-layout-shift"].displayValue} |`);
      const failed = Object.values(a).filter(x => x.score !== null && x.score < 0.9 && x.scoreDisplayMode === "binary").map(x => x.id);
      if (failed.length) console.error(`  ${process.argv[2]} failing audits: ${failed.join(", ")}`);
    ' "$TMP/lh.json" "$path"
  done
  echo
  echo "Lighthouse 12.2.3, mobile preset (simulated throttling), Chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'), measured $(date -u +%Y-%m-%dT%H:%MZ)."
} | tee "$OUT"

#!/usr/bin/env bash
# Lighthouse mobile audit (simulated slow 4G, mid-range phone) against Debian's Chromium, of
# the pages residents use most: home, booking (day and time chosen), a booking's confirmation
# and the mediation request, each in the default and the elderly-friendly mode (长辈模式).
# Starts the release server on a scratch database, makes a booking the audit's "phone" holds,
# writes bench/results/lighthouse.md and prints it.
set -euo pipefail
cd "$(dirname "$0")"
[ -d node_modules ] || npm ci --no-audit --no-fund
cd ..
PORT=${PORT:-3198}
source bench/lib.sh
start_portal "$PORT"
wait_for_precompression

export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
OUT=bench/results/lighthouse.md

# A booking held by this "phone": booked through the API, then opened with its code and
# phone number in a session (what "my bookings" remembers), whose cookie the audit sends.
day=$(curl -fs "$BASE/places/3/book/legal_consultation" | grep -o "day=[0-9-]*" | head -1 | cut -d= -f2)
slot=$(curl -fs "$BASE/api/v1/locations/3/slots?service=legal_consultation" \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const x=JSON.parse(s).find(v=>v.remaining>0);console.log(x.start)})')
phone=13800138000
code=$(curl -fs -X POST "$BASE/api/v1/bookings" -H 'content-type: application/json' \
  -d "{\"location_id\":3,\"service\":\"legal_consultation\",\"start\":\"$slot\",\"name\":\"王芳\",\"phone\":\"$phone\",\"topic\":\"labour\",\"consent\":true}" \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).code))')
jar="$TMP/cookies"
action=$(curl -fs -c "$jar" "$BASE/bookings/$code" | grep -o 'action="/api/open_booking[^"]*"' | head -1 | cut -d'"' -f2)
curl -fs -b "$jar" -c "$jar" -o /dev/null -X POST -H "Origin: $BASE" "$BASE$action" --data-urlencode "code=$code" --data-urlencode "phone=$phone"
session=$(awk '$6=="portal_session"{print $6"="$7}' "$jar")
[ -n "$session" ] || { echo "no session cookie for the booking" >&2; exit 1; }

RUNS=${RUNS:-3}
SCORES="$TMP/scores.tsv"
: > "$SCORES"
audit() { # run mode label path
  local cookie="$session"
  [ "$2" = elder ] && cookie="$cookie; mode=elder"
  bench/node_modules/.bin/lighthouse "$BASE$4" --quiet --output=json --output-path="$TMP/lh.json" \
    --form-factor=mobile --only-categories=performance,accessibility,best-practices,seo \
    --extra-headers="{\"Cookie\":\"$cookie\"}" \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run" \
    >/dev/null 2>"$TMP/lh.err" || { cat "$TMP/lh.err" >&2; exit 1; }
  # one line per audit: run, mode, page, the four scores, LCP, TBT
  node -e '
    const r = require(process.argv[1]); const c = r.categories, a = r.audits;
    const s = (k) => c[k].score.toFixed(2);
    console.log([process.argv[2], process.argv[3], process.argv[4], s("performance"), s("accessibility"), s("best-practices"), s("seo"),
      a["largest-contentful-paint"].displayValue, a["total-blocking-time"].displayValue,
      Math.round(r.environment.benchmarkIndex)].join("\t"));
    const failed = Object.values(a).filter(x => x.score !== null && x.score < 0.9 && x.scoreDisplayMode === "binary").map(x => x.id);
    if (failed.length) console.error(`  ${process.argv[4]} failing audits: ${failed.join(", ")}`);
  ' "$TMP/lh.json" "$1" "$2" "$3" >> "$SCORES"
}

for run in $(seq 1 "$RUNS"); do
  for mode in default elder; do
    audit "$run" "$mode" "home \`/\`" "/"
    audit "$run" "$mode" "booking \`/places/3/book/…?day&time\`" "/places/3/book/legal_consultation?day=$day&time=${slot:11:5}"
    audit "$run" "$mode" "confirmation \`/bookings/CODE?new=1\`" "/bookings/$code?new=1"
    audit "$run" "$mode" "mediation request \`/mediation/new\`" "/mediation/new"
  done
done

# The table (performance / TBT per run, the median, the other categories' lowest score) and
# the summary row `make bench` collects: the lowest median must reach 0.98.
mkdir -p bench/results/summary
{
  node -e '
    const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(l => l.split("\t"));
    const runs = Number(process.argv[2]);
    const pages = [...new Set(rows.map(r => r[1] + "\t" + r[2]))];
    const head = [...Array(runs).keys()].map(i => `run ${i + 1}`);
    console.log(`| mode | page | ${head.join(" | ")} | median | accessibility | best practices | SEO |`);
    console.log(`|---|---|${head.map(() => "---:").join("|")}|---:|---:|---:|---:|`);
    let lowest = 1;
    for (const p of pages) {
      const mine = rows.filter(r => r[1] + "\t" + r[2] === p);
      const perf = mine.map(r => Number(r[3])).sort((a, b) => a - b);
      const median = perf[Math.floor(perf.length / 2)];
      lowest = Math.min(lowest, median);
      const min = (i) => Math.min(...mine.map(r => Number(r[i]))).toFixed(2);
      console.log(`| ${p.replace("\t", " | ")} | ${mine.map(r => `${r[3]} / ${r[8]}`).join(" | ")} | **${median.toFixed(2)}** | ${min(4)} | ${min(5)} | ${min(6)} |`);
    }
    // Lighthouse times the host before each audit: a slow moment stretches every task
    const speed = rows.map(r => Number(r[9]));
    console.log(`\nHost speed (Lighthouse benchmarkIndex, higher is faster): ${Math.min(...speed)}–${Math.max(...speed)}.`);
    require("fs").writeFileSync(process.argv[3],
      `| Lighthouse mobile, ${pages.length} pages, median of ${runs} runs | lowest median ${lowest.toFixed(2)} | ≥ 0.98 | ${lowest >= 0.98 ? "PASS" : "FAIL"} |\n`);
  ' "$SCORES" "$RUNS" bench/results/summary/lighthouse.md
  echo
  echo "Performance / TBT per run. Lighthouse 12.2.3, mobile preset (simulated throttling), Chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'), measured $(date -u +%Y-%m-%dT%H:%MZ)."
} | tee "$OUT"
# every audit's line (run, mode, page, scores, LCP, TBT, benchmarkIndex), to set score against host speed
cp "$SCORES" "${OUT%.md}-runs.tsv"

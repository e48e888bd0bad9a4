# Shared by bench/booking-wrk.sh and bench/booking-load.sh: the one-line summary of three
# runs against the booking target. Usage: source bench/booking-summary.sh;
# booking_summary LABEL RESULTS_FILE OK   (RESULTS_FILE: one "throughput p99_ms" line a run;
# OK: 1 when every run passed its race check). Prints a markdown table row, no header.
thousands() { LC_ALL=C printf "%.0f" "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }
booking_summary() {
  local label=$1 file=$2 ok=$3
  read -r tmin tmax pmin pmax runs < <(awk 'NR==1{a=b=$1;c=d=$2} {if($1<a)a=$1; if($1>b)b=$1; if($2<c)c=$2; if($2>d)d=$2} END{print a, b, c, d, NR}' "$file")
  local verdict=FAIL
  if [ "$ok" = 1 ] && awk -v t="$tmin" -v p="$pmax" 'BEGIN{exit !(t >= 5000 && p <= 50)}'; then
    verdict=PASS
  fi
  printf '| %s (%s runs) | %s–%s/s, p99 %.0f–%.0f ms | ≥ 5,000/s, p99 ≤ 50 ms | %s |\n' \
    "$label" "$runs" "$(thousands "$tmin")" "$(thousands "$tmax")" "$pmin" "$pmax" "$verdict"
}

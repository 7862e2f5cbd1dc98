#!/usr/bin/env bash
# make bench: prospect import throughput and peak memory, beside the sqlite3 command's
# .import of the same file into a plain table, in the same run (ratios, not absolute
# times, are what compare across machines). BENCH_ROWS overrides the 1,000,000 rows.
set -euo pipefail
build=${1:-build-bench}
rows=${BENCH_ROWS:-1000000}
here=$(cd "$(dirname "$0")" && pwd)
T=$(cd "$build" && pwd)/telepro
out="$here/out"
mkdir -p "$out"
csv="$out/prospects-$rows.csv"
[ -f "$csv" ] || "$here/gen_prospects.sh" "$rows" > "$csv"
echo "bench: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
echo "bench: $rows rows, $(du -h "$csv" | cut -f1) ($csv)"

measure() { # label command...: prints seconds and peak RSS (KiB)
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" >/dev/null 2>"$out/$label.err" || {
    echo "bench: $label failed"; tail -n 5 "$out/$label.err"; exit 1; }
  read -r secs rss < "$out/time.txt"
  echo "$secs $rss"
}

rm -f "$out"/sq.db* "$out"/tp.db*
read -r sq_s sq_kb < <(measure sqlite3 sqlite3 "$out/sq.db" -cmd ".mode csv" -cmd ".separator ;" \
  -cmd "PRAGMA journal_mode=WAL" -cmd "PRAGMA synchronous=NORMAL" ".import $csv prospects")
"$T" --db "sqlite:$out/tp.db" campaign add Bench >/dev/null
read -r tp_s tp_kb < <(measure telepro "$T" --db "sqlite:$out/tp.db" import prospects "$csv" --campaign Bench --format json)
imported=$(sqlite3 "$out/tp.db" "SELECT COUNT(*) FROM leads")
rate() { awk -v n="$rows" -v s="$1" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
printf '%-34s %8s s %10s rows/s %8s MB peak\n' "sqlite3 .import (plain table)" "$sq_s" "$(rate "$sq_s")" "$((sq_kb / 1024))"
printf '%-34s %8s s %10s rows/s %8s MB peak\n' "telepro import prospects" "$tp_s" "$(rate "$tp_s")" "$((tp_kb / 1024))"
awk -v a="$tp_s" -v b="$sq_s" 'BEGIN { printf "ratio: telepro takes %.2fx the time of sqlite3 .import\n", a / b }'
echo "telepro imported $imported leads (validation, normalisation to E.164, dedupe, company/contact/lead rows)"

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
small=$((rows / 5))
csv="$out/realistic-$rows.csv"
csv_small="$out/realistic-$small.csv"
# Realistic shape (random keys, 2 % duplicates written differently, 1 % bad phones, quoted
# fields); the small file is the big one's first rows, to see whether a row's cost stays flat.
[ -f "$csv" ] || "$here/gen_realistic.py" "$rows" > "$csv"
[ -f "$csv_small" ] || head -n $((small + 1)) "$csv" > "$csv_small"
echo "bench: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
echo "bench: $rows rows, $(du -h "$csv" | cut -f1) ($csv), and its first $small rows"

measure() { # label command...: prints seconds and peak RSS (KiB)
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" >/dev/null 2>"$out/$label.err" || {
    echo "bench: $label failed"; tail -n 5 "$out/$label.err"; exit 1; }
  read -r secs rss < "$out/time.txt"
  echo "$secs $rss"
}
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }

declare -A tp_time
for f in "$csv_small" "$csv"; do
  n=$(($(wc -l < "$f") - 1))
  rm -f "$out"/sq.db* "$out"/tp.db*
  read -r sq_s sq_kb < <(measure sqlite3 sqlite3 "$out/sq.db" -cmd ".mode csv" -cmd ".separator ;" \
    -cmd "PRAGMA journal_mode=WAL" -cmd "PRAGMA synchronous=NORMAL" ".import $f prospects")
  "$T" --db "sqlite:$out/tp.db" campaign add Bench >/dev/null
  read -r tp_s tp_kb < <(measure telepro "$T" --db "sqlite:$out/tp.db" import prospects "$f" --campaign Bench --format json)
  tp_time[$n]=$tp_s
  imported=$(sqlite3 "$out/tp.db" "SELECT COUNT(*) FROM leads")
  printf '%-40s %8s s %10s rows/s %8s MB peak\n' "$n rows: sqlite3 .import (plain table)" "$sq_s" "$(rate "$n" "$sq_s")" "$((sq_kb / 1024))"
  printf '%-40s %8s s %10s rows/s %8s MB peak\n' "$n rows: telepro import prospects" "$tp_s" "$(rate "$n" "$tp_s")" "$((tp_kb / 1024))"
  awk -v a="$tp_s" -v b="$sq_s" 'BEGIN { printf "ratio: telepro takes %.2fx the time of sqlite3 .import\n", a / b }'
  echo "telepro imported $imported leads (validation, normalisation to E.164, dedupe, company/contact/lead rows)"
done
awk -v a="${tp_time[$rows]}" -v b="${tp_time[$small]}" -v r="$rows" -v s="$small" \
  'BEGIN { printf "flatness: %d rows take %.2fx the time of %d rows (%.2fx per row)\n", r, a / b, s, a / b * s / r }'

#!/usr/bin/env bash
# make bench: a campaign of 100,000 realistic prospects (bench/gen_realistic.py: random
# keys, duplicates written differently, quoted fields) exported as a workbook
# (docs/EXPORTS.md) beside the CSV export of the same rows, in the same run: wall time and
# peak RSS of each (/usr/bin/time), and their ratio. BENCH_EXPORT_ROWS overrides 100,000.
set -euo pipefail
build=${1:-build-bench}
rows=${BENCH_EXPORT_ROWS:-100000}
here=$(cd "$(dirname "$0")" && pwd)
T=$(cd "$build" && pwd)/telepro
out="$here/out/exports"
mkdir -p "$out"
csv="$out/realistic-$rows.csv"
[ -f "$csv" ] || "$here/gen_realistic.py" "$rows" > "$csv"
db="sqlite:$out/exports.db"
rm -f "$out/exports.db"*
"$T" --db "$db" init >/dev/null
"$T" --db "$db" campaign add Bench --kind appointment >/dev/null
"$T" --db "$db" import prospects "$csv" --campaign Bench --format json >/dev/null
measure() { # label command...: seconds and peak RSS (KiB)
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" >/dev/null 2>"$out/$label.err" || {
    echo "bench: $label failed"; tail -n 5 "$out/$label.err"; exit 1; }
  cat "$out/time.txt"
}
echo "bench exports: $(nproc) cores; $rows prospects imported from $(du -h "$csv" | cut -f1) of CSV"
for run in 1 2 3; do
  read -r xs xr < <(measure xlsx "$T" --db "$db" export prospects --campaign Bench --format xlsx --output "$out/p.xlsx")
  read -r cs cr < <(measure csv "$T" --db "$db" export prospects --campaign Bench --output "$out/p.csv")
  printf 'run %d: xlsx %.2f s, %d MB peak, %s; csv %.2f s, %d MB peak; xlsx/csv time %.2f\n' "$run" "$xs" \
    $((xr / 1024)) "$(du -h "$out/p.xlsx" | cut -f1)" "$cs" $((cr / 1024)) "$(awk -v a="$xs" -v b="$cs" 'BEGIN { print (b > 0 ? a / b : 0) }')"
done

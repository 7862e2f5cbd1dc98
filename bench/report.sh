#!/usr/bin/env bash
# make bench: the campaign report (docs/REPORT.md) of a campaign of 1,000,000 calls over two
# years (bench/kpi.sh's generator, CAMPAIGNS=1), beside `telepro kpi --by hour` of the same
# campaign and period in the same run (the report reads the same counters, and draws).
set -euo pipefail
build=${1:-build-bench}
here=$(cd "$(dirname "$0")" && pwd)
T=$(cd "$build" && pwd)/telepro
calls=${REPORT_CALLS:-1000000}
CALLS=$calls CAMPAIGNS=1 "$here/kpi.sh" "$build" >/dev/null
db="sqlite:$here/out/kpi-$calls-1.db"
out="$here/out"
echo "bench report: $(nproc) cores; one campaign of $calls calls, 500 agents, 730 days"
for run in 1 2 3; do
  a=$(date +%s%N)
  "$T" --db "$db" report --campaign "Campagne 1" --period 2025-01-01..2026-12-31 --output "$out/report.pdf"
  b=$(date +%s%N)
  "$T" --db "$db" kpi --campaign "Campagne 1" --from 2025-01-01 --to 2026-12-31 --by hour --format json >/dev/null
  c=$(date +%s%N)
  awk -v r=$(((b - a) / 1000000)) -v k=$(((c - b) / 1000000)) -v n="$run" -v p="$(pdfinfo "$out/report.pdf" | awk '/^Pages/ {print $2}')" \
    'BEGIN { printf "run %d: report %d ms (%d pages), kpi --by hour %d ms, report/kpi %.1f\n", n, r, p, k, (k > 0 ? r / k : 0) }'
done

#!/usr/bin/env bash
# Spreadsheets (docs/EXPORTS.md): a short day at the desk, then the KPIs, the appointments
# and the prospect file as .xlsx (read back with Debian's python3-openpyxl: numbers as
# numbers, rates as percentages, dates as dates, the header frozen and filtered, no cell a
# formula), the same as CSV for French Excel (--excel), the campaign report as PDF (read
# back with poppler-utils), and the dashboard's and the appointments page's downloads
# (exports_test.py).
# Usage: tests/exports/run.sh TELEPRO
set -euo pipefail
T=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/telepro-exports.XXXXXX)
source "$here/../lib.sh"
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null
  if [ -n "${TELEPRO_TEST_KEEP:-}" ]; then echo "kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
/usr/bin/python3 -c 'import openpyxl' 2>/dev/null ||
  { echo "FAIL: Debian's python3-openpyxl is not installed (scripts/deps.sh check)"; exit 1; }
export TELEPRO_DB TELEPRO_NOW=1796144400   # 2026-12-01 18:00 in Paris
TELEPRO_DB=$(new_db exports)
"$T" init >/dev/null
for u in alice:agent sophie:sales mia:manager; do
  printf '%s\n' "pw-${u%%:*}-12345" | "$T" user add "${u%%:*}" --role "${u#*:}" --password-stdin >/dev/null
done
"$T" campaign add Export --kind appointment --window "mon-sun 00:00-24:00" --field effectif=number \
  --hourly-cost 30 >/dev/null
printf 'company;last_name;phone;postcode;city\n%s\n%s\n%s\n' "=1+1;Martin;04 78 10 00 01;01000;Bourg" \
  "Société Éàü;Durand;04 78 10 00 02;69001;Lyon" "Zed;Zola;04 78 10 00 03;69002;Lyon" >"$work/p.csv"
"$T" import prospects "$work/p.csv" --campaign Export >/dev/null
day() { "$T" "$@" >/dev/null; }
day session start --agent alice --campaign Export --at 2026-12-01T09:00
day next --agent alice --campaign Export --at 2026-12-01T09:01
day call log --agent alice --lead 1 --result conversation --outcome appointment --talk 420 \
  --appointment-at 2026-12-01T16:30 --sales sophie --qualify effectif=50 --note "veut une démo" --at 2026-12-01T09:03
day next --agent alice --campaign Export --at 2026-12-01T09:12
day call log --agent alice --lead 2 --result no_answer --ring 25 --at 2026-12-01T09:12
day next --agent alice --campaign Export --at 2026-12-01T09:14
day call log --agent alice --lead 3 --result conversation --outcome refused --talk 60 --at 2026-12-01T09:14
day session stop --agent alice --at 2026-12-01T09:20
day appointment result 1 --status held --relevant yes --result won --amount 4800
"$T" kpi --campaign Export --by hour --format json >"$work/kpi.json"
"$T" kpi --campaign Export --by hour --format xlsx --output "$work/kpi.xlsx"
"$T" kpi --campaign Export --by hour --format csv --excel >"$work/kpi-excel.csv"
"$T" kpi --campaign Export --by hour --format csv >"$work/kpi.csv"
"$T" appointment list --format xlsx --output "$work/appointments.xlsx"
"$T" appointment list --format json >"$work/appointments.json"
"$T" export prospects --campaign Export --format xlsx --output "$work/prospects.xlsx"
"$T" export prospects --campaign Export --excel >"$work/prospects-excel.csv"
"$T" insights agents --campaign Export --format xlsx --output "$work/agents.xlsx"
"$T" insights agents --campaign Export --format json >"$work/agents.json"
# The campaign report (docs/REPORT.md): French by default, English on request.
"$T" report --campaign Export --period 2026-W49 --output "$work/report.pdf"
"$T" report --campaign Export --period 2026-W49 --lang en --output "$work/report-en.pdf"
"$T" kpi --campaign Export --from 2026-11-30 --to 2026-12-06 --format json >"$work/kpi-week.json"
rc=0
"$T" report --campaign Export --period 2027-W53 --output "$work/no.pdf" 2>"$work/err" && rc=1
grep -q "period: '2027-W53': no such ISO week" "$work/err" || { echo "FAIL: a week that does not exist"; cat "$work/err"; rc=1; }
[ ! -e "$work/no.pdf" ] || { echo "FAIL: a refused report wrote a file"; rc=1; }
"$T" kpi --format xlsx >/dev/null 2>"$work/err" && rc=1
grep -q -- "--format xlsx and --output FILE go together" "$work/err" || { echo "FAIL: xlsx without --output"; rc=1; }

start_server "$T" "$work/serve.log"
/usr/bin/python3 "$here/exports_test.py" "http://127.0.0.1:$web" "$work" || rc=$?
kill -TERM "$server"; wait "$server" || { echo "FAIL: the server did not exit 0"; rc=1; }
server=
exit $rc

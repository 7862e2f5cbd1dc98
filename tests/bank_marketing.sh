#!/usr/bin/env bash
# Real data: the UCI Bank Marketing calls (tests/data/bank-marketing/README.md) imported as
# a call history must give the figures computed independently from the file.
set -uo pipefail
T=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$root/tests/lib.sh"
TELEPRO_DB=$(new_db bank)
export TELEPRO_DB
pass=0 fail=0
expect_eq() { if [ "$2" == "$3" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1: expected [$2], got [$3]"; fi; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }

"$T" campaign add Bank --kind sales --audience b2c --timezone Europe/Lisbon >/dev/null
out=$("$T" import calls "$root/tests/data/bank-marketing/bank-full.csv" --campaign Bank \
  --mapping "$root/examples/bank-marketing.mapping" --format json)
expect_eq "import rc" 0 $?
expect_eq "import summary" "45211 0 0" "$(echo "$out" | json "f\"{d['imported']} {d['duplicates']} {d['rejected']}\"")"

kpi=$("$T" kpi --campaign Bank --format json)
expect_eq "conversations" 45211 "$(echo "$kpi" | json "d['totals']['conversations']")"
expect_eq "sales" 5289 "$(echo "$kpi" | json "d['totals']['sales']")"
expect_eq "average conversation" "258.16" "$(echo "$kpi" | json "'%.2f' % d['totals']['avg_conversation_seconds']['value']")"
expect_eq "sales per conversation" "0.1170 [0.1141, 0.1200] n=45211" \
  "$(echo "$kpi" | json "'%.4f [%.4f, %.4f] n=%d' % tuple(d['totals']['sales_per_conversation'][k] for k in ('value','low','high','n'))")"

# Per month of the year, pooled over 2008-2010 as in the data set's README.
months=$("$T" kpi --campaign Bank --by month --format json | python3 -c "
import json, sys, collections
d = json.load(sys.stdin)
n = collections.Counter(); y = collections.Counter()
for g in d['groups']:
    m = int(g['key'][5:7]); n[m] += g['conversations']; y[m] += g['sales']
print(' '.join(f'{n[m]}/{y[m]}' for m in range(1, 13)))")
expect_eq "per month n/yes" "1403/142 2649/441 477/248 2932/577 13766/925 5341/546 6895/627 6247/688 579/269 738/323 3970/403 214/100" "$months"

# Per weekday, from the dates the file gives (day and month, the year going up each time
# the month goes back), computed here by Python: the same counts.
weekdays=$(python3 - "$root/tests/data/bank-marketing/bank-full.csv" <<'PY'
import csv, sys, datetime, collections
months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
year, last, n = 2008, 0, collections.Counter()
for r in csv.DictReader(open(sys.argv[1]), delimiter=';'):
    m = months.index(r['month']) + 1
    if last and m < last:
        year += 1
    last = m
    n[datetime.date(year, m, int(r['day'])).strftime('%a').lower()] += 1
print(' '.join(f'{d}:{n[d]}' for d in ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] if n[d]))
PY
)
expect_eq "per weekday" "$weekdays" "$("$T" kpi --campaign Bank --by weekday --format json | json "' '.join(f\"{g['key']}:{g['calls']}\" for g in d['groups'])")"
# No time of day in the file: no hour, no calls per hour, and the reason.
expect_eq "no time of day" "0 45211 None no time of day in this history" "$("$T" kpi --campaign Bank --by hour --format json | \
  json "f\"{len(d['groups'])} {d['unplaced_calls']} {d['totals']['calls_per_hour']['value']} {d['totals']['unknown']}\"")"

# By attempt (the data set's "campaign" column): success falls from 14.6 % after one call
# to 5.8 % after six or more, where calls bring less than half what a first one does.
attempts=$("$T" insights attempts --campaign Bank --format json)
expect_eq "attempts: calls and success" "1:17544:14.6 2:12505:11.2 3:5521:11.2 4:3522:9.0 5:1764:7.9 6+:4355:5.8" \
  "$(echo "$attempts" | json "' '.join('%s:%d:%.1f' % (g['key'], g['calls'], 100 * g['success_rate']['value']) for g in d['groups'])")"
expect_eq "attempts: from when calls stop paying" "6+" "$(echo "$attempts" | json "d['stop_paying_from']")"

# Importing the same file again records nothing twice.
out=$("$T" import calls "$root/tests/data/bank-marketing/bank-full.csv" --campaign Bank \
  --mapping "$root/examples/bank-marketing.mapping" --format json)
expect_eq "re-import" "0 45211" "$(echo "$out" | json "f\"{d['imported']} {d['duplicates']}\"")"
expect_eq "still 45211" 45211 "$("$T" kpi --campaign Bank --format json | json "d['totals']['calls']")"

echo "bank_marketing: $pass passed, $fail failed"
[ $fail -eq 0 ]

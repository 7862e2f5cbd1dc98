#!/usr/bin/env bash
# Real data that says less: the UCI bank-additional calls (tests/data/bank-additional/README.md)
# give a month and a weekday per call, no day of the month and no time of day. Imported as a
# call history they must give the file's own counts, by month and by weekday, computed here
# independently by Python from the file, and nothing the file does not say: no weekend, no
# hour, no calls per hour. Broken mappings are refused up front, one message, nothing written.
set -uo pipefail
T=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$root/tests/lib.sh"
TELEPRO_DB=$(new_db bank_additional)
export TELEPRO_DB
cd "$work" || exit 1
pass=0 fail=0
expect_eq() { if [ "$2" == "$3" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1: expected [$2], got [$3]"; fi; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }
file=$root/tests/data/bank-additional/bank-additional-full.csv
mapping=$root/examples/bank-additional.mapping

# The file's figures, from the file itself: rows, sales, per weekday and per month of the
# year, and the chi-square of sales per call across the weekdays (2 x 5 table).
python3 - "$file" >expected <<'PY'
import csv, sys, collections
rows = list(csv.DictReader(open(sys.argv[1]), delimiter=';'))
n = len(rows); yes = sum(r['y'] == 'yes' for r in rows)
wd = collections.Counter(r['day_of_week'] for r in rows)
wy = collections.Counter(r['day_of_week'] for r in rows if r['y'] == 'yes')
order = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
print(n, yes)
print(' '.join(f"{d}:{wd[d]}/{wy[d]}" for d in order if wd[d]))
months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
mn = collections.Counter(r['month'] for r in rows)
print(' '.join(f"{m}:{mn[m]}" for m in months if mn[m]))
p = yes / n
chi = sum((wy[d] - wd[d] * p) ** 2 / (wd[d] * p) + ((wd[d] - wy[d]) - wd[d] * (1 - p)) ** 2 / (wd[d] * (1 - p))
          for d in order if wd[d])
print('%.4f %d' % (chi, sum(1 for d in order if wd[d]) - 1))
print('%.2f' % (sum(int(r['duration']) for r in rows) / n))
# Sales per call; May 2008's calls (the year starts at 2008 and goes up each time the
# month goes back, as the mapping says); May's sales per call, pooled over the years.
print('%.4f %d' % (yes / n, n))
year, last, may2008 = 2008, 0, 0
for r in rows:
    m = months.index(r['month']) + 1
    if last and m < last:
        year += 1
    last = m
    may2008 += (year, m) == (2008, 5)
print(may2008)
may = [r for r in rows if r['month'] == 'may']
print('%.4f %d' % (sum(r['y'] == 'yes' for r in may) / len(may), len(may)))
PY
read -r rows yes <expected
weekdays=$(sed -n 2p expected)
months=$(sed -n 3p expected)
chi=$(sed -n 4p expected)
per_call=$(sed -n 6p expected)
may2008=$(sed -n 7p expected)
may_rate=$(sed -n 8p expected)
mean=$(sed -n 5p expected)
expect_eq "the file's own figures" "41188 4640" "$rows $yes"

"$T" campaign add Bank --kind sales --audience b2c --timezone Europe/Lisbon >/dev/null
out=$("$T" import calls "$file" --campaign Bank --mapping "$mapping" --format json)
expect_eq "import rc" 0 $?
expect_eq "import summary" "$rows 0 0" "$(echo "$out" | json "f\"{d['imported']} {d['duplicates']} {d['rejected']}\"")"

kpi=$("$T" kpi --campaign Bank --format json)
expect_eq "conversations and sales" "$rows $yes" "$(echo "$kpi" | json "f\"{d['totals']['conversations']} {d['totals']['sales']}\"")"
expect_eq "average conversation" "$mean" "$(echo "$kpi" | json "'%.2f' % d['totals']['avg_conversation_seconds']['value']")"
# No time of day in the file: no calling time, no rate per hour, and the reason.
expect_eq "per hour unknown" "None None None $rows no time of day in this history" "$(echo "$kpi" | json \
  "f\"{d['totals']['calls_per_hour']['value']} {d['totals']['conversations_per_hour']['value']} {d['totals']['calling_seconds']} {d['totals']['untimed_calls']} {d['totals']['unknown']}\"")"
expect_eq "sales per call" "$per_call" "$(echo "$kpi" | json "'%.4f %d' % (d['totals']['sales_per_call']['value'], d['totals']['sales_per_call']['n'])")"

# Weekdays: Monday to Friday, as the file says, each with its count and sales.
by=$("$T" kpi --campaign Bank --by weekday --format json)
expect_eq "kpi by weekday" "$weekdays" "$(echo "$by" | json "' '.join(f\"{g['key']}:{g['conversations']}/{g['sales']}\" for g in d['groups'])")"
expect_eq "kpi by weekday places every call" "None" "$(echo "$by" | json "d.get('unplaced_calls')")"
# Months of the year, pooled over 2008-2010.
expect_eq "kpi by month" "$months" "$("$T" kpi --campaign Bank --by month --format json | python3 -c "
import json, sys, collections
d = json.load(sys.stdin); n = collections.Counter()
names = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
for g in d['groups']: n[names[int(g['key'][5:7]) - 1]] += g['conversations']
print(' '.join(f'{m}:{n[m]}' for m in names if n[m]))")"
# Hours: none made up; the calls are said to be outside every hour.
byh=$("$T" kpi --campaign Bank --by hour --format json)
expect_eq "kpi by hour" "0 $rows no time of day in this history" "$(echo "$byh" | json "f\"{len(d['groups'])} {d['unplaced_calls']} {d['unknown']}\"")"
expect_eq "kpi by hour, the table says so" "not in the groups: $rows calls (no time of day in this history)" \
  "$("$T" kpi --campaign Bank --by hour | grep '^not in the groups')"
# Days and weeks: refused, with the reason.
"$T" kpi --campaign Bank --by day >/dev/null 2>err
expect_eq "kpi by day refused" 2 $?
expect_eq "kpi by day: why" "telepro: by: $rows calls of this period have no day of the month (their history gives the month, or the month and weekday): --by day cannot place them; use --by month or --by weekday, or a period without them" "$(cat err)"
"$T" kpi --campaign Bank --by week >/dev/null 2>/dev/null
expect_eq "kpi by week refused" 2 $?
# A period that covers part of a month leaves that month's calls out (which days they were
# is unknown); one that covers whole months has them all.
expect_eq "May 2008 whole" "$may2008" "$("$T" kpi --campaign Bank --from 2008-05-01 --to 2008-05-31 --format json | json "d['totals']['calls']")"
expect_eq "May 2008 and half of June" "$may2008" "$("$T" kpi --campaign Bank --from 2008-05-01 --to 2008-06-15 --format json | json "d['totals']['calls']")"
expect_eq "half of May 2008" 0 "$("$T" kpi --campaign Bank --from 2008-05-02 --to 2008-05-31 --format json | json "d['totals']['calls']")"

# The weekday insight: the same chi-square as the one computed from the file.
ins=$("$T" insights slots --campaign Bank --by weekday --rate sales_per_call --format json)
expect_eq "weekday insight chi-square" "$chi" "$(echo "$ins" | json "'%.4f %d' % (d['test']['statistic'], d['test']['df'])")"
expect_eq "weekday insight slots" "mon tue wed thu fri" "$(echo "$ins" | json "' '.join(g['key'] for g in d['groups'])")"
ins=$("$T" insights slots --campaign Bank --by hour --format json)
expect_eq "hour insight: nothing to rank, and why" "0 $rows no time of day in this history" \
  "$(echo "$ins" | json "f\"{len(d['groups'])} {d['unplaced_calls']} {d['unknown']}\"")"
ins=$("$T" insights slots --campaign Bank --by month --rate sales_per_call --format json)
expect_eq "month insight slots" "mar apr may jun jul aug sep oct nov dec" "$(echo "$ins" | json "' '.join(g['key'] for g in d['groups'])")"
expect_eq "month insight: May's sales per call" "$may_rate" "$(echo "$ins" | json "' '.join('%.4f %d' % (g['value'], g['n']) for g in d['groups'] if g['key'] == 'may')")"
# Attempts work on what is known (the "campaign" column).
expect_eq "attempts" "$rows" "$("$T" insights attempts --campaign Bank --format json | json "sum(g['calls'] for g in d['groups'])")"

# Broken mappings: exit 2 before the first row, one message naming what to fix, nothing written.
before=$("$T" kpi --format json | json "d['totals']['calls']")
broken() { # NAME EXPECTED-MESSAGE MAPPING-TEXT
  printf '%b' "$3" >broken.mapping
  "$T" import calls "$file" --campaign Bank --mapping broken.mapping >out 2>err
  expect_eq "$1: exit 2" 2 $?
  expect_eq "$1: one message" "1 $2" "$(wc -l <err) $(cat err)"
}
broken "no day, month or date" "telepro: broken.mapping: no date: map a datetime or date column, or at least the month (with the year): a call is counted in its month at least" \
  '[columns]\nduration = talk_seconds\n[fixed]\nresult = conversation\nagent = bank\n'
broken "no agent" "telepro: broken.mapping: no agent: map the column that names who called (COLUMN = agent), or give [fixed] agent = NAME for a history of one agent or team" \
  '[columns]\nmonth = month\n[fixed]\nresult = conversation\nyear = 2008 increasing\n'
broken "a column the file lacks" "telepro: broken.mapping:2: column 'mois' (mapped to month) is not in $file" \
  '[columns]\nmois = month\n[fixed]\nresult = conversation\nagent = bank\nyear = 2008\n'
broken "values of an unmapped column" "telepro: broken.mapping:4: [values outcome] translates a column's values, but no column is mapped to outcome" \
  '[columns]\nmonth = month\n[values outcome]\nyes = sale\n[fixed]\nresult = conversation\nagent = bank\nyear = 2008\n'
broken "a constant that contradicts a column" "telepro: broken.mapping:6: agent is both column 'job' and [fixed] agent = bank: keep one" \
  '[columns]\nmonth = month\njob = agent\n[fixed]\nresult = conversation\nagent = bank\nyear = 2008\n'
broken "a made-up day" "telepro: broken.mapping:6: [fixed] day: the same day of the month for every call would be made up: leave it out (calls then keep their month, and their weekday when a column gives it)" \
  '[columns]\nmonth = month\n[fixed]\nresult = conversation\nagent = bank\nday = 1\nyear = 2008\n'
broken "qualification without phones" "telepro: broken.mapping:3: qualification columns need a phone column: a qualification answer belongs to a prospect, found by the call's number, and $file has none mapped" \
  '[columns]\nmonth = month\njob = qualify.metier\n[fixed]\nresult = conversation\nagent = bank\nyear = 2008\n'
expect_eq "nothing written" "$before" "$("$T" kpi --format json | json "d['totals']['calls']")"

# [fixed] appointment fields go with the rows that book one, and never fail the others.
cat >appt.csv <<'CSV'
when;who;res;rdv
2026-03-02 10:00;ana;conversation;2026-03-09 10:00
2026-03-02 10:05;ana;no_answer;
2026-03-02 10:10;ana;busy;
CSV
printf '[columns]\nwhen = datetime\nwho = agent\nres = result\nrdv = appointment_at\n[fixed]\noutcome = appointment\nappointment_status = held\n' >appt.mapping
"$T" campaign add Appt --kind appointment --timezone Europe/Paris >/dev/null
out=$("$T" import calls appt.csv --campaign Appt --mapping appt.mapping --format json)
expect_eq "fixed appointment fields: no row fails" "3 0" "$(echo "$out" | json "f\"{d['imported']} {d['rejected']}\"")"
expect_eq "fixed appointment fields: the appointment held" "1 1" \
  "$("$T" kpi --campaign Appt --format json | json "f\"{d['totals']['appointments']} {d['totals']['appointments_held']}\"")"

# A row's refusal names the column as well as the target.
printf 'mois;jour\nmai;lundi\nmai;un jour\n' >fr.csv
printf '[columns]\nmois = month\njour = weekday\n[fixed]\nresult = conversation\noutcome = refused\nagent = bank\nyear = 2008\n' >fr.mapping
"$T" import calls fr.csv --campaign Bank --mapping fr.mapping >/dev/null 2>err
expect_eq "a refusal names the column and the target" "fr.csv:3: jour (weekday): 'un jour' is not a weekday (mon...sun, lundi...dimanche, 1-7 from Monday; other words through [values weekday])" "$(cat err)"

echo "bank_additional: $pass passed, $fail failed"
[ $fail -eq 0 ]

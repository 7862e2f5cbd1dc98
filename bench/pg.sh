#!/usr/bin/env bash
# bench/pg.sh BUILD: PostgreSQL beside SQLite, on a throw-away local cluster (unix socket):
#  - prospect import of BENCH_PG_ROWS rows (default 100,000) on both backends;
#  - next + call log pairs with 1, 2 and 4 processes on both backends;
#  - the KPI report on CALLS (default 10,000,000) generated calls, as bench/kpi.sh does
#    for SQLite, beside GROUP BY over the raw calls in psql.
set -euo pipefail
build=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
root=$(cd "$here/.." && pwd)
T=$(cd "$build" && pwd)/telepro
D=$(cd "$build" && pwd)/bench/bench_desk
out="$here/out"
rows=${BENCH_PG_ROWS:-100000}
calls=${CALLS:-10000000}
pgdir=$(mktemp -d /tmp/telepro-bench-pg.XXXXXX)
mkdir -p "$out"
trap '"$root/scripts/pg.sh" stop "$pgdir"' EXIT
"$root/scripts/pg.sh" start "$pgdir" >/dev/null
newdb() { "$root/scripts/pg.sh" createdb "$pgdir" "$1"; }
conninfo() { echo "host=$pgdir port=5432 user=postgres dbname=$1"; }
secs() { /usr/bin/time -f "%e" -o "$out/t" "$@" >/dev/null 2>&1; cat "$out/t"; }

echo "pg bench: PostgreSQL $(psql --version | awk '{ print $3 }') on a unix socket, fsync off (a bench, not a production setting)"
# Prospect import, same rows on both.
csv="$out/realistic-$rows.csv"
[ -f "$csv" ] || "$here/gen_realistic.py" "$rows" > "$csv"
rm -f "$out"/imp.db*
"$T" --db "sqlite:$out/imp.db" campaign add B >/dev/null
s=$(secs "$T" --db "sqlite:$out/imp.db" import prospects "$csv" --campaign B)
u=$(newdb imp)
imp_url=$u
"$T" --db "$u" campaign add B >/dev/null
p=$(secs "$T" --db "$u" import prospects "$csv" --campaign B)
awk -v n="$rows" -v s="$s" -v p="$p" 'BEGIN {
  printf "prospect import, %d rows: SQLite %.2f s (%.0f rows/s), PostgreSQL %.2f s (%.0f rows/s): %.1fx\n",
    n, s, n / s, p, n / p, p / s }'
# The same file again, into another campaign, at once (before autovacuum has analysed
# what the first import added): every contact is found again.
"$T" --db "sqlite:$out/imp.db" campaign add C >/dev/null
s=$(secs "$T" --db "sqlite:$out/imp.db" import prospects "$csv" --campaign C)
"$T" --db "$u" campaign add C >/dev/null
p=$(secs "$T" --db "$u" import prospects "$csv" --campaign C)
awk -v n="$rows" -v s="$s" -v p="$p" 'BEGIN {
  printf "prospect import again, into another campaign, %d rows: SQLite %.2f s, PostgreSQL %.2f s: %.1fx\n",
    n, s, p, p / s }'

# Call histories: the bank history (tests' data), 4,000, 16,000 and 64,000 rows (past its
# 45,211 rows, it starts again: the same rows later, so new calls). One transaction each.
bank="$root/tests/data/bank-marketing/bank-full.csv"
map="$root/examples/bank-marketing.mapping"
for n in 4000 16000 64000; do
  h="$out/history-$n.csv"
  if [ ! -f "$h" ]; then
    awk -v last=$((n + 1)) 'FNR == 1 && NR > 1 { next } { if (++k > last) exit; print }' "$bank" "$bank" > "$h"
  fi
  rm -f "$out"/hist.db*
  "$T" --db "sqlite:$out/hist.db" campaign add Bank --kind sales --audience b2c --timezone Europe/Lisbon >/dev/null
  s=$(secs "$T" --db "sqlite:$out/hist.db" import calls "$h" --campaign Bank --mapping "$map")
  u=$(newdb hist$n)
  "$T" --db "$u" campaign add Bank --kind sales --audience b2c --timezone Europe/Lisbon >/dev/null
  p=$(secs "$T" --db "$u" import calls "$h" --campaign Bank --mapping "$map")
  awk -v n="$n" -v s="$s" -v p="$p" 'BEGIN {
    printf "import calls, %d rows: SQLite %.2f s, PostgreSQL %.2f s (%.0f rows/s): %.1fx\n", n, s, p, n / p, p / s }'
done

# A history with phone numbers (the calls go to their leads), agents taking turns row by
# row as in a dialer's export in time order: 16,000 calls on the leads of the prospect
# import above (campaign B of both databases).
hp="$out/history-phones-16000.csv"
if [ ! -f "$hp" ]; then
  python3 - "$csv" "$hp" <<'PY'
import csv, random, sys
random.seed(16000)
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8'), delimiter=';'))[1:20001]
phones = [r[3] for r in rows]
with open(sys.argv[2], 'w') as f:
    f.write('agent,date,time,result,phone\n')
    for i in range(16000):
        t = 8 * 60 + (i % 2000) // 4
        f.write('ag%d,2026-11-%02d,%02d:%02d,%s,"%s"\n' % (i % 8, 1 + i // 2000, t // 60, t % 60,
                random.choice(['busy', 'no_answer', 'voicemail']), random.choice(phones)))
PY
fi
printf '[columns]\nagent = agent\ndate = date\ntime = time\nresult = result\nphone = phone\n' > "$out/phones.mapping"
s=$(secs "$T" --db "sqlite:$out/imp.db" import calls "$hp" --campaign B --mapping "$out/phones.mapping")
p=$(secs "$T" --db "$imp_url" import calls "$hp" --campaign B --mapping "$out/phones.mapping")
awk -v s="$s" -v p="$p" 'BEGIN {
  printf "import calls with phones, 16000 rows, 8 agents in turn: SQLite %.2f s, PostgreSQL %.2f s: %.1fx\n", s, p, p / s }'

# The demo (6 weeks, about 16,000 calls through the desk's own functions).
rm -f "$out"/demo.db*
s=$(secs "$T" --db "sqlite:$out/demo.db" demo --seed 11)
p=$(secs "$T" --db "$(newdb demo)" demo --seed 11)
awk -v s="$s" -v p="$p" 'BEGIN { printf "demo --seed 11: SQLite %.2f s, PostgreSQL %.2f s: %.1fx\n", s, p, p / s }'
# Into a database that already has a user, the demo is made in a scratch database too
# (the user copied in first); into one that has a campaign, it is written call after call.
rm -f "$out"/demo2.db*
"$T" --db "sqlite:$out/demo2.db" user add admin --role admin --password-stdin <<<"admin-bench-2026" >/dev/null
s=$(secs "$T" --db "sqlite:$out/demo2.db" demo --seed 11)
u=$(newdb demo2)
"$T" --db "$u" user add admin --role admin --password-stdin <<<"admin-bench-2026" >/dev/null
p=$(secs "$T" --db "$u" demo --seed 11)
awk -v s="$s" -v p="$p" 'BEGIN {
  printf "demo --seed 11 after a user: SQLite %.2f s, PostgreSQL %.2f s: %.1fx\n", s, p, p / s }'
rm -f "$out"/demo3.db*
"$T" --db "sqlite:$out/demo3.db" campaign add Autre --kind event --audience b2b --timezone Europe/Paris >/dev/null
s=$(secs "$T" --db "sqlite:$out/demo3.db" demo --seed 11)
u=$(newdb demo3)
"$T" --db "$u" campaign add Autre --kind event --audience b2b --timezone Europe/Paris >/dev/null
p=$(secs "$T" --db "$u" demo --seed 11)
awk -v s="$s" -v p="$p" 'BEGIN {
  printf "demo --seed 11 after a campaign, call after call: SQLite %.2f s, PostgreSQL %.2f s: %.1fx\n", s, p, p / s }'
# migrate of the demo database: into a new SQLite file, and into PostgreSQL.
rm -f "$out"/demo-copy.db*
s=$(secs "$T" migrate --from "sqlite:$out/demo.db" --to "sqlite:$out/demo-copy.db")
p=$(secs "$T" migrate --from "sqlite:$out/demo.db" --to "$(newdb migrated)")
awk -v s="$s" -v p="$p" 'BEGIN {
  printf "migrate of the demo database: into SQLite %.2f s, into PostgreSQL %.2f s: %.1fx\n", s, p, p / s }'

# The desk loop.
for procs in 1 2 4; do
  rm -f "$out"/desk.db*
  printf 'desk, SQLite,     '; "$D" "sqlite:$out/desk.db" $procs 1000
  printf 'desk, PostgreSQL, '; "$D" "$(newdb desk$procs)" $procs 1000
done

# The KPI report on generated calls.
u=$(newdb kpi)
"$T" --db "$u" init >/dev/null
for c in $(seq 1 20); do "$T" --db "$u" campaign add "Campagne $c" >/dev/null; done
echo "pg bench: generating $calls calls"
psql -X -q -v ON_ERROR_STOP=1 "$(conninfo kpi)" <<SQL
SET synchronous_commit = off;
INSERT INTO users (name, role, password_hash, created_at) SELECT 'agent' || i, 'agent', '!', 0 FROM generate_series(1, 500) i;
DROP INDEX calls_campaign_time; DROP INDEX calls_lead; DROP INDEX calls_agent; DROP INDEX calls_session;
INSERT INTO calls (campaign_id, agent_id, started_at, ring_seconds, talk_seconds, result, outcome_id, local_day, local_hour, local_weekday)
SELECT (agent - 1) % 20 + 1, agent, 1735722000 + d * 86400 + (9 + (i / 500) % 9) * 3600, 15,
  CASE WHEN h < 25 THEN 60 + (i * 7919) % 1200 ELSE 0 END,
  CASE WHEN h < 25 THEN 'conversation' WHEN h < 50 THEN 'no_answer' WHEN h < 60 THEN 'busy'
       WHEN h < 75 THEN 'voicemail' WHEN h < 95 THEN 'gatekeeper' ELSE 'wrong_number' END,
  CASE WHEN h < 25 THEN o + 1 END,
  to_char(date '2025-01-01' + d::int, 'YYYYMMDD')::int, 9 + (i / 500) % 9, extract(dow FROM date '2025-01-01' + d::int)::int
FROM (SELECT i, i % 500 + 1 AS agent, i * 730 / $calls AS d, (i * 2654435761) % 100 AS h, (i * 40503) % 9 AS o
      FROM generate_series(0::bigint, $calls - 1) i) g;
CREATE INDEX calls_campaign_time ON calls (campaign_id, started_at);
CREATE INDEX calls_agent ON calls (agent_id, started_at);
INSERT INTO kpi_counters (campaign_id, agent_id, local_day, local_hour, calls, conversations, appointments, sales,
  talk_seconds, talk_seconds_sq, hot, callbacks, refusals, calling_seconds)
SELECT c.campaign_id, c.agent_id, c.local_day, c.local_hour, COUNT(*),
  SUM(CASE WHEN c.result = 'conversation' THEN 1 ELSE 0 END), SUM(COALESCE(o.is_appointment, 0)),
  SUM(COALESCE(o.is_sale, 0)), SUM(c.talk_seconds), SUM(c.talk_seconds * c.talk_seconds), SUM(COALESCE(o.is_hot, 0)),
  SUM(COALESCE(o.is_callback, 0)), SUM(COALESCE(o.is_refusal, 0)), 3000
FROM calls c LEFT JOIN outcomes o ON o.id = c.outcome_id GROUP BY 1, 2, 3, 4;
INSERT INTO kpi_agent_month (campaign_id, agent_id, month, calls, conversations, appointments, sales, talk_seconds,
  talk_seconds_sq, hot, callbacks, refusals, calling_seconds)
SELECT campaign_id, agent_id, local_day / 100, SUM(calls), SUM(conversations), SUM(appointments), SUM(sales),
  SUM(talk_seconds), SUM(talk_seconds_sq), SUM(hot), SUM(callbacks), SUM(refusals), SUM(calling_seconds)
FROM kpi_counters GROUP BY 1, 2, 3;
INSERT INTO kpi_hour_month (campaign_id, month, local_weekday, local_hour, calls, conversations, appointments, sales,
  talk_seconds, talk_seconds_sq, hot, callbacks, refusals, calling_seconds)
SELECT campaign_id, local_day / 100, extract(dow FROM to_date(local_day::text, 'YYYYMMDD'))::int, local_hour,
  SUM(calls), SUM(conversations), SUM(appointments), SUM(sales), SUM(talk_seconds), SUM(talk_seconds_sq), SUM(hot),
  SUM(callbacks), SUM(refusals), SUM(calling_seconds)
FROM kpi_counters GROUP BY 1, 2, 3, 4;
INSERT INTO kpi_day (campaign_id, local_day, calls, conversations, appointments, sales, talk_seconds, talk_seconds_sq,
  hot, callbacks, refusals, calling_seconds)
SELECT campaign_id, local_day, SUM(calls), SUM(conversations), SUM(appointments), SUM(sales), SUM(talk_seconds),
  SUM(talk_seconds_sq), SUM(hot), SUM(callbacks), SUM(refusals), SUM(calling_seconds)
FROM kpi_counters GROUP BY 1, 2;
VACUUM ANALYZE;
SQL
report() {
  "$T" --db "$u" kpi --format json >/dev/null
  "$T" --db "$u" kpi --by hour --format json >/dev/null
  "$T" --db "$u" kpi --by agent --format json >/dev/null
  "$T" --db "$u" kpi --by week --format json >/dev/null
}
tp=$(median_ms report)
ref="SELECT COUNT(*), SUM(CASE WHEN c.result = 'conversation' THEN 1 ELSE 0 END), SUM(COALESCE(o.is_appointment, 0)), SUM(COALESCE(o.is_sale, 0)), SUM(c.talk_seconds)"
from="FROM calls c LEFT JOIN outcomes o ON o.id = c.outcome_id"
a=$(date +%s%N)
psql -X -q "$(conninfo kpi)" -c "$ref $from" -c "$ref, c.local_hour $from GROUP BY c.local_hour" \
  -c "$ref, c.agent_id $from GROUP BY c.agent_id" -c "$ref, c.local_day / 7 $from GROUP BY c.local_day / 7" >/dev/null
b=$(date +%s%N)
sq=$(( (b - a) / 1000000 ))
printf 'KPI report, %d calls on PostgreSQL: telepro kpi (4 reports) %s ms, GROUP BY over calls in psql %s ms: %sx\n' \
  "$calls" "$tp" "$sq" "$(awk -v a="$tp" -v b="$sq" 'BEGIN { printf "%.1f", b / a }')"

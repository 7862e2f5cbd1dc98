#!/usr/bin/env bash
# bench/kpi.sh BUILD: the KPI report at scale. Generates CALLS calls (default 10,000,000)
# over two years for 500 agents in 20 campaigns (CAMPAIGNS=N), straight into the calls table, builds the
# counters and rollups from them once, then times the full KPI JSON (totals, by hour, by
# agent, by week) read by `telepro kpi` from the counters, beside the same KPIs computed
# by GROUP BY over the raw calls in the sqlite3 command, in the same run.
set -euo pipefail
build=$1
T=$(cd "$build" && pwd)/telepro
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
out="$here/out"
calls=${CALLS:-10000000}
campaigns=${CAMPAIGNS:-20}
db="$out/kpi-$calls.db"
[ "$campaigns" = 20 ] || db="$out/kpi-$calls-$campaigns.db"
mkdir -p "$out"

if [ ! -f "$db" ]; then
  echo "kpi bench: generating $calls calls (once; kept in $db)"
  rm -f "$db".tmp*
  "$T" --db "sqlite:$db.tmp" init >/dev/null
  for c in $(seq 1 "$campaigns"); do
    "$T" --db "sqlite:$db.tmp" campaign add "Campagne $c" --kind appointment --block 14:00-16:00 >/dev/null
  done
  sqlite3 "$db.tmp" <<SQL
PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-200000;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)
INSERT INTO users (name, role, password_hash, created_at) SELECT 'agent' || i, 'agent', '!', 0 FROM n;
DROP INDEX calls_campaign_time; DROP INDEX calls_lead; DROP INDEX calls_agent; DROP INDEX calls_session;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $calls - 1),
g AS (SELECT i, i % 500 + 1 AS agent, i * 730 / $calls AS d, (i * 2654435761) % 100 AS h,
             (i * 40503) % 9 AS o FROM n)
INSERT INTO calls (campaign_id, agent_id, started_at, ring_seconds, talk_seconds, result, outcome_id,
                   local_day, local_hour, local_weekday)
SELECT (agent - 1) % $campaigns + 1, agent, 1735722000 + d * 86400 + (9 + (i / 500) % 9) * 3600, 15,
       CASE WHEN h < 25 THEN 60 + (i * 7919) % 1200 ELSE 0 END,
       CASE WHEN h < 25 THEN 'conversation' WHEN h < 50 THEN 'no_answer' WHEN h < 60 THEN 'busy'
            WHEN h < 75 THEN 'voicemail' WHEN h < 95 THEN 'gatekeeper' ELSE 'wrong_number' END,
       CASE WHEN h < 25 THEN o + 1 END,
       CAST(strftime('%Y%m%d', '2025-01-01', '+' || d || ' days') AS INTEGER), 9 + (i / 500) % 9,
       CAST(strftime('%w', '2025-01-01', '+' || d || ' days') AS INTEGER)
FROM g;
CREATE INDEX calls_campaign_time ON calls (campaign_id, started_at);
CREATE INDEX calls_lead ON calls (lead_id);
CREATE INDEX calls_agent ON calls (agent_id, started_at);
CREATE INDEX calls_session ON calls (session_id) WHERE session_id IS NOT NULL;
INSERT INTO kpi_counters (campaign_id, agent_id, local_day, local_hour, calls, conversations, appointments,
  sales, talk_seconds, talk_seconds_sq, hot, callbacks, refusals, calling_seconds)
SELECT c.campaign_id, c.agent_id, c.local_day, c.local_hour, COUNT(*),
  SUM(c.result = 'conversation'), SUM(COALESCE(o.is_appointment, 0)), SUM(COALESCE(o.is_sale, 0)),
  SUM(c.talk_seconds), SUM(c.talk_seconds * c.talk_seconds), SUM(COALESCE(o.is_hot, 0)),
  SUM(COALESCE(o.is_callback, 0)), SUM(COALESCE(o.is_refusal, 0)), 3000
FROM calls c LEFT JOIN outcomes o ON o.id = c.outcome_id GROUP BY 1, 2, 3, 4;
INSERT INTO kpi_agent_month (campaign_id, agent_id, month, calls, conversations, appointments, sales,
  talk_seconds, talk_seconds_sq, hot, callbacks, refusals, calling_seconds)
SELECT campaign_id, agent_id, local_day / 100, SUM(calls), SUM(conversations), SUM(appointments), SUM(sales),
  SUM(talk_seconds), SUM(talk_seconds_sq), SUM(hot), SUM(callbacks), SUM(refusals), SUM(calling_seconds)
FROM kpi_counters GROUP BY 1, 2, 3;
INSERT INTO kpi_hour_month (campaign_id, month, local_weekday, local_hour, calls, conversations, appointments,
  sales, talk_seconds, talk_seconds_sq, hot, callbacks, refusals, calling_seconds)
SELECT campaign_id, local_day / 100,
  CAST(strftime('%w', printf('%04d-%02d-%02d', local_day / 10000, local_day / 100 % 100, local_day % 100)) AS INTEGER),
  local_hour, SUM(calls), SUM(conversations), SUM(appointments), SUM(sales), SUM(talk_seconds),
  SUM(talk_seconds_sq), SUM(hot), SUM(callbacks), SUM(refusals), SUM(calling_seconds)
FROM kpi_counters GROUP BY 1, 2, 3, 4;
INSERT INTO kpi_day (campaign_id, local_day, calls, conversations, appointments, sales, talk_seconds,
  talk_seconds_sq, hot, callbacks, refusals, calling_seconds)
SELECT campaign_id, local_day, SUM(calls), SUM(conversations), SUM(appointments), SUM(sales), SUM(talk_seconds),
  SUM(talk_seconds_sq), SUM(hot), SUM(callbacks), SUM(refusals), SUM(calling_seconds)
FROM kpi_counters GROUP BY 1, 2;
INSERT INTO kpi_outcome_day (campaign_id, agent_id, local_day, outcome_id, calls, conversations, appointments,
  sales, talk_seconds, talk_seconds_sq, hot, callbacks, refusals)
SELECT c.campaign_id, c.agent_id, c.local_day, c.outcome_id, COUNT(*), COUNT(*), SUM(o.is_appointment),
  SUM(o.is_sale), SUM(c.talk_seconds), SUM(c.talk_seconds * c.talk_seconds), SUM(o.is_hot), SUM(o.is_callback),
  SUM(o.is_refusal)
FROM calls c JOIN outcomes o ON o.id = c.outcome_id WHERE c.result = 'conversation' GROUP BY 1, 2, 3, 4;
INSERT INTO kpi_outcome_month (campaign_id, agent_id, month, outcome_id, calls, conversations, appointments,
  sales, talk_seconds, talk_seconds_sq, hot, callbacks, refusals)
SELECT campaign_id, agent_id, local_day / 100, outcome_id, SUM(calls), SUM(conversations), SUM(appointments),
  SUM(sales), SUM(talk_seconds), SUM(talk_seconds_sq), SUM(hot), SUM(callbacks), SUM(refusals)
FROM kpi_outcome_day GROUP BY 1, 2, 3, 4;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
  true
  mv "$db.tmp" "$db"
  rm -f "$db.tmp-wal" "$db.tmp-shm"
fi

# Median of 5 runs of a command, in ms.
tp_report() {
  "$T" --db "sqlite:$db" kpi --format json >/dev/null
  "$T" --db "sqlite:$db" kpi --by hour --format json >/dev/null
  "$T" --db "sqlite:$db" kpi --by agent --format json >/dev/null
  "$T" --db "sqlite:$db" kpi --by week --format json >/dev/null
}
ref_sql="SELECT COUNT(*), SUM(c.result = 'conversation'), SUM(COALESCE(o.is_appointment, 0)), SUM(COALESCE(o.is_sale, 0)), SUM(c.talk_seconds)"
ref_from="FROM calls c LEFT JOIN outcomes o ON o.id = c.outcome_id"
sq_report() {
  sqlite3 "$db" "$ref_sql $ref_from;" \
    "$ref_sql, c.local_hour $ref_from GROUP BY c.local_hour;" \
    "$ref_sql, c.agent_id $ref_from GROUP BY c.agent_id;" \
    "$ref_sql, strftime('%Y-%W', printf('%04d-%02d-%02d', c.local_day / 10000, c.local_day / 100 % 100, c.local_day % 100)) AS w $ref_from GROUP BY w;"
}
# The two must agree before their times mean anything.
tp_calls=$("$T" --db "sqlite:$db" kpi --format json | python3 -c "import json,sys; t=json.load(sys.stdin)['totals']; print(t['calls'], t['conversations'], t['talk_seconds'])")
sq_calls=$(sqlite3 "$db" "SELECT COUNT(*), SUM(result = 'conversation'), SUM(talk_seconds) FROM calls" | tr '|' ' ')
[ "$tp_calls" = "$sq_calls" ] || { echo "kpi bench: counters ($tp_calls) and calls ($sq_calls) disagree"; exit 1; }
single=$(median_ms "$T" --db "sqlite:$db" kpi --by agent --format json)
tp=$(median_ms tp_report)
sq_a=$(date +%s%N); sq_report >/dev/null; sq_b=$(date +%s%N)
sq=$(( (sq_b - sq_a) / 1000000 ))
echo "kpi bench: $calls calls, 500 agents, $campaigns campaigns, 730 days ($(du -h "$db" | cut -f1) database)"
printf '%-52s %10s ms\n' "telepro kpi: totals + by hour + by agent + by week" "$tp"
printf '%-52s %10s ms\n' "  of which one command (--by agent), process included" "$single"
printf '%-52s %10s ms\n' "sqlite3: the same by GROUP BY over raw calls" "$sq"
awk -v a="$tp" -v b="$sq" 'BEGIN { printf "ratio: the counters answer %.0fx faster than GROUP BY over calls\n", b / a }'

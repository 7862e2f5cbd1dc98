#!/usr/bin/env bash
# Calls are logged by a process of three agents (tests/concurrency.c) that is killed
# (SIGKILL) in the middle of its work, twenty times over, then runs to the end: every call
# it acknowledged is in the database, no lead has two calls, and the KPI counters equal
# the raw calls.
set -uo pipefail
T=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
C=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/lib.sh"
pass=0 fail=0
expect_eq() { if [ "$2" == "$3" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1: expected [$2], got [$3]"; fi; }
trials=20 threads=3 leads=3000

db=$(new_db kill_calls)
"$T" --db "$db" campaign add Kill --audience b2b --idle-limit 1d >/dev/null
python3 -c "
print('nom;téléphone')
for i in range($leads): print(f'L{i};01 43 {i // 10000:02d} {i // 100 % 100:02d} {i % 100:02d}')" >"$work/leads.csv"
"$T" --db "$db" import prospects "$work/leads.csv" --campaign Kill >/dev/null
for t in $(seq 0 $((threads - 1))); do
  sql "$db" "INSERT INTO users (name, role, password_hash, created_at) VALUES ('k$t', 'agent', '!', 0)" >/dev/null
done
for i in $(seq 1 $trials); do
  "$C" work "$db" Kill k $threads >"$work/acked.$i" 2>/dev/null &
  pid=$!
  # Killed once it has acknowledged a few calls (a state, not a time), whatever the load.
  for _ in $(seq 1 3000); do
    [ "$(wc -l <"$work/acked.$i")" -ge $((3 + i % 7)) ] && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.01
  done
  kill -9 $pid 2>/dev/null
  wait $pid 2>/dev/null
  # A line the kill cut short (stdout's buffer written in part) acknowledged nothing.
  [ -s "$work/acked.$i" ] && [ -n "$(tail -c 1 "$work/acked.$i")" ] && sed -i '$d' "$work/acked.$i"
done
# A last run to the end: the leads left, then each agent's session stopped as it should.
"$C" work "$db" Kill k $threads >"$work/acked.last" 2>"$work/err.last"
expect_eq "the last run ends cleanly" "" "$(cat "$work/err.last")"
# (comm wants both in the same, lexical, order)
cat "$work"/acked.* | awk 'NF == 2 { print $2 }' | sort >"$work/acked_ids"
sql "$db" "SELECT id FROM calls" | sort >"$work/db_ids"
acked=$(wc -l <"$work/acked_ids")
expect_eq "calls acknowledged over $trials kills" 1 "$([ "$acked" -ge $((trials * 3)) ] && echo 1)"
expect_eq "every acknowledged call is there" "" "$(comm -23 "$work/acked_ids" "$work/db_ids" | head -5)"
expect_eq "no lead with two calls" 0 \
  "$(sql "$db" "SELECT COUNT(*) FROM (SELECT lead_id FROM calls GROUP BY lead_id HAVING COUNT(*) > 1) x")"
verdict=$("$C" verify "$db" Kill)
expect_eq "counters equal raw calls" "equal" "$(echo "$verdict" | awk '{ print $NF }')"
expect_eq "counted calls are the stored ones" "$(sql "$db" "SELECT COUNT(*) FROM calls")" "$(echo "$verdict" | awk '{ print $1 }')"
echo "kill_calls ($TEST_BACKEND, $trials kills, $acked calls acknowledged): $pass passed, $fail failed"
[ $fail -eq 0 ]

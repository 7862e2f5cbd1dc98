#!/usr/bin/env bash
# bench/web.sh BUILD: HTTP load on `telepro serve` over the 10-million-call database of
# bench/kpi.sh (CALLS overrides the size; made by kpi.sh when missing):
#   - the dashboard page and the KPI API under wrk (p50/p99), beside `telepro kpi` giving
#     the same figures from a new process on the same database (the peer);
#   - the dashboard again on a second server with nothing kept (TELEPRO_NO_MEMO=1): what a
#     page costs to compute;
#   - AGENTS simulated agents (default 1000) on the calling desk, next + call log every few
#     seconds (bench/web_load.c): latencies, and no lead handed to two agents at once; then
#     the same agents while managers watch their campaign's dashboard (bench/paced.py: 8
#     each every second; then wrk: 2 in a closed loop), its pages and the desk beside them;
#   - the server's peak memory (VmHWM).
# Sessions of the simulated users are written straight into the database (logging in 1000
# users would time Argon2id, not the desk).
set -euo pipefail
build=$1
T=$(cd "$build" && pwd)/telepro
L=$(cd "$build" && pwd)/bench/web_load
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
out="$here/out"
calls=${CALLS:-10000000}
agents=${AGENTS:-1000}
seconds=${SECONDS_LOAD:-30}
db="$out/kpi-$calls.db"
mkdir -p "$out"
[ -f "$db" ] || CALLS=$calls "$here/kpi.sh" "$build" >/dev/null
command -v wrk >/dev/null || { echo "web bench: wrk is missing (scripts/deps.sh bench)"; exit 1; }
ulimit -n 8192

work=$(mktemp -d "$out/web.XXXXXX")
server= server2=
cleanup() { for p in $server $server2; do kill "$p" 2>/dev/null; done; rm -rf "$work"; }
trap cleanup EXIT
cp "$db" "$work/web.db"
export TELEPRO_DB="sqlite:$work/web.db"
"$T" init >/dev/null
"$T" campaign add "Bench web" --kind appointment --window "mon-sun 00:00-24:00" --max-attempts 50 >/dev/null
"$here/gen_prospects.sh" 200000 >"$work/prospects.csv"
"$T" import prospects "$work/prospects.csv" --campaign "Bench web" >/dev/null 2>&1 || true   # 0.1 % bad rows
campaign=$(sqlite3 "$work/web.db" "SELECT id FROM campaigns WHERE name = 'Bench web'")
sqlite3 "$work/web.db" "INSERT INTO users (name, role, password_hash, created_at) VALUES ('bench-manager', 'manager', '!', 0);
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $agents)
  INSERT INTO users (name, role, password_hash, created_at) SELECT 'webagent' || i, 'agent', '!', 0 FROM n;"
manager=$(sqlite3 "$work/web.db" "SELECT id FROM users WHERE name = 'bench-manager'")
first=$(sqlite3 "$work/web.db" "SELECT id FROM users WHERE name = 'webagent1'")
(cd "$work" && "$L" setup 1 "$manager" | sqlite3 web.db && mv web_load.tokens manager.tokens &&
  "$L" setup "$agents" "$first" | sqlite3 web.db)
read -r mtoken _ <"$work/manager.tokens"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$T" serve --listen "127.0.0.1:$port" --threads "${THREADS:-4}" --max-connections $((agents + 100)) \
  --max-per-ip $((agents + 100)) --timeout 120 2>"$work/serve.log" &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.1; done

echo "web bench: $(nproc) cores; $calls calls in 20 campaigns; server with ${THREADS:-4} threads"
dash="/dashboard?campaign=Campagne%201"
kpi="/api/v1/kpi?campaign=Campagne%201&by=hour"
# load PORT PATH CONNECTIONS [LABEL]: wrk on the server at PORT for 10 s, one line.
load() {
  wrk -t 2 -c "$3" -d 10s --latency -H "Cookie: tp_session=$mtoken" "http://127.0.0.1:$1$2" >"$work/wrk.txt"
  p50=$(awk '$1 == "50%" {print $2}' "$work/wrk.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.txt")
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$work/wrk.txt")
  echo "GET $2, $3 connections${4:+ ($4)}: p50 $p50, p99 $p99, $rps requests/s${non2xx:+, $non2xx non-2xx answers}"
}
# Two managers at once (a request per core), then eight (requests queue behind each other).
for path in "$dash" "$kpi"; do
  for c in 2 8; do
    load "$port" "$path" "$c"
  done
done
peer=$(median_ms "$T" kpi --campaign "Campagne 1" --by hour --format json)
echo "peer: telepro kpi --campaign 'Campagne 1' --by hour (a new process, same database): median $peer ms"

# What a dashboard costs to compute (every page a miss: a campaign whose counters change
# between two pages): a second server on the same database without the memo (docs/KPI.md).
port2=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
TELEPRO_NO_MEMO=1 "$T" serve --listen "127.0.0.1:$port2" --threads "${THREADS:-4}" 2>"$work/serve2.log" &
server2=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port2/api/v1/health" >/dev/null && break; sleep 0.1; done
load "$port2" "$dash" 2 "nothing kept: each page computed"
kill -TERM "$server2"; wait "$server2" || true; server2=

(cd "$work" && "$L" run 127.0.0.1 "$port" "$campaign" "$agents" 3000 "$seconds") || rc=$?
# The same agents again while managers watch the dashboard of the campaign they call (its
# counters change with every call: most pages are computed again, on the report workers):
# eight managers reloading it every second, then two reloading it as fast as they can.
for watch in paced hammer; do
  (cd "$work" && "$L" run 127.0.0.1 "$port" "$campaign" "$agents" 3000 25 >"$work/agents2.txt") &
  agents2=$!
  sleep 4
  if [ "$watch" = paced ]; then
    echo "GET /dashboard?campaign=Bench%20web, 8 managers each every second, while its $agents agents call:" \
      "$(python3 "$here/paced.py" "$port" "/dashboard?campaign=Bench%20web" "$mtoken" 8 1 15)"
  else
    load "$port" "/dashboard?campaign=Bench%20web" 2 "while its $agents agents call"
  fi
  wait "$agents2" || rc=$?
  sed 's/^/  the agents beside it: /' "$work/agents2.txt"
done
echo "server peak memory: $(awk '/VmHWM/ {printf "%.1f MB", $2 / 1024}' "/proc/$server/status")"
kill -TERM "$server"; wait "$server" || true; server=
exit "${rc:-0}"

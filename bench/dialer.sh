#!/usr/bin/env bash
# bench/dialer.sh BUILD: AGENTS agents (default 100) dialing progressively on one server for
# MINUTES (default 5), SIPp playing their phones and the prospects (bench/sip/prospects.xml:
# 30 % answer after 3-8 s and talk 30-300 s, 20 % busy, 50 % ring until Telepro cancels at
# 25 s). Each agent saves a conversation's outcome as soon as it ends (bench/dialer_drive.py).
# Measured: the time from "agent saves the call" to the next INVITE sent (p50, p99), from a
# prospect's 200 to its ACK (Telepro has put the agent's phone on its media in between:
# SIPp's response time, p50, p99), errors, the server's CPU time and peak memory; then the
# same afternoon simulated with manual dialing (15 s to dial by hand, the same ring and talk
# times) beside the conversations per agent-hour measured (bench/README.md).
set -euo pipefail
build=$1
T=$(cd "$build" && pwd)/telepro
L=$(cd "$build" && pwd)/bench/web_load
here=$(cd "$(dirname "$0")" && pwd)
agents=${AGENTS:-100}
minutes=${MINUTES:-5}
command -v sipp >/dev/null || { echo "dialer bench: sipp is missing (scripts/deps.sh bench)"; exit 1; }
ulimit -n 8192
mkdir -p "$here/out"
work=$(mktemp -d "$here/out/dialer.XXXXXX")
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
free_port() {
  python3 -c 'import socket,sys; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM if sys.argv[1]=="udp" else socket.SOCK_STREAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' "$1"
}
phones=$(free_port udp); prospects=$(free_port udp); sip=$(free_port udp); web=$(free_port tcp)

export TELEPRO_DB="sqlite:$work/dialer.db"
"$T" init >/dev/null
"$T" campaign add "Bench dial" --kind appointment --audience b2b --window "mon-sun 00:00-24:00" \
  --block "mon-sun 00:00-24:00" --dialing progressive --caller-id "01 62 00 00 01" --max-attempts 50 >/dev/null
# Numbers in random order, as a real file has them (never sequential ids for the store).
python3 - "$work/prospects.csv" <<'PY'
import random, sys
random.seed(23)
nums = random.sample(range(10000000, 100000000), 40000)
with open(sys.argv[1], "w") as f:
    f.write("company;last_name;phone\n")
    for i, n in enumerate(nums):
        f.write(f"Société {i};Nom{i};04 {str(n)[:2]} {str(n)[2:4]} {str(n)[4:6]} {str(n)[6:8]}\n")
PY
"$T" import prospects "$work/prospects.csv" --campaign "Bench dial" >/dev/null 2>&1 || true
campaign=$(sqlite3 "$work/dialer.db" "SELECT id FROM campaigns WHERE name = 'Bench dial'")
sqlite3 "$work/dialer.db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $agents)
  INSERT INTO users (name, role, password_hash, created_at, phone)
  SELECT 'dialagent' || i, 'agent', '!', 0, 'sip:' || (200 + i) || '@127.0.0.1:$phones' FROM n;"
first=$(sqlite3 "$work/dialer.db" "SELECT id FROM users WHERE name = 'dialagent1'")
(cd "$work" && "$L" setup "$agents" "$first" | sqlite3 dialer.db)
cat >"$work/sip.conf" <<CONF
[sip]
register = no
uri = sip:{e164}@127.0.0.1:$prospects
local = 127.0.0.1:$sip
CONF

sipp -sf "$here/../tests/sip/phone.xml" -i 127.0.0.1 -p "$phones" -l 100000 -nostdin >/dev/null 2>&1 &
pids+=($!)
(cd "$work" && sipp -sf "$here/sip/prospects.xml" -i 127.0.0.1 -p "$prospects" -l 100000 -nostdin \
  -trace_rtt -rtt_freq 1 >/dev/null 2>&1) &
pids+=($!)
"$T" serve --listen "127.0.0.1:$web" --threads 4 --max-per-ip $((agents + 50)) --sip-config "$work/sip.conf" \
  2>"$work/serve.log" &
server=$!
pids+=("$server")
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$web/api/v1/health" >/dev/null && break; sleep 0.1; done

echo "dialer bench: $(nproc) cores; $agents agents dialing progressively for $minutes min"
result=$(python3 "$here/dialer_drive.py" 127.0.0.1 "$web" "$campaign" "$work/web_load.tokens" $((minutes * 60)))
echo "agents: $result"
read -r utime stime < <(awk '{print $14, $15}' "/proc/$server/stat")
echo "server: CPU $(( (utime + stime) / $(getconf CLK_TCK) )) s over $((minutes * 60)) s; peak memory" \
  "$(awk '/VmHWM/ {printf "%.1f MB", $2 / 1024}' "/proc/$server/status")"
kill -TERM "$server"; wait "$server" || true
# SIPp's response times (the prospect's 200 to its ACK), in ms.
python3 - "$work" <<'PY'
import glob, sys
vals = []
for f in glob.glob(sys.argv[1] + "/*_rtt.csv"):
    for line in open(f):
        parts = line.strip().split(";")
        if len(parts) >= 3 and parts[-1].replace(".", "", 1).isdigit():
            vals.append(float(parts[-1]))
vals.sort()
q = lambda p: vals[min(len(vals) - 1, int(p * len(vals)))] if vals else None
print(f"answer to joined (200 sent to ACK received, SIPp): n {len(vals)}, p50 {q(0.5)} ms, p99 {q(0.99)} ms")
PY
# What the afternoon gave, and the same afternoon dialed by hand (simulated).
python3 - "$work/dialer.db" "$agents" "$minutes" <<'PY'
import random, sqlite3, sys
db, agents, minutes = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
c = sqlite3.connect(db)
calls, convs = c.execute("SELECT COUNT(*), SUM(result = 'conversation') FROM calls").fetchone()
hours = agents * minutes / 60
print(f"progressive: {calls} calls, {convs} conversations: {convs / hours:.2f} conversations per agent-hour")
random.seed(1)
def attempt():
    d = random.random()
    if d < 0.2:
        return 1.0, 0.0                 # busy: a second of ringing
    if d < 0.7:
        return 25.0, 0.0                # rings out
    return random.uniform(3, 8), random.uniform(30, 300)
total = 0
for _ in range(agents):
    t, n = 0.0, 0
    while True:
        ring, talk = attempt()
        t += 15 + ring + talk             # dialed by hand
        if t > minutes * 60:
            break
        n += talk > 0
    total += n
print(f"manual (simulated): {total / hours:.2f} conversations per agent-hour;"
      f" progressive / manual = {(convs / hours) / max(total / hours, 1e-9):.2f}")
PY

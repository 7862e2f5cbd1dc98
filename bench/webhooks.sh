#!/usr/bin/env bash
# make bench: 10,000 webhook deliveries (docs/WEBHOOKS.md) to a local receiver, and the
# calling desk's latency beside them: AGENTS simulated agents (default 100, bench/web_load)
# on the desk for SECONDS_LOAD seconds without deliveries, then again while the worker
# sends the 10,000 (written straight into the outbox), in the same run.
set -euo pipefail
build=${1:-build-bench}
T=$(cd "$build" && pwd)/telepro
L=$(cd "$build" && pwd)/bench/web_load
here=$(cd "$(dirname "$0")" && pwd)
out="$here/out"
agents=${AGENTS:-100}
seconds=${SECONDS_LOAD:-20}
deliveries=${DELIVERIES:-10000}
mkdir -p "$out"
work=$(mktemp -d "$out/webhooks.XXXXXX")
server= receiver=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; [ -n "$receiver" ] && kill "$receiver" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
export TELEPRO_DB="sqlite:$work/hooks.db"
"$T" init >/dev/null
"$T" campaign add "Bench hooks" --kind appointment --window "mon-sun 00:00-24:00" --max-attempts 50 >/dev/null
"$here/gen_prospects.sh" 100000 >"$work/prospects.csv"
"$T" import prospects "$work/prospects.csv" --campaign "Bench hooks" >/dev/null 2>&1 || true
campaign=$(sqlite3 "$work/hooks.db" "SELECT id FROM campaigns WHERE name = 'Bench hooks'")
sqlite3 "$work/hooks.db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $agents)
  INSERT INTO users (name, role, password_hash, created_at) SELECT 'webagent' || i, 'agent', '!', 0 FROM n;"
first=$(sqlite3 "$work/hooks.db" "SELECT id FROM users WHERE name = 'webagent1'")
(cd "$work" && "$L" setup "$agents" "$first" | sqlite3 hooks.db)

# The receiver: answers 200 at once, counts the bench's deliveries (the desk's calls are
# delivered too, as call.logged: the outbox is written with each of them).
rport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 - "$rport" >"$work/receiver.log" 2>&1 <<'PY' &
import http.server, sys, threading
count = 0
lock = threading.Lock()
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        global count
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("X-Telepro-Event") == "test":   # the bench's own, not the desk's calls
            with lock:
                count += 1
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
    def do_GET(self):
        body = str(count).encode()
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
receiver=$!
"$T" webhook add "http://127.0.0.1:$rport/hook" --events call.logged >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$T" serve --listen "127.0.0.1:$port" --threads 4 --max-connections $((agents + 100)) --max-per-ip $((agents + 100)) \
  --timeout 120 2>"$work/serve.log" &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.1; done
echo "webhooks bench: $(nproc) cores; $agents agents on the desk for ${seconds}s, without then with $deliveries deliveries"
echo "desk alone:"
(cd "$work" && "$L" run 127.0.0.1 "$port" "$campaign" "$agents" 3000 "$seconds") | sed 's/^/  /'
got0=$(curl -s "http://127.0.0.1:$rport/count")
now=$(date +%s)
sqlite3 "$work/hooks.db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $deliveries)
  INSERT INTO webhook_deliveries (hook_id, event, body, created_at, next_at)
  SELECT 1, 'test', '{\"event\":\"test\",\"n\":' || i || ',\"campaign\":\"Bench hooks\"}', $now, 0 FROM n;"
start=$(date +%s%N)
echo "desk while $deliveries deliveries go:"
(cd "$work" && "$L" run 127.0.0.1 "$port" "$campaign" "$agents" 3000 "$seconds") | sed 's/^/  /' &
load=$!
target=$((got0 + deliveries))
while [ "$(curl -s "http://127.0.0.1:$rport/count")" -lt "$target" ]; do sleep 0.1; done
end=$(date +%s%N)
wait "$load"
awk -v n="$deliveries" -v ms=$(((end - start) / 1000000)) 'BEGIN { printf "%d deliveries in %.1f s: %.0f a second\n", n, ms / 1000, n * 1000 / ms }'

#!/usr/bin/env bash
# PostgreSQL restarted under load: agents keep calling through `telepro serve` while the
# database stops and starts again. During the outage every request is answered 503 with
# Retry-After (never a 500, never a hang); afterwards the server has reconnected by
# itself; every call the server acknowledged (201) is in the database, once. Runs on the
# PostgreSQL pass of make check only (its own throw-away cluster); skipped on SQLite.
set -uo pipefail
T=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/tests/lib.sh"
[ "$TEST_BACKEND" = pg ] || { echo "pg_restart: PostgreSQL only (skipped)"; exit 77; }
work=$(mktemp -d /tmp/telepro-pgr.XXXXXX)
pgdir=$(mktemp -d /tmp/telepro-pgr-db.XXXXXX)   # its own: the cluster's owner must reach it
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null
  "$root/scripts/pg.sh" stop "$pgdir" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
pass=0 fail=0
expect_eq() { if [ "$2" == "$3" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1: expected [$2], got [$3]"; fi; }

"$root/scripts/pg.sh" start "$pgdir" >/dev/null || { echo "FAIL: no cluster"; exit 1; }
export TELEPRO_DB
TELEPRO_DB=$("$root/scripts/pg.sh" createdb "$pgdir" restart)
"$T" init >/dev/null
for a in ana bob; do printf 'pw-%s-12345\n' $a | "$T" user add $a --role agent --password-stdin >/dev/null; done
"$T" campaign add R --window "mon-sun 00:00-24:00" --block "mon-sun 00:00-24:00" >/dev/null
python3 -c "
print('nom;telephone')
for i in range(3000):
    print(f'N{i};04 72 {10 + i // 1000:02d} {i // 100 % 10}{i // 10 % 10} {i % 10}0')" >"$work/p.csv"
"$T" import prospects "$work/p.csv" --campaign R >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$T" serve --listen "127.0.0.1:$port" --threads 2 >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null 2>&1 && break; sleep 0.1; done

# Two agents call in a loop; each writes what the server answered. The phases are files:
# the load runs until "$work/stop" exists.
cat >"$work/load.py" <<'PY'
import http.client, json, os, sys, time, uuid
port, agent, work = int(sys.argv[1]), sys.argv[2], sys.argv[3]
def req(method, path, body=None, cookie=None, csrf=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    h = {"Content-Type": "application/json"}
    if cookie: h["Cookie"] = cookie
    if csrf: h["X-CSRF-Token"] = csrf
    c.request(method, path, body=json.dumps(body) if body is not None else None, headers=h)
    r = c.getresponse(); text = r.read().decode(); c.close()
    return r.status, r.getheader("Retry-After"), r.getheader("Set-Cookie"), text
cookie = csrf = None
log = open(os.path.join(work, f"log.{agent}"), "w")
while not os.path.exists(os.path.join(work, "stop")):
    try:
        if not cookie:
            s, ra, sc, t = req("POST", "/api/v1/login", {"login": agent, "password": f"pw-{agent}-12345"})
            log.write(f"login {s} {ra}\n"); log.flush()
            if s == 200:
                cookie, csrf = sc.split(";")[0], json.loads(t)["csrf"]
            else:
                time.sleep(0.2)
            continue
        s, ra, _, t = req("POST", "/api/v1/campaigns/1/next", {}, cookie, csrf)
        log.write(f"next {s} {ra}\n"); log.flush()
        if s != 200 or not json.loads(t).get("lead_id"):
            time.sleep(0.2)
            continue
        key = str(uuid.uuid4())
        body = {"lead_id": json.loads(t)["lead_id"], "result": "no_answer", "idempotency_key": key}
        s, ra, _, t = req("POST", "/api/v1/calls", body, cookie, csrf)
        log.write(f"call {s} {ra} {json.loads(t).get('call_id') if s == 201 else '-'}\n"); log.flush()
    except Exception as e:
        log.write(f"exception {type(e).__name__}\n"); log.flush(); time.sleep(0.2)
PY
loads=
for a in ana bob; do python3 "$work/load.py" "$port" $a "$work" & loads="$loads $!"; done
count() { cat "$work"/log.* 2>/dev/null | grep -c "$1" || true; }
wait_for() { # what pattern at-least: waits (up to 60 s) for a state of the logs
  for _ in $(seq 600); do [ "$(count "$1")" -ge "$2" ] && return 0; sleep 0.1; done; return 1; }
wait_for "^call 201" 20 || echo "FAIL: no calls before the restart"
"$root/scripts/pg.sh" pause "$pgdir"
before=$(count " 503 5")
wait_for " 503 5" $((before + 6)) || echo "FAIL: no 503 during the outage"
"$root/scripts/pg.sh" resume "$pgdir"
after=$(count "^call 201")
wait_for "^call 201" $((after + 20)) || echo "FAIL: no calls after the restart"
touch "$work/stop"
wait $loads
expect_eq "no 500 and no exception, ever" 0 "$(cat "$work"/log.* | grep -c -E ' 500 |exception')"
expect_eq "503s during the outage, with Retry-After" 1 "$([ "$(count ' 503 5')" -ge 6 ] && echo 1)"
grep -h "^call 201" "$work"/log.* | awk '{print $4}' | sort >"$work/acked"
sql "$TELEPRO_DB" "SELECT id FROM calls" | sort >"$work/stored"   # comm: lexical order
expect_eq "every acknowledged call is stored" "" "$(comm -23 "$work/acked" "$work/stored" | head -3)"
expect_eq "and each once" "$(wc -l <"$work/acked")" "$(sort -u "$work/acked" | wc -l)"
expect_eq "the server reconnected by itself" 200 "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/health")"
echo "pg_restart: $pass passed, $fail failed ($(wc -l <"$work/acked") calls acknowledged, $(count ' 503 5') answers 503)"
[ $fail -eq 0 ]

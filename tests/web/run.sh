#!/usr/bin/env bash
# The web tests: a fresh database on the run's backend, users of every role, a campaign
# open at all hours, a prospect file (one row with a script tag for a name); then
# `telepro serve` on a free port of 127.0.0.1 and, against it, either the API tests
# (api_test.py) or the browser tests (browser_test.js, headless Chromium). The server is
# stopped with SIGTERM and must stop cleanly.
# (forms: the same with the demo's campaigns, forms_test.js.)
# Usage: tests/web/run.sh TELEPRO api|browser|forms
set -euo pipefail
T=$1
what=$2
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib.sh"
work=$(mktemp -d /tmp/telepro-web.XXXXXX)
server=
server2=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  [ -n "$server2" ] && kill "$server2" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

export TELEPRO_DB
TELEPRO_DB=$(new_db "web_$what")
"$T" init >/dev/null
for u in ana:agent bob:agent sam:sales mia:manager root:admin; do
  printf '%s\n' "pw-${u%%:*}-12345" | "$T" user add "${u%%:*}" --role "${u#*:}" --password-stdin >/dev/null
done
if [ "$what" = forms ]; then
  "$T" demo --weeks 1 >/dev/null
fi
cat >"$work/script.md" <<'EOF'
# Bonjour {{first_name}} {{last_name}}

Je suis **{{agent}}** et j'appelle **{{company}}**. <script>alert('script')</script>
EOF
"$T" campaign add "Web test" --kind appointment --audience b2b --window "mon-sun 00:00-24:00" \
  --daily-calls 40 --daily-appointments 2 --block "mon-sun 00:00-24:00" --script "$work/script.md" \
  --field "sector=choice:industry|services|retail;Secteur d'activité|Sector" >/dev/null
cat >"$work/prospects.csv" <<'EOF'
company;last_name;first_name;phone;city;sector
<script>alert(1)</script>;Durand;Anne;04 78 12 34 01;Lyon;industry
Boulangerie Martin;Martin;Paul;04 78 12 34 02;Villeurbanne;retail
Garage du Parc;Petit;Luc;04 78 12 34 03;Bron;services
Imprimerie Roux;Roux;Marie;04 78 12 34 04;Lyon;industry
Cabinet Faure;Faure;Jean;04 78 12 34 05;Vénissieux;services
Transports Blanc;Blanc;Sophie;04 78 12 34 06;Lyon;retail
Menuiserie Girard;Girard;Hugo;04 78 12 34 07;Caluire;industry
EOF
"$T" import prospects "$work/prospects.csv" --campaign "Web test" >/dev/null

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$T" serve --listen "127.0.0.1:$port" --threads 2 --max-per-ip 200 >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null 2>&1 && break
  sleep 0.1
done

rc=0
case "$what" in
  api)
    # A second server on the same database: sessions live in the database, so a login on
    # one is a session on the other (servers behind a load balancer).
    port2=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "$T" serve --listen "127.0.0.1:$port2" --threads 1 --trust-proxy 127.0.0.5/32 \
      --header-timeout 2 >"$work/serve2.log" 2>&1 &
    server2=$!
    for _ in $(seq 100); do
      curl -sf "http://127.0.0.1:$port2/api/v1/health" >/dev/null 2>&1 && break
      sleep 0.1
    done
    "$T" serve --routes >"$work/routes.txt"
    python3 "$here/api_test.py" "http://127.0.0.1:$port" "$T" "$work" "$port2" || rc=$?
    kill -TERM "$server2"; wait "$server2" || { echo "FAIL: the second server did not exit 0"; rc=1; }
    server2=
    ;;
  browser)
    "$here/setup.sh" >/dev/null
    out=${TELEPRO_WEB_ARTEFACTS:-$(pwd)/web-artefacts}
    mkdir -p "$out"
    TELEPRO_BIN=$T node "$here/browser_test.js" "http://127.0.0.1:$port" "$out" || rc=$?
    ;;
  forms)
    "$here/setup.sh" >/dev/null
    out=${TELEPRO_WEB_ARTEFACTS:-$(pwd)/web-artefacts}
    mkdir -p "$out"
    node "$here/forms_test.js" "http://127.0.0.1:$port" "$out" || rc=$?
    ;;
  *) echo "usage: $0 TELEPRO api|browser|forms" >&2; exit 2 ;;
esac

# SIGTERM: the server finishes what is under way and says so.
kill -TERM "$server"
if ! wait "$server"; then
  echo "FAIL: telepro serve did not exit 0 after SIGTERM"; rc=1
fi
server=
grep -q '^serve: stopped' "$work/serve.log" || { echo "FAIL: no 'serve: stopped' in the log"; rc=1; }
if [ "$rc" -ne 0 ]; then
  echo "--- server log (last 40 lines)"; tail -n 40 "$work/serve.log"
fi
exit "$rc"

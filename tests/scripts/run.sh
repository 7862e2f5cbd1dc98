#!/usr/bin/env bash
# Scripts compared (docs/SCRIPTS.md): a campaign with two script variants driven through
# the API as the desk drives it, with planted effects; ab_test.py checks the comparison,
# page_test.js the campaign page and the dashboard in a browser.
# Usage: tests/scripts/run.sh TELEPRO
set -euo pipefail
T=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/telepro-scripts.XXXXXX)
source "$here/../lib.sh"
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null
  if [ -n "${TELEPRO_TEST_KEEP:-}" ]; then echo "kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

export TELEPRO_DB
TELEPRO_DB=$(new_db scripts)
"$T" init >/dev/null
for u in ana:agent leo:agent mia:manager sam:sales; do
  printf '%s\n' "pw-${u%%:*}-12345" | "$T" user add "${u%%:*}" --role "${u#*:}" --password-stdin >/dev/null
done
"$T" campaign add "AB test" --kind appointment --audience b2b --window "mon-sun 00:00-24:00" --call-length 5m >/dev/null
"$T" campaign add "Conso" --kind appointment --audience b2c --region FR --timezone Europe/Paris >/dev/null
python3 - "$work/prospects.csv" <<'PY'
import random, sys
r = random.Random(7)
numbers = r.sample(range(10000000, 99999999), 1800)   # keys in random order
with open(sys.argv[1], "w") as f:
    f.write("company;last_name;phone\n")
    for n in numbers:
        f.write(f"Société {n};Nom{n % 997};01{n:08d}\n")
PY
"$T" import prospects "$work/prospects.csv" --campaign "AB test" >/dev/null

start_server "$T" "$work/serve.log"
rc=0
python3 "$here/ab_test.py" "http://127.0.0.1:$web" "$T" "$work" || rc=$?
# The campaign page and the dashboard in a browser, on what ab_test.py left.
"$here/../web/setup.sh" >/dev/null
out=${TELEPRO_WEB_ARTEFACTS:-$work}
mkdir -p "$out"
node "$here/page_test.js" "http://127.0.0.1:$web" "$out" "$T" || rc=$?
kill -TERM "$server"; wait "$server" || { echo "FAIL: the server did not exit 0"; rc=1; }
server=
[ $rc -eq 0 ] || tail -20 "$work/serve.log"
exit $rc

#!/usr/bin/env bash
# Webhooks (docs/WEBHOOKS.md): webhooks_test.py runs a local receiver (it fails the first two
# attempts of each delivery and checks every signature) and the server itself, then drives
# the events through the API and the CLI; kill -9 between an event's commit and its
# delivery loses nothing.
# Usage: tests/webhooks/run.sh TELEPRO
set -euo pipefail
T=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/telepro-webhooks.XXXXXX)
source "$here/../lib.sh"
trap 'if [ -n "${TELEPRO_TEST_KEEP:-}" ]; then echo "kept: $work"; else rm -rf "$work"; fi' EXIT
export TELEPRO_DB
TELEPRO_DB=$(new_db webhooks)
"$T" init >/dev/null
for u in ada:admin mia:manager ana:agent sam:sales; do
  printf '%s\n' "pw-${u%%:*}-12345" | "$T" user add "${u%%:*}" --role "${u#*:}" --password-stdin >/dev/null
done
"$T" campaign add Hooks --kind appointment --window "mon-sun 00:00-24:00" >/dev/null
printf 'company;last_name;phone\nUn;Martin;04 78 10 00 01\nDeux;Durand;04 78 10 00 02\nTrois;Petit;04 78 10 00 03\n' \
  >"$work/p.csv"
"$T" import prospects "$work/p.csv" --campaign Hooks >/dev/null
rc=0
python3 "$here/webhooks_test.py" "$T" "$work" || rc=$?
# The admin page in a browser.
start_server "$T" "$work/serve.log"
"$here/../web/setup.sh" >/dev/null
out=${TELEPRO_WEB_ARTEFACTS:-$work}
mkdir -p "$out"
node "$here/page_test.js" "http://127.0.0.1:$web" "$out" || rc=$?
kill -TERM "$server"; wait "$server" || { echo "FAIL: the server did not exit 0"; rc=1; }
exit $rc

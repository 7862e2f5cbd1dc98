#!/usr/bin/env bash
# Calendars (docs/CALENDARS.md): appointments booked at the desk, then read back as a
# calendar would, with Debian's python3-icalendar (calendar_test.py): the CLI's .ics, one
# appointment's download, and a sales person's private feed (made, replaced, revoked; a
# cancelled appointment updated in place); page_test.js: the feed's link on "My account".
# Usage: tests/calendar/run.sh TELEPRO
set -euo pipefail
T=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/telepro-calendar.XXXXXX)
source "$here/../lib.sh"
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null
  if [ -n "${TELEPRO_TEST_KEEP:-}" ]; then echo "kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
/usr/bin/python3 -c 'import icalendar' 2>/dev/null ||
  { echo "FAIL: Debian's python3-icalendar is not installed (scripts/deps.sh check)"; exit 1; }

export TELEPRO_DB
TELEPRO_DB=$(new_db calendar)
"$T" init >/dev/null
for u in ana:agent sam:sales zed:sales mia:manager ada:admin; do
  printf '%s\n' "pw-${u%%:*}-12345" | "$T" user add "${u%%:*}" --role "${u#*:}" --password-stdin >/dev/null
done
"$T" campaign add "Rdv Lyon" --kind appointment --window "mon-sun 00:00-24:00" --timezone Europe/Paris >/dev/null
"$T" campaign add "Rdv Cayenne" --kind appointment --window "mon-sun 00:00-24:00" --timezone America/Cayenne \
  --region GF >/dev/null
printf 'company;last_name;first_name;phone;address;postcode;city\n%s\n%s\n%s\n' \
  "Solaire, SARL;Martin;Jean;04 78 10 00 01;12 rue de la Paix;69001;Lyon" \
  "Durand;Durand;Ana;04 78 10 00 02;;;" \
  "Zed SA;Zola;Émile;04 78 10 00 03;1 place Bellecour;69002;Lyon" >"$work/lyon.csv"
"$T" import prospects "$work/lyon.csv" --campaign "Rdv Lyon" >/dev/null
printf 'company;last_name;phone;city\nGuyane Bois;Lapierre;05 94 30 00 01;Cayenne\n' >"$work/cayenne.csv"
"$T" import prospects "$work/cayenne.csv" --campaign "Rdv Cayenne" >/dev/null
# Three of sam's (winter and summer in Lyon, one in Cayenne), one of zed's.
book() { # CAMPAIGN WHEN SALES NOTE
  local lead
  lead=$("$T" next --agent ana --campaign "$1" --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["lead_id"])')
  "$T" call log --agent ana --lead "$lead" --result conversation --outcome appointment --talk 5m \
    --appointment-at "$2" --sales "$3" --note "$4" --confirm --format json |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["appointment_id"])'
}
a1=$(book "Rdv Lyon" "2027-01-11 10:00" sam "toit plein sud; 2 pans, à voir")
a2=$(book "Rdv Lyon" "2027-07-05 14:30" sam "rappeler avant")
a3=$(book "Rdv Lyon" "2027-01-12 09:00" zed "")
a4=$(book "Rdv Cayenne" "2027-01-13 10:00" sam "")
echo "$a1 $a2 $a3 $a4" >"$work/appointments"

start_server "$T" "$work/serve.log"
rc=0
/usr/bin/python3 "$here/calendar_test.py" "http://127.0.0.1:$web" "$T" "$work" || rc=$?
"$here/../web/setup.sh" >/dev/null
out=${TELEPRO_WEB_ARTEFACTS:-$work}
mkdir -p "$out"
node "$here/page_test.js" "http://127.0.0.1:$web" "$out" || rc=$?
kill -TERM "$server"; wait "$server" || { echo "FAIL: the server did not exit 0"; rc=1; }
server=
[ $rc -eq 0 ] || tail -20 "$work/serve.log"
exit $rc

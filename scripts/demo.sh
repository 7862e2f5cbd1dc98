#!/bin/sh
# make run: a demo database (deterministic, seed 7), a password for one demo user per role,
# then the web server on http://127.0.0.1:8080/ until Ctrl-C.
set -eu
telepro=$1
db=$2
listen=${LISTEN:-127.0.0.1:8080}
export TELEPRO_DB="sqlite:$db"
rm -f "$db" "$db-wal" "$db-shm"
"$telepro" init
"$telepro" demo --seed 7
"$telepro" campaign add "Prospects Lyon (exemple)" --kind appointment --audience b2b --timezone Europe/Paris \
  --daily-calls 40 --block 14:00-16:00 \
  --script examples/script-rdv.md \
  >/dev/null
"$telepro" import prospects examples/prospects.csv --campaign "Prospects Lyon (exemple)" || true
# Demo users come without a usable password; these are for this demo database only.
for pair in alice:agent-demo-2026 nadia:manager-demo-2026 sophie:sales-demo-2026; do
  printf '%s\n' "${pair#*:}" | "$telepro" user passwd "${pair%%:*}" --password-stdin >/dev/null
done
printf '%s\n' admin-demo-2026 | "$telepro" user add admin --role admin --password-stdin >/dev/null
cat <<EOT

Telepro is starting on http://$listen/ (demo database $db). Sign in as:

  role      login    password
  agent     alice    agent-demo-2026      calling desk
  manager   nadia    manager-demo-2026    dashboard, team screen, campaigns
  sales     sophie   sales-demo-2026      appointments
  admin     admin    admin-demo-2026      users

Leads are offered inside each campaign's calling windows (Paris time). The command line
works on the same database: TELEPRO_DB=sqlite:$db $telepro kpi --by agent
Ctrl-C stops the server.

EOT
exec "$telepro" serve --listen "$listen"

#!/bin/sh
# make run: a demo database with a campaign and the sample prospect file, then what to try.
# (Until the web server lands, this is the CLI tour.)
set -eu
telepro=$1
db=$2
export TELEPRO_DB="sqlite:$db"
rm -f "$db" "$db-wal" "$db-shm"
"$telepro" init
"$telepro" campaign add "Salon Lyon 2027" --kind event --audience b2b --timezone Europe/Paris \
  --daily-calls 40 --block 14:00-16:00 >/dev/null
"$telepro" campaign add "RDV PME Rhône" --kind appointment --audience b2b --call-length 5m \
  --daily-calls 40 --daily-appointments 2 --block 09:30-11:30 --block 14:00-16:00 >/dev/null
"$telepro" import prospects examples/prospects.csv --campaign "Salon Lyon 2027" || true
"$telepro" import prospects examples/crm-export.csv --campaign "RDV PME Rhône" --mapping examples/crm.mapping || true
cat <<EOT

Demo database: $db (TELEPRO_DB=sqlite:$db). Try:

  export TELEPRO_DB=sqlite:$db
  $telepro campaign list
  $telepro campaign show "Salon Lyon 2027" --format json
  $telepro export prospects --campaign "Salon Lyon 2027" --format csv
  $telepro import prospects examples/prospects.csv --campaign "Salon Lyon 2027" --format json   # 0 imported: all duplicates
  $telepro campaign set "RDV PME Rhône" --daily-calls 50 --block "mon-fri 14:00-16:00"
  echo 'motdepasse-demo' | $telepro user add alice --role agent --password-stdin
  $telepro import dnc examples/opposition.txt --source bloctel
  $telepro --help
EOT

#!/bin/sh
# make run: a demo database with a campaign and the sample prospect file, then what to try.
# (Until the web server lands, this is the CLI tour.) The demo data is deterministic (seed 7).
set -eu
telepro=$1
db=$2
export TELEPRO_DB="sqlite:$db"
rm -f "$db" "$db-wal" "$db-shm"
"$telepro" init
"$telepro" demo --seed 7
"$telepro" campaign add "Prospects Lyon (exemple)" --kind appointment --audience b2b --timezone Europe/Paris \
  --daily-calls 40 --block 14:00-16:00 >/dev/null
"$telepro" import prospects examples/prospects.csv --campaign "Prospects Lyon (exemple)" || true
cat <<EOT

Demo database: $db (TELEPRO_DB=sqlite:$db). Try:

  export TELEPRO_DB=sqlite:$db
  $telepro campaign list
  $telepro kpi --by agent                              # bruno books many appointments: look at sales
  $telepro kpi --campaign "RDV PME Rhône" --by hour    # the best calling hours, with intervals
  $telepro kpi --campaign "RDV PME Rhône" --by block --format json
  $telepro appointment list --sales sophie
  $telepro session start --agent alice --campaign "Prospects Lyon (exemple)"
  $telepro next --agent alice --campaign "Prospects Lyon (exemple)"
  $telepro call log --agent alice --lead LEAD --result conversation --outcome hot_medium --talk 240
  $telepro session stop --agent alice
  $telepro export prospects --campaign "Prospects Lyon (exemple)" --format csv
  $telepro import dnc examples/opposition.txt --source bloctel
  $telepro --help
EOT

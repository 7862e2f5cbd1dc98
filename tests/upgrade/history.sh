#!/usr/bin/env bash
# The history every upgrade fixture holds: run by tests/upgrade/make.sh with the telepro of
# an earlier schema version (so only commands and options every version has), in the
# directory of prospects.csv, on TELEPRO_DB. A day and a half of a small team's work:
# users, a campaign, a file, sessions, calls of every kind, an appointment won and one
# lost, a callback, an opposition list.
set -euo pipefail
T=$1
export TELEPRO_NOW=1796144400   # 2026-12-01 18:00 in Paris
"$T" init >/dev/null
for u in alice:agent bruno:agent sophie:sales nadia:manager; do
  echo "password-${u%%:*}" | "$T" user add "${u%%:*}" --role "${u##*:}" --password-stdin >/dev/null
done
"$T" campaign add "RDV PME" --kind appointment --audience b2b --daily-calls 40 >/dev/null
"$T" import prospects prospects.csv --campaign "RDV PME" >/dev/null
"$T" session start --agent alice --campaign "RDV PME" --at 2026-12-01T09:00 >/dev/null
"$T" call log --agent alice --lead 1 --result conversation --outcome appointment --talk 420 --appointment-at 2026-12-03T10:00 --sales sophie --note "veut une démo" --at 2026-12-01T09:03 >/dev/null
"$T" call log --agent alice --lead 2 --result no_answer --ring 25 --at 2026-12-01T09:12 >/dev/null
"$T" call log --agent alice --lead 3 --result conversation --outcome callback --callback-at 2026-12-01T14:30 --talk 60 --at 2026-12-01T09:14 >/dev/null
"$T" call log --agent alice --lead 4 --result conversation --outcome do_not_call --talk 20 --at 2026-12-01T09:17 >/dev/null
"$T" call log --agent alice --lead 5 --result wrong_number --ring 5 --at 2026-12-01T09:19 >/dev/null
"$T" session stop --agent alice --at 2026-12-01T09:45 >/dev/null
"$T" session start --agent bruno --campaign "RDV PME" --at 2026-12-01T14:20 >/dev/null
"$T" call log --agent bruno --lead 3 --result conversation --outcome sale --talk 600 --at 2026-12-01T14:35 >/dev/null
"$T" call log --agent bruno --lead 6 --result busy --at 2026-12-01T14:50 >/dev/null
"$T" call log --agent bruno --lead 7 --result conversation --outcome appointment --talk 300 --appointment-at 2026-12-04T11:00 --sales sophie --at 2026-12-01T15:10 >/dev/null
"$T" call log --agent bruno --lead 2 --result conversation --outcome hot_medium --talk 240 --at 2026-12-01T15:40 >/dev/null
"$T" session stop --agent bruno --at 2026-12-01T16:00 >/dev/null
"$T" appointment result 1 --status held --relevant yes --result won --amount 1200.50 >/dev/null
"$T" appointment result 2 --status held --relevant no --result lost >/dev/null
printf '+33100000000\n+33142685306\n' >dnc.txt
"$T" import dnc dnc.txt --source internal >/dev/null
rm -f dnc.txt

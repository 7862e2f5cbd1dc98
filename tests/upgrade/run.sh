#!/usr/bin/env bash
# Databases made by every earlier schema version (tests/upgrade/vN.sql, made by make.sh
# with the telepro of that version) upgrade to this one with the same KPIs they reported
# then (vN.kpi); on the PostgreSQL pass, the upgraded database is also restored into
# PostgreSQL, KPIs compared again.
set -uo pipefail
T=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
expect_eq() { if [ "$2" == "$3" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1: expected [$2], got [$3]"; fi; }
kpis() { # URL: the projection of every breakdown the fixtures recorded
  for by in none agent hour outcome day; do
    echo "== $by"
    if [ $by = none ]; then args=(); else args=(--by $by); fi
    "$T" --db "$1" kpi "${args[@]}" --format json | "$here/project.py"
  done
}
latest=$("$T" --db "sqlite:$work/new.db" init | sed 's/.*schema version \([0-9]*\).*/\1/')
for sqlfile in "$here"/v*.sql; do
  v=$(basename "$sqlfile" .sql); v=${v#v}
  db="$work/v$v.db"
  sqlite3 "$db" <"$sqlfile"
  n=$((latest - v)); [ $n -eq 1 ] && word=migration || word=migrations
  expect_eq "v$v: upgraded" "sqlite:$db: schema version $latest ($n $word applied)" \
    "$("$T" --db "sqlite:$db" init)"
  expect_eq "v$v: the same KPIs after the upgrade" "$(cat "$here/v$v.kpi")" "$(kpis "sqlite:$db")"
  expect_eq "v$v: the desk works on it" "1" \
    "$("$T" --db "sqlite:$db" call log --agent alice --lead 6 --result busy --at 2026-12-02T10:00 --format json |
      python3 -c 'import json,sys; print(int(json.load(sys.stdin)["call_id"] > 9))')"
  if [ "$TEST_BACKEND" = pg ]; then
    target=$(new_db "upgrade_v$v")
    "$T" --db "$target" restore "$db" >/dev/null
    expect_eq "v$v: restored into PostgreSQL, the same KPIs" "$(kpis "sqlite:$db")" "$(kpis "$target")"
  fi
done
echo "upgrade: $pass passed, $fail failed"
[ $fail -eq 0 ]

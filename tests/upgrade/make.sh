#!/usr/bin/env bash
# How the upgrade fixtures were made (tests/upgrade/vN.sql and vN.kpi): for each schema
# version, the last commit of this repository where it was the newest is built, runs
# history.sh on a new SQLite database, and the database is dumped as SQL with the KPIs it
# reported then. Run from the repository's root; needs the commits (a full clone).
# Usage: tests/upgrade/make.sh     (rewrites the fixtures; review the diff)
set -euo pipefail
root=$(pwd)
work=$(mktemp -d)
trap 'git worktree prune; rm -rf "$work"' EXIT
# schema version -> the last commit where it was the newest
for pair in 1:3201498 2:95bec55 3:9125399 4:13cc9c9; do
  v=${pair%%:*} c=${pair#*:}
  git worktree add -f "$work/w$v" "$c" >/dev/null 2>&1
  (cd "$work/w$v" && meson setup b --buildtype=release -Dtests=disabled >/dev/null && ninja -C b telepro >/dev/null)
  mkdir -p "$work/g$v" && cp tests/upgrade/prospects.csv "$work/g$v/"
  (cd "$work/g$v" && TELEPRO_DB="sqlite:$work/g$v/v.db" "$root/tests/upgrade/history.sh" "$work/w$v/b/telepro")
  sqlite3 "$work/g$v/v.db" .dump >"tests/upgrade/v$v.sql"
  for by in none agent hour outcome day; do
    echo "== $by"
    if [ $by = none ]; then args=(); else args=(--by $by); fi
    TELEPRO_DB="sqlite:$work/g$v/v.db" "$work/w$v/b/telepro" kpi "${args[@]}" --format json | tests/upgrade/project.py
  done >"tests/upgrade/v$v.kpi"
  git worktree remove --force "$work/w$v"
done

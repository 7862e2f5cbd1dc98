#!/usr/bin/env bash
# Golden tests for `telepro import prospects` and `export prospects`.
#
# Each folder under tests/golden/cases/ is one case:
#   input.csv        the prospect file (any name given in `args` works too)
#   args             extra arguments for the import (optional), one line
#   expected.stdout  the import's JSON summary (--format json)
#   expected.stderr  the rejected rows as FILE:LINE: FIELD: reason (and other messages)
#   expected.rc      exit code (0 when absent)
#   expected.export.csv   (optional) `export prospects --format csv` afterwards; the export
#                    is then imported into a fresh campaign and must export identically
#   reimport.stdout  (optional) the JSON summary of importing the same file a second time
#
# Usage: run.sh TELEPRO [--update]   (--update rewrites the expected files; review the diff)
set -uo pipefail
telepro=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
update=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
source "$here/../lib.sh"
trap 'rm -rf "$work"' EXIT
pass=0 fail=0

check() { # name expected-file actual-file
  if [ "$update" = "--update" ]; then cp "$3" "$2"; return 0; fi
  if ! diff -u "$2" "$3" >"$work/diff"; then
    echo "FAIL $1: $(basename "$2") differs:"; cat "$work/diff"; return 1
  fi
}

for dir in "$here"/cases/*/; do
  name=$(basename "$dir")
  db=$(new_db "$name")
  ok=1
  "$telepro" --db "$db" campaign add Test --kind appointment --audience b2b >/dev/null || ok=0
  args=$(cat "$dir/args" 2>/dev/null || true)
  ( cd "$dir" && eval "\"$telepro\" --db \"$db\" import prospects input.csv --campaign Test --format json $args" ) \
    >"$work/stdout" 2>"$work/stderr"
  echo $? >"$work/rc"
  check "$name" "$dir/expected.stdout" "$work/stdout" || ok=0
  check "$name" "$dir/expected.stderr" "$work/stderr" || ok=0
  if [ -f "$dir/expected.rc" ]; then check "$name" "$dir/expected.rc" "$work/rc" || ok=0
  else [ "$(cat "$work/rc")" = 0 ] || { echo "FAIL $name: exit $(cat "$work/rc")"; ok=0; }; fi
  if [ -f "$dir/expected.export.csv" ]; then
    "$telepro" --db "$db" export prospects --campaign Test --format csv >"$work/export.csv" || ok=0
    check "$name" "$dir/expected.export.csv" "$work/export.csv" || ok=0
    # The export is a prospect file of its own: it imports again to the same data.
    round=$(new_db "$name-round")
    "$telepro" --db "$round" campaign add Round >/dev/null &&
    "$telepro" --db "$round" import prospects "$work/export.csv" --campaign Round \
      >/dev/null 2>"$work/round.err" &&
    "$telepro" --db "$round" export prospects --campaign Round --format csv >"$work/round.csv" ||
      { echo "FAIL $name: round trip import failed"; cat "$work/round.err"; ok=0; }
    if ! cmp -s "$work/export.csv" "$work/round.csv"; then
      echo "FAIL $name: export -> import -> export differs"; diff -u "$work/export.csv" "$work/round.csv"; ok=0
    fi
  fi
  if [ -f "$dir/reimport.stdout" ]; then
    ( cd "$dir" && eval "\"$telepro\" --db \"$db\" import prospects input.csv --campaign Test --format json $args" ) \
      >"$work/stdout2" 2>/dev/null
    check "$name" "$dir/reimport.stdout" "$work/stdout2" || ok=0
  fi
  if [ $ok = 1 ]; then pass=$((pass + 1)); echo "ok   $name"; else fail=$((fail + 1)); fi
done
echo "golden: $pass passed, $fail failed"
[ $fail -eq 0 ]

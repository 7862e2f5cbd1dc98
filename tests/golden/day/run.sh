#!/usr/bin/env bash
# Golden test of a scripted day at the calling desk: runs tests/golden/day/commands on a
# fresh database and compares everything printed (stdout, stderr, exit codes) with
# tests/golden/day/expected.txt. Usage: run.sh TELEPRO [--update]
set -uo pipefail
T=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$here/../../lib.sh"
TELEPRO_DB=$(new_db day)
export TELEPRO_DB
# The day's evening (18:00 in Paris) is "now", whatever the date of the run.
export TELEPRO_NOW=1796144400
cp "$here/prospects.csv" "$here/opposition.txt" "$work/"
cd "$work"
for u in alice:agent bruno:agent sophie:sales; do
  echo "password-$u" | "$T" user add "${u%%:*}" --role "${u##*:}" --password-stdin >/dev/null
done
while IFS= read -r line; do
  case "$line" in ''|'#'*) continue ;; esac
  echo "\$ telepro $line"
  eval "\"$T\" $line" >out.txt 2>err.txt
  rc=$?
  cat out.txt
  sed 's/^/stderr: /' err.txt
  echo "exit $rc"
done < "$here/commands" > actual.txt
if [ "${2:-}" = "--update" ]; then cp actual.txt "$here/expected.txt"; exit 0; fi
if diff -u "$here/expected.txt" actual.txt; then
  echo "day: 1 passed, 0 failed"
else
  echo "day: 0 passed, 1 failed"; exit 1
fi

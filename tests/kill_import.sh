#!/usr/bin/env bash
# An import is one transaction: killed (SIGKILL) or interrupted (SIGINT) half way, it
# leaves the database exactly as it was, and the database stays sound.
set -uo pipefail
T=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
gen=$(cd "$(dirname "$0")/../bench" && pwd)/gen_prospects.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/lib.sh"
cd "$work"
pass=0 fail=0
expect_eq() { if [ "$2" == "$3" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1: expected [$2], got [$3]"; fi; }

rows=60000
"$gen" "$rows" > big.csv
printf 'nom;téléphone\nAvant;04 72 00 11 22\n' > small.csv
TELEPRO_DB=$(new_db k)
export TELEPRO_DB
"$T" campaign add K >/dev/null
"$T" import prospects small.csv --campaign K >/dev/null
"$T" export prospects --campaign K --format csv > before.csv

# Imports big.csv into K and stops it with signal $1 once it reports rows read
# (TELEPRO_PROGRESS_FILE), whatever the load; rc: its exit status.
import_stopped() {
  local sig=$1 pid done_rows
  rm -f progress.txt
  TELEPRO_PROGRESS_FILE=$work/progress.txt "$T" import prospects big.csv --campaign K >out.txt 2>err.txt &
  pid=$!
  for _ in $(seq 1 3000); do
    read -r done_rows 2>/dev/null < progress.txt || done_rows=0
    [ "${done_rows:-0}" -ge 5000 ] && break
    sleep 0.01
  done
  expect_eq "$sig: rows read before the signal" "yes" "$([ "${done_rows:-0}" -ge 5000 ] && echo yes)"
  kill -s "$sig" "$pid" 2>/dev/null
  expect_eq "$sig: signalled while still importing" 0 $?
  wait "$pid"
  rc=$?
}

for sig in KILL INT; do
  import_stopped "$sig"
  if [ "$sig" = KILL ]; then expect_eq "killed" 137 "$rc"
  else
    expect_eq "interrupted rc" 1 "$rc"
    expect_eq "interrupted message" "telepro: interrupted: nothing was imported" "$(tail -n 1 err.txt)"
  fi
  "$T" export prospects --campaign K --format csv > after.csv
  expect_eq "$sig: database unchanged" "$(md5sum < before.csv)" "$(md5sum < after.csv)"
  if [ "$TEST_BACKEND" = sqlite ]; then
    expect_eq "$sig: integrity" "ok" "$(sql "$TELEPRO_DB" 'PRAGMA integrity_check')"
  fi
  expect_eq "$sig: no lead added" "1" "$(sql "$TELEPRO_DB" 'SELECT COUNT(*) FROM leads')"
  expect_eq "$sig: no contact added" "1" "$(sql "$TELEPRO_DB" 'SELECT COUNT(*) FROM contacts')"
done

# A first import into a new database drops indexes (and, on PostgreSQL, foreign keys)
# while its rows go in (store_import.c, fresh_begin, bulk_fresh_begin): stopped half way, it
# leaves them all there and no row.
k_db=$TELEPRO_DB
if [ "$TEST_BACKEND" = sqlite ]; then
  indexes="SELECT group_concat(name) FROM (SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name)"
else
  indexes="SELECT (SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE schemaname = current_schema()) || ' ' || (SELECT string_agg(conname, ',' ORDER BY conname) FROM pg_constraint WHERE contype = 'f')"
fi
for sig in KILL INT; do
  TELEPRO_DB=$(new_db "first$sig")
  "$T" campaign add K >/dev/null
  indexes_before=$(sql "$TELEPRO_DB" "$indexes")
  import_stopped "$sig"
  [ "$TEST_BACKEND" = sqlite ] && expect_eq "$sig, first import: integrity" "ok" "$(sql "$TELEPRO_DB" 'PRAGMA integrity_check')"
  expect_eq "$sig, first import: the indexes are there" "$indexes_before" "$(sql "$TELEPRO_DB" "$indexes")"
  expect_eq "$sig, first import: no contact" 0 "$(sql "$TELEPRO_DB" 'SELECT COUNT(*) FROM contacts')"
done
TELEPRO_DB=$k_db

# And the same import, left alone, completes (the kill was not just a failed import).
expect_eq "full import" "big.csv: $((rows - rows / 1000 - rows / 997)) imported, $((rows / 997)) duplicates, $((rows / 1000)) rejected into K" \
  "$("$T" import prospects big.csv --campaign K 2>/dev/null)"
echo "kill_import: $pass passed, $fail failed"
[ $fail -eq 0 ]

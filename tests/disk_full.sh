#!/usr/bin/env bash
# A full disk (a small tmpfs) during a prospect import and during call logging: a clear
# error, the database exactly as it was, and usable again once there is room. SQLite
# (the database is a file on that disk); skipped where a tmpfs cannot be mounted (not
# root, or a container that forbids it) and on the PostgreSQL pass.
set -uo pipefail
T=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/tests/lib.sh"
[ "$TEST_BACKEND" = sqlite ] || { echo "disk_full: SQLite only (skipped)"; exit 77; }
work=$(mktemp -d)
disk=$work/disk
mkdir -p "$disk"
if ! mount -t tmpfs -o size=3m tmpfs "$disk" 2>/dev/null; then
  rm -rf "$work"; echo "disk_full: no tmpfs can be mounted here (skipped)"; exit 77
fi
trap 'umount "$disk"; rm -rf "$work"' EXIT
pass=0 fail=0
expect_eq() { if [ "$2" == "$3" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1: expected [$2], got [$3]"; fi; }
export TELEPRO_DB=sqlite:$disk/t.db
"$T" campaign add K >/dev/null
printf 'nom;téléphone\nAvant;04 72 00 11 22\nApres;04 72 00 11 23\n' >"$work/small.csv"
"$T" import prospects "$work/small.csv" --campaign K >/dev/null
echo "correct horse" | "$T" user add alice --role agent --password-stdin >/dev/null
"$T" export prospects --campaign K >"$work/before.csv"
kpi_before=$("$T" kpi --format json)

# An import larger than the disk: refused as a whole.
"$root/bench/gen_prospects.sh" 40000 >"$work/big.csv"
"$T" import prospects "$work/big.csv" --campaign K >/dev/null 2>"$work/err"
expect_eq "import on a full disk: exit 1" 1 $?
expect_eq "import on a full disk: said" "telepro: $TELEPRO_DB: database or disk is full: nothing was done; free some space and try again" "$(tail -1 "$work/err")"
"$T" export prospects --campaign K >"$work/after.csv"
expect_eq "import on a full disk: nothing of it stored" "" "$(diff "$work/before.csv" "$work/after.csv")"
expect_eq "the database is sound" "ok" "$(sqlite3 "${TELEPRO_DB#sqlite:}" 'PRAGMA integrity_check')"

# Call logging with the disk filled to the last byte: refused, nothing recorded; with room
# again, the same call goes in.
dd if=/dev/zero of="$disk/filler" bs=64k >/dev/null 2>&1
"$T" call log --agent alice --lead 1 --result busy --at 2026-12-01T10:00 >/dev/null 2>"$work/err"
rc=$?
expect_eq "a call on a full disk: exit 1" 1 $rc
expect_eq "a call on a full disk: said" 1 "$(grep -c 'disk is full' "$work/err")"
rm -f "$disk/filler"
expect_eq "a call on a full disk: nothing recorded" "$kpi_before" "$("$T" kpi --format json)"
expect_eq "with room again, the call goes in" "call 1 recorded" \
  "$("$T" call log --agent alice --lead 1 --result busy --at 2026-12-01T10:00)"
expect_eq "once" 1 "$(sqlite3 "${TELEPRO_DB#sqlite:}" 'SELECT COUNT(*) FROM calls')"
echo "disk_full: $pass passed, $fail failed"
[ $fail -eq 0 ]

#!/usr/bin/env bash
# make check: builds with ASan+UBSan and -Werror, runs the Meson test suites (unit,
# store, CLI) on SQLite, the store and CLI suites again on a throw-away PostgreSQL
# cluster, then each libFuzzer harness briefly, and ends with one line
# "check: N passed, N failed". Exit status 0 only when nothing failed.
set -uo pipefail
build=${1:-build-check}
fuzzbuild=${2:-build-fuzz}
cd "$(dirname "$0")/.."

die() { echo "check: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" --buildtype=debug -Dtests=enabled -Db_sanitize=address,undefined -Db_lundef=false \
    -Dwerror=true >/dev/null || die "meson setup failed"
fi
ninja -C "$build" || die "build failed"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export TELEPRO_SQL_CHECK=1
meson test -C "$build" --print-errorlogs --num-processes 2
meson_rc=$?

# Counts the results of the last meson test run into passed/failed.
count_results() {
  local p f
  read -r p f < <(python3 - "$build/meson-logs/testlog.json" <<'PY'
import json, sys
p = f = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("result") in ("OK", "EXPECTEDFAIL"): p += 1
    elif r.get("result") != "SKIP": f += 1
print(p, f)
PY
) || { p=0; f=1; }
  [ "$1" -ne 0 ] && [ "$f" -eq 0 ] && f=1
  passed=$((passed + p)); failed=$((failed + f))
}
passed=0 failed=0
count_results "$meson_rc"

# The store and CLI suites again on PostgreSQL: a throw-away cluster, started here and
# stopped whatever happens. When it cannot start, that is a failure, said as such.
pgdir=$(mktemp -d /tmp/telepro-pg.XXXXXX)
trap 'scripts/pg.sh stop "$pgdir"' EXIT
if scripts/pg.sh start "$pgdir" >/dev/null; then
  TELEPRO_TEST_BACKEND=pg TELEPRO_TEST_PG=$pgdir \
    meson test -C "$build" --print-errorlogs --num-processes 2 --suite store --suite cli
  count_results $?
else
  echo "check: PostgreSQL could not be started (see above): the PostgreSQL suites did not run"
  failed=$((failed + 1))
fi

# Fuzzing smoke: each harness under ASan+UBSan for a few seconds (make fuzz runs longer).
if [ ! -f "$fuzzbuild/build.ninja" ]; then
  CC=clang CXX=clang++ meson setup "$fuzzbuild" -Dfuzzing=true -Dtests=disabled -Db_lundef=false --buildtype=debugoptimized >/dev/null \
    || die "meson setup of the fuzzing build failed"
fi
if ninja -C "$fuzzbuild" >/dev/null; then
  for h in fuzz_csv fuzz_phone fuzz_mapping fuzz_callmap fuzz_import fuzz_request fuzz_http; do
    if fuzz/run.sh "$fuzzbuild" "${FUZZ_CHECK_SECONDS:-10}" "$h" >"$fuzzbuild/$h.log" 2>&1; then
      echo "fuzz $h: ok"; passed=$((passed + 1))
    else
      echo "fuzz $h: FAILED"; tail -n 40 "$fuzzbuild/$h.log"; failed=$((failed + 1))
    fi
  done
else
  echo "fuzz: build failed"; failed=$((failed + 1))
fi

echo "check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

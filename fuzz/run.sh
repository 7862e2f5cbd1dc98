#!/usr/bin/env bash
# fuzz/run.sh BUILD SECONDS [HARNESS...]: runs each harness for SECONDS on its seed
# corpus (fuzz/seeds/NAME, copied to a scratch corpus so seeds stay as committed).
# Exits non-zero when a harness finds a crash, leak or sanitizer report.
set -euo pipefail
build=$1 seconds=$2; shift 2
here=$(cd "$(dirname "$0")" && pwd)
harnesses=("$@")
[ ${#harnesses[@]} -eq 0 ] && harnesses=(fuzz_csv fuzz_phone fuzz_mapping fuzz_callmap fuzz_import fuzz_sipconf fuzz_request fuzz_http)
for h in "${harnesses[@]}"; do
  corpus="$build/corpus-$h"
  mkdir -p "$corpus"
  seeds="$here/seeds/${h#fuzz_}"
  echo "fuzz: $h for ${seconds}s"
  "$build/fuzz/$h" -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$build/$h-" -print_final_stats=1 "$corpus" "$seeds" 2>&1 | tail -n 15
done

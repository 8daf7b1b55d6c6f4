#!/bin/sh
# Usage: run_fuzz_smoke.sh FUZZER SEED_DIR WORK_CORPUS SECONDS — runs libFuzzer from the seeds for SECONDS
# and prints the number of executions; fails when the fuzzer finds a crash, leak, hang or huge allocation.
set -eu
fuzzer=$1 seeds=$2 corpus=$3 seconds=$4
rm -rf "$corpus"
mkdir -p "$corpus"
cp "$seeds"/* "$corpus"/ 2>/dev/null || true
log=$(mktemp)
status=0
"$fuzzer" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$corpus/" >"$log" 2>&1 || status=$?
grep -E "stat::number_of_executed_units|ERROR|SUMMARY" "$log" || true
if [ "$status" -ne 0 ]; then tail -40 "$log"; fi
rm -f "$log"
exit "$status"

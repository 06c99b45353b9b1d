#!/usr/bin/env bash
# Runs every fuzz target of BUILD_DIR/fuzz for SECONDS each, starting from its seed corpus and what
# earlier runs found (BUILD_DIR/fuzz-corpus/<target>, kept between runs). Prints one line per target
# (runs, execs/s, coverage) and exits 1 if any target found a crash, leak, hang (10 s) or >2 GB;
# the input is left in BUILD_DIR/findings/.
set -uo pipefail
build=${1:?usage: run_fuzzers.sh BUILD_DIR SECONDS}
seconds=${2:?usage: run_fuzzers.sh BUILD_DIR SECONDS}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$build/findings"
failed=0
for binary in "$build"/fuzz/fuzz_*; do
  [ -x "$binary" ] || continue
  target=$(basename "$binary" | sed 's/^fuzz_//')
  work="$build/fuzz-corpus/$target"
  log="$build/findings/$target.log"
  mkdir -p "$work"
  dict=()
  [ -f "$here/dict/$target.dict" ] && dict=(-dict="$here/dict/$target.dict")
  "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$build/findings/$target-" "${dict[@]}" "$work" "$here/corpus/$target" >"$log" 2>&1
  status=$?
  runs=$(grep -oE '^stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$')
  speed=$(grep -oE '^stat::average_exec_per_sec: *[0-9]+' "$log" | grep -oE '[0-9]+$')
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1)
  echo "fuzz $target: ${runs:-?} runs in ${seconds}s, ${speed:-?} execs/s, ${cov:-no coverage line}, exit $status"
  if [ "$status" -ne 0 ]; then
    failed=1
    grep -E "ERROR|SUMMARY|Test unit written|uncaught|invariant" "$log" | head -n 8
  fi
done
[ "$failed" -eq 0 ] || { echo "fuzz: findings above (inputs and logs in $build/findings/)"; exit 1; }

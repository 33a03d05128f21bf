#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang into build-fuzz (ASan + UBSan, the library
# code instrumented too) and runs each for FUZZ_SECONDS (default 30) from its committed seed
# corpus. Fails on any crash, sanitizer report, leak, timeout or out-of-memory; the input
# that caused it is kept in build-fuzz/artifacts/. Writes the executions of every target
# (libFuzzer's final stat::number_of_executed_units) to build-fuzz/fuzz-report.txt.
#
# The committed corpus (fuzz/corpus/<target>) is only read: what a run learns goes to
# build-fuzz/corpus/<target>, which later runs reuse.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
build=$root/build-fuzz
seconds=${FUZZ_SECONDS:-30}
targets=(fuzz_responses fuzz_signer fuzz_capi)

cmake -S . -B "$build" -G Ninja -DDCS_FUZZ=ON -DDCS_WERROR=ON \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DDCS_BUILD_TESTS=OFF -DDCS_BUILD_EXAMPLES=OFF -DDCS_BUILD_CLI=OFF -DDCS_BUILD_EMULATOR=OFF \
  >/dev/null
nice cmake --build "$build" -j2 --target "${targets[@]}"

export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
mkdir -p "$build/artifacts"
report=$build/fuzz-report.txt
printf '%-16s %8s %12s %s\n' target seconds executions result >"$report"
failed=0
for target in "${targets[@]}"; do
  work=$build/corpus/$target
  log=$build/$target.log
  mkdir -p "$work"
  status=ok
  # -timeout: one input may not take 10 s; -rss_limit_mb: nor 2 GiB.
  "$build/fuzz/$target" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 \
    -rss_limit_mb=2048 -artifact_prefix="$build/artifacts/$target-" \
    "$work" "$root/fuzz/corpus/$target" >"$log" 2>&1 || status=FAILED
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  printf '%-16s %8s %12s %s\n' "$target" "$seconds" "${executions:-?}" "$status" >>"$report"
  if [[ $status != ok ]]; then
    failed=1
    echo "--- $target failed; the end of its log ($log):" >&2
    tail -n 40 "$log" >&2
  fi
done
cat "$report"
exit "$failed"

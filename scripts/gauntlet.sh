#!/usr/bin/env bash
# The reliability and security gauntlet: fuzzing, ASan+UBSan and TSan test runs, valgrind
# memcheck and the ABI check, each timed, with a summary table at the end. Exits non-zero
# if any step fails (every step runs regardless, so one report shows everything).
#
# Run it after scripts/test.sh has built build/; if build/ is missing it is built here.
# Environment: FUZZ_SECONDS (default 30) per libFuzzer target, GO_FUZZ_SCALE (default 1)
# multiplying each Go fuzz target's executions; GAUNTLET_STEPS to run a subset, e.g.
# GAUNTLET_STEPS="fuzz abi"; DCS_RESULTS_DIR (default build/reliability-results). Each step's
# own script lives in scripts/gauntlet/.
#
# Each step's result, time and full output go to the results directory
# (scripts/reliability-results.sh); at the end scripts/reliability-report.py writes
# docs/reliability/REPORT.md from them (and the README's "Reliability, measured" table when
# the results of scripts/reliability.sh are there too).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export FUZZ_SECONDS=${FUZZ_SECONDS:-30}
export DCS_EMULATOR=${DCS_EMULATOR:-$root/build/dcs-emulator}
steps=${GAUNTLET_STEPS:-fuzz go-fuzz asan tsan valgrind abi}

if [[ ! -e build/capi/libdcs.so.1 || ! -x build/dcs-emulator ]]; then
  echo "=== build/ is missing: scripts/build.sh"
  flock /tmp/libdcs-build.lock nice scripts/build.sh -DDCS_WERROR=ON || exit 1
fi

run_step() { # name command...
  case $1 in
    fuzz) scripts/gauntlet/fuzz.sh ;;
    go-fuzz) scripts/gauntlet/go-fuzz.sh ;;
    asan) scripts/gauntlet/sanitize.sh asan ;;
    tsan) scripts/gauntlet/sanitize.sh tsan ;;
    valgrind) scripts/gauntlet/valgrind.sh ;;
    abi) scripts/gauntlet/abi.sh && scripts/gauntlet/abi.sh --self-test ;;
    *) echo "unknown step $1" >&2; return 2 ;;
  esac
}

source scripts/reliability-results.sh
results_start gauntlet
step_log=$(mktemp /tmp/dcs-gauntlet.XXXXXX)
trap 'rm -f "$step_log"' EXIT

summary=()
failed=0
total_start=$SECONDS
for step in $steps; do
  printf '\n=== %s\n' "$step"
  start=$SECONDS
  if run_step "$step" 2>&1 | tee "$step_log"; then result=ok; else result=FAILED; failed=1; fi
  summary+=("$(printf '%-10s %-7s %5ds' "$step" "$result" $((SECONDS - start)))")
  results_record "$step" "$result" $((SECONDS - start)) "$step_log"
done
results_done $((SECONDS - total_start))

printf '\n=== gauntlet summary\n%-10s %-7s %6s\n' step result time
printf '%s\n' "${summary[@]}"
printf '%-10s %-7s %5ds\n' total "$([[ $failed == 0 ]] && echo ok || echo FAILED)" $((SECONDS - total_start))
if [[ -f build-fuzz/fuzz-report.txt && " $steps " == *" fuzz "* ]]; then
  printf '\nfuzz executions (build-fuzz/fuzz-report.txt):\n'
  cat build-fuzz/fuzz-report.txt
fi

printf '\n=== report\n'
source scripts/venv.sh
python3 scripts/reliability-report.py --results "$results_dir" || failed=1
exit "$failed"

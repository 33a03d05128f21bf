#!/usr/bin/env bash
# The reliability gauntlet, part 2: TLS, secrets, hostile inputs and the cross-layer fault
# matrix through every layer (C ABI, Python, Go, dcsctl; the Terraform provider's secrets
# check), the RestoreInstance matrix, the official SDKs against the emulator, the runners'
# refusal to pass quietly, then the soak. Prints the figures: faults x operations covered per
# layer, soak RSS and open fds before/after, and the time. Bounded: about 4 minutes on a
# 2-core machine (the soak alone is SOAK_SECONDS, default 60).
#
# It expects a ready build and does not build anything:
#   - build/ built (scripts/build.sh or the cmake commands in the README): the reliability_*
#     test programs, build/capi/libdcs.so.1, build/pkgconfig, build/dcs-emulator and
#     build/cli/dcsctl;
#   - the project's virtual environment (scripts/install-deps.sh makes it; its python3 and
#     pytest are used, never the system's), with the Python binding installed in it
#     (`python3 -m pip install ./bindings/python` as scripts/test.sh does) or not at all, in
#     which case the tests use the source tree with DCS_LIBRARY=build/capi/libdcs.so.1;
#   - go and openssl on PATH;
#   - the Terraform CLI that scripts/test.sh builds (build/tools/terraform; TF_ACC_TERRAFORM_PATH
#     or TF_CLI_DIR override it).
# Environment: SOAK_SECONDS (default 60), SOAK_THREADS (default 32), BUILD_DIR (default build:
# the build tree to test), DCS_RESULTS_DIR (default BUILD_DIR/reliability-results). Exits
# non-zero if any step fails; every step runs regardless, so one report shows everything.
#
# Each step's result, time and full log go to the results directory
# (scripts/reliability-results.sh), and at the end scripts/reliability-report.py writes
# docs/reliability/REPORT.md from them (and the README's "Reliability, measured" table when
# the results of scripts/gauntlet.sh are there too).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
source scripts/venv.sh
build=${BUILD_DIR:-build}
export DCS_EMULATOR=${DCS_EMULATOR:-$root/$build/dcs-emulator}
export DCSCTL=${DCSCTL:-$root/$build/cli/dcsctl}
export PKG_CONFIG_PATH=$root/$build/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
export LD_LIBRARY_PATH=$root/$build/capi${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export SOAK_SECONDS=${SOAK_SECONDS:-60}
# Preloaded by the Python and Go secrets tests to reach DCS_E_NOMEM and DCS_E_INTERNAL.
export DCS_ALLOC_FAULT_LIB=${DCS_ALLOC_FAULT_LIB:-$root/$build/tests/libdcs_alloc_fault.so}
export DCS_RESULTS_DIR=${DCS_RESULTS_DIR:-$root/$build/reliability-results}
logs=$(mktemp -d /tmp/dcs-reliability.XXXXXX)
trap 'rm -rf "$logs"' EXIT
source scripts/reliability-results.sh
results_start reliability

for needed in $build/tests/reliability_tls $build/tests/reliability_soak $build/capi/libdcs.so.1 \
  $build/tests/integration_fault_matrix "$DCS_ALLOC_FAULT_LIB" "$DCS_EMULATOR" "$DCSCTL"; do
  [[ -e $needed ]] || { echo "reliability.sh: $needed is missing: build first (see the header)" >&2; exit 2; }
done

summary=()
failed=0
total_start=$SECONDS

# step NAME COMMAND...: runs a step with its output in $logs/NAME.log, shown when it fails.
step() {
  local name=$1 start=$SECONDS result
  shift
  printf '=== %s\n' "$name"
  if "$@" >"$logs/$name.log" 2>&1; then result=ok; else result=FAILED; failed=1; cat "$logs/$name.log"; fi
  summary+=("$(printf '%-32s %-7s %5ds' "$name" "$result" $((SECONDS - start)))")
  results_record "$name" "$result" $((SECONDS - start)) "$logs/$name.log"
}

source scripts/no-skip.sh
pytest_q() { pytest_ci "$@"; }
# -race, as every other Go suite runs.
go_test() { go_test_ci bindings/go -race "$@" .; }

# 1-3: TLS, secrets and hostile inputs, layer by layer.
step "C: TLS" $build/tests/reliability_tls
step "C: secrets" $build/tests/reliability_secrets
step "C: hostile inputs" $build/tests/reliability_hostile_inputs
# -s: the tests print the figures the report reads.
step "Python: TLS, secrets, hostile" pytest_q -s bindings/python/tests/test_reliability_tls.py \
  bindings/python/tests/test_reliability_secrets.py bindings/python/tests/test_reliability_hostile.py
# Every TestReliability* but the fault matrix, which runs below.
step "Go: TLS, secrets, hostile" go_test -run '^TestReliability' -skip '^TestReliabilityFaultMatrix$'
step "dcsctl: secrets" pytest_q -s tests/reliability/test_dcsctl_secrets.py
step "dcsctl: hostile inputs" pytest_q -s tests/reliability/test_dcsctl_hostile.py

# No silent pass: each runner of scripts/no-skip.sh must fail a suite that skipped or that ran
# nothing, or a green run could hide a check that did not happen.
no_silent_pass() {
  local dir
  dir=$(mktemp -d /tmp/dcs-no-skip.XXXXXX)
  printf 'import pytest\n\n\ndef test_needs_what_is_missing() -> None:\n    pytest.skip("missing")\n' \
    >"$dir/test_skips.py"
  if CI=true pytest_ci "$dir"; then echo "FAIL: pytest_ci passed a suite whose test skipped"; return 1; fi
  echo "refused: pytest_ci under CI=true, a suite whose test skipped"
  rm -rf "$dir"
  if go_test_ci bindings/go -race -run '^TestNoSuchTest$' .; then
    echo "FAIL: go_test_ci passed a -run pattern that matched no test"
    return 1
  fi
  echo "refused: go_test_ci, a -run pattern that matched no test"
  if ctest --test-dir "$build" --no-tests=error -L no-such-label; then
    echo "FAIL: ctest --no-tests=error passed a label that matched no test"
    return 1
  fi
  echo "refused: ctest --no-tests=error, a label that matched no test"
}
step "no silent pass" no_silent_pass

# 4: the fault matrix of each layer, and the RestoreInstance matrix of the C ABI (which ctest
# also runs; here for its figures). Each has its own emulator and spends most of its time
# waiting out faults (the listing-delay cells alone wait 5 s and 30 s), so they run side by
# side, and the two checks below with them. (The Terraform resource's column of the matrix
# runs with the provider's acceptance tests.)
printf '=== side by side: the fault matrices, the official SDKs, the Terraform secrets check\n'
matrix_start=$SECONDS
$build/tests/reliability_fault_matrix >"$logs/matrix-c.log" 2>&1 &
c_pid=$!
$build/tests/integration_fault_matrix -s >"$logs/matrix-restore.log" 2>&1 &
restore_pid=$!
pytest_q -s bindings/python/tests/test_reliability_faults.py >"$logs/matrix-python.log" 2>&1 &
py_pid=$!
go_test -run 'TestReliabilityFaultMatrix$' >"$logs/matrix-go.log" 2>&1 &
go_pid=$!
pytest_q -s tests/reliability/test_dcsctl_fault_matrix.py >"$logs/matrix-dcsctl.log" 2>&1 &
cli_pid=$!
# The emulator is the API: the official SDKs drive it with their own signers, and every
# signature deviation is refused (scripts/test.sh runs these suites too; here for the report).
official_sdks() {
  python3 -m pip show huaweicloudsdkdcs | grep -E '^(Name|Version):' | paste -sd ' '
  grep -hoE 'huaweicloud-sdk-go-v3 v[0-9.]+' tests/official_sdk_go/go.mod | sed 's/^/Go SDK: /'
  # -vv (pytest_ci passes -q): one line per test, which the report counts.
  pytest_ci -vv tests/emulator/test_official_sdk.py tests/emulator/test_signatures.py &&
    go_test_ci tests/official_sdk_go ./...
}
official_sdks >"$logs/matrix-official-sdks.log" 2>&1 &
sdk_pid=$!
# The Terraform provider's secrets check, a failed and a succeeded restore with TF_LOG=TRACE
# (the provider's acceptance tests run it too; here for the report).
terraform_secrets() {
  TF_ACC=1 CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=$root/bindings/terraform/testdata/empty.terraformrc \
    TF_ACC_TERRAFORM_PATH=${TF_ACC_TERRAFORM_PATH:-${TF_CLI_DIR:-$root/$build/tools}/terraform} \
    go_test_ci bindings/terraform -tags dcs_static -timeout 10m -run '^TestAccNoSecretInTraceLogs$' \
    ./internal/acceptance/
}
terraform_secrets >"$logs/matrix-terraform-secrets.log" 2>&1 &
tf_pid=$!
for layer in c:$c_pid python:$py_pid go:$go_pid dcsctl:$cli_pid restore:$restore_pid \
  official-sdks:$sdk_pid terraform-secrets:$tf_pid; do
  name=${layer%%:*}
  if wait "${layer#*:}"; then result=ok; else result=FAILED; failed=1; fi
  grep -v '^dcs-emulator' "$logs/matrix-$name.log" | grep -E 'mode|^(fault|status|delay|close|truncated|non_json|oversized|html_502|throttle|hang_after_work|late_after_work)|FAIL|Error|error:' || true
  [[ $result == ok ]] || cat "$logs/matrix-$name.log"
  case $name in
    official-sdks) label="emulator: official SDKs" ;;
    terraform-secrets) label="Terraform: secrets" ;;
    *) label="fault matrix: $name" ;;
  esac
  summary+=("$(printf '%-32s %-7s %5ds' "$label" "$result" $((SECONDS - matrix_start)))")
  results_record "$label" "$result" $((SECONDS - matrix_start)) "$logs/matrix-$name.log"
done

# 5: the soak (ctest label soak, only in configuration "soak").
step "soak" ctest --test-dir $build -C soak -L soak -V --no-tests=error \
  --timeout $((SOAK_SECONDS + 120))

printf '\n=== figures\n'
grep -h 'fault matrix: .* cells' "$logs"/matrix-*.log | sed 's/^ *//'
grep -h 'soak: ' "$logs"/soak*.log | sed 's/^[0-9]*: //'
grep -h 'calls over TLS used' "$logs"/C*TLS.log | sed 's/.*MESSAGE: /TLS keep-alive: /'

printf '\n=== summary\n'
printf '%s\n' "${summary[@]}"
printf 'total %ds\n' $((SECONDS - total_start))
results_done $((SECONDS - total_start))

printf '\n=== report\n'
python3 scripts/reliability-report.py --results "$results_dir" || failed=1
exit $failed

#!/usr/bin/env bash
# The reliability gauntlet, part 2: TLS, secrets, hostile inputs and the cross-layer fault
# matrix through every layer (C ABI, Python, Go, dcsctl), then the soak. Prints the figures:
# faults x operations covered per layer, soak RSS and open fds before/after, and the time.
# Bounded: about 3-4 minutes on a 2-core machine (the soak alone is SOAK_SECONDS, default 60).
#
# It expects a ready build and does not build anything:
#   - build/ built (scripts/build.sh or the cmake commands in the README): the reliability_*
#     test programs, build/capi/libdcs.so.1, build/pkgconfig, build/dcs-emulator and
#     build/cli/dcsctl;
#   - the project's virtual environment (scripts/install-deps.sh makes it; its python3 and
#     pytest are used, never the system's), with the Python binding installed in it
#     (`python3 -m pip install ./bindings/python` as scripts/test.sh does) or not at all, in
#     which case the tests use the source tree with DCS_LIBRARY=build/capi/libdcs.so.1;
#   - go and openssl on PATH.
# Environment: SOAK_SECONDS (default 60), SOAK_THREADS (default 32). Exits non-zero if any
# step fails; every step runs regardless, so one report shows everything.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
source scripts/venv.sh
export DCS_EMULATOR=${DCS_EMULATOR:-$root/build/dcs-emulator}
export DCSCTL=${DCSCTL:-$root/build/cli/dcsctl}
export PKG_CONFIG_PATH=$root/build/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
export LD_LIBRARY_PATH=$root/build/capi${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export SOAK_SECONDS=${SOAK_SECONDS:-60}
logs=$(mktemp -d /tmp/dcs-reliability.XXXXXX)
trap 'rm -rf "$logs"' EXIT

for needed in build/tests/reliability_tls build/tests/reliability_soak build/capi/libdcs.so.1 \
  "$DCS_EMULATOR" "$DCSCTL"; do
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
}

source scripts/no-skip.sh
pytest_q() { pytest_ci "$@"; }
# -race, as every other Go suite runs.
go_test() { go_test_ci bindings/go -race "$@" .; }

# 1-3: TLS, secrets and hostile inputs, layer by layer.
step "C: TLS" build/tests/reliability_tls
step "C: secrets" build/tests/reliability_secrets
step "C: hostile inputs" build/tests/reliability_hostile_inputs
step "Python: TLS, secrets, hostile" pytest_q bindings/python/tests/test_reliability_tls.py \
  bindings/python/tests/test_reliability_secrets.py bindings/python/tests/test_reliability_hostile.py
step "Go: TLS, secrets, hostile" go_test -run 'TestReliability(TLS|NoSecretInLogsOrErrors|HostileInputs)$'
step "dcsctl: secrets" pytest_q tests/reliability/test_dcsctl_secrets.py

# 4: the fault matrix of each layer. Each has its own emulator and spends most of its time
# waiting out faults (the listing-delay cells alone wait 5 s and 30 s), so the four run side
# by side. (The Terraform resource's column runs with the provider's acceptance tests.)
printf '=== fault matrix: C, Python, Go and dcsctl side by side\n'
matrix_start=$SECONDS
build/tests/reliability_fault_matrix >"$logs/matrix-c.log" 2>&1 &
c_pid=$!
pytest_q -s bindings/python/tests/test_reliability_faults.py >"$logs/matrix-python.log" 2>&1 &
py_pid=$!
go_test -run 'TestReliabilityFaultMatrix$' >"$logs/matrix-go.log" 2>&1 &
go_pid=$!
pytest_q -s tests/reliability/test_dcsctl_fault_matrix.py >"$logs/matrix-dcsctl.log" 2>&1 &
cli_pid=$!
for layer in c:$c_pid python:$py_pid go:$go_pid dcsctl:$cli_pid; do
  name=${layer%%:*}
  if wait "${layer#*:}"; then result=ok; else result=FAILED; failed=1; fi
  grep -v '^dcs-emulator' "$logs/matrix-$name.log" | grep -E 'mode|^(fault|status|delay|close|truncated|non_json|oversized|html_502|throttle|hang_after_work|late_after_work)|FAIL|Error|error:' || true
  [[ $result == ok ]] || cat "$logs/matrix-$name.log"
  summary+=("$(printf '%-32s %-7s %5ds' "fault matrix: $name" "$result" $((SECONDS - matrix_start)))")
done

# 5: the soak (ctest label soak, only in configuration "soak").
step "soak (${SOAK_SECONDS} s)" ctest --test-dir build -C soak -L soak -V --no-tests=error \
  --timeout $((SOAK_SECONDS + 120))

printf '\n=== figures\n'
grep -h 'fault matrix: .* cells' "$logs"/matrix-*.log | sed 's/^ *//'
grep -h 'soak: ' "$logs"/soak*.log | sed 's/^[0-9]*: //'
grep -h 'calls over TLS used' "$logs"/C*TLS.log | sed 's/.*MESSAGE: /TLS keep-alive: /'

printf '\n=== summary\n'
printf '%s\n' "${summary[@]}"
printf 'total %ds\n' $((SECONDS - total_start))
exit $failed

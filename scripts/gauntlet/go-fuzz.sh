#!/usr/bin/env bash
# Go native fuzzing (go test -fuzz) of the emulator's signature verifier and request handling
# and of the Go binding's record conversion, each target for a fixed number of executions
# (about 20 s of this 2-core machine each, so about 80 s in all; GO_FUZZ_SCALE multiplies
# them), starting from its committed seed corpus
# (testdata/fuzz/<target> beside the test). Fails on any crasher: go test writes the input
# that failed to testdata/fuzz/<target>/ and this prints it. Prints the executions of every
# target and writes them to build-fuzz/go-fuzz-report.txt.
#
# The binding's target calls the emulator (DCS_EMULATOR, default build/dcs-emulator) and
# builds the binding as `go test` does everywhere else (libdcs's C++ compiled by cgo, cached);
# GOFLAGS=-tags=dcs_shared links a build's libdcs.so.1 instead (PKG_CONFIG_PATH,
# LD_LIBRARY_PATH).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
scale=${GO_FUZZ_SCALE:-1}
export DCS_EMULATOR=${DCS_EMULATOR:-$root/build/dcs-emulator}
report_dir=$root/build-fuzz
mkdir -p "$report_dir"
report=$report_dir/go-fuzz-report.txt
logs=$(mktemp -d /tmp/dcs-go-fuzz.XXXXXX)
trap 'rm -rf "$logs"' EXIT

# directory (of the go test run), package, target, executions. A count, not a duration:
# with -fuzztime 20s, go1.26's fuzz coordinator can report its own stop as a failure
# ("context deadline exceeded", no failing input; golang/go#75804, fixed in go1.27), which
# failed a CI run. A count has no deadline to race; -timeout still bounds a slow run.
targets=(
  "emulator ./internal/auth FuzzVerifyAnyRequest 250000"
  "emulator ./internal/auth FuzzSignedRequestVerifies 20000"
  "emulator ./internal/api FuzzHandleRequest 150000"
  "bindings/go . FuzzRecordConversion 5000"
)

printf '%-28s %8s %12s %s\n' target seconds executions result >"$report"
failed=0
for entry in "${targets[@]}"; do
  read -r dir package target count <<<"$entry"
  count=$((count * scale))
  log=$logs/$target.log
  status=ok
  started=$SECONDS
  # -run '^$': no ordinary test, only the fuzzing. The outer timeout bounds a hung build or
  # worker; go test's own -timeout the run.
  (cd "$dir" && timeout 600 go test "$package" -run '^$' -fuzz "^$target\$" -fuzztime "${count}x" \
    -timeout 5m) >"$log" 2>&1 || status=FAILED
  seconds=$((SECONDS - started))
  executions=$(grep -o 'execs: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2 || true)
  printf '%-28s %8s %12s %s\n' "$target" "$seconds" "${executions:-?}" "$status" >>"$report"
  if [[ $status != ok ]]; then
    failed=1
    echo "=== $target failed:"
    grep -v '^dcs-emulator' "$log" | tail -n 40
    grep -h 'Failing input written to' "$log" | sed "s|written to |written to $dir/$package/|" || true
  fi
done
cat "$report"
exit $failed

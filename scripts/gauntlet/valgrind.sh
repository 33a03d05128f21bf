#!/usr/bin/env bash
# Runs valgrind memcheck, from the uninstrumented ${BUILD_DIR:-build} (scripts/build.sh), over
# every C/C++ program there: the unit and integration test programs, the two examples, and
# dcsctl through its commands (each test program and the dcsctl runs against a dcs-emulator of
# their own on loopback). Fails on any memory error and on any definitely or indirectly lost
# block; what libcurl and OpenSSL keep in global state until exit ("still reachable") is
# allowed. Two programs run at a time (one per core); each one's output is shown when it fails.
#
# VALGRIND_TESTS overrides which test programs run (space-separated names in build/tests).
# The reliability programs are left to the ASan and TSan runs: the fault matrix spends
# minutes waiting out faults, and reliability_secrets replaces operator new, which memcheck
# replaces in turn.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
build=$root/${BUILD_DIR:-build}
export DCS_EMULATOR=${DCS_EMULATOR:-$build/dcs-emulator}
tests=${VALGRIND_TESTS:-core_unit_tests core_unit_extra_tests integration_restore integration_errors
integration_validation integration_connections integration_cancellation integration_fault_matrix}

memcheck=(valgrind --tool=memcheck --error-exitcode=99 --leak-check=full
  --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect
  --num-callers=40 --quiet)
export VALGRIND_MEMCHECK="${memcheck[*]}"

logs=$(mktemp -d /tmp/dcs-valgrind.XXXXXX)
trap 'rm -rf "$logs"' EXIT
failed=0
names=()

# launch NAME COMMAND...: runs the command in the background, two at a time; its output goes
# to $logs/NAME.log and its exit status to $logs/NAME.rc.
launch() {
  local name=$1
  shift
  while (($(jobs -rp | wc -l) >= 2)); do
    wait -n || true
  done
  echo "--- valgrind $name"
  names+=("$name")
  (
    rc=0
    "$@" >"$logs/$name.log" 2>&1 || rc=$?
    echo "$rc" >"$logs/$name.rc"
  ) &
}

for test in $tests; do
  program=$build/tests/$test
  if [[ ! -x $program ]]; then
    echo "FAIL: $program is missing: build first (scripts/build.sh)" >&2
    failed=1
    continue
  fi
  launch "$test" "${memcheck[@]}" "$program"
done

# The example as a user runs it: environment configuration, one restore, waiting for it.
launch restore_example "$root/tests/support/with_emulator.sh" "$DCS_EMULATOR" --expect-restores 1 \
  --expect-output "restore [0-9a-f-]+ succeed" -- \
  "${memcheck[@]}" "$build/examples/restore_example" \
  6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b 9f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19 "valgrind"

# The example that loads libdcs.so.1 at run time, as plug-in hosts do.
launch dlopen_restore_example "$root/tests/support/with_emulator.sh" "$DCS_EMULATOR" \
  --expect-restores 1 --expect-output "restore [0-9a-f-]+ started" -- \
  "${memcheck[@]}" "$build/examples/dlopen_restore_example" "$build/capi/libdcs.so.1" \
  6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b 9f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19

# dcsctl as a user runs it: every command, a table and JSON, a restore with --wait, an API
# error and a usage error, each under memcheck (exit 99 is memcheck's). One restore.
launch dcsctl "$root/tests/support/with_emulator.sh" "$DCS_EMULATOR" --expect-restores 1 -- \
  bash -c '
    set -u
    dcsctl=$1
    instance=6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b
    backup=9f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19
    run() { # EXPECTED-EXIT ARGS...
      local want=$1 got=0
      shift
      echo "--- dcsctl $*"
      $VALGRIND_MEMCHECK "$dcsctl" "$@" || got=$?
      if [[ $got != "$want" ]]; then echo "FAIL: dcsctl $*: exit $got, want $want"; exit 1; fi
    }
    run 0 version
    run 0 instance show --instance "$instance"
    run 0 instance show --instance "$instance" --json
    run 0 backups list --instance "$instance" --restorable
    run 0 restore --instance "$instance" --backup "$backup" --remark valgrind --wait --poll-interval 100ms
    run 0 restores list --instance "$instance" --json
    run 3 instance show --instance 00000000-0000-4000-8000-000000000000
    run 2 restore --instance "../x" --backup "$backup"
    run 2 no-such-command
  ' dcsctl "$build/cli/dcsctl"

wait
for name in "${names[@]}"; do
  if [[ $(cat "$logs/$name.rc" 2>/dev/null) != 0 ]]; then
    echo "FAIL: valgrind $name:" >&2
    cat "$logs/$name.log" >&2
    failed=1
  fi
done
runs=$(grep -c '^--- dcsctl ' "$logs/dcsctl.log" || true)
echo "valgrind: ${#names[@]} programs, dcsctl in $runs runs; $([[ $failed == 0 ]] && echo 'no error, no leak' || echo FAILED)"
exit "$failed"

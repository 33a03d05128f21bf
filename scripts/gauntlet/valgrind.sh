#!/usr/bin/env bash
# Runs the C ABI integration tests and the restore example under valgrind memcheck, from the
# uninstrumented ${BUILD_DIR:-build} (scripts/build.sh), each against its own dcs-emulator on
# loopback. Fails on any memory error and on any definitely or indirectly lost block; what
# libcurl and OpenSSL keep in global state until exit ("still reachable") is allowed.
#
# VALGRIND_TESTS overrides which integration programs run (space-separated names in
# build/tests). The default leaves out the ones built around tight timing (cancellation
# within 100 ms, deadlines, connection counts), which valgrind's slowdown would fail for
# reasons that have nothing to do with memory: the ASan run covers those.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
build=$root/${BUILD_DIR:-build}
export DCS_EMULATOR=${DCS_EMULATOR:-$build/dcs-emulator}
tests=${VALGRIND_TESTS:-integration_restore integration_errors integration_validation}

memcheck=(valgrind --tool=memcheck --error-exitcode=1 --leak-check=full
  --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect
  --num-callers=40 --quiet)

failed=0
for test in $tests; do
  program=$build/tests/$test
  if [[ ! -x $program ]]; then
    echo "FAIL: $program is missing: build first (scripts/build.sh)" >&2
    failed=1
    continue
  fi
  echo "--- valgrind $test"
  if ! "${memcheck[@]}" "$program"; then
    echo "FAIL: valgrind $test" >&2
    failed=1
  fi
done

# The example as a user runs it: environment configuration, one restore, waiting for it.
echo "--- valgrind restore_example"
if ! "$root/tests/support/with_emulator.sh" "$DCS_EMULATOR" --expect-restores 1 \
  --expect-output "restore [0-9a-f-]+ succeed" -- \
  "${memcheck[@]}" "$build/examples/restore_example" \
  6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b 9f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19 "valgrind"; then
  echo "FAIL: valgrind restore_example" >&2
  failed=1
fi
exit "$failed"

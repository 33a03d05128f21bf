#!/usr/bin/env bash
# Usage: sanitize.sh asan|tsan
# Builds libdcs, dcsctl, the examples and the C/C++ tests with sanitizers (GCC) into
# build-asan (-DDCS_SANITIZE="address;undefined") or build-tsan (-DDCS_SANITIZE=thread) and
# runs there, side by side: the ctest suite (unit, integration and reliability programs, the
# examples), and dcsctl's own suite (tests/cli, pytest) against the instrumented dcsctl. Any
# sanitizer report fails the run: every option below halts on the first error.
#
# dcsctl's suite runs each dcsctl with a clean environment, so it is pointed at a wrapper
# (build-KIND/dcsctl-sanitized) that sets the options and sends every report to a file in
# build-KIND/sanitizer-reports; any file there fails the step, whatever exit code the test
# expected of that run. Python itself is not instrumented: pytest only spawns dcsctl.
#
# GCC rather than clang: GCC links the sanitizer runtime into libdcs.so itself, which its
# -Wl,--no-undefined link needs (clang leaves the runtime symbols undefined in shared
# libraries).
#
# Warnings are not errors here: scripts/build.sh enforces them, and GCC's instrumentation
# makes -Wmaybe-uninitialized fire falsely inside libstdc++ (<regex>, std::function).
#
# SANITIZE_BUILD_DIR overrides the build directory; SANITIZE_TARGETS (CMake targets) and
# SANITIZE_TESTS (a ctest -R regex) narrow a local run to a part. The emulator is not
# rebuilt: the tests use the one scripts/build.sh made (build/dcs-emulator; override with
# DCS_EMULATOR). The install test (label "install") is left out: it builds uninstrumented
# consumers against the installed library, which an instrumented libdcs.so cannot serve (the
# sanitizer runtime must come first in a program's libraries), and it tests packaging, not
# memory or thread safety.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
kind=${1:?usage: sanitize.sh asan|tsan}
build=${SANITIZE_BUILD_DIR:-$root/build-$kind}
reports=$build/sanitizer-reports
case $kind in
  asan)
    sanitize="address;undefined"
    export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:detect_stack_use_after_return=1
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    cli_options="ASAN_OPTIONS=$ASAN_OPTIONS:log_path=$reports/asan UBSAN_OPTIONS=$UBSAN_OPTIONS:log_path=$reports/ubsan"
    ;;
  tsan)
    sanitize=thread
    export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$root/scripts/gauntlet/tsan.supp"
    cli_options="TSAN_OPTIONS=$TSAN_OPTIONS:log_path=$reports/tsan"
    ;;
  *)
    echo "usage: sanitize.sh asan|tsan" >&2
    exit 2
    ;;
esac
export DCS_EMULATOR=${DCS_EMULATOR:-$root/build/dcs-emulator}
if [[ ! -x $DCS_EMULATOR ]]; then
  echo "no emulator at $DCS_EMULATOR: run scripts/build.sh first" >&2
  exit 1
fi

cmake -S . -B "$build" -G Ninja -DCMAKE_C_COMPILER=gcc -DCMAKE_CXX_COMPILER=g++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDCS_SANITIZE="$sanitize" -DDCS_WERROR=OFF \
  -DDCS_BUILD_EMULATOR=OFF -DDCS_BUILD_CLI=ON -DDCS_EMULATOR_BINARY="$DCS_EMULATOR" >/dev/null
# shellcheck disable=SC2086 # SANITIZE_TARGETS is a list
nice cmake --build "$build" -j2 ${SANITIZE_TARGETS:+--target $SANITIZE_TARGETS}

rm -rf "${reports:?}"
mkdir -p "$reports"
printf '#!/bin/sh\n# dcsctl of %s with the options of scripts/gauntlet/sanitize.sh %s.\nexport %s\nexec %s "$@"\n' \
  "$build" "$kind" "$cli_options" "$build/cli/dcsctl" >"$build/dcsctl-sanitized"
chmod +x "$build/dcsctl-sanitized"
source scripts/venv.sh
source scripts/no-skip.sh
DCSCTL=$build/dcsctl-sanitized pytest_ci tests/cli >"$build/cli-tests.log" 2>&1 &
cli_pid=$!

status=0
ctest --test-dir "$build" --output-on-failure --no-tests=error -j2 -LE install \
  ${SANITIZE_TESTS:+-R "$SANITIZE_TESTS"} || status=1
cli_status=0
wait "$cli_pid" || cli_status=1
echo "--- dcsctl's suite (tests/cli) against the $kind dcsctl"
if ((cli_status != 0)); then cat "$build/cli-tests.log"; status=1; else tail -n 3 "$build/cli-tests.log"; fi
if compgen -G "$reports/*" >/dev/null; then
  echo "FAIL: sanitizer reports from dcsctl:" >&2
  cat "$reports"/* >&2
  status=1
fi
exit "$status"

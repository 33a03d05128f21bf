#!/usr/bin/env bash
# Usage: sanitize.sh asan|tsan
# Builds libdcs, the examples and the C/C++ tests with sanitizers (GCC) into build-asan
# (-DDCS_SANITIZE="address;undefined") or build-tsan (-DDCS_SANITIZE=thread) and runs the
# ctest suite there, integration and concurrency tests included. Any sanitizer report fails
# the run: every option below halts on the first error.
#
# GCC rather than clang: GCC links the sanitizer runtime into libdcs.so itself, which its
# -Wl,--no-undefined link needs (clang leaves the runtime symbols undefined in shared
# libraries).
#
# Warnings are not errors here: scripts/build.sh enforces them, and GCC's instrumentation
# makes -Wmaybe-uninitialized fire falsely inside libstdc++ (<regex>, std::function).
#
# The emulator is not rebuilt: the tests use the one scripts/build.sh made (build/dcs-emulator;
# override with DCS_EMULATOR). The install test (label "install") is left out: it builds
# uninstrumented consumers against the installed library, which an instrumented libdcs.so
# cannot serve (the sanitizer runtime must come first in a program's libraries), and it tests
# packaging, not memory or thread safety.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
kind=${1:?usage: sanitize.sh asan|tsan}
case $kind in
  asan)
    sanitize="address;undefined"
    export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:detect_stack_use_after_return=1
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    ;;
  tsan)
    sanitize=thread
    export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$root/scripts/gauntlet/tsan.supp"
    ;;
  *)
    echo "usage: sanitize.sh asan|tsan" >&2
    exit 2
    ;;
esac
build=$root/build-$kind
export DCS_EMULATOR=${DCS_EMULATOR:-$root/build/dcs-emulator}
if [[ ! -x $DCS_EMULATOR ]]; then
  echo "no emulator at $DCS_EMULATOR: run scripts/build.sh first" >&2
  exit 1
fi

cmake -S . -B "$build" -G Ninja -DCMAKE_C_COMPILER=gcc -DCMAKE_CXX_COMPILER=g++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDCS_SANITIZE="$sanitize" -DDCS_WERROR=OFF \
  -DDCS_BUILD_EMULATOR=OFF -DDCS_BUILD_CLI=OFF -DDCS_EMULATOR_BINARY="$DCS_EMULATOR" >/dev/null
nice cmake --build "$build" -j2

ctest --test-dir "$build" --output-on-failure --no-tests=error -j2 -LE install

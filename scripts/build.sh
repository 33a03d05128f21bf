#!/usr/bin/env bash
# Configures and builds libdcs, dcsctl, the examples, the tests and dcs-emulator into
# ${BUILD_DIR:-build}. Extra arguments go to the CMake configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja "$@" >/dev/null
cmake --build "$build_dir"

#!/usr/bin/env bash
# One command for every benchmark: installs what the benchmarks need, builds libdcs and
# the benchmark programs, runs every measurement side by side, prints the table of ratios
# and writes docs/bench/REPORT.md, docs/bench/bench.png and docs/bench/results.json.
#
#   bench/run.sh            the full run (a few minutes)
#   bench/run.sh --quick    tiny sizes, to try the harness (numbers meaningless)
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
bench_build="${DCS_BENCH_BUILD:-$repo/build-bench}"
out="${DCS_BENCH_OUT:-$repo/docs/bench}"
extra_args=("$@")
say() { printf '[bench] %s\n' "$*" >&2; }

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

install_tools() {
    local missing=()
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
    command -v wrk >/dev/null || missing+=(wrk)
    command -v valgrind >/dev/null || missing+=(valgrind)
    command -v hyperfine >/dev/null || missing+=(hyperfine)
    command -v strip >/dev/null || missing+=(binutils)
    if [ ${#missing[@]} -gt 0 ]; then
        say "installing ${missing[*]} (Debian)"
        sudo_if_needed apt-get update -qq
        sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
    if ! python3 -c 'import huaweicloudsdkdcs, matplotlib' 2>/dev/null; then
        say "installing huaweicloudsdkdcs and matplotlib (PyPI)"
        python3 -m pip install -q huaweicloudsdkdcs matplotlib
    fi
}

build() {
    say "building libdcs, dcsctl and dcs-emulator"
    (cd "$repo" && flock /tmp/libdcs-build.lock sh -c \
        'cmake -S . -B build -G Ninja -DDCS_WERROR=ON >/dev/null && cmake --build build' >/dev/null)
    say "building the benchmark programs"
    cmake -S "$repo/bench" -B "$bench_build" -G Ninja -DDCS_BUILD_DIR="$repo/build" >/dev/null
    cmake --build "$bench_build" >/dev/null
}

build_go_peer() {
    # The bench-only Go module: the libdcs Go binding and the official Go SDK side by side.
    if [ ! -f "$repo/bindings/go/restore.go" ]; then
        say "Go binding not present: the Go measurements are skipped"
        extra_args+=(--no-go)
        return
    fi
    say "building the Go benchmark (bench/go)"
    (cd "$repo/bench/go" && PKG_CONFIG_PATH="$repo/build/pkgconfig" \
        go build -o "$bench_build/restorebench" .)
}

check_python_binding() {
    if ! PYTHONPATH="$repo/bindings/python/src" DCS_LIBRARY="$repo/build/capi/libdcs.so.1" \
        python3 -c 'import dcs; dcs.Client' 2>/dev/null; then
        say "Python binding (bindings/python, import dcs) not usable: Python measurements skipped"
        extra_args+=(--no-python)
    fi
}

load="$(cut -d' ' -f1 /proc/loadavg)"
say "load average now: $load (results are cleanest below 2: see uptime)"
install_tools
build
build_go_peer
check_python_binding
python3 "$repo/bench/harness/main.py" --repo "$repo" --bench-build "$bench_build" \
    --out "$out" "${extra_args[@]}"
say "wrote $out/REPORT.md and $out/bench.png"

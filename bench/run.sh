#!/usr/bin/env bash
# One command for every benchmark: installs what the benchmarks need, builds libdcs and
# the benchmark programs, runs every measurement side by side, prints the table of ratios,
# writes docs/bench/REPORT.md, docs/bench/bench.png and docs/bench/results.json, and
# regenerates the README's performance table from that results.json.
#
#   bench/run.sh            the full run (several minutes; run it on a quiet machine)
#   bench/run.sh --quick    tiny sizes, to try the harness (numbers meaningless): writes
#                           its report under the bench build directory, not docs/bench,
#                           and leaves README.md alone
#
# DCS_BENCH_BUILD (default build-bench) holds everything built: libdcs, dcsctl and the
# emulator in its own libdcs/ subdirectory (never the working tree's build/, so the bench
# races no other build), the C programs and the Go program. DCS_BENCH_OUT overrides where
# the report goes. Python runs in the project's virtual environment (scripts/venv.sh;
# scripts/install-deps.sh makes it): nothing is installed into the system's interpreter.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
bench_build="${DCS_BENCH_BUILD:-$repo/build-bench}"
libdcs_build="$bench_build/libdcs"
quick=false
for arg in "$@"; do [ "$arg" = --quick ] && quick=true; done
if $quick; then
    out="${DCS_BENCH_OUT:-$bench_build/quick-report}"
else
    out="${DCS_BENCH_OUT:-$repo/docs/bench}"
fi
extra_args=("$@")
say() { printf '[bench] %s\n' "$*" >&2; }

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Pinned like scripts/install-deps.sh pins the project's Python tools.
BENCH_PYTHON_PACKAGES=(huaweicloudsdkdcs==3.1.219 matplotlib==3.11.2)

install_tools() {
    local missing=()
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
    command -v wrk >/dev/null || missing+=(wrk)
    command -v valgrind >/dev/null || missing+=(valgrind)
    command -v hyperfine >/dev/null || missing+=(hyperfine)
    command -v curl >/dev/null || missing+=(curl)
    command -v strip >/dev/null || missing+=(binutils)
    if [ ${#missing[@]} -gt 0 ]; then
        say "installing ${missing[*]} (Debian)"
        sudo_if_needed apt-get update -qq
        sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
    if ! "${DCS_VENV:-$repo/.venv}/bin/python3" -c '' 2>/dev/null; then
        say "no project virtual environment: running scripts/install-deps.sh"
        "$repo/scripts/install-deps.sh"
    fi
    # shellcheck source=../scripts/venv.sh
    source "$repo/scripts/venv.sh"
    if ! python3 -c 'import huaweicloudsdkdcs, matplotlib' 2>/dev/null; then
        say "installing ${BENCH_PYTHON_PACKAGES[*]} into $DCS_VENV (PyPI)"
        python3 -m pip install --quiet --disable-pip-version-check "${BENCH_PYTHON_PACKAGES[@]}"
    fi
}

build() {
    say "building libdcs, dcsctl and dcs-emulator in $libdcs_build"
    cmake -S "$repo" -B "$libdcs_build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DDCS_WERROR=ON -DDCS_BUILD_TESTS=OFF -DDCS_BUILD_EXAMPLES=OFF \
        -DDCS_BUILD_CLI=ON -DDCS_BUILD_EMULATOR=ON >/dev/null
    cmake --build "$libdcs_build" >/dev/null
    say "building the benchmark programs in $bench_build"
    cmake -S "$repo/bench" -B "$bench_build" -G Ninja -DDCS_BUILD_DIR="$libdcs_build" >/dev/null
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
    if ! (cd "$repo/bench/go" && PKG_CONFIG_PATH="$libdcs_build/pkgconfig" \
        go build -o "$bench_build/restorebench" .); then
        # A full run must measure everything; a quick run only tries the harness.
        $quick || exit 1
        say "the Go benchmark did not build: this quick run skips the Go measurements"
        extra_args+=(--no-go)
    fi
}

check_python_binding() {
    if ! PYTHONPATH="$repo/bindings/python/src" DCS_LIBRARY="$libdcs_build/capi/libdcs.so.1" \
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
    --libdcs-build "$libdcs_build" --out "$out" "${extra_args[@]}"
if $quick; then
    python3 "$repo/bench/harness/readme_table.py" --results "$out/results.json" --print \
        >"$out/README-table.md"
    say "wrote $out/REPORT.md, $out/bench.png and $out/README-table.md (README.md untouched)"
else
    python3 "$repo/bench/harness/readme_table.py" --results "$out/results.json" \
        --readme "$repo/README.md"
    say "wrote $out/REPORT.md and $out/bench.png; README.md's performance table regenerated"
fi

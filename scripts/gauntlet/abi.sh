#!/usr/bin/env bash
# Guards the ABI of libdcs.so.1 against the committed baseline in abi/.
#
#   abi.sh              check ${BUILD_DIR:-build}/capi/libdcs.so.1 (the gauntlet runs this)
#   abi.sh --self-test  prove the checks fail on incompatible changes (the gauntlet runs it too)
#   abi.sh --update     rewrite the baseline after a deliberate, reviewed ABI change
#
# Checks:
#  1. Exported symbols: `nm -D --defined-only` lists only dcs_* (the LIBDCS_1 version node
#     aside) and exactly abi/exported-symbols.txt. A new function must be added to that list
#     on purpose (abi.sh --update), so nothing is exported by accident.
#  2. abidiff with --headers-dir1/--headers-dir2 (only types of the public header count)
#     against abi/libdcs.so.1.abi: fails when abidiff flags an incompatible change (exit
#     bit 8: a function or variable removed) or cannot compare (bits 1, 2).
#  3. abidiff without the header filter, which fails on any removed or changed function or
#     variable. Needed because the header filter also hides a parameter whose type changed
#     to a typedef of a system header (int -> int64_t is "filtered out"); the baseline holds
#     only exported interfaces and declaration-only handle types, so this comparison sees
#     nothing of libdcs's private types.
# Added functions are compatible: they pass and are printed.
#
# The baseline comes from a RelWithDebInfo build (debug info is what abidw reads).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
lib=$root/${BUILD_DIR:-build}/capi/libdcs.so.1
headers=$root/capi/include/dcs
baseline=$root/abi/libdcs.so.1.abi
symbols=$root/abi/exported-symbols.txt

dump_abi() { # library output
  abidw --headers-dir "$headers" --drop-private-types --exported-interfaces-only \
    --drop-undefined-syms --no-corpus-path --no-comp-dir-path --short-locs "$1" >"$2"
}

exported_symbols() { # library -> sorted dcs_* names, version node dropped
  nm -D --defined-only "$1" | awk '{print $3}' | sed 's/@.*//' | grep -vx 'LIBDCS_1' | LC_ALL=C sort -u
}

# check_symbols expected-list actual-list
check_symbols() {
  local stray
  stray=$(grep -v '^dcs_' "$2" || true)
  if [[ -n $stray ]]; then
    echo "FAIL: libdcs.so.1 exports symbols outside dcs_*:" >&2
    echo "$stray" >&2
    return 1
  fi
  if ! diff -u "$1" "$2"; then
    echo "FAIL: exported symbols differ from abi/exported-symbols.txt (+ new, - gone);" \
      "a deliberate addition goes in with scripts/gauntlet/abi.sh --update" >&2
    return 1
  fi
  echo "exported symbols: $(wc -l <"$2") dcs_* symbols, as listed in abi/exported-symbols.txt"
}

# check_abi baseline.abi library
check_abi() {
  local out rc=0
  out=$(abidiff --headers-dir1 "$headers" --headers-dir2 "$headers" "$1" "$2") || rc=$?
  echo "$out"
  if ((rc & 3)); then
    echo "FAIL: abidiff could not compare (exit $rc)" >&2
    return 1
  fi
  if ((rc & 8)); then
    echo "FAIL: incompatible ABI change (abidiff exit $rc)" >&2
    return 1
  fi
  rc=0
  out=$(abidiff "$1" "$2") || rc=$?
  if ((rc & 3)); then
    echo "FAIL: abidiff could not compare (exit $rc)" >&2
    return 1
  fi
  if ((rc & 8)) || grep -Eq '(Functions|Variables) changes summary: ([1-9][0-9]* Removed|[0-9]+ Removed, [1-9][0-9]* Changed)' <<<"$out"; then
    echo "$out"
    echo "FAIL: a public function or variable was removed or changed" >&2
    return 1
  fi
  if ((rc & 4)); then
    echo "compatible ABI additions:"
    echo "$out"
  fi
  echo "ABI: compatible with abi/libdcs.so.1.abi"
}

# Runs a check that must fail; succeeds only if it does.
must_fail() { # description command...
  local what=$1
  shift
  if "$@" >/dev/null 2>&1; then
    echo "SELF-TEST FAILED: the check accepted $what" >&2
    return 1
  fi
  echo "self-test: rejected $what"
}

self_test() {
  local tmp
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' RETURN
  exported_symbols "$lib" >"$tmp/actual.txt"

  # A function the baseline has and the build lost: the baseline's dcs_version_number is
  # renamed, so the build "removes" dcs_selftest_removed.
  sed "s/dcs_version_number/dcs_selftest_removed/g" "$baseline" >"$tmp/removed.abi"
  cmp -s "$baseline" "$tmp/removed.abi" && { echo "self-test: no dcs_version_number in baseline" >&2; return 1; }
  must_fail "a removed function" check_abi "$tmp/removed.abi" "$lib"

  # A changed parameter type: in the altered baseline dcs_status_str takes an int64_t, so
  # the build changed it to dcs_status (int). Only check 3 sees this.
  local int64_id
  int64_id=$(grep -o "<typedef-decl name='__int64_t'[^>]* id='type-id-[0-9]*'" "$baseline" |
    sed "s/.* id='\(type-id-[0-9]*\)'/\1/")
  perl -0pe "s{(<function-decl name='dcs_status_str'[^>]*>\s*<parameter type-id=')type-id-[0-9]+}{\${1}$int64_id}" \
    "$baseline" >"$tmp/changed.abi"
  cmp -s "$baseline" "$tmp/changed.abi" && { echo "self-test: could not alter dcs_status_str" >&2; return 1; }
  must_fail "a changed parameter type" check_abi "$tmp/changed.abi" "$lib"

  # A record getter keeps its own type information (capi builds records.cpp without GCC's
  # identical-code folding): in the altered baseline dcs_instance_name returns an int, so
  # the build changed it to const char *. A folded getter has no entry to alter, and fails.
  local int_id
  int_id=$(grep -o "<type-decl name='int' size-in-bits='32'[^>]* id='type-id-[0-9]*'" "$baseline" |
    sed "s/.* id='\(type-id-[0-9]*\)'/\1/")
  perl -0pe "s{(<function-decl name='dcs_instance_name'[^>]*>\s*<parameter [^>]*>\s*<return type-id=')type-id-[0-9]+}{\${1}$int_id}" \
    "$baseline" >"$tmp/getter.abi"
  cmp -s "$baseline" "$tmp/getter.abi" && { echo "self-test: could not alter dcs_instance_name" >&2; return 1; }
  must_fail "a changed getter signature" check_abi "$tmp/getter.abi" "$lib"

  # An addition is compatible: the baseline without dcs_version_string must pass.
  perl -0pe "s{ *<function-decl name='dcs_version_string'.*?</function-decl>\n}{}s; s{ *<elf-symbol name='dcs_version_string'[^\n]*\n}{}" \
    "$baseline" >"$tmp/added.abi"
  if ! check_abi "$tmp/added.abi" "$lib" >"$tmp/added.out" 2>&1 || ! grep -q "dcs_version_string" "$tmp/added.out"; then
    cat "$tmp/added.out" >&2
    echo "SELF-TEST FAILED: an added function was not accepted and printed" >&2
    return 1
  fi
  echo "self-test: accepted and printed an added function"

  # Symbols: one outside dcs_*, one missing from the committed list.
  { cat "$tmp/actual.txt"; echo "_ZN3dcs4core6Signer4signEv"; } | LC_ALL=C sort >"$tmp/stray.txt"
  must_fail "an exported C++ symbol" check_symbols "$symbols" "$tmp/stray.txt"
  { cat "$tmp/actual.txt"; echo "dcs_selftest_unlisted"; } | LC_ALL=C sort >"$tmp/unlisted.txt"
  must_fail "an unlisted dcs_* symbol" check_symbols "$symbols" "$tmp/unlisted.txt"
}

if [[ ! -e $lib ]]; then
  echo "no $lib: build first (scripts/build.sh)" >&2
  exit 1
fi
case ${1:-} in
  --update)
    build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$(dirname "$(dirname "$lib")")/CMakeCache.txt")
    if [[ $build_type != RelWithDebInfo ]]; then
      echo "the baseline must come from a RelWithDebInfo build, not '$build_type'" >&2
      exit 1
    fi
    dump_abi "$lib" "$baseline"
    exported_symbols "$lib" >"$symbols"
    echo "wrote $baseline and $symbols: review the diff before committing"
    ;;
  --self-test)
    self_test
    ;;
  "")
    actual=$(mktemp)
    trap 'rm -f "$actual"' EXIT
    exported_symbols "$lib" >"$actual"
    status=0
    check_symbols "$symbols" "$actual" || status=1
    check_abi "$baseline" "$lib" || status=1
    exit "$status"
    ;;
  *)
    echo "usage: abi.sh [--update|--self-test]" >&2
    exit 2
    ;;
esac

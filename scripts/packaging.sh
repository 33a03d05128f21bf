#!/usr/bin/env bash
# Installs libdcs the ways its users do, each outside the repository and in a clean
# environment (env -i: no PKG_CONFIG_PATH, no LD_LIBRARY_PATH, nothing from build/ on any
# path), and ends each with a real restore against a dcs-emulator on loopback, checked
# from the emulator's side (one restore started, the instance's Redis data back to the
# backup):
#
#   1. version   one version: dcs.h, dcs.__version__, the wheel, libdcs.pc, the CMake
#                package, the Debian packages and dcsctl all say scripts/version.sh's
#   2. Python    scripts/python-dist.sh builds the sdist and, from it, the wheel, repaired by
#                auditwheel; a fresh virtual environment made by Debian's
#                `/usr/bin/python3 -m venv` installs that wheel file (--no-index) and
#                restores; another installs the sdist (pip builds libdcs) and restores
#   3. Debian    cpack builds libdcs1, libdcs-dev and libdcs-tools; `apt-get install ./...deb`
#                installs them system-wide; a C program is built with
#                `cc app.c $(pkg-config --cflags --libs libdcs)` and with find_package(libdcs)
#                (shared and static) and each restores; dcsctl restores; the packages are
#                purged again (also when a step fails), so later suites never find them
#   4. PEP 668   the system's python3 refuses pip installs and the scripts' python3 is the
#                project's virtual environment
#   5. Go        `go get github.com/libdcs/libdcs@vVERSION` from a module proxy built from
#                the repository, then `go build` compiles libdcs: tests/install/go_get.sh
#
# Needs root (apt-get) and what scripts/install-deps.sh installs, and network access to
# PyPI (pip fetches scikit-build-core to build the sdist, as it does for any user). About
# 4-5 minutes on 2 cores, mostly three builds of libdcs (the wheel, the sdist install, the
# Debian packages). The emulator is DCS_EMULATOR if set (scripts/test.sh sets it), else
# built from emulator/ into the temporary directory. PACKAGING_PARTS picks parts (default
# "python debian go pep668"); the version check always runs.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
source scripts/venv.sh
source scripts/emulator.sh
source tests/install/go_get.sh
# Nothing of a development build leaks into what is checked here.
unset PKG_CONFIG_PATH LD_LIBRARY_PATH CMAKE_PREFIX_PATH LIBRARY_PATH CPATH C_INCLUDE_PATH DCS_LIBRARY

version=$(scripts/version.sh --check)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
instance=6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b
backup=9f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19
work=$(mktemp -d /tmp/libdcs-packaging.XXXXXX)
chmod 755 "$work" # apt's sandbox user reads the .deb files from here
mkdir -p "$work/home" "$work/tmp" "$work/run" "$work/logs"
sudo_cmd=()
[[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
debs_installed=0

purge_debs() {
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get purge -y -qq \
    libdcs1 libdcs-dev libdcs-tools >/dev/null 2>&1 || true
}
cleanup() {
  local status=$?
  emulator_stop
  if [[ $debs_installed == 1 ]]; then
    echo "packaging: purging libdcs1, libdcs-dev, libdcs-tools"
    purge_debs
  fi
  rm -rf "$work"
  exit $status
}
trap cleanup EXIT

started=$SECONDS
summary=()
step_name=
step_start=0
step() {
  end_step
  step_name=$*
  step_start=$SECONDS
  printf '\n=== [%4ds] packaging: %s\n' $((SECONDS - started)) "$*"
}
end_step() {
  [[ -z $step_name ]] || summary+=("$(printf '%4ds  %s' $((SECONDS - step_start)) "$step_name")")
  step_name=
}
die() {
  echo "packaging: FAIL: $*" >&2
  exit 1
}
# run LOG COMMAND...: the command's output goes to LOG and is shown when it fails.
run() {
  local log=$work/logs/$1
  shift
  "$@" >"$log" 2>&1 || {
    cat "$log" >&2
    die "$* failed"
  }
}

# What a user's shell has: the system's PATH, a home and nothing of this repository.
# Settings that only say how to reach the package registries are passed on.
user_vars=(HOME="$work/home" TMPDIR="$work/tmp" LANG=C.UTF-8
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin)
for var in PIP_INDEX_URL PIP_EXTRA_INDEX_URL PIP_CERT PIP_TRUSTED_HOST SSL_CERT_FILE \
  http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY; do
  [[ -z ${!var:-} ]] || user_vars+=("$var=${!var}")
done
user_env() { env -i "${user_vars[@]}" "$@"; }

step "the emulator"
if [[ -z ${DCS_EMULATOR:-} || ! -x ${DCS_EMULATOR:-} ]]; then
  (cd emulator && go build -o "$work/dcs-emulator" ./cmd/dcs-emulator)
  DCS_EMULATOR=$work/dcs-emulator
fi
emulator_start --demo --timings fast
trap cleanup EXIT # emulator_start set its own
echo "dcs-emulator at $DCS_EMULATOR_URL"
restore_vars=(DCS_ENDPOINT="$DCS_EMULATOR_URL" HUAWEICLOUD_SDK_AK=DEMOACCESSKEY0000001
  HUAWEICLOUD_SDK_SK=demo-secret-key-0123456789abcdefghijklmnop
  HUAWEICLOUD_SDK_PROJECT_ID=0123456789abcdef0123456789abcdef
  DCS_TEST_INSTANCE=$instance DCS_TEST_BACKUP=$backup)

# The demo instance as seeded: its data holds "scratch", written after the backup.
reset_emulator() { curl -fsS -X POST "$DCS_EMULATOR_URL/_emulator/reset" >/dev/null; }
# expect_restored WHAT: the emulator started exactly one restore of the instance since the
# reset, and the instance's Redis data is the backup's again.
expect_restored() {
  local deadline=$((SECONDS + 30)) started data
  while :; do
    started=$(curl -fsS "$DCS_EMULATOR_URL/_emulator/instances/$instance" |
      python3 -c 'import json, sys; print(json.load(sys.stdin)["restores_started"])')
    # While the restore puts the data back, the instance's Redis is down (409).
    data=$(curl -fsS "$DCS_EMULATOR_URL/_emulator/instances/$instance/data" 2>/dev/null) || data=
    if [[ $started == 1 && $data != *scratch* && $data == *greeting* ]]; then
      echo "$1: 1 restore started, data restored: $data"
      return
    fi
    ((started <= 1)) || die "$1: $started restores started"
    ((SECONDS < deadline)) || die "$1: not restored within 30 s (restores started: $started, data: $data)"
    sleep 0.2
  done
}

step "version: one version, $version, from capi/include/dcs/dcs.h"
echo "dcs.h $version; bindings/python/src/dcs/__init__.py agrees (scripts/version.sh --check)"

# ---------------------------------------------------------------------------------------
part_python() {
  step "Python: sdist and auditwheel-repaired wheel (scripts/python-dist.sh)"
  run python-dist.log timeout 900 nice scripts/python-dist.sh "$work/python-dist"
  sdist=$work/python-dist/libdcs-$version.tar.gz
  shopt -s nullglob
  wheels=("$work"/python-dist/libdcs-"$version"-py3-none-manylinux_*_"$(uname -m)".whl)
  shopt -u nullglob
  [[ -f $sdist ]] || die "no sdist libdcs-$version.tar.gz"
  ((${#wheels[@]} == 1)) || die "expected one manylinux wheel, got: $(ls "$work/python-dist")"
  wheel=${wheels[0]}
  echo "sdist: $(basename "$sdist")"
  echo "wheel: $(basename "$wheel") (auditwheel repair, libcurl.so.4 and libcrypto.so.3 left to the system)"
  # The wheel carries libdcs.so.1; of what it needs, only libcurl and OpenSSL's libcrypto are
  # outside the manylinux policy (glibc, libstdc++, libgcc_s), and they stay the system's.
  mkdir "$work/wheel"
  (cd "$work/wheel" && python3 -m zipfile -e "$wheel" .)
  [[ -f $work/wheel/dcs/libdcs.so.1 ]] || die "the wheel has no dcs/libdcs.so.1"
  needed=$(readelf -d "$work/wheel/dcs/libdcs.so.1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort)
  echo "dcs/libdcs.so.1 needs: $(tr '\n' ' ' <<<"$needed")"
  for lib in $needed; do
    case $lib in
      libc.so.6 | libm.so.6 | libstdc++.so.6 | libgcc_s.so.1 | libpthread.so.0 | libdl.so.2 | \
        librt.so.1 | ld-linux*.so.*) ;;
      libcurl.so.4 | libcrypto.so.3) ;;
      *) die "the wheel needs $lib, which is neither bundled nor libcurl/OpenSSL nor in the manylinux policy" ;;
    esac
  done
  grep -qx "Version: $version" "$work/wheel/libdcs-$version.dist-info/METADATA" ||
    die "the wheel's METADATA does not say Version: $version"

  cat >"$work/restore.py" <<'PY'
"""What a user runs after `pip install`: import dcs, restore the instance, wait for it."""

import importlib.metadata
import os
import pathlib
import sys

version, venv = sys.argv[1], pathlib.Path(sys.argv[2]).resolve()
import dcs  # noqa: E402

where = pathlib.Path(dcs.__file__).resolve()
assert where.is_relative_to(venv), f"dcs was imported from {where}, not from {venv}"
assert "DCS_LIBRARY" not in os.environ
assert dcs.__version__ == version, f"dcs.__version__ is {dcs.__version__}"
assert dcs.library_version() == version, f"the library says {dcs.library_version()}"
assert importlib.metadata.version("libdcs") == version
instance, backup = os.environ["DCS_TEST_INSTANCE"], os.environ["DCS_TEST_BACKUP"]
with dcs.Client(timeout=60) as client:
    mapped = {line.split()[-1] for line in open("/proc/self/maps") if "libdcs" in line}
    assert mapped, "no libdcs is mapped"
    for path in mapped:
        assert pathlib.Path(path).resolve().is_relative_to(venv), f"{path} is loaded"
    restore_id = client.restore_instance(instance, backup, "packaging test", preflight=True)
    record = client.wait_for_restore(instance, restore_id, poll_interval=0.2, timeout=60)
print(f"dcs {dcs.__version__} from {where.parent}, libdcs {dcs.library_version()} from "
      f"{', '.join(sorted(mapped))}: restore {restore_id} {record.status}")
sys.exit(0 if record.status == "succeed" else 1)
PY

  # python_restore VENV WHAT: runs restore.py with the environment's interpreter, from a
  # directory outside the repository.
  python_restore() {
    reset_emulator
    (cd "$work/run" && user_env "${restore_vars[@]}" timeout 120 "$1/bin/python" \
      "$work/restore.py" "$version" "$1") || die "$2: the restore failed"
    expect_restored "$2"
  }

  step "Python: a fresh venv (/usr/bin/python3 -m venv) installs the wheel file, restores"
  user_env /usr/bin/python3 -m venv "$work/venv-wheel"
  run pip-wheel.log user_env timeout 300 "$work/venv-wheel/bin/python" -m pip install \
    --no-index --disable-pip-version-check "$wheel"
  python_restore "$work/venv-wheel" "Python wheel"

  step "Python: a fresh venv installs the sdist (pip builds libdcs from it), restores"
  user_env /usr/bin/python3 -m venv "$work/venv-sdist"
  run pip-sdist.log user_env CMAKE_BUILD_PARALLEL_LEVEL=2 timeout 900 nice \
    "$work/venv-sdist/bin/python" -m pip install --disable-pip-version-check "$sdist"
  python_restore "$work/venv-sdist" "Python sdist"
}

# ---------------------------------------------------------------------------------------
part_debian() {
  step "Debian: cpack builds libdcs1, libdcs-dev and libdcs-tools (scripts/debian-packages.sh)"
  mkdir -m 755 "$work/debs"
  run debian-packages.log env DEB_BUILD_DIR="$work/build-deb" CMAKE_BUILD_PARALLEL_LEVEL=2 \
    timeout 900 nice scripts/debian-packages.sh "$work/debs"
  arch=$(dpkg --print-architecture)
  for package in libdcs1 libdcs-dev libdcs-tools; do
    file=$work/debs/${package}_${version}-1_$arch.deb
    [[ -f $file ]] || die "cpack made no $(basename "$file")"
    chmod 644 "$file"
    printf '%s: %s\n' "$(basename "$file")" "$(dpkg-deb -f "$file" Depends)"
  done
  deb() { echo "$work/debs/${1}_${version}-1_$arch.deb"; }
  for package in libdcs1 libdcs-tools; do
    depends=$(dpkg-deb -f "$(deb $package)" Depends)
    [[ $depends =~ (^|, )libcurl4( |,|$) && $depends =~ (^|, )libssl3( |,|$) ]] ||
      die "$package does not depend on libcurl4 and libssl3: $depends"
  done
  depends=$(dpkg-deb -f "$(deb libdcs-dev)" Depends)
  for needed in "libdcs1 (= $version-1)" libcurl4-openssl-dev libssl-dev; do
    [[ $depends == *"$needed"* ]] || die "libdcs-dev does not depend on $needed: $depends"
  done
  contents() { dpkg-deb -c "$(deb "$1")" | awk '{print $6}'; }
  for expected in "libdcs1 ./usr/lib/$multiarch/libdcs.so.$version" \
    "libdcs1 ./usr/lib/$multiarch/libdcs.so.1" \
    "libdcs-dev ./usr/include/dcs/dcs.h" "libdcs-dev ./usr/lib/$multiarch/libdcs.so" \
    "libdcs-dev ./usr/lib/$multiarch/libdcs.a" \
    "libdcs-dev ./usr/lib/$multiarch/pkgconfig/libdcs.pc" \
    "libdcs-dev ./usr/lib/$multiarch/cmake/libdcs/libdcsConfig.cmake" \
    "libdcs-tools ./usr/bin/dcsctl"; do
    contents "${expected%% *}" | grep -qx -- "${expected#* }" ||
      die "${expected%% *} does not hold ${expected#* }"
  done
  echo "contents and Depends as expected"

  step "Debian: apt-get install ./libdcs1_*.deb ./libdcs-dev_*.deb ./libdcs-tools_*.deb"
  if user_env pkg-config --exists libdcs || user_env sh -c 'command -v dcsctl' >/dev/null; then
    die "a libdcs is installed already ($(user_env pkg-config --variable=pcfiledir libdcs 2>/dev/null)" \
      "$(user_env sh -c 'command -v dcsctl' || true)): remove it first, the check would not be meaningful"
  fi
  debs_installed=1
  (cd "$work/debs" && DEBIAN_FRONTEND=noninteractive run apt-install.log timeout 300 \
    "${sudo_cmd[@]}" apt-get install -y ./libdcs1_*.deb ./libdcs-dev_*.deb ./libdcs-tools_*.deb)
  dpkg-query -W -f='${Package} ${Version} ${Status}\n' libdcs1 libdcs-dev libdcs-tools

  step "Debian: cc app.c \$(pkg-config --cflags --libs libdcs), restores"
  mkdir "$work/c"
  cp tests/install/consumer.c "$work/c/app.c"
  [[ $(user_env pkg-config --modversion libdcs) == "$version" ]] || die "libdcs.pc is not $version"
  [[ $(user_env pkg-config --variable=pcfiledir libdcs) == /usr/lib/$multiarch/pkgconfig ]] ||
    die "pkg-config found libdcs.pc elsewhere"
  echo "pkg-config --cflags --libs libdcs: $(user_env pkg-config --cflags --libs libdcs)"
  (cd "$work/c" && user_env sh -c \
    'cc -std=c99 -pedantic -Wall -Wextra -Werror -o app app.c $(pkg-config --cflags --libs libdcs)')
  loaded=$(user_env ldd "$work/c/app" | awk '$1 == "libdcs.so.1" {print $3}')
  [[ $loaded == /usr/lib/$multiarch/libdcs.so.1 || $loaded == /lib/$multiarch/libdcs.so.1 ]] ||
    die "app loads libdcs.so.1 from '$loaded'"
  echo "app loads $loaded"
  reset_emulator
  (cd "$work/run" && user_env "${restore_vars[@]}" timeout 60 "$work/c/app") || die "app failed"
  expect_restored "C, pkg-config"
  (cd "$work/c" && user_env sh -c \
    'cc -std=c99 -pedantic -Wall -Wextra -Werror -o app_static app.c $(pkg-config --cflags --libs libdcs-static)')
  ! user_env ldd "$work/c/app_static" | grep -q 'libdcs\.so' || die "app_static needs libdcs.so"
  user_env "$work/c/app_static" --version

  step "Debian: find_package(libdcs) in a CMake project (shared and static), restores"
  mkdir "$work/cmake-app"
  cp tests/install/consumer.c "$work/cmake-app/app.c"
  cat >"$work/cmake-app/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.20)
project(app LANGUAGES C)
find_package(libdcs $version EXACT REQUIRED CONFIG)
add_executable(app_shared app.c)
target_link_libraries(app_shared PRIVATE libdcs::dcs)
add_executable(app_static app.c)
target_link_libraries(app_static PRIVATE libdcs::dcs_static)
CMAKE
  run cmake-app.log user_env cmake -S "$work/cmake-app" -B "$work/cmake-app/build" -G Ninja
  grep -qx "libdcs_DIR:PATH=/usr/lib/$multiarch/cmake/libdcs" "$work/cmake-app/build/CMakeCache.txt" ||
    die "find_package found another libdcs: $(grep libdcs_DIR "$work/cmake-app/build/CMakeCache.txt")"
  run cmake-app-build.log user_env cmake --build "$work/cmake-app/build"
  for app in app_shared app_static; do
    reset_emulator
    (cd "$work/run" && user_env "${restore_vars[@]}" timeout 60 "$work/cmake-app/build/$app") ||
      die "$app failed"
    expect_restored "C, find_package, $app"
  done

  step "Debian: dcsctl (libdcs-tools) restores"
  [[ $(user_env sh -c 'command -v dcsctl') == /usr/bin/dcsctl ]] || die "dcsctl is not /usr/bin/dcsctl"
  user_env dcsctl version | head -1 | grep -qx "dcsctl $version" || die "dcsctl version is not $version"
  reset_emulator
  (cd "$work/run" && user_env "${restore_vars[@]}" timeout 120 dcsctl restore --instance "$instance" \
    --backup "$backup" --remark "packaging test" --wait) || die "dcsctl restore failed"
  expect_restored "dcsctl"

  step "Debian: apt-get purge"
  purge_debs
  debs_installed=0
  for gone in /usr/include/dcs/dcs.h "/usr/lib/$multiarch/libdcs.so.1" /usr/bin/dcsctl; do
    [[ ! -e $gone ]] || die "$gone is still there after the purge"
  done
  echo "purged: no dcs.h, libdcs.so.1 or dcsctl left"
}

# ---------------------------------------------------------------------------------------
part_pep668() {
  step "PEP 668: the system interpreter is never installed into"
  stdlib=$(/usr/bin/python3 -c 'import sysconfig; print(sysconfig.get_path("stdlib"))')
  if [[ -f $stdlib/EXTERNALLY-MANAGED ]] && /usr/bin/python3 -m pip --version >/dev/null 2>&1; then
    if out=$(/usr/bin/python3 -m pip install --dry-run --no-index pytest 2>&1); then
      die "/usr/bin/python3 -m pip install is not refused although $stdlib/EXTERNALLY-MANAGED exists"
    fi
    grep -q externally-managed-environment <<<"$out" || die "unexpected pip error: $out"
    echo "/usr/bin/python3 -m pip install: refused (externally-managed-environment)"
  fi
  [[ $(command -v python3) == "$DCS_VENV/bin/python3" ]] || die "python3 is $(command -v python3)"
  python3 -c 'import sys; assert sys.prefix != sys.base_prefix, sys.prefix; print(f"the scripts use {sys.prefix} (Python {sys.version.split()[0]} from {sys.base_prefix})")'
}

for part in ${PACKAGING_PARTS:-python debian go pep668}; do
  "part_$part"
done
end_step

printf '\n=== packaging summary (%ds)\n' $((SECONDS - started))
printf '%s\n' "${summary[@]}"
echo "packaging: all checks passed"

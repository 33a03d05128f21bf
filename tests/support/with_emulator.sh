#!/usr/bin/env bash
# Runs a command against a freshly started dcs-emulator (--demo --timings fast), configured
# the way a user configures libdcs: HUAWEICLOUD_SDK_AK/SK/PROJECT_ID and DCS_ENDPOINT hold
# the demo values (DCS_EMULATOR_URL holds the base URL too). The emulator is stopped on exit.
#
#   with_emulator.sh EMULATOR [--expect-restores N] [--expect-output REGEX] -- COMMAND [ARGS...]
#
# --expect-restores N   fail unless the emulator started exactly N restores
# --expect-output REGEX fail unless the command's stdout matches REGEX (grep -E)
set -euo pipefail

emulator=${1:?usage: with_emulator.sh EMULATOR [options] -- COMMAND [ARGS...]}
shift
expect_restores=
expect_output=
while [[ $# -gt 0 && $1 != -- ]]; do
  case $1 in
    --expect-restores) expect_restores=$2; shift 2 ;;
    --expect-output) expect_output=$2; shift 2 ;;
    *) echo "with_emulator.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ ${1:-} == -- ]] && shift
[[ $# -gt 0 ]] || { echo "with_emulator.sh: no command given" >&2; exit 2; }

workdir=$(mktemp -d)
emulator_pid=
cleanup() {
  if [[ -n $emulator_pid ]]; then
    kill -TERM "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT

"$emulator" --listen 127.0.0.1:0 --demo --timings fast >"$workdir/url" 2>"$workdir/emulator.log" &
emulator_pid=$!

# The first stdout line is the base URL; wait for it (at most 20 s).
url=
for _ in $(seq 200); do
  if IFS= read -r url <"$workdir/url" 2>/dev/null && [[ -n $url ]]; then
    break
  fi
  if ! kill -0 "$emulator_pid" 2>/dev/null; then
    break
  fi
  sleep 0.1
done
if [[ -z $url ]]; then
  echo "with_emulator.sh: dcs-emulator did not start:" >&2
  cat "$workdir/emulator.log" >&2
  exit 1
fi

export HUAWEICLOUD_SDK_AK=DEMOACCESSKEY0000001
export HUAWEICLOUD_SDK_SK=demo-secret-key-0123456789abcdefghijklmnop
export HUAWEICLOUD_SDK_PROJECT_ID=0123456789abcdef0123456789abcdef
export DCS_ENDPOINT=$url
export DCS_EMULATOR_URL=$url
unset DCS_REGION HUAWEICLOUD_SDK_SECURITY_TOKEN

status=0
"$@" >"$workdir/stdout" || status=$?
cat "$workdir/stdout"
if [[ $status -ne 0 ]]; then
  echo "with_emulator.sh: $1 exited with status $status" >&2
  exit "$status"
fi

if [[ -n $expect_output ]] && ! grep -Eq -- "$expect_output" "$workdir/stdout"; then
  echo "with_emulator.sh: the output does not match /$expect_output/" >&2
  exit 1
fi

if [[ -n $expect_restores ]]; then
  stats=$(curl -fsS "$url/_emulator/stats")
  started=$(sed -n 's/.*"restores_started":\([0-9]*\).*/\1/p' <<<"$stats")
  if [[ $started != "$expect_restores" ]]; then
    echo "with_emulator.sh: expected $expect_restores restore(s) started, the emulator says $started ($stats)" >&2
    exit 1
  fi
fi

#!/usr/bin/env bash
# Helpers to start and stop a dcs-emulator from a script; source this file.
#   emulator_start [ARGS...]   starts build/dcs-emulator on a free loopback port and sets
#                              DCS_EMULATOR_URL and DCS_EMULATOR_PID
#   emulator_stop              stops it (also run on EXIT by emulator_start's trap)

emulator_start() {
  local binary=${DCS_EMULATOR:-build/dcs-emulator}
  local log
  log=$(mktemp)
  coproc DCS_EMULATOR_PROC { exec "$binary" --listen 127.0.0.1:0 "$@" 2>"$log"; }
  DCS_EMULATOR_PID=$DCS_EMULATOR_PROC_PID
  if ! IFS= read -r -t 20 DCS_EMULATOR_URL <&"${DCS_EMULATOR_PROC[0]}"; then
    echo "dcs-emulator did not start:" >&2
    cat "$log" >&2
    return 1
  fi
  export DCS_EMULATOR_URL DCS_EMULATOR_PID
  trap emulator_stop EXIT
}

emulator_stop() {
  if [[ -n ${DCS_EMULATOR_PID:-} ]] && kill -0 "$DCS_EMULATOR_PID" 2>/dev/null; then
    kill -TERM "$DCS_EMULATOR_PID"
    wait "$DCS_EMULATOR_PID" 2>/dev/null || true
  fi
  DCS_EMULATOR_PID=
}

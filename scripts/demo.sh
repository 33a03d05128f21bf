#!/usr/bin/env bash
# The demo: on a fresh machine, installs what libdcs needs, builds it, starts the local
# DCS emulator with a demo instance (real Redis data) and a backup of it, and restores the
# instance from that backup with dcsctl, showing the data before and after.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/build.sh

source scripts/emulator.sh
emulator_start --demo --timings realistic
echo "dcs-emulator listening at $DCS_EMULATOR_URL"

export HUAWEICLOUD_SDK_AK=DEMOACCESSKEY0000001
export HUAWEICLOUD_SDK_SK=demo-secret-key-0123456789abcdefghijklmnop
export HUAWEICLOUD_SDK_PROJECT_ID=0123456789abcdef0123456789abcdef
export DCS_ENDPOINT=$DCS_EMULATOR_URL
instance=6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b
backup=9f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19

show_data() {
  echo "Redis data of the instance $1:"
  curl -fsS "$DCS_EMULATOR_URL/_emulator/instances/$instance/data"
  echo
}

echo
build/cli/dcsctl instance show --instance "$instance"
echo
build/cli/dcsctl backups list --instance "$instance"
echo
show_data "before the restore (scratch was written after the backup)"
echo
build/cli/dcsctl restore --instance "$instance" --backup "$backup" \
  --remark "libdcs demo" --wait --wait-instance
echo
show_data "after the restore (back to the backup: scratch is gone)"

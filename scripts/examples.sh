#!/usr/bin/env bash
# Runs the Go and Terraform examples as a user would, each against a fresh demo emulator,
# and checks that each really restored the demo instance's Redis data (the key written
# after the backup is gone). Needs build/ (scripts/build.sh) and, for Terraform, a CLI:
# TF_CLI_DIR (default build/tools) holds or receives terraform v1.5.7.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
source scripts/emulator.sh
export PKG_CONFIG_PATH=$root/build/pkgconfig
export HUAWEICLOUD_SDK_AK=DEMOACCESSKEY0000001
export HUAWEICLOUD_SDK_SK=demo-secret-key-0123456789abcdefghijklmnop
export HUAWEICLOUD_SDK_PROJECT_ID=0123456789abcdef0123456789abcdef
instance=6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b
backup=9f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19
work=$(mktemp -d)
trap 'emulator_stop; rm -rf "$work"' EXIT

expect_restored() {
  local data
  data=$(curl -fsS "$DCS_EMULATOR_URL/_emulator/instances/$instance/data")
  if [[ $data == *scratch* || $data != *greeting* ]]; then
    echo "$1: the instance's data was not restored: $data" >&2
    exit 1
  fi
  echo "$1: data restored ($data)"
}

echo "== Go example (libdcs linked statically)"
(cd examples/go/restore && go build -tags dcs_static -o "$work/restore" .)
emulator_start --demo --timings fast
DCS_ENDPOINT=$DCS_EMULATOR_URL "$work/restore" -instance "$instance" -backup "$backup"
expect_restored "Go example"
emulator_stop

echo "== Terraform example with dev_overrides"
cli_dir=${TF_CLI_DIR:-$root/build/tools}
bindings/terraform/scripts/build-terraform-cli.sh "$cli_dir"
(cd bindings/terraform && go build -tags dcs_static -o "$work/provider/terraform-provider-dcs" .)
cat >"$work/dev.tfrc" <<TFRC
provider_installation {
  dev_overrides {
    "libdcs/dcs" = "$work/provider"
  }
  direct {}
}
TFRC
cp examples/terraform/main.tf "$work/"
emulator_start --demo --timings fast
(
  cd "$work"
  export TF_CLI_CONFIG_FILE=$work/dev.tfrc CHECKPOINT_DISABLE=1 DCS_ENDPOINT=$DCS_EMULATOR_URL
  "$cli_dir/terraform" apply -auto-approve -no-color >"$work/apply.log" 2>&1 ||
    { cat "$work/apply.log"; exit 1; }
  grep -E '^(Apply complete|restore_)' "$work/apply.log"
  "$cli_dir/terraform" destroy -auto-approve -no-color >"$work/destroy.log" 2>&1 ||
    { cat "$work/destroy.log"; exit 1; }
  grep -E '^Destroy complete' "$work/destroy.log"
)
expect_restored "Terraform example"

#!/usr/bin/env bash
# Installs the provider as a user does, with `terraform init` from a filesystem mirror (no
# dev_overrides), and restores the emulator's demo instance with examples/terraform:
#
#   1. scripts/mirror.sh builds the provider and lays out the mirror in a temporary directory;
#   2. in another temporary directory outside the repository, with a clean environment (a
#      fresh HOME, a CLI config that names only the mirror, no TF_* variables, no path into
#      build/ but the CLI's own, outbound HTTP(S) sent to a dead proxy so that any registry
#      access fails), `terraform init` must install libdcs/dcs at libdcs's version and write
#      .terraform.lock.hcl with the package's h1: hash;
#   3. `terraform apply -auto-approve` against a --demo dcs-emulator on loopback: the
#      emulator's admin API must count exactly one restore started, and the data restored;
#   4. `terraform plan -detailed-exitcode` must find nothing to do (exit 0), and start nothing.
#
# usage: mirror-test.sh [CLI]   CLI: a terraform or tofu binary (default: $TERRAFORM, else
#                               $TF_ACC_TERRAFORM_PATH, else <repo>/build/tools/terraform)
# Environment: MIRROR_DIR reuses a mirror made by mirror.sh instead of building one;
# DCS_EMULATOR (default <repo>/build/dcs-emulator).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
repo=$(cd "$here/../.." && pwd)
cli=${1:-${TERRAFORM:-${TF_ACC_TERRAFORM_PATH:-$repo/build/tools/terraform}}}
cli=$(cd "$(dirname "$cli")" && pwd)/$(basename "$cli")
[[ -x $cli ]] || { echo "mirror-test.sh: no CLI at $cli" >&2; exit 1; }
export DCS_EMULATOR=${DCS_EMULATOR:-$repo/build/dcs-emulator}
version=$("$repo/scripts/version.sh")
instance=6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b

cli_version=$(env -i HOME=/nonexistent "$cli" version 2>/dev/null | sed -n 1p || true)
if [[ $cli_version == OpenTofu* ]]; then
  host=registry.opentofu.org
else
  host=registry.terraform.io
fi

work=$(mktemp -d)
source "$repo/scripts/emulator.sh"
cleanup() { emulator_stop; rm -rf "$work"; }
trap cleanup EXIT

mirror=${MIRROR_DIR:-$work/mirror}
if [[ -z ${MIRROR_DIR:-} ]]; then
  "$here/scripts/mirror.sh" "$mirror" >"$work/mirror.log" || { cat "$work/mirror.log" >&2; exit 1; }
fi
mirror=$(cd "$mirror" && pwd)
expected_h1=$(sed -n 's/.*"\(h1:[^"]*\)".*/\1/p' "$mirror/$host/libdcs/dcs/$version.json")
[[ -n $expected_h1 ]] || { echo "mirror-test.sh: no $version in $mirror/$host" >&2; exit 1; }

# The user's side: a directory outside the repository, the example's configuration, and a CLI
# config that installs libdcs/dcs from the mirror only.
project=$work/project
mkdir -p "$project" "$work/home"
cp "$repo/examples/terraform/main.tf" "$project/"
cat >"$work/cli.tfrc" <<TFRC
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/libdcs/dcs", "registry.opentofu.org/libdcs/dcs"]
  }
  direct {
    exclude = ["registry.terraform.io/libdcs/dcs", "registry.opentofu.org/libdcs/dcs"]
  }
}
TFRC

emulator_start --demo --timings fast
trap cleanup EXIT # emulator_start set its own

# Runs the CLI in the project with only what a user would set: the CLI config, the
# credentials and the endpoint. Every command is bounded in time.
tf() {
  (cd "$project" && env -i \
    HOME="$work/home" PATH=/usr/local/bin:/usr/bin:/bin TMPDIR="$work" \
    TF_CLI_CONFIG_FILE="$work/cli.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 \
    HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 \
    https_proxy=http://127.0.0.1:9 NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost \
    DCS_ENDPOINT="$DCS_EMULATOR_URL" \
    HUAWEICLOUD_SDK_AK=DEMOACCESSKEY0000001 \
    HUAWEICLOUD_SDK_SK=demo-secret-key-0123456789abcdefghijklmnop \
    HUAWEICLOUD_SDK_PROJECT_ID=0123456789abcdef0123456789abcdef \
    timeout 120 "$cli" "$@" -no-color)
}

restores_started() {
  curl -fsS "$DCS_EMULATOR_URL/_emulator/instances/$instance" |
    sed -n 's/.*"restores_started": *\([0-9][0-9]*\).*/\1/p'
}

echo "== $cli_version: init from the mirror"
tf init -input=false >"$work/init.log" 2>&1 || { cat "$work/init.log" >&2; exit 1; }
grep -E "Installing|Installed" "$work/init.log"
lock=$project/.terraform.lock.hcl
[[ -f $lock ]] || { echo "no .terraform.lock.hcl" >&2; exit 1; }
if ! grep -q "provider \"$host/libdcs/dcs\"" "$lock" ||
  ! grep -q "version *= \"$version\"" "$lock" ||
  ! grep -qF "\"$expected_h1\"" "$lock"; then
  echo "the lock file does not record $host/libdcs/dcs $version with $expected_h1:" >&2
  cat "$lock" >&2
  exit 1
fi
echo "lock file: $host/libdcs/dcs $version $expected_h1"

echo "== apply"
[[ $(restores_started) == 0 ]] || { echo "restores started before the apply" >&2; exit 1; }
tf apply -input=false -auto-approve >"$work/apply.log" 2>&1 || { cat "$work/apply.log" >&2; exit 1; }
grep -E '^(Apply complete|restore_)' "$work/apply.log"
started=$(restores_started)
[[ $started == 1 ]] || { echo "expected 1 restore started, the emulator counts $started" >&2; exit 1; }
data=$(curl -fsS "$DCS_EMULATOR_URL/_emulator/instances/$instance/data")
if [[ $data == *scratch* || $data != *greeting* ]]; then
  echo "the instance's data was not restored: $data" >&2
  exit 1
fi
echo "emulator: 1 restore started, data restored"

echo "== plan"
status=0
tf plan -input=false -detailed-exitcode >"$work/plan.log" 2>&1 || status=$?
if [[ $status != 0 ]]; then
  echo "plan after apply is not empty (exit $status):" >&2
  cat "$work/plan.log" >&2
  exit 1
fi
started=$(restores_started)
[[ $started == 1 ]] || { echo "the plan started a restore ($started in all)" >&2; exit 1; }
grep -E '^No changes' "$work/plan.log"
echo "mirror test passed with $(basename "$cli")"

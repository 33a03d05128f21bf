#!/bin/sh
# Builds the Terraform CLI the acceptance tests drive, from source through the Go module
# proxy: release binaries cannot be downloaded here (no internet), and terraform-plugin-testing
# needs a real CLI. v1.5.7 is the last MPL-licensed release.
#
# usage: build-terraform-cli.sh DIR   -> DIR/terraform (skipped when already that version)
set -eu

TERRAFORM_VERSION=${TERRAFORM_VERSION:-1.5.7}
dir=${1:?usage: build-terraform-cli.sh DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
bin="$dir/terraform"

if [ -x "$bin" ] && TF_CLI_CONFIG_FILE=/dev/null "$bin" version 2>/dev/null | head -n1 | grep -qx "Terraform v$TERRAFORM_VERSION"; then
    echo "terraform v$TERRAFORM_VERSION already at $bin"
    exit 0
fi

# A build takes several minutes on two cores; serialise concurrent callers.
exec 9>"$dir/.build.lock"
flock 9
if [ -x "$bin" ] && TF_CLI_CONFIG_FILE=/dev/null "$bin" version 2>/dev/null | head -n1 | grep -qx "Terraform v$TERRAFORM_VERSION"; then
    echo "terraform v$TERRAFORM_VERSION already at $bin"
    exit 0
fi
echo "building terraform v$TERRAFORM_VERSION into $dir (several minutes)"
GOBIN="$dir" GOFLAGS=-buildvcs=false CGO_ENABLED=0 go install "github.com/hashicorp/terraform@v$TERRAFORM_VERSION"
TF_CLI_CONFIG_FILE=/dev/null "$bin" version | head -n1

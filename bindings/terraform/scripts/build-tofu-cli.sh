#!/bin/sh
# Builds the OpenTofu CLI from source through the Go module proxy, for the mirror test
# (TOFU=DIR/tofu scripts/test.sh). `go install github.com/opentofu/opentofu/cmd/tofu@VERSION`
# is refused ("The go.mod file ... contains one or more replace directives": OpenTofu replaces
# hashicorp/hcl with its fork since v1.7), so this downloads the module and builds it as the
# main module, where its replace applies. Slow: about 8 minutes of two cores the first time.
# The binary reports "vVERSION-dev" (no release ldflags).
#
# usage: build-tofu-cli.sh DIR   -> DIR/tofu
set -eu

TOFU_VERSION=${TOFU_VERSION:-1.12.6}
dir=${1:?usage: build-tofu-cli.sh DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
src=$(go mod download -json "github.com/opentofu/opentofu@v$TOFU_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -d "$src" ] || { echo "build-tofu-cli.sh: no module source for v$TOFU_VERSION" >&2; exit 1; }
(cd "$src" && GOFLAGS=-buildvcs=false CGO_ENABLED=0 go build -o "$dir/tofu" ./cmd/tofu)
TF_CLI_CONFIG_FILE=/dev/null "$dir/tofu" version 2>/dev/null | grep "^OpenTofu"

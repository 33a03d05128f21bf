#!/bin/sh
# Runs the provider's checks: gofmt, go vet, the unit tests (no CLI, no libdcs), the static
# link check, the acceptance tests with a real Terraform CLI against dcs-emulator, the
# install from a provider mirror (scripts/mirror-test.sh) and the generated docs' check.
#
# Environment: TF_CLI_DIR (default <repo>/build/tools) holds or receives the CLI;
# TF_ACC_TERRAFORM_PATH overrides it; SKIP_ACC=1 runs only what needs no CLI; TOFU (a tofu
# binary) also runs the mirror test with OpenTofu.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$here"
export PKG_CONFIG_PATH="$repo/build/pkgconfig"

echo "== gofmt"
unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
    echo "not gofmt-clean: $unformatted" >&2
    exit 1
fi

echo "== go vet"
go vet -tags dcs_static ./...

echo "== unit tests"
go test -count=1 -timeout 120s ./internal/provider/

echo "== provider binary, libdcs linked statically"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
go build -tags dcs_static -o "$out/terraform-provider-dcs" .
if ldd "$out/terraform-provider-dcs" | grep -q libdcs; then
    echo "the provider binary depends on a shared libdcs:" >&2
    ldd "$out/terraform-provider-dcs" >&2
    exit 1
fi

if [ "${SKIP_ACC:-}" = 1 ]; then
    echo "== acceptance tests skipped (SKIP_ACC=1)"
    exit 0
fi
echo "== acceptance tests"
if [ -z "${TF_ACC_TERRAFORM_PATH:-}" ]; then
    cli_dir=${TF_CLI_DIR:-$repo/build/tools}
    "$here/scripts/build-terraform-cli.sh" "$cli_dir"
    export TF_ACC_TERRAFORM_PATH="$cli_dir/terraform"
fi
# The tests' own configuration only: no user CLI config (dev_overrides would hijack them).
export TF_CLI_CONFIG_FILE="$here/testdata/empty.terraformrc"
export TF_ACC=1 CHECKPOINT_DISABLE=1
export DCS_EMULATOR="${DCS_EMULATOR:-$repo/build/dcs-emulator}"
status=0
# Every acceptance test, TestAccFaultMatrix (the resource's column of the cross-layer fault
# matrix, tests/reliability/fault_matrix.json) included.
go test -tags dcs_static -count=1 -timeout 10m -v ./internal/acceptance/ >"$out/acc.log" 2>&1 || status=$?
# The framework logs a lot; show the verdicts (and the matrix's table), and everything when
# something failed.
grep -E '^ *(=== RUN|--- |PASS|FAIL|ok)|_test.go:' "$out/acc.log" || true
if [ "$status" -ne 0 ]; then
    cat "$out/acc.log" >&2
    exit "$status"
fi
# Here every test has what it needs (CLI, emulator, TF_ACC): a skip would be a silent pass.
if grep -E -- '--- SKIP' "$out/acc.log" >&2; then
    echo "acceptance tests were skipped" >&2
    exit 1
fi
if ! grep -q -- '--- PASS: TestAccFaultMatrix ' "$out/acc.log"; then
    echo "TestAccFaultMatrix did not run" >&2
    exit 1
fi

# Installed as a user installs it: `terraform init` from a filesystem mirror (no
# dev_overrides), in a directory outside the repository with a clean environment, then
# examples/terraform applied against the emulator (exactly one restore) and an empty plan.
echo "== provider mirror: terraform init, apply, plan"
"$here/scripts/mirror.sh" "$out/mirror" >"$out/mirror.log" || { cat "$out/mirror.log" >&2; exit 1; }
MIRROR_DIR="$out/mirror" "$here/scripts/mirror-test.sh" "$TF_ACC_TERRAFORM_PATH"
# TOFU=/path/to/tofu runs the same with OpenTofu (see README.md for building one).
if [ -n "${TOFU:-}" ]; then
    MIRROR_DIR="$out/mirror" "$here/scripts/mirror-test.sh" "$TOFU"
fi

# docs/ is generated (go generate: tfplugindocs from the schema, templates/ and examples/);
# a schema or template change without regenerated docs fails here.
echo "== docs/ matches tfplugindocs' output"
MIRROR_DIR="$out/mirror" "$here/scripts/docs.sh" "$out/docs"
if ! diff -ru "$here/docs" "$out/docs" >&2; then
    echo "docs/ differs from the generated documentation: run 'go generate' in bindings/terraform" >&2
    exit 1
fi

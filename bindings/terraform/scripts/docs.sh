#!/bin/sh
# Generates the provider's documentation from its schema with tfplugindocs (`go generate` in
# bindings/terraform runs `scripts/docs.sh docs`): the prose lives in templates/, the examples
# in examples/, every attribute's text in the schema (MarkdownDescription).
#
# tfplugindocs would build the provider itself with a plain `go build` (no dcs_static tag,
# so libdcs compiled once more from source) and may download a Terraform CLI; instead this
# script builds the provider with scripts/mirror.sh, installs it with `terraform init` from
# that mirror, reads the schema with `terraform providers schema -json` and gives it to
# tfplugindocs (--providers-schema), which then neither builds nor downloads anything.
#
# usage: docs.sh OUTDIR    writes the Markdown into OUTDIR (replacing what is there)
# Environment: TF_ACC_TERRAFORM_PATH (default <repo>/build/tools/terraform, built by
# build-terraform-cli.sh when missing); MIRROR_DIR reuses a mirror made by mirror.sh.
set -eu

# Pinned; bump deliberately (the output may change with it) and regenerate.
TFPLUGINDOCS=github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs@v0.25.0

out=${1:?usage: docs.sh OUTDIR}
here=$(cd "$(dirname "$0")/.." && pwd)
repo=$(cd "$here/../.." && pwd)
if [ -z "${TF_ACC_TERRAFORM_PATH:-}" ]; then
    "$here/scripts/build-terraform-cli.sh" "$repo/build/tools" >/dev/null
    TF_ACC_TERRAFORM_PATH="$repo/build/tools/terraform"
fi
cli=$TF_ACC_TERRAFORM_PATH

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mirror=${MIRROR_DIR:-$work/mirror}
if [ -z "${MIRROR_DIR:-}" ]; then
    "$here/scripts/mirror.sh" "$mirror" >"$work/mirror.log" || { cat "$work/mirror.log" >&2; exit 1; }
fi
mirror=$(cd "$mirror" && pwd)

mkdir -p "$work/schema"
cat >"$work/schema/main.tf" <<'TF'
terraform {
  required_providers {
    dcs = {
      source = "libdcs/dcs"
    }
  }
}
TF
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
(
    cd "$work/schema"
    export TF_CLI_CONFIG_FILE="$work/cli.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
    unset TF_ACC TF_LOG
    "$cli" init -input=false -no-color >"$work/init.log" 2>&1 || { cat "$work/init.log" >&2; exit 1; }
    "$cli" providers schema -json >"$work/schema.json"
)
# tfplugindocs finds a provider's schema under its short name (or as hashicorp/NAME).
sed 's#"registry\.[a-z.]*/libdcs/dcs"#"dcs"#' "$work/schema.json" >"$work/schema-dcs.json"

mkdir -p "$work/src"
cp -R "$here/templates" "$here/examples" "$work/src/"
(cd "$work" && go run "$TFPLUGINDOCS" generate \
    --provider-dir "$work/src" --provider-name dcs --rendered-provider-name DCS \
    --providers-schema "$work/schema-dcs.json" >"$work/tfplugindocs.log" 2>&1) ||
    { cat "$work/tfplugindocs.log" >&2; exit 1; }

rm -rf "$out"
mkdir -p "$out"
cp -R "$work/src/docs/." "$out/"

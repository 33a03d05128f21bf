#!/bin/sh
# Builds the provider (libdcs linked in statically) and lays it out as a provider mirror that
# `terraform init` (and `tofu init`) install from, with no dev_overrides and no registry:
#
#   OUTDIR/registry.terraform.io/libdcs/dcs/terraform-provider-dcs_VERSION_OS_ARCH.zip
#   OUTDIR/registry.terraform.io/libdcs/dcs/terraform-provider-dcs_VERSION_SHA256SUMS
#   OUTDIR/registry.terraform.io/libdcs/dcs/index.json, VERSION.json
#   OUTDIR/registry.opentofu.org/libdcs/dcs/...   the same files, for OpenTofu
#
# The zip is the "packed" layout of a filesystem mirror (provider_installation {
# filesystem_mirror { path = "OUTDIR" } }); index.json and VERSION.json make the same tree a
# network mirror (network_mirror { url = "https://HOST/OUTDIR/" }) when served over HTTPS.
# VERSION.json lists the package's hashes as Terraform writes them into .terraform.lock.hcl:
# "h1:" (the hash of the unpacked files, what a filesystem mirror install records) and "zh:"
# (the SHA-256 of the zip). OpenTofu's default registry host is registry.opentofu.org, so the
# source address "libdcs/dcs" means a different host there; the tree carries both hosts.
#
# The version is libdcs's (scripts/version.sh); the platform is Go's (GOOS_GOARCH). Only the
# build machine's platform is built: the provider needs cgo and libdcs built for its target.
#
# usage: mirror.sh OUTDIR     prints the version, the zip's path and its h1: hash
# Environment: PKG_CONFIG_PATH (default <repo>/build/pkgconfig) finds libdcs.
set -eu

out=${1:?usage: mirror.sh OUTDIR}
here=$(cd "$(dirname "$0")/.." && pwd)
repo=$(cd "$here/../.." && pwd)
export PKG_CONFIG_PATH="${PKG_CONFIG_PATH:-$repo/build/pkgconfig}"

version=$("$repo/scripts/version.sh")
platform="$(go env GOOS)_$(go env GOARCH)"
binary="terraform-provider-dcs_v$version"
zipname="terraform-provider-dcs_${version}_$platform.zip"

mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$here" && go build -tags dcs_static -trimpath -ldflags "-s -w -X main.version=$version" -o "$work/$binary" .)
if ldd "$work/$binary" | grep -q libdcs; then
    echo "mirror.sh: the provider binary depends on a shared libdcs" >&2
    exit 1
fi
# A fixed timestamp, so that the same binary gives the same zip (and zh: hash).
touch -t 198001010000 "$work/$binary"
# zip(1) when installed, else Python's zipfile (both keep the executable bit).
if command -v zip >/dev/null 2>&1; then
    (cd "$work" && TZ=UTC zip -q -X "$zipname" "$binary")
else
    (cd "$work" && TZ=UTC python3 -m zipfile -c "$zipname" "$binary")
fi

# h1: is golang.org/x/mod/sumdb/dirhash.Hash1 over the package's files: the SHA-256 of the
# lines "<sha256 hex>  <name>\n", sorted by name, in base64. The zip holds one file.
file_sum=$(sha256sum "$work/$binary" | cut -d' ' -f1)
h1="h1:$(printf '%s  %s\n' "$file_sum" "$binary" | openssl dgst -sha256 -binary | base64)"
zip_sum=$(sha256sum "$work/$zipname" | cut -d' ' -f1)

for host in registry.terraform.io registry.opentofu.org; do
    dir="$out/$host/libdcs/dcs"
    mkdir -p "$dir"
    # Other versions already in the mirror stay; this version's files are replaced.
    cp "$work/$zipname" "$dir/$zipname"
    printf '%s  %s\n' "$zip_sum" "$zipname" >"$dir/terraform-provider-dcs_${version}_SHA256SUMS"
    printf '{"archives":{"%s":{"url":"%s","hashes":["%s","zh:%s"]}}}\n' \
        "$platform" "$zipname" "$h1" "$zip_sum" >"$dir/$version.json"
    versions=$(for f in "$dir"/*.json; do
        v=$(basename "$f" .json)
        [ "$v" = index ] || printf '"%s":{},' "$v"
    done)
    printf '{"versions":{%s}}\n' "${versions%,}" >"$dir/index.json"
done

echo "version $version"
echo "package $out/registry.terraform.io/libdcs/dcs/$zipname"
echo "hash    $h1"

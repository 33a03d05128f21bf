# The Go part of scripts/packaging.sh (sourced by it; PACKAGING_PARTS=go runs it alone): a Go
# user gets the binding as any Go module, and nothing else:
#
#   1. the repository's modules that use the binding (the Terraform provider, bench/go,
#      examples/go/restore) require github.com/libdcs/libdcs at v$version, with no replace
#      directive; the go.work beside each maps that version to the tree
#   2. tests/install/goproxy lays out a module proxy (GOPROXY=file://) that serves the root
#      module at v$version, its zip made from the committed files as a release tag's would be
#   3. in a fresh module outside the repository, with a clean environment (a new HOME, so an
#      empty module and build cache; no PKG_CONFIG_PATH, LD_LIBRARY_PATH or CGO_* flags):
#      `go mod init`, `go get github.com/libdcs/libdcs@v$version`, `go build`: cgo compiles
#      libdcs's C++ sources out of the module cache (bindings/go/internal/libdcs)
#   4. the program needs no libdcs and nothing but the system's libcurl and OpenSSL beyond
#      the C/C++ runtime (ldd), reports libdcs $version, and restores against the emulator,
#      checked from the emulator's side
#
# Uses packaging.sh's helpers and variables (step, run, die, user_env, reset_emulator,
# expect_restored, restore_vars, root, work, version, multiarch).

part_go() {
  local module=github.com/libdcs/libdcs
  step "Go: the repository's modules require $module v$version, with no replace directive"
  local gomod requires
  # The files a commit of the working tree carries (tracked, or new and not ignored).
  for gomod in $(git -C "$root" ls-files --cached --others --exclude-standard '*go.mod'); do
    [[ -f $root/$gomod ]] || continue # deleted, not yet committed
    if grep -qE "$module.*=>" "$root/$gomod"; then
      die "$gomod replaces $module: $(grep -E "$module.*=>" "$root/$gomod")"
    fi
    requires=$(sed -n "s#^\(require\)\{0,1\}[[:space:]]*$module \(v[^ ]*\).*#\2#p" "$root/$gomod")
    [[ -z $requires || $requires == "v$version" ]] ||
      die "$gomod requires $module $requires, not v$version (scripts/version.sh)"
    [[ -z $requires ]] || echo "$gomod: requires $module $requires"
  done
  local gowork target
  for gowork in $(git -C "$root" ls-files --cached --others --exclude-standard '*go.work'); do
    [[ -f $root/$gowork ]] || continue
    target=$(sed -n "s#^replace $module v$version => \(.*\)#\1#p" "$root/$gowork")
    [[ -n $target && $(cd "$root/$(dirname "$gowork")/$target" && pwd) == "$root" ]] ||
      die "$gowork does not map $module v$version to the tree: $(grep replace "$root/$gowork")"
    echo "$gowork: replace $module v$version => $target"
  done

  step "Go: a module proxy serving $module v$version (tests/install/goproxy)"
  local proxy=$work/goproxy zip listing
  (cd "$root/tests/install/goproxy" && run goproxy.log go run . -repo "$root" -version "v$version" \
    -out "$proxy")
  cat "$work/logs/goproxy.log"
  zip=$proxy/$module/@v/v$version.zip
  listing=$(python3 -m zipfile -l "$zip" | awk 'NR > 1 {print $1}')
  for expected in core/src/transport.cpp capi/src/operations.cpp capi/include/dcs/dcs.h \
    bindings/go/link_source.go bindings/go/internal/libdcs/core_transport.cpp go.mod; do
    grep -qx "$module@v$version/$expected" <<<"$listing" || die "the module zip has no $expected"
  done
  ! grep -qE "^$module@v$version/(build[^/]*|emulator|bindings/terraform|\.venv)/" <<<"$listing" ||
    die "the module zip holds a build tree or another module's files"

  step "Go: go get $module@v$version and go build in a fresh module, cgo compiling libdcs"
  local app=$work/goapp
  mkdir "$app"
  # A user's shell, plus Go on PATH and the proxy. GONOSUMDB: the checksum database does not
  # know this version (go get records the proxy's hash in go.sum); -modcacherw lets the
  # cleanup remove the module cache.
  local system_path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
  local go_vars=(PATH="$(dirname "$(command -v go)"):$system_path" GOPROXY="file://$proxy"
    GONOSUMDB=$module GOTOOLCHAIN=local GOFLAGS=-modcacherw)
  go_user() { (cd "$app" && user_env "${go_vars[@]}" "$@"); }
  cat >"$app/main.go" <<'GO'
// What a Go user writes after `go get github.com/libdcs/libdcs`: restore an instance from a
// backup and wait until the restore is done. Credentials, project and endpoint come from the
// environment (HUAWEICLOUD_SDK_AK, ..., DCS_ENDPOINT).
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	dcs "github.com/libdcs/libdcs/bindings/go"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	client, err := dcs.NewClient(dcs.Config{})
	if err != nil {
		return err
	}
	defer client.Close()
	instance, backup := os.Getenv("DCS_TEST_INSTANCE"), os.Getenv("DCS_TEST_BACKUP")
	id, err := client.RestoreInstance(ctx, instance, backup, dcs.WithRemark("packaging test"),
		dcs.WithPreflight())
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	record, err := client.WaitForRestore(ctx, instance, id, dcs.WithPollInterval(200*time.Millisecond))
	if err != nil {
		return fmt.Errorf("wait: %w", err)
	}
	fmt.Printf("libdcs %s: restore %s %s\n", dcs.Version(), id, record.Status)
	if record.Status != dcs.RestoreSucceeded {
		return fmt.Errorf("restore %s ended %s", id, record.Status)
	}
	return nil
}
GO
  run go-mod-init.log go_user go mod init example.com/app
  run go-get.log go_user timeout 300 go get "$module@v$version"
  # "// indirect" until `go mod tidy`: `go get` of a module path does not read main.go's imports.
  grep -qE "^require $module v$version( // indirect)?$" "$app/go.mod" ||
    die "go.mod: $(cat "$app/go.mod")"
  grep -q "^$module v$version h1:" "$app/go.sum" || die "go.sum has no hash of $module v$version"
  echo "go.mod: require $module v$version; go.sum: $(grep -c . "$app/go.sum") lines"
  # timed LOG COMMAND...: runs the command with its output in LOG, prints the time it took.
  timed() {
    local log=$work/logs/$1 TIMEFORMAT='%0R s wall, %0U s user + %0S s system CPU' timing
    shift
    timing=$({ time "$@" >"$log" 2>&1; } 2>&1) || {
      cat "$log" >&2
      die "$* failed"
    }
    echo "$timing"
  }
  local first again # assigned apart from `local`, so that a failure stops the script (set -e)
  first=$(timed go-build.log go_user timeout 900 go build -o app .)
  echo "go build, first (empty build cache): $first"
  again=$(timed go-build-again.log go_user timeout 300 go build -o app-again .)
  echo "go build, again (cached): $again"

  step "Go: the program needs no libdcs, only the system's libcurl and OpenSSL; restores"
  local needed lib loaded
  needed=$(readelf -d "$app/app" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort)
  echo "app needs: $(tr '\n' ' ' <<<"$needed")"
  for lib in $needed; do
    case $lib in
      libc.so.6 | libm.so.6 | libstdc++.so.6 | libgcc_s.so.1 | libpthread.so.0 | libdl.so.2 | \
        librt.so.1 | libresolv.so.2 | ld-linux*.so.*) ;;
      libcurl.so.4 | libcrypto.so.3)
        loaded=$(user_env ldd "$app/app" | awk -v lib="$lib" '$1 == lib {print $3}')
        [[ $loaded == /usr/lib/$multiarch/$lib || $loaded == /lib/$multiarch/$lib ]] ||
          die "app loads $lib from '$loaded', not the system's"
        ;;
      *) die "app needs $lib: neither libcurl, OpenSSL nor the C/C++ runtime" ;;
    esac
  done
  grep -qw libcurl.so.4 <<<"$needed" || die "app does not link libcurl: is libdcs in it?"
  reset_emulator
  (cd "$work/run" && user_env "${restore_vars[@]}" timeout 120 "$app/app") >"$work/logs/go-app.log" 2>&1 ||
    { cat "$work/logs/go-app.log" >&2; die "the Go program failed"; }
  cat "$work/logs/go-app.log"
  grep -q "^libdcs $version: restore .* succeed$" "$work/logs/go-app.log" ||
    die "the Go program did not report libdcs $version and a succeeded restore"
  expect_restored "Go, go get"
}

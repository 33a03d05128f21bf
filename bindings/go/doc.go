// Package dcs restores Huawei Cloud DCS (managed Redis) instances from their backups.
//
// It is a thin cgo layer over libdcs, the C library whose stable ABI is declared in
// <dcs/dcs.h>. Signing, retries, pagination, the rule that a restore is never started
// twice and the waiting logic all live in libdcs; this package turns them into Go:
// contexts, errors that work with errors.Is and errors.As, and plain structs.
//
// # Installing and linking
//
// The module is github.com/libdcs/libdcs, rooted at the repository; this package's import
// path is github.com/libdcs/libdcs/bindings/go and its name is dcs, so import it as
//
//	import dcs "github.com/libdcs/libdcs/bindings/go"
//
// By default cgo compiles libdcs's C++ sources, which the module carries, into the program
// (link_source.go, internal/libdcs): `go get github.com/libdcs/libdcs@vX.Y.Z` and `go build` need a C++17
// compiler and the headers of libcurl, OpenSSL and RapidJSON (Debian: g++,
// libcurl4-openssl-dev, libssl-dev, rapidjson-dev), but no CMake, no installed libdcs and no
// PKG_CONFIG_PATH, and the program needs only libcurl and OpenSSL at run time. The first
// build compiles the C++ once; the Go build cache keeps it.
//
// Two build tags link a libdcs installed system-wide (or a build tree, through
// PKG_CONFIG_PATH) instead: dcs_shared links libdcs.so.1 (`#cgo pkg-config: libdcs`), so the
// program follows the installed library's updates; dcs_static links libdcs.a
// (`#cgo pkg-config: libdcs-static`). Against a build tree:
//
//	export PKG_CONFIG_PATH=/path/to/libdcs/build/pkgconfig
//	export LD_LIBRARY_PATH=/path/to/libdcs/build/capi   # dcs_shared, at run time
//
// The package deliberately bakes no rpath into its #cgo flags: a path that is right on the
// machine that built libdcs is wrong everywhere else. With dcs_shared, install libdcs into a
// system library directory, set LD_LIBRARY_PATH, or add CGO_LDFLAGS=-Wl,-rpath,DIR yourself.
//
// # Contexts
//
// Every call takes a context. Its deadline becomes the call's deadline (retries and backoff
// included), as it is: libdcs takes at most 7 days, and refuses a later deadline with
// ErrInvalidArgument. Without one the client's Config.Timeout applies, and 30 minutes for
// WaitForRestore. Cancelling the context cancels the C call within about 100 ms, and the
// returned error then satisfies errors.Is(err, context.Canceled) or
// errors.Is(err, context.DeadlineExceeded) as well as errors.Is(err, ErrCancelled) or
// errors.Is(err, ErrTimeout).
//
// # Concurrency
//
// A Client is safe for use by any number of goroutines. Close cancels the calls in flight
// and waits for them to return; a callback (Logger, WithProgress) may call the client, but
// must not Close it.
package dcs

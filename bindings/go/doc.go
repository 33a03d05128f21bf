// Package dcs restores Huawei Cloud DCS (managed Redis) instances from their backups.
//
// It is a thin cgo layer over libdcs, the C library whose stable ABI is declared in
// <dcs/dcs.h>. Signing, retries, pagination, the rule that a restore is never started
// twice and the waiting logic all live in libdcs; this package turns them into Go:
// contexts, errors that work with errors.Is and errors.As, and plain structs.
//
// # Linking
//
// By default the package links against the shared library through pkg-config
// (`#cgo pkg-config: libdcs`). With the build tag dcs_static it links libdcs.a instead
// (`#cgo pkg-config: libdcs-static`), so a program ships as a single binary; libcurl and
// OpenSSL stay shared system libraries. Against a build tree:
//
//	export PKG_CONFIG_PATH=/path/to/libdcs/build/pkgconfig
//	export LD_LIBRARY_PATH=/path/to/libdcs/build/capi   # shared variant, at run time
//
// The package deliberately bakes no rpath into its #cgo flags: a path that is right on the
// machine that built libdcs is wrong everywhere else. Install libdcs into a system library
// directory, set LD_LIBRARY_PATH, add CGO_LDFLAGS=-Wl,-rpath,DIR yourself, or use dcs_static.
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

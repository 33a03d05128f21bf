//go:build !dcs_shared && !dcs_static

// The default of the three link modes (link_shared.go and link_static.go are the others; the
// build tags dcs_shared and dcs_static pick one, so that exactly one file names what to link):
// libdcs is compiled from source, as go-sqlite3 compiles SQLite, by the package
// internal/libdcs, whose objects define the C ABI this package calls. `go get` and
// `go build` are then all a user runs: no CMake, no installed libdcs, no PKG_CONFIG_PATH.

package dcs

// dcs.h from the same tree, read with DCS_STATIC as internal/libdcs compiles the library.

// #cgo CPPFLAGS: -I${SRCDIR}/../../capi/include -DDCS_STATIC
import "C"

import _ "github.com/libdcs/libdcs/bindings/go/internal/libdcs" // libdcs itself

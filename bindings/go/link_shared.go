//go:build !dcs_static

// One of the two link modes (the other is link_static.go); the dcs_static build tag picks
// exactly one, so that no other file of the package names a library.

package dcs

// The default: link the shared library libdcs.so.1 found through libdcs.pc.

// #cgo pkg-config: libdcs
import "C"

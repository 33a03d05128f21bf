//go:build !dcs_static

package dcs

// The default: link the shared library libdcs.so.1 found through libdcs.pc.

// #cgo pkg-config: libdcs
import "C"

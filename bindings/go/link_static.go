//go:build dcs_static

// A link mode for programs built against an installed libdcs that must ship as one binary
// with no libdcs beside them (see link_source.go for the default, which needs no installed
// libdcs at all).

package dcs

// Build tag dcs_static: link libdcs.a (libdcs-static.pc also defines DCS_STATIC and pulls in
// libstdc++, libcurl and libcrypto), so the program needs no libdcs beside it.

// #cgo pkg-config: libdcs-static
import "C"

//go:build dcs_static

// The other link mode (see link_shared.go), for programs that must ship as one binary
// with no libdcs beside them.

package dcs

// Build tag dcs_static: link libdcs.a (libdcs-static.pc also defines DCS_STATIC and pulls in
// libstdc++, libcurl and libcrypto), so the program needs no libdcs beside it.

// #cgo pkg-config: libdcs-static
import "C"

//go:build dcs_shared && !dcs_static

// A link mode for programs that use a libdcs installed system-wide (the libdcs1 and
// libdcs-dev packages, `cmake --install`, or a build tree through PKG_CONFIG_PATH): link the
// shared library libdcs.so.1 found through libdcs.pc, so the program follows the installed
// library's updates. See link_source.go for the default.

package dcs

// #cgo pkg-config: libdcs
import "C"

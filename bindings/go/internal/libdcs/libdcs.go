//go:build !dcs_shared && !dcs_static

// Package libdcs compiles libdcs, the C++ core (core/src) and its C ABI (capi/src), into the
// program that imports it; the dcs package imports it in its default link mode
// (../../link_source.go) and calls the C ABI it defines. The module is rooted at the
// repository so that its zip carries those sources, and the core_*.cpp and capi_*.cpp files
// here (written by gen_sources.sh) #include them, because cgo compiles only the files of a
// package's own directory. A package of its own, apart from the dcs package, because the go
// command rebuilds all of a package's C++ whenever any file of the package changes: here
// that is only when libdcs's list of sources does, not with every edit of the binding or of
// its tests.
//
// The build needs a C++17 compiler and the headers of libcurl, OpenSSL and RapidJSON
// (Debian: g++, libcurl4-openssl-dev, libssl-dev, rapidjson-dev); the program then needs only
// libcurl and OpenSSL at run time.
package libdcs

//go:generate sh gen_sources.sh

// DCS_STATIC: the library is part of the program, so dcs.h declares its functions without
// export attributes; with hidden visibility, as in libdcs.so (whose version script is the
// second fence), no symbol of libdcs is exported from a -buildmode=c-shared library either.
// Only the system's libcurl and libcrypto are linked: RapidJSON is headers only.

// #cgo CPPFLAGS: -I${SRCDIR}/../../../../capi/include -I${SRCDIR}/../../../../core/src -DDCS_STATIC
// #cgo CXXFLAGS: -std=c++17 -fvisibility=hidden -fvisibility-inlines-hidden
// #cgo LDFLAGS: -lcurl -lcrypto -lstdc++ -lm
import "C"

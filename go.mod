// The Go module of libdcs: its package is the Go binding, github.com/libdcs/libdcs/bindings/go
// (package dcs). It is rooted here, at the repository, rather than at bindings/go so that its
// zip carries core/ and capi/, which the binding compiles through cgo
// (bindings/go/internal/libdcs): `go get github.com/libdcs/libdcs@vX.Y.Z` is all a Go user
// installs. Its version is libdcs's
// (scripts/version.sh; tag vX.Y.Z). The directories with a go.mod of their own (emulator/,
// bindings/terraform/, bench/go/, examples/go/restore/, tests/...) are other modules and stay
// out of its zip; those that use the binding require this module at its version, and a
// go.work beside each maps that version to this tree.
module github.com/libdcs/libdcs

go 1.22

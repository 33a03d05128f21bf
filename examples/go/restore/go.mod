module github.com/libdcs/libdcs/examples/go/restore

go 1.22

require github.com/libdcs/libdcs/bindings/go v0.0.0

replace github.com/libdcs/libdcs/bindings/go => ../../../bindings/go

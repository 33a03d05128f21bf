module github.com/libdcs/libdcs/bindings/go

go 1.22

module github.com/libdcs/libdcs/examples/go/restore

go 1.22

require github.com/libdcs/libdcs v1.2.0

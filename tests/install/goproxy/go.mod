module github.com/libdcs/libdcs/tests/install/goproxy

go 1.25.0

require golang.org/x/mod v0.35.0

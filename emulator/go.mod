module github.com/libdcs/libdcs/emulator

go 1.22

//go:build !linux

// The stand-in for emulator_linux_test.go on other systems, so that the tests build
// everywhere.

package dcs

import "os/exec"

// stopWithTests has no portable equivalent of Linux's parent-death signal; TestMain's
// own shutdown is all there is.
func stopWithTests(cmd *exec.Cmd) {}

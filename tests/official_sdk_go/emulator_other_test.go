//go:build !linux

// The stand-in for emulator_linux_test.go on other systems, so that the suite builds
// everywhere.

package officialsdkgo

import "os/exec"

// stopWithTests has no portable equivalent of Linux's parent-death signal; TestMain's
// own shutdown and its watchdog are all there is.
func stopWithTests(cmd *exec.Cmd) {}

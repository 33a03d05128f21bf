// Linux only: ties the test emulator's life to the test process, so that a crashed test
// run leaves no dcs-emulator behind.

package dcs

import (
	"os/exec"
	"syscall"
)

// stopWithTests asks Linux to send the emulator SIGTERM if the test process dies before
// TestMain can stop it (a panicking test ends the process without running its defers).
func stopWithTests(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}

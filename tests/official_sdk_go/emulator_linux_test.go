// Linux only: ties the emulator's life to the test process, so that a killed test run
// leaves no dcs-emulator behind.

package officialsdkgo

import (
	"os/exec"
	"syscall"
)

// stopWithTests asks Linux to send the emulator SIGTERM if the test process dies before
// TestMain can stop it (a panic or go test's -timeout ends the process without defers).
// TestMain locks its OS thread, the one that starts the emulator, so the signal is not
// sent early when the Go runtime retires that thread.
func stopWithTests(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}

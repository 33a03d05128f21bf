//go:build !linux

package dcs

import "os/exec"

// stopWithTests has no portable equivalent of Linux's parent-death signal; TestMain's
// own shutdown is all there is.
func stopWithTests(cmd *exec.Cmd) {}

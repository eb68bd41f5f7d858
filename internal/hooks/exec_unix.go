//go:build unix

package hooks

import (
	"os/exec"
	"syscall"
)

// ownProcessGroup starts the hook in a process group of its own and makes cancelling kill
// the whole group, so that `sleep` started by a hung hook script dies with it.
func ownProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}

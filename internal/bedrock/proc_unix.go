//go:build unix

package bedrock

import (
	"os/exec"
	"syscall"
)

// killGroupOnCancel starts the command in its own process group and kills the whole group when
// its context ends, so a hung `aws sso login` and anything it started are all stopped.
func killGroupOnCancel(cmd *exec.Cmd) {
	cmd.SysProcAttr = groupAttr()
	cmd.Cancel = func() error {
		if cmd.Process == nil {
			return nil
		}
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}

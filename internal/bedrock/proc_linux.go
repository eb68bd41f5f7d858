//go:build linux

package bedrock

import "syscall"

// groupAttr puts a credential command in its own process group, and has Linux kill it if
// strata dies first: an interrupted awsCredentialExport left running would be orphaned, since
// the terminal's Ctrl-C does not reach another process group.
func groupAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

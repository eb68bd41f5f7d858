//go:build !unix

package proc

import (
	"os"
	"syscall"
)

// sysProcAttr is empty: there are no process groups here.
func sysProcAttr() *syscall.SysProcAttr { return nil }

// killGroup kills the started process only; what it started lives on. Grace does not apply:
// there is no SIGTERM to send first.
func (p *Process) killGroup() {
	select {
	case <-p.exited:
		return
	default:
	}
	_ = p.cmd.Process.Kill()
	<-p.exited
}

// signalOf is always "": processes here do not end by signals.
func signalOf(*os.ProcessState) string { return "" }

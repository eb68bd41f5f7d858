//go:build unix

package proc

import (
	"errors"
	"os"
	"syscall"
	"time"
)

// killGroup stops every process of the group: SIGTERM, up to the grace period for them to
// go, then SIGKILL for whatever is left. It returns once the leader is reaped and (where /proc
// tells) no process of the group is left, or after a short bound if some refuse to go.
func (p *Process) killGroup() {
	select {
	case <-p.exited:
		return // never signal a group whose leader is gone: its number may be reused
	default:
	}
	_ = syscall.Kill(-p.pgid, syscall.SIGTERM)
	deadline := time.Now().Add(p.grace)
	for time.Now().Before(deadline) && groupAlive(p.pgid, p.exited) {
		time.Sleep(20 * time.Millisecond)
	}
	_ = syscall.Kill(-p.pgid, syscall.SIGKILL)
	<-p.exited
	// SIGKILL cannot be refused, but dying takes a moment; callers may count processes next.
	for range 100 {
		if !groupAlive(p.pgid, p.exited) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// groupAlive reports whether some process of the group is still running. Until the leader
// is reaped its zombie keeps the group alive, so that is checked first.
func groupAlive(pgid int, exited <-chan struct{}) bool {
	select {
	case <-exited:
	default:
		return true
	}
	if alive, ok := groupHasLiving(pgid); ok {
		return alive
	}
	err := syscall.Kill(-pgid, 0)
	return err == nil || !errors.Is(err, syscall.ESRCH)
}

// signalOf names the signal that ended the process, "" if it exited on its own.
func signalOf(st *os.ProcessState) string {
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return ws.Signal().String()
	}
	return ""
}

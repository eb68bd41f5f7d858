//go:build unix

package bash

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// killGrace is how long a process group gets to exit after SIGTERM before SIGKILL.
const killGrace = 2 * time.Second

// proc is one running `bash -c`, the leader of its own process group. Its stdout and stderr
// share one pipe, so their lines arrive interleaved in the order they were written.
type proc struct {
	cmd    *exec.Cmd
	pgid   int
	exited chan struct{} // closed once bash has exited and been reaped
	ioDone chan struct{} // closed once the output pipe reached EOF or was abandoned
	out    *os.File      // read end of the pipe
}

// startBash runs `bash -c script bash params...` in dir with environ as the whole environment
// (plus PWD naming dir) and stdin at /dev/null, copying the combined output to sink. $0 is
// "bash", so bash's messages start with "bash:".
func startBash(bashPath, dir string, environ []string, sink io.Writer, script string, params ...string) (*proc, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bashPath, append([]string{"--noprofile", "--norc", "-c", script, "bash"}, params...)...)
	cmd.Dir = dir
	cmd.Env = withPWD(environ, dir)
	cmd.Stdout, cmd.Stderr = w, w
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		r.Close()
		w.Close()
		return nil, err
	}
	w.Close() // the children hold the write end now; EOF comes when the last one closes it
	p := &proc{cmd: cmd, pgid: cmd.Process.Pid, exited: make(chan struct{}), ioDone: make(chan struct{}), out: r}
	go func() {
		_, _ = io.Copy(sink, r)
		r.Close()
		close(p.ioDone)
	}()
	go func() {
		_ = cmd.Wait()
		close(p.exited)
	}()
	return p, nil
}

// withPWD returns environ with PWD set to dir, so bash's logical `pwd` starts where the
// process does. Nothing from strata's own environment is added.
func withPWD(environ []string, dir string) []string {
	env := make([]string, 0, len(environ)+1)
	for _, kv := range environ {
		if !strings.HasPrefix(kv, "PWD=") {
			env = append(env, kv)
		}
	}
	return append(env, "PWD="+dir)
}

// killGroup stops every process of the group: SIGTERM, up to killGrace for them to go, then
// SIGKILL for whatever is left. It returns once bash itself has been reaped.
func (p *proc) killGroup() {
	_ = syscall.Kill(-p.pgid, syscall.SIGTERM)
	deadline := time.Now().Add(killGrace)
	for time.Now().Before(deadline) && groupAlive(p.pgid, p.exited) {
		time.Sleep(20 * time.Millisecond)
	}
	_ = syscall.Kill(-p.pgid, syscall.SIGKILL)
	<-p.exited
}

// groupAlive reports whether some process of the group is still running. Until bash is
// reaped its zombie keeps the group alive, so that is checked first.
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

// finishOutput waits up to grace for the output pipe to close. A background process started
// by the command may keep it open forever; then the read end is closed and false returned.
func (p *proc) finishOutput(grace time.Duration) bool {
	select {
	case <-p.ioDone:
		return true
	case <-time.After(grace):
		p.out.Close()
		<-p.ioDone
		return false
	}
}

// exitStatus describes how bash ended: its exit code, or -1 and the signal that killed it.
func (p *proc) exitStatus() (code int, signal string) {
	st := p.cmd.ProcessState
	if st == nil {
		return -1, ""
	}
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return -1, ws.Signal().String()
	}
	return st.ExitCode(), ""
}

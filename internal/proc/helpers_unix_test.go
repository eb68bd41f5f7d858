//go:build unix

package proc

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// testEnv is a minimal environment for shell commands in tests.
func testEnv() []string { return []string{"PATH=" + os.Getenv("PATH")} }

// running reports whether pid is a process that has not exited; a zombie counts as exited.
func running(pid int) bool {
	if err := syscall.Kill(pid, 0); err != nil {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true // no /proc here: signal 0 succeeded
	}
	f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	return len(f) > 0 && f[0] != "Z" && f[0] != "X"
}

// waitGone waits (up to a generous bound, never asserting a duration) until pid has exited.
func waitGone(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if !running(pid) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	_ = syscall.Kill(pid, syscall.SIGKILL)
	t.Errorf("process %d survived", pid)
}

// killAtEnd makes sure pid does not outlive the test, whatever happens.
func killAtEnd(t *testing.T, pid int) {
	t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGKILL) })
}

// lines starts c with its output on a pipe and returns a reader of that output's lines.
func startWithLines(t *testing.T, ctx context.Context, c Cmd) (*Process, *bufio.Scanner) {
	t.Helper()
	r, w := io.Pipe()
	c.Output = w
	p, err := Start(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		p.Wait()
		w.Close()
	}()
	t.Cleanup(func() {
		p.Kill()
		r.Close()
	})
	return p, bufio.NewScanner(r)
}

// readPID reads the next line of sc as a process ID.
func readPID(t *testing.T, sc *bufio.Scanner) int {
	t.Helper()
	if !sc.Scan() {
		t.Fatalf("no pid line: %v", sc.Err())
	}
	pid, err := strconv.Atoi(strings.TrimSpace(sc.Text()))
	if err != nil {
		t.Fatalf("pid line %q: %v", sc.Text(), err)
	}
	killAtEnd(t, pid)
	return pid
}

// fmtSscan reads the first whitespace-separated number of s.
func fmtSscan(s string, pid *int) (int, error) { return fmt.Sscan(s, pid) }

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
)

// testEnv is a minimal environment for shell commands in tests.
func testEnv() []string { return []string{"PATH=" + os.Getenv("PATH")} }

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

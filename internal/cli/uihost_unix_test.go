//go:build unix

package cli

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/strata-agent/strata/internal/proc/proctest"
)

// The end of the context (Esc in the UI) kills the command.
func TestShellStopsWhenItsContextEnds(t *testing.T) {
	h := testHost(t)
	h.st.childEnv = []string{"PATH=/usr/bin:/bin"}
	ctx, cancel := context.WithCancel(context.Background())
	fifo := filepath.Join(t.TempDir(), "started")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no fifos here:", err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		res := h.Shell(ctx, "echo up > "+fifo+"; exec sleep 1000")
		if res.Err == nil {
			t.Errorf("a killed command reports no error: %+v", res)
		}
	}()
	if _, err := os.ReadFile(fifo); err != nil { // returns once the command has started
		t.Fatal(err)
	}
	cancel()
	<-done // without the kill this would wait for the sleep
}

// TestShellInterruptLeavesNoProcess: `!sleep 100 & sleep 100` interrupted (Esc cancels the
// context the UI hands to Shell) stops the background sleep too, not only bash.
func TestShellInterruptLeavesNoProcess(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("needs /proc to see processes")
	}
	h := testHost(t)
	h.st.childEnv = []string{"PATH=/usr/bin:/bin"}
	dir := t.TempDir()
	fifo, pidFile := filepath.Join(dir, "started"), filepath.Join(dir, "pids")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no fifos here:", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		h.Shell(ctx, "sleep 100 & echo $! $$ > "+pidFile+"; echo up > "+fifo+"; sleep 100")
	}()
	if _, err := os.ReadFile(fifo); err != nil {
		t.Fatal(err)
	}
	cancel()
	<-done
	data, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range strings.Fields(string(data)) {
		pid, err := strconv.Atoi(f)
		if err != nil {
			t.Fatalf("pid file %q", data)
		}
		if proctest.Running(pid) { // no waiting: Shell returns only once the group is gone
			t.Errorf("process %d is still running after the interrupt", pid)
		}
	}
}

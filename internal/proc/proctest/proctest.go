// Package proctest helps tests check that processes strata started are gone. It reads /proc
// where there is one (a zombie waiting to be reaped counts as gone) and falls back to signal 0;
// elsewhere it asks the operating system for a handle on the process.
package proctest

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// Running reports whether pid is a live process (not a zombie).
func Running(pid int) bool {
	if !alive(pid) {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true // no /proc here: signal 0 succeeded
	}
	f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	return len(f) > 0 && f[0] != "Z" && f[0] != "X"
}

// WaitGone waits, up to a generous bound that is never asserted as a duration, until pid has
// exited; if it has not, the test fails and the process is killed so it cannot outlive it.
func WaitGone(t testing.TB, pid int) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if !Running(pid) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	Kill(pid)
	t.Errorf("process %d survived", pid)
}

// Kill ends pid if it still runs, so a test's stray process cannot outlive it.
func Kill(pid int) {
	if p, err := os.FindProcess(pid); err == nil {
		_ = p.Kill()
	}
}

package soak

import (
	"bytes"
	"os"
	"runtime"
	"runtime/pprof"
	"testing"
	"time"
)

// leakBaseline is what the process held before the soak.
type leakBaseline struct{ goroutines, fds int }

func takeLeakBaseline() leakBaseline {
	return leakBaseline{runtime.NumGoroutine(), openFDs()}
}

// openFDs counts the process's open file descriptors; -1 where /proc does not tell.
func openFDs() int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(entries)
}

// checkLeaks waits (bounded) for what the soak started to end — connections the emulator
// closed, subprocesses being reaped — and fails with the goroutines' stacks if it does not.
func checkLeaks(t *testing.T, base leakBaseline) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		g, fds := runtime.NumGoroutine(), openFDs()
		if g <= base.goroutines && fds <= base.fds {
			return
		}
		if time.Now().After(deadline) {
			var stacks bytes.Buffer
			_ = pprof.Lookup("goroutine").WriteTo(&stacks, 1)
			t.Errorf("leak: %d goroutines (before: %d), %d open descriptors (before: %d)\n%s",
				g, base.goroutines, fds, base.fds, stacks.String())
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

//go:build unix

package proc

import (
	"context"
	"sync/atomic"
	"testing"
)

// countingWrapper prefixes the command with env (a harmless launcher) and counts Finished.
type countingWrapper struct{ finished *atomic.Int32 }

func (w countingWrapper) Wrap(argv, env []string, _ string) ([]string, []string, error) {
	return append([]string{"/usr/bin/env"}, argv...), env, nil
}

func (w countingWrapper) Finished() { w.finished.Add(1) }

// TestFinisherHearsEveryEnd: a Wrapper that is also a Finisher learns once that the command
// ended — after it ran, and when it could not start.
func TestFinisherHearsEveryEnd(t *testing.T) {
	var n atomic.Int32
	w := countingWrapper{&n}
	res := Run(context.Background(), Cmd{Argv: []string{"/bin/sh", "-c", "exit 3"}, Wrapper: w})
	if res.ExitCode != 3 || n.Load() != 1 {
		t.Fatalf("after one run: exit %d, Finished %d times", res.ExitCode, n.Load())
	}
	res = Run(context.Background(), Cmd{Argv: []string{"/bin/sh"}, Dir: "/nonexistent-strata-dir", Wrapper: w})
	if res.StartErr == nil || n.Load() != 2 {
		t.Fatalf("after a failed start: %v, Finished %d times", res.StartErr, n.Load())
	}
}

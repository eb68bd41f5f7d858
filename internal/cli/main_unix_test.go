//go:build unix

package cli

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	"testing"
	"time"
)

// TestInterruptContextCancelsOnSignal sends SIGINT to the test process until the context
// installed on another goroutine ends. A channel of the test's own keeps the default action
// (exit) away while the handler is not in place yet.
func TestInterruptContextCancelsOnSignal(t *testing.T) {
	guard := make(chan os.Signal, 16)
	signal.Notify(guard, os.Interrupt)
	defer signal.Stop(guard)

	ctx, stop := interruptContext(context.Background())
	defer stop()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	deadline := time.After(10 * time.Second)
	for ctx.Err() == nil {
		select {
		case <-tick.C:
			if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
				t.Fatal(err)
			}
		case <-ctx.Done():
		case <-deadline:
			t.Fatal("SIGINT did not cancel the context")
		}
	}
}

// TestInterruptContextStop ends the context and returns once the handler is removed.
func TestInterruptContextStop(t *testing.T) {
	ctx, stop := interruptContext(context.Background())
	stop()
	if ctx.Err() == nil {
		t.Fatal("the context is still live after stop")
	}
}

//go:build unix

package cli

import (
	"context"
	"errors"
	"os"
	"os/exec"
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

// TestInterruptContextStop: after stop the context is done and the handlers are gone, so a
// SIGTERM has its default effect again. A child process (this test binary) checks that: it
// must die of the signal it sends itself after stop. (SIGTERM rather than SIGINT: shells
// start background jobs with SIGINT ignored, and Go then leaves it ignored.)
func TestInterruptContextStop(t *testing.T) {
	if os.Getenv("STRATA_TEST_STOP_CHILD") == "1" {
		ctx, stop := interruptContext(context.Background())
		stop()
		if ctx.Err() == nil {
			os.Exit(3)
		}
		_ = syscall.Kill(os.Getpid(), syscall.SIGTERM)
		time.Sleep(5 * time.Second)
		os.Exit(0) // survived: a handler was still installed
	}
	if signal.Ignored(syscall.SIGTERM) {
		t.Skip("SIGTERM is ignored here, so its default effect cannot be observed")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestInterruptContextStop$")
	cmd.Env = append(os.Environ(), "STRATA_TEST_STOP_CHILD=1")
	err = cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("the child did not die of SIGTERM: %v", err)
	}
	ws, ok := exit.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGTERM {
		t.Fatalf("the child ended with %v, not killed by SIGTERM (exit 3: the context was live after stop)", err)
	}
}

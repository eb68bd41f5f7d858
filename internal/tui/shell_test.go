package tui

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// Esc while a !command runs cancels the context the Host runs it with; the UI says it was
// interrupted and is free again.
func TestEscCancelsAShellCommand(t *testing.T) {
	h := newHarness(t, nil)
	started := make(chan struct{})
	ended := make(chan error, 1)
	h.host.shell = func(ctx context.Context, command string) ShellResult {
		if command != "sleep 1000" {
			return ShellResult{}
		}
		close(started)
		<-ctx.Done() // a command that would run for ever
		ended <- ctx.Err()
		return ShellResult{Output: "partial output\n", Err: errors.New("signal: killed")}
	}
	h.enterLine("!sleep 1000")
	<-started
	h.mustShow(h.view(), "Running sleep 1000…", "esc to interrupt")
	h.key("esc")
	h.settle()
	if err := <-ended; !errors.Is(err, context.Canceled) {
		t.Fatalf("the shell's context ended with %v", err)
	}
	h.mustShow(h.out(), "! sleep 1000", "partial output", "interrupted")
	h.mustNotShow(h.out(), "signal: killed")
	if h.m.work.running() {
		t.Error("still busy after the interruption")
	}
	h.enterLine("!true")
	h.settle()
	if strings.Join(h.host.commands, "|") != "sleep 1000|true" {
		t.Errorf("commands run %q", h.host.commands)
	}
}

// A !command is not started while a turn runs: the two would race for the terminal's story.
func TestShellCommandWaitsForTheTurn(t *testing.T) {
	h := newHarness(t, nil)
	release := h.busyTurn()
	h.enterLine("!ls")
	release()
	h.settle()
	h.mustShow(h.out(), "Not run: wait for the turn to finish")
	if len(h.host.commands) != 0 {
		t.Errorf("commands run %q", h.host.commands)
	}
}

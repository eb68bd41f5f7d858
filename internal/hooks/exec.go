package hooks

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/strata-agent/strata/internal/proc"
	"github.com/strata-agent/strata/internal/settings"
)

// maxOutput bounds how much of a hook's stdout and stderr is kept.
const maxOutput = 1 << 20

// result is how one hook command ended.
type result struct {
	command        string
	exitCode       int // -1 when it did not exit on its own
	stdout, stderr []byte
	startErr       error
	timedOut       bool
	timeout        time.Duration
	interrupted    bool
	signal         string // the signal that ended it, when not proc's doing
}

// runOne runs one hook command with the event on stdin and waits for it; proc stops its
// whole process group when the timeout passes or ctx ends.
func (r *Runner) runOne(ctx context.Context, hc settings.HookCommand, stdin []byte) result {
	timeout := r.opts.Timeout
	if hc.Timeout > 0 {
		timeout = time.Duration(hc.Timeout) * time.Second
	}
	stdout, stderr := proc.NewCapture(maxOutput, 0), proc.NewCapture(maxOutput, 0)
	pr := proc.Run(ctx, proc.Cmd{
		Argv:    proc.Shell(r.opts.Shell, hc.Command),
		Dir:     r.opts.ProjectDir,
		Env:     r.env,
		Stdin:   bytes.NewReader(stdin),
		Stdout:  stdout,
		Stderr:  stderr,
		Timeout: timeout,
		Tracker: r.opts.Procs,
	})
	res := result{command: hc.Command, exitCode: -1, timeout: timeout,
		stdout: stdout.Bytes(), stderr: stderr.Bytes(), startErr: pr.StartErr,
		timedOut: pr.TimedOut, interrupted: pr.Interrupted || pr.Killed, signal: pr.Signal}
	if !res.timedOut && !res.interrupted {
		res.exitCode = pr.ExitCode // -1 when a signal ended it
	}
	return res
}

// label names a hook command in messages, shortened.
func label(command string) string {
	const maxLen = 80
	if len(command) > maxLen {
		command = command[:maxLen] + "…"
	}
	return fmt.Sprintf("%q", command)
}

package hooks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"time"

	"github.com/strata-agent/strata/internal/settings"
)

// maxOutput bounds how much of a hook's stdout and stderr is kept.
const maxOutput = 1 << 20

// waitDelay is how long output pipes may stay open after a hook was killed: a process that
// left the hook's group could hold them forever.
const waitDelay = 2 * time.Second

// result is how one hook command ended.
type result struct {
	command        string
	exitCode       int // -1 when it did not exit on its own
	stdout, stderr []byte
	startErr       error
	timedOut       bool
	timeout        time.Duration
	interrupted    bool
}

// runOne runs one hook command with the event on stdin and waits for it, killing its
// process group when the timeout passes or ctx ends.
func (r *Runner) runOne(ctx context.Context, hc settings.HookCommand, stdin []byte) result {
	timeout := r.opts.Timeout
	if hc.Timeout > 0 {
		timeout = time.Duration(hc.Timeout) * time.Second
	}
	res := result{command: hc.Command, exitCode: -1, timeout: timeout}
	tctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(tctx, r.opts.Shell, "-c", hc.Command)
	cmd.Dir = r.opts.ProjectDir
	cmd.Env = r.env
	cmd.Stdin = bytes.NewReader(stdin)
	var stdout, stderr capped
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = waitDelay
	ownProcessGroup(cmd)
	err := cmd.Run()
	res.stdout, res.stderr = stdout.buf.Bytes(), stderr.buf.Bytes()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		res.exitCode = 0
	case errors.As(err, &exitErr) && exitErr.Exited():
		res.exitCode = exitErr.ExitCode()
	case ctx.Err() != nil:
		res.interrupted = true
	case tctx.Err() != nil:
		res.timedOut = true
	case errors.Is(err, exec.ErrWaitDelay):
		res.exitCode = cmd.ProcessState.ExitCode() // it exited; a child kept the pipes open
	default:
		res.startErr = err
	}
	return res
}

// capped keeps the first maxOutput bytes written to it and drops the rest, so that a
// chatty hook cannot fill memory (and never blocks on a full pipe).
type capped struct{ buf bytes.Buffer }

func (c *capped) Write(p []byte) (int, error) {
	if room := maxOutput - c.buf.Len(); room > 0 {
		c.buf.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

// label names a hook command in messages, shortened.
func label(command string) string {
	const maxLen = 80
	if len(command) > maxLen {
		command = command[:maxLen] + "…"
	}
	return fmt.Sprintf("%q", command)
}

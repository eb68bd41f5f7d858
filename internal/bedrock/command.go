package bedrock

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/strata-agent/strata/internal/proc"
)

// Runner runs a shell command line with stdin closed, writing its output to stdout and stderr,
// and stops it (with any children) when ctx ends. Options.RunCommand replaces the default,
// which runs `sh -c` through internal/proc.
type Runner func(ctx context.Context, command string, stdout, stderr io.Writer) error

// shellRunner returns the default Runner: `sh -c` with env as the whole environment, stdin
// at /dev/null (the commands must not wait for input, B13), in a process group that is killed
// whole when ctx ends, and tracked by procs so that strata's exit stops it too.
func shellRunner(env []string, procs *proc.Tracker) Runner {
	return func(ctx context.Context, command string, stdout, stderr io.Writer) error {
		return proc.Run(ctx, proc.Cmd{Argv: proc.Shell("sh", command), Env: env,
			Stdout: stdout, Stderr: stderr, Tracker: procs}).Err()
	}
}

// CommandError is a failure of awsCredentialExport or awsAuthRefresh. It names the setting and
// what went wrong; it never holds the command's standard output.
type CommandError struct {
	Setting  string        // "awsCredentialExport" or "awsAuthRefresh"
	Source   string        // the settings file that set it, if known
	Problem  string        // what went wrong, in words
	ExitCode int           // -1 when the command did not exit by itself
	Stderr   string        // the last lines of its standard error
	Limit    time.Duration // the time limit it ran out of; 0 when it did not
}

func (e *CommandError) Error() string {
	msg := fmt.Sprintf("the %s command%s %s", e.Setting, from(e.Source), e.Problem)
	if e.Stderr != "" {
		msg += "; its error output ended with:\n" + indent(e.Stderr)
	}
	return msg
}

// runCommand runs a settings command under a time limit and turns every way it can fail into
// a *CommandError. stdout receives the command's standard output.
func runCommand(ctx context.Context, run Runner, setting, source, command string, limit time.Duration,
	stdout io.Writer, stderr io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	tail := proc.NewCapture(0, 2048)
	err := run(ctx, command, stdout, io.MultiWriter(tail, stderr))
	if err == nil {
		return nil
	}
	ce := &CommandError{Setting: setting, Source: source, ExitCode: -1, Stderr: tail.LastLines(6)}
	var exit *proc.Error
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		ce.Limit = limit
		ce.Problem = fmt.Sprintf("did not finish within %s and was stopped, with every process it started", limit)
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.As(err, &exit) && exit.Result.StartErr == nil && exit.Result.ExitCode >= 0:
		ce.ExitCode = exit.Result.ExitCode
		ce.Problem = fmt.Sprintf("failed with exit status %d", ce.ExitCode)
	default:
		ce.Problem = "could not be run: " + err.Error()
	}
	return ce
}

// lineWriter calls emit for every complete line written to it; Flush emits the rest.
type lineWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	emit func(string)
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	for {
		i := bytes.IndexByte(w.buf.Bytes(), '\n')
		if i < 0 {
			return len(p), nil
		}
		line := string(bytes.TrimRight(w.buf.Next(i+1), "\r\n"))
		w.emit(line)
	}
}

// Flush emits a last line that had no newline.
func (w *lineWriter) Flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.buf.Len() > 0 {
		w.emit(strings.TrimRight(w.buf.String(), "\r\n"))
		w.buf.Reset()
	}
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}

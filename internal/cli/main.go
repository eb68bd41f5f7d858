// Package cli is strata's command line: it turns flags into Options, picks print mode, the
// interactive UI or a subcommand, maps failures to the exit codes of A4, and writes errors to
// stderr so stdout carries only the answer.
package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/strata-agent/strata/internal/iostreams"
)

// Main runs strata with the process's arguments and streams and returns the exit code.
// cmd/strata calls it, and testscript registers it as the `strata` command.
func Main() int {
	// First, before anything else runs: on Linux this may execute strata again.
	warning := protectEnviron()
	_, noColor := os.LookupEnv("NO_COLOR")
	streams := iostreams.System(noColor)
	if bareVersion(os.Args[1:]) { // nothing to interrupt, no directory to look at
		fmt.Fprintln(streams.Out, versionString())
		return ExitOK
	}
	ctx, stop := interruptContext(context.Background())
	defer stop()
	env, err := osEnv()
	if err != nil {
		fmt.Fprintln(streams.ErrOut, "strata: cannot find the home or working directory:", err)
		return ExitError
	}
	if warning != "" {
		fmt.Fprintln(streams.ErrOut, "strata: warning:", warning)
	}
	return Run(ctx, os.Args[1:], streams, env)
}

// interruptContext is signal.NotifyContext for SIGINT and SIGTERM with the handlers installed
// on another goroutine: installing one waits until the runtime's signal thread has started,
// 0.7 ms on this machine class that every start-up would spend before its first line. Until
// the goroutine has run (usually well under a millisecond, on the second core) a signal has
// its default effect, as it has during the runtime's own start-up. stop waits for the
// installation, then removes the handlers.
func interruptContext(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	signals, installed := make(chan os.Signal, 1), make(chan struct{})
	go func() {
		signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
		close(installed)
		select {
		case <-signals:
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, func() {
		cancel()
		<-installed
		signal.Stop(signals)
	}
}

// Run is Main with every dependency passed in.
func Run(ctx context.Context, args []string, io *iostreams.IOStreams, env Env) int {
	// A bare --version answers before the command tree (every subcommand and flag) is built:
	// it is the start-up strata is timed by.
	if bareVersion(args) {
		fmt.Fprintln(io.Out, versionString())
		return ExitOK
	}
	root := newRootCmd(&app{ctx: ctx, io: io, env: env})
	root.SetArgs(foldRuleArgs(resumeArgs(args)))
	root.SetIn(io.In)
	root.SetOut(io.Out)
	root.SetErr(io.ErrOut)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	if ctx.Err() != nil && errors.Is(err, context.Canceled) {
		fmt.Fprintln(io.ErrOut, "strata: interrupted") // Ctrl-C or SIGTERM, not "context canceled"
		return ExitError
	}
	var silent silentError
	if !errors.As(err, &silent) {
		fmt.Fprintln(io.ErrOut, "strata:", err)
	}
	var usage usageError
	if errors.As(err, &usage) {
		return ExitUsage
	}
	var ec exitCodeError
	if errors.As(err, &ec) {
		return ec.code
	}
	return ExitError
}

// bareVersion reports whether args are a lone --version (or -v).
func bareVersion(args []string) bool {
	return len(args) == 1 && (args[0] == "--version" || args[0] == "-v")
}

// silentError is a failure already reported to the user.
type silentError struct{ err error }

func (e silentError) Error() string { return e.err.Error() }
func (e silentError) Unwrap() error { return e.err }

// exitCodeError carries a specific exit code (e.g. doctor's "something is broken").
type exitCodeError struct {
	code int
	err  error
}

func (e exitCodeError) Error() string { return e.err.Error() }
func (e exitCodeError) Unwrap() error { return e.err }

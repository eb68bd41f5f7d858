package proc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"time"
)

const (
	// DefaultGrace is how long a process group gets to exit after SIGTERM before SIGKILL.
	DefaultGrace = 2 * time.Second
	// DefaultWaitDelay is how long output may still arrive after the leader exited.
	DefaultWaitDelay = 2 * time.Second
)

// Cmd describes a child process. Only Argv is required.
type Cmd struct {
	Argv []string // the program (looked up in strata's PATH when it has no slash) and its arguments
	Dir  string   // working directory; "" means strata's
	// Env is the child's whole environment. nil or empty means an empty one: strata's own
	// environment is never inherited, which is how secrets are kept from children.
	Env   []string
	Stdin io.Reader // read until EOF into the child's stdin; nil means /dev/null
	// Stdout and Stderr receive the output as it arrives; nil discards it. Output, when set,
	// replaces both: stdout and stderr then share one pipe, so their lines interleave in the
	// order they were written.
	Stdout, Stderr, Output io.Writer
	Timeout                time.Duration // 0 means none
	Grace                  time.Duration // between SIGTERM and SIGKILL; 0 means DefaultGrace
	// WaitDelay bounds how long Wait waits for output after the leader exited (a process it
	// left behind may hold the pipe); 0 means DefaultWaitDelay.
	WaitDelay time.Duration
	// Tracker, when set, holds the group while its leader runs, so that Tracker.KillAll can
	// stop it when strata exits.
	Tracker *Tracker
	// Wrapper, when set, rewrites the command just before it starts: the Bash sandbox runs
	// commands inside bubblewrap this way, so that starting processes stays proc's alone.
	Wrapper Wrapper
}

// Wrapper rewrites a command's argv and environment (the sandbox's launcher in front of
// the command). An error means the command must not run at all.
type Wrapper interface {
	Wrap(argv, env []string, dir string) (newArgv, newEnv []string, err error)
}

// Finisher is a Wrapper that must learn when the command it wrapped has ended (the sandbox
// removes the mount points it created once no command needs them): proc calls Finished once
// for every successful Wrap, after the leader exited or failed to start.
type Finisher interface {
	Finished()
}

// Shell returns the argv that runs line with shell: `shell -c line`.
func Shell(shell, line string) []string { return []string{shell, "-c", line} }

// Result is how a command ended.
type Result struct {
	ExitCode    int    // the leader's exit status; -1 when a signal ended it or it never ran
	Signal      string // the signal that ended the leader, "" if none
	TimedOut    bool   // Cmd.Timeout passed and the group was stopped
	Interrupted bool   // the context ended and the group was stopped
	Killed      bool   // Kill stopped the group
	StartErr    error  // the command could not be started; nothing ran
	// OutputIncomplete: a process the command left behind still held the output when
	// WaitDelay ran out; later output was not captured.
	OutputIncomplete bool
}

// Err is nil when the command ran and exited with status 0 on its own; otherwise it is an
// *Error holding the Result.
func (r Result) Err() error {
	if r.StartErr == nil && !r.TimedOut && !r.Interrupted && !r.Killed && r.Signal == "" && r.ExitCode == 0 {
		return nil
	}
	return &Error{Result: r}
}

// Error is a Result that is not a success.
type Error struct{ Result Result }

// Error says what happened, in words.
func (e *Error) Error() string {
	r := e.Result
	switch {
	case r.StartErr != nil:
		return r.StartErr.Error()
	case r.TimedOut:
		return "timed out and was stopped"
	case r.Interrupted:
		return "interrupted and stopped"
	case r.Killed:
		return "killed"
	case r.Signal != "":
		return "ended by signal " + r.Signal
	}
	return fmt.Sprintf("exit status %d", r.ExitCode)
}

// Unwrap returns the start error, if that is what happened.
func (e *Error) Unwrap() error { return e.Result.StartErr }

// Run starts c and waits for it. Every failure is in the Result.
func Run(ctx context.Context, c Cmd) Result {
	p, err := Start(ctx, c)
	if err != nil {
		if ctx.Err() != nil {
			return Result{ExitCode: -1, Interrupted: true}
		}
		return Result{ExitCode: -1, StartErr: err}
	}
	return p.Wait()
}

// cause says why proc stopped a group; the first one recorded wins.
type cause int

const (
	causeNone cause = iota
	causeTimeout
	causeInterrupt
	causeKill
)

// Process is a started command: the leader of its own process group. Its methods are safe
// for concurrent use.
type Process struct {
	cmd       *exec.Cmd
	pgid      int
	grace     time.Duration
	waitDelay time.Duration
	tracker   *Tracker
	finished  func() // the Wrapper's Finished, or a no-op

	exited  chan struct{} // closed once the leader has exited and been reaped
	outDone chan struct{} // closed once every output pipe reached EOF or was abandoned
	readers []*os.File    // read ends of the output pipes, closed to abandon them
	stdin   *os.File      // write end of the stdin pipe, nil when none

	killOnce sync.Once
	waitOnce sync.Once
	mu       sync.Mutex
	cause    cause
	abandon  bool // output was abandoned after WaitDelay
}

// Start starts c. The process group is stopped when ctx ends or c.Timeout passes; after the
// leader exits, ctx no longer matters. Call Wait (or Kill, then Wait) to release it.
func Start(ctx context.Context, c Cmd) (*Process, error) {
	if len(c.Argv) == 0 {
		return nil, errors.New("no command to run")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if c.Wrapper != nil {
		argv, env, err := c.Wrapper.Wrap(c.Argv, c.Env, c.Dir)
		if err != nil {
			return nil, err
		}
		c.Argv, c.Env = argv, env
	}
	finished := func() {}
	if f, ok := c.Wrapper.(Finisher); ok {
		finished = f.Finished
	}
	cmd := exec.Command(c.Argv[0], c.Argv[1:]...)
	cmd.Dir = c.Dir
	cmd.Env = append([]string{}, c.Env...) // never nil: nil would hand over strata's environment
	cmd.SysProcAttr = sysProcAttr()
	p := &Process{cmd: cmd, grace: or(c.Grace, DefaultGrace), waitDelay: or(c.WaitDelay, DefaultWaitDelay),
		tracker: c.Tracker, exited: make(chan struct{}), outDone: make(chan struct{})}
	copies, childEnds, err := p.pipes(c)
	if err == nil {
		err = cmd.Start()
	}
	for _, f := range childEnds { // the child holds its ends now, or never will
		f.Close()
	}
	if err != nil {
		for _, r := range p.readers {
			r.Close()
		}
		if p.stdin != nil {
			p.stdin.Close()
		}
		finished()
		return nil, err
	}
	p.pgid = cmd.Process.Pid
	p.finished = finished
	p.run(ctx, c, copies)
	return p, nil
}

func or(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// copyJob copies one output pipe to its writer.
type copyJob struct {
	from *os.File
	to   io.Writer
}

// pipes connects the child's stdin and output to pipes proc owns. It returns the copies to
// start and the child's ends, which the parent closes once the child has them.
func (p *Process) pipes(c Cmd) (copies []copyJob, childEnds []*os.File, err error) {
	out := func(w io.Writer) (*os.File, error) {
		r, wf, err := os.Pipe()
		if err != nil {
			return nil, err
		}
		p.readers = append(p.readers, r)
		copies = append(copies, copyJob{from: r, to: w})
		childEnds = append(childEnds, wf)
		return wf, nil
	}
	var f *os.File
	switch {
	case c.Output != nil:
		if f, err = out(c.Output); err == nil {
			p.cmd.Stdout, p.cmd.Stderr = f, f
		}
	default:
		if c.Stdout != nil {
			if f, err = out(c.Stdout); err != nil {
				return copies, childEnds, err
			}
			p.cmd.Stdout = f
		}
		if c.Stderr != nil {
			if f, err = out(c.Stderr); err == nil {
				p.cmd.Stderr = f
			}
		}
	}
	if err != nil || c.Stdin == nil {
		return copies, childEnds, err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return copies, childEnds, err
	}
	p.cmd.Stdin, p.stdin = r, w
	return copies, append(childEnds, r), nil
}

// run starts the goroutines of a started process: output copies, stdin, the reaper and the
// watcher of ctx and the timeout.
func (p *Process) run(ctx context.Context, c Cmd, copies []copyJob) {
	var wg sync.WaitGroup
	for _, cj := range copies {
		wg.Go(func() {
			_, _ = io.Copy(cj.to, cj.from)
			cj.from.Close()
		})
	}
	go func() {
		wg.Wait()
		close(p.outDone)
	}()
	if p.stdin != nil {
		go func() {
			_, _ = io.Copy(p.stdin, c.Stdin) // fails with EPIPE when the child stops reading
			p.stdin.Close()
		}()
	}
	registered := p.tracker.add(p)
	go func() {
		_ = p.cmd.Wait()
		p.finished()
		close(p.exited)
		p.tracker.remove(p)
	}()
	if !registered { // strata is shutting down: the tracker already stopped the others
		p.stop(causeKill)
		return
	}
	go p.watch(ctx, c.Timeout)
}

// watch stops the group when ctx ends or the timeout passes, whichever comes first while
// the leader runs.
func (p *Process) watch(ctx context.Context, timeout time.Duration) {
	var timer <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		timer = t.C
	}
	select {
	case <-p.exited:
	case <-timer:
		p.stop(causeTimeout)
	case <-ctx.Done():
		p.stop(causeInterrupt)
	}
}

// stop records why the group is stopped and stops it, once; concurrent callers return when
// it is done.
func (p *Process) stop(c cause) {
	p.mu.Lock()
	if p.cause == causeNone {
		p.cause = c
	}
	p.mu.Unlock()
	p.killOnce.Do(p.killGroup)
}

// Pid is the leader's process ID, which is also the group's ID on Unix.
func (p *Process) Pid() int { return p.pgid }

// Exited is closed once the leader has exited and been reaped.
func (p *Process) Exited() <-chan struct{} { return p.exited }

// OutputDone is closed once all output has been copied (every pipe reached EOF) or
// abandoned by Wait.
func (p *Process) OutputDone() <-chan struct{} { return p.outDone }

// Kill stops the whole process group (SIGTERM, the grace period, SIGKILL) and returns once
// the leader is reaped. It does nothing when the leader has already exited.
func (p *Process) Kill() {
	select {
	case <-p.exited:
		return
	default:
	}
	p.stop(causeKill)
}

// Wait waits for the leader to exit — and, when the group is being stopped, for the stop to
// finish — then up to WaitDelay for the output, and returns how the command ended. Output still held open after that is abandoned.
func (p *Process) Wait() Result {
	<-p.exited
	p.mu.Lock()
	stopping := p.cause != causeNone
	p.mu.Unlock()
	if stopping {
		// The leader can be reaped while the rest of its group is still being stopped;
		// Once.Do returns only when killGroup has, so callers see the whole group gone.
		p.killOnce.Do(func() {})
	}
	p.waitOnce.Do(func() {
		t := time.NewTimer(p.waitDelay)
		defer t.Stop()
		select {
		case <-p.outDone:
		case <-t.C:
			p.mu.Lock()
			p.abandon = true
			p.mu.Unlock()
			for _, r := range p.readers { // unblocks the copies: they end with an error
				r.Close()
			}
			<-p.outDone
		}
		if p.stdin != nil {
			p.stdin.Close() // a process left behind may hold stdin without reading it
		}
	})
	r, _ := p.Result()
	return r
}

// Result returns how the command ended so far without waiting: ok is false while the
// leader runs. OutputIncomplete is only known once Wait has returned.
func (p *Process) Result() (r Result, ok bool) {
	select {
	case <-p.exited:
	default:
		return Result{ExitCode: -1}, false
	}
	st := p.cmd.ProcessState
	r = Result{ExitCode: st.ExitCode(), Signal: signalOf(st)}
	p.mu.Lock()
	defer p.mu.Unlock()
	r.TimedOut, r.Interrupted, r.Killed = p.cause == causeTimeout, p.cause == causeInterrupt, p.cause == causeKill
	r.OutputIncomplete = p.abandon
	return r, true
}

// LookPath finds a program in PATH as exec.LookPath does, so that packages that only look
// programs up need not import os/exec (the archtest rule that only proc does stays simple).
func LookPath(name string) (string, error) { return exec.LookPath(name) }

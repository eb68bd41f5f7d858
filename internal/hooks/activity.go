package hooks

import (
	"github.com/google/uuid"
)

// Activity reports one hook command starting (Done false) or ending, for hosts that show
// what hooks do (the Agent SDK's hook_started and hook_response messages).
type Activity struct {
	ID    string // the same for a hook's start and its end
	Name  string // Event:target, as the reference names hooks (PreToolUse:Bash)
	Event Event
	Done  bool
	// The end's output: Output is stdout then stderr; ExitCode is nil when the hook did not
	// exit by itself; Outcome is success, error or cancelled.
	Stdout, Stderr, Output string
	ExitCode               *int
	Outcome                string
}

// Observe makes every later hook command, http and prompt hook report its start and end
// to f (callback hooks are the host's own and are not reported). Call it before hooks run.
func (r *Runner) Observe(f func(Activity)) {
	if r != nil {
		r.observe = f
	}
}

// started reports a hook starting and returns the function that reports its end.
func (r *Runner) started(in Input) func(result) {
	if r.observe == nil {
		return func(result) {}
	}
	a := Activity{ID: uuid.NewString(), Name: string(in.Event), Event: in.Event}
	if target, ok := in.matchTarget(); ok && target != "" {
		a.Name += ":" + target
	}
	r.observe(a)
	return func(res result) {
		a.Done, a.Stdout, a.Stderr = true, string(res.stdout), string(res.stderr)
		a.Output = a.Stdout + a.Stderr
		switch {
		case res.interrupted:
			a.Outcome = "cancelled"
		case res.startErr != nil || res.timedOut || res.exitCode != 0:
			a.Outcome = "error"
		default:
			a.Outcome = "success"
		}
		if res.exitCode >= 0 && res.startErr == nil {
			code := res.exitCode
			a.ExitCode = &code
		}
		r.observe(a)
	}
}

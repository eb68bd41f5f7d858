package hooks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Callback runs one hook in the program that started strata (an Agent SDK host registers
// hooks as callbacks in its initialize request). input is the JSON a command hook would
// read on stdin; the answer is the JSON a command hook would print.
type Callback func(ctx context.Context, id string, input json.RawMessage, toolUseID string) (json.RawMessage, error)

// callbackHook is one registered callback.
type callbackHook struct {
	id      string
	timeout time.Duration
}

// AddCallbacks registers callback hooks for event whose targets pattern matches, run by
// call alongside the settings' command hooks. It must be called before the Runner runs any
// hook (the Runner is read without locks).
func (r *Runner) AddCallbacks(call Callback, event, pattern string, ids []string, timeout time.Duration) error {
	ev := Event(event)
	if !knownEvent(ev) {
		r.state.Lock()
		r.warnings = append(r.warnings[:len(r.warnings):len(r.warnings)], fmt.Sprintf("SDK hooks for %q are ignored: strata has no such event", event))
		r.state.Unlock()
		return nil
	}
	fn, err := compileMatcher(pattern)
	if err != nil {
		return fmt.Errorf("SDK hooks.%s: matcher %q is not a valid pattern: %v", event, pattern, err)
	}
	if timeout <= 0 {
		timeout = r.opts.Timeout
	}
	m := matcher{match: fn, source: "SDK"}
	for _, id := range ids {
		m.callbacks = append(m.callbacks, callbackHook{id: id, timeout: timeout})
	}
	r.call = call
	r.state.Lock()
	defer r.state.Unlock()
	table := copyTable(r.byEvent)
	table[ev] = append(table[ev], m)
	r.byEvent = table
	return nil
}

// callbacksFor lists the callback hooks for in, in registration order.
func (r *Runner) callbacksFor(in Input) []callbackHook {
	target, matched := in.matchTarget()
	var out []callbackHook
	for _, m := range r.table()[in.Event] {
		if !matched || m.match(target) {
			out = append(out, m.callbacks...)
		}
	}
	return out
}

// runCallback asks the host to run one callback hook and reads its answer like a command
// hook's stdout.
func (r *Runner) runCallback(ctx context.Context, cb callbackHook, in Input, stdin []byte) result {
	ctx, cancel := context.WithTimeout(ctx, cb.timeout)
	defer cancel()
	res := result{command: "callback " + cb.id, timeout: cb.timeout}
	body, err := r.call(ctx, cb.id, stdin, in.ToolUseID)
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		res.timedOut = true
	case err != nil && ctx.Err() != nil:
		res.interrupted = true
	case err != nil:
		res.startErr = err
	default:
		res.stdout = body
	}
	return res
}

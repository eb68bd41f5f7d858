package hooks

import (
	"github.com/strata-agent/strata/internal/settings"
)

// Scoped is a Runner for a sub-agent whose definition brings hooks of its own: r's hooks
// and callbacks, plus those, under the same options and policy. A Stop hook of the
// definition becomes a SubagentStop hook, since a sub-agent's end fires that event (as in
// the reference). r itself is not changed; extra hooks the policy leaves out are reported
// in the new Runner's Warnings.
func (r *Runner) Scoped(extra map[string][]settings.HookMatcher) (*Runner, error) {
	renamed := make(map[string][]settings.HookMatcher, len(extra))
	for ev, ms := range extra {
		if Event(ev) == Stop {
			ev = string(SubagentStop)
		}
		renamed[ev] = append(renamed[ev], ms...)
	}
	var o Options
	if r != nil {
		o = r.opts
	}
	o.Hooks = renamed
	own, err := New(o)
	if err != nil {
		return nil, err
	}
	if r == nil {
		return own, nil
	}
	merged := &Runner{opts: r.opts, env: r.env, call: r.call, observe: r.observe, warnings: own.warnings,
		byEvent: joinTables(r.table(), own.byEvent)}
	return merged, nil
}

package hooks

import (
	"github.com/strata-agent/strata/internal/settings"
)

// table is the current hooks by event; the map is never written once published.
func (r *Runner) table() map[Event][]matcher {
	r.state.RLock()
	defer r.state.RUnlock()
	return r.byEvent
}

func copyTable(t map[Event][]matcher) map[Event][]matcher {
	out := make(map[Event][]matcher, len(t)+1)
	for ev, ms := range t {
		out[ev] = ms[:len(ms):len(ms)] // appends copy
	}
	return out
}

// joinTables is a's matchers followed by b's, event by event, in a new map.
func joinTables(a, b map[Event][]matcher) map[Event][]matcher {
	out := copyTable(a)
	for ev, ms := range b {
		out[ev] = append(out[ev], ms...)
	}
	return out
}

// Extend adds hooks of the main session's own definition (the front matter of the --agent
// it runs as) to r, in place, under r's policy: they run as the settings' hooks do, after
// them, and stay through Reload. Hooks the policy leaves out are reported in Warnings.
func (r *Runner) Extend(extra map[string][]settings.HookMatcher) error {
	o := r.opts
	o.Hooks = extra
	own, err := New(o)
	if err != nil {
		return err
	}
	for ev, ms := range own.byEvent {
		for i := range ms {
			ms[i].pinned = true
		}
		own.byEvent[ev] = ms
	}
	r.state.Lock()
	defer r.state.Unlock()
	r.byEvent = joinTables(r.byEvent, own.byEvent)
	r.warnings = append(r.warnings[:len(r.warnings):len(r.warnings)], own.warnings...)
	return nil
}

// Reload replaces the settings' hooks with o.Hooks, filtered by o's policy (disableAllHooks,
// allowManagedHooksOnly, allowedHttpHookUrls), for settings that changed during the session.
// Only which hooks run changes: where and how they run (environment, directory, timeouts)
// stays as r was made. The SDK's callback hooks and Extend's hooks are kept. A hook table
// that cannot be read is an error and r keeps its hooks.
func (r *Runner) Reload(o Options) error {
	fresh, err := New(o)
	if err != nil {
		return err
	}
	r.state.Lock()
	defer r.state.Unlock()
	kept := map[Event][]matcher{}
	for ev, ms := range r.byEvent {
		for _, m := range ms {
			if m.pinned || len(m.callbacks) > 0 {
				kept[ev] = append(kept[ev], m)
			}
		}
	}
	r.byEvent = joinTables(fresh.byEvent, kept)
	r.warnings = fresh.warnings
	return nil
}

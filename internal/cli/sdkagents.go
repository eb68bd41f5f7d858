package cli

import (
	"encoding/json"
	"maps"

	"github.com/strata-agent/strata/internal/hooks"
	"github.com/strata-agent/strata/internal/render"
)

// useAgents adds the sub-agents the SDK defines in initialize (its agents option) to those
// of --agents, and applies --agent, which may name one of them: runSDK holds --agent back
// until now. It runs once, at initialize or, without one, before the first turn.
func (h *sdkHost) useAgents(defs map[string]json.RawMessage) error {
	if h.agentsApplied {
		return nil
	}
	h.agentsApplied = true
	if len(defs) == 0 && h.agentName == "" {
		return nil
	}
	if len(defs) > 0 {
		merged := map[string]json.RawMessage{}
		if h.opts.Agents != "" {
			_ = json.Unmarshal([]byte(h.opts.Agents), &merged) // checked at start-up
		}
		maps.Copy(merged, defs)
		b, err := json.Marshal(merged)
		if err != nil {
			return err
		}
		h.opts.Agents = string(b)
	}
	h.opts.Agent = h.agentName
	if err := h.a.loadAgents(h.st, h.opts); err != nil {
		return err
	}
	if h.st.agentSystem != "" {
		h.st.system = h.st.agentSystem
	}
	return nil
}

// agentList is initialize's answer about sub-agents: name, description and model.
func (h *sdkHost) agentList() []map[string]any {
	out := []map[string]any{}
	for _, d := range h.st.agents.All() {
		e := map[string]any{"name": d.Name, "description": d.Description}
		if d.Model != "" {
			e["model"] = d.Model
		}
		out = append(out, e)
	}
	return out
}

// alwaysShown says whether the reference reports an event's hooks even without
// --include-hook-events.
func alwaysShown(e hooks.Event) bool { return e == hooks.SessionStart || e == "Setup" }

// showHooks writes hook_started and hook_response messages: for every hook with
// --include-hook-events, else for SessionStart hooks only, as the reference does.
func (h *sdkHost) showHooks() { showHooks(h.st, h.printer, h.opts.IncludeHookEvents) }

func showHooks(st *stack, p *render.Printer, all bool) {
	st.hooks.Observe(func(a hooks.Activity) {
		if !all && !alwaysShown(a.Event) {
			return
		}
		p.Hook(render.HookActivity{ID: a.ID, Name: a.Name, Event: string(a.Event), Done: a.Done,
			Stdout: a.Stdout, Stderr: a.Stderr, Output: a.Output, ExitCode: a.ExitCode, Outcome: a.Outcome})
	})
}

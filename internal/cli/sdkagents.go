package cli

import (
	"encoding/json"
	"maps"
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

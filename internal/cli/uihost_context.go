package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"

	"github.com/strata-agent/strata/internal/subagents"
	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tui"
)

// The host's side of /context: what each part of a request takes of the context window.
// The parts are estimated from their text (about four characters a token, the rule of thumb
// the status line also uses while an answer streams); no request is made for them. The UI
// puts the last request's measured input beside them.

// estimateTokens guesses the tokens of text.
func estimateTokens(text string) int { return (len(text) + 3) / 4 }

// ContextUsage breaks down the context of the running conversation's next request.
func (h *host) ContextUsage() tui.ContextUsage {
	sess := h.current()
	model := sess.Model()
	u := tui.ContextUsage{Model: model, Window: h.ModelInfo(model).ContextWindow}
	if h.autoCompact() {
		u.CompactAt = h.st.compactAt(model)
	}
	h.mu.Lock()
	system := h.st.system
	h.mu.Unlock()
	if h.st.agentSystem != "" {
		system = h.st.agentSystem
	}

	builtin := 0
	for _, t := range h.st.tools {
		builtin += toolTokens(t)
	}
	var mcpItems []tui.ContextPart
	mcpTotal := 0
	if h.st.mcp != nil {
		for _, t := range h.st.mcp.Tools() {
			n := toolTokens(t)
			mcpItems = append(mcpItems, tui.ContextPart{Name: t.Name(), Tokens: n})
			mcpTotal += n
		}
	}
	// The skills and the custom agents are listed in the descriptions of the Skill and Agent
	// tools: counted apart, as the reference does, and taken out of the tools' share.
	var skillItems, agentItems []tui.ContextPart
	skillTotal, agentTotal := 0, 0
	if h.st.skills != nil {
		for _, s := range h.st.skills.All() {
			if s.ModelInvocable {
				n := estimateTokens(s.Name + ": " + s.Description + "\n")
				skillItems = append(skillItems, tui.ContextPart{Name: s.Name, Tokens: n})
				skillTotal += n
			}
		}
	}
	if h.st.agents != nil {
		for _, d := range h.st.agents.All() {
			if d.Source != subagents.SourceBuiltin {
				n := estimateTokens("- " + d.Name + ": " + d.Description + "\n")
				agentItems = append(agentItems, tui.ContextPart{Name: d.Name, Tokens: n})
				agentTotal += n
			}
		}
	}
	var memItems []tui.ContextPart
	memTotal := 0
	for _, f := range h.st.memoryFiles {
		n := estimateTokens(f.Content)
		memItems = append(memItems, tui.ContextPart{Name: h.shortPath(f.Path), Tokens: n})
		memTotal += n
	}

	u.Parts = []tui.ContextPart{
		{Name: "System prompt", Tokens: estimateTokens(system)},
		{Name: "System tools", Tokens: max(0, builtin-skillTotal-agentTotal)},
		{Name: "MCP tools", Tokens: mcpTotal},
		{Name: "Custom agents", Tokens: agentTotal},
		{Name: "Memory files", Tokens: memTotal},
		{Name: "Skills", Tokens: skillTotal},
	}
	if raw, err := json.Marshal(sess.Messages()); err == nil {
		// The memory files travel in the first message: counted above, not twice.
		u.Messages = max(0, estimateTokens(string(raw))-memTotal)
	}
	u.Details = []tui.ContextDetail{
		{Title: "MCP tools · /mcp", Items: mcpItems},
		{Title: "Custom agents · /agents", Items: agentItems},
		{Title: "Memory files · /memory", Items: memItems},
		{Title: "Skills · /skills", Items: skillItems},
	}
	return u
}

// toolTokens estimates what a tool's definition takes of every request.
func toolTokens(t tool.Tool) int {
	return estimateTokens(t.Name()) + estimateTokens(t.Description()) + estimateTokens(string(t.InputSchema()))
}

// shortPath shows a path under the working directory or home relative to it.
func (h *host) shortPath(p string) string {
	if rel, err := filepath.Rel(h.a.env.Cwd, p); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	if h.a.env.Home != "" && strings.HasPrefix(p, h.a.env.Home+string(filepath.Separator)) {
		return "~" + strings.TrimPrefix(p, h.a.env.Home)
	}
	return p
}

// autoCompact reports whether automatic compaction is on (autoCompactEnabled, default on).
func (h *host) autoCompact() bool { return !h.st.autoCompactOff.Load() }

// settingBool reads a boolean setting; def when it is missing or not a boolean.
func settingBool(raw json.RawMessage, def bool) bool {
	var on bool
	if raw != nil && json.Unmarshal(raw, &on) == nil {
		return on
	}
	return def
}

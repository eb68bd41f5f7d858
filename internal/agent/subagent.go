package agent

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/google/uuid"

	"github.com/strata-agent/strata/internal/hooks"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tool"
)

// asker answers WebFetch's one-shot questions with the small/fast model, counting its usage
// in the session's cost.
type asker struct{ s *Session }

func (a asker) Ask(ctx context.Context, system, prompt string) (string, error) {
	s := a.s
	req := &llm.Request{Model: s.cfg.SmallModel, MaxTokens: 4096,
		Messages: []llm.Message{{Role: llm.RoleUser, Content: []llm.ContentBlock{llm.TextBlock(prompt)}}}}
	if system != "" {
		req.System = []llm.ContentBlock{llm.TextBlock(system)}
	}
	resp, billed, err := collect(ctx, s.cfg.Small, req)
	s.addUsage(s.cfg.SmallModel, billed) // a failed or restarted question is billed too
	if err != nil {
		return "", err
	}
	return resp.Message().Text(), nil
}

// SubAgentType is what one kind of sub-agent runs with. The cli builds them from the
// definitions (internal/subagents); the session applies them.
type SubAgentType struct {
	Name        string
	Description string
	System      string // the complete system prompt
	// Tools names the parent's tools it may use (a "Tool(specifier)" entry counts for
	// Tool); nil means all of them. The Agent tool is never among them: sub-agents do not
	// start sub-agents.
	Tools           []string
	DisallowedTools []string
	Model           string // "" runs on the parent's model
	// Small runs it on the small/fast client (Explore).
	Small          bool
	PermissionMode permission.Mode // "" keeps the parent's
	// Hooks, when set, gives the hook runner of a sub-agent whose definition has hooks of
	// its own (the session's and those). It is called as each sub-agent starts, so that it
	// sees callbacks registered since the session began.
	Hooks func() (HookRunner, error)
}

// AgentToolName is the Agent tool's wire name; LegacyAgentToolName is its former name,
// still accepted in calls, rules and hook matchers.
const (
	AgentToolName       = "Agent"
	LegacyAgentToolName = "Task"
)

// subAgents runs Agent calls: a fresh session with its type's prompt, tools and model, the
// parent's permissions (or its type's mode) and working directory, and its own context.
type subAgents struct{ s *Session }

func (sa subAgents) RunSubAgent(ctx context.Context, description, prompt, subagentType string) (string, error) {
	parent := sa.s
	typ, err := parent.subAgentType(subagentType)
	if err != nil {
		return "", err
	}
	cfg := parent.cfg
	cfg.Transcript = nil
	cfg.Memory = ""
	cfg.Tools = subAgentTools(parent.cfg.Tools, typ)
	cfg.SubAgentTypes = nil
	if typ.Hooks != nil {
		if cfg.Hooks, err = typ.Hooks(); err != nil {
			return "", fmt.Errorf("sub-agent %q: hooks: %w", typ.Name, err)
		}
	}
	if typ.System != "" {
		cfg.System = typ.System
	}
	switch {
	case typ.Small && parent.cfg.Small != nil:
		cfg.Client, cfg.Model = parent.cfg.Small, parent.cfg.SmallModel
	case typ.Model != "":
		cfg.Model = typ.Model
	}
	if typ.PermissionMode != "" && parent.cfg.Permissions.CurrentMode() != permission.ModeBypass {
		cfg.Permissions = parent.cfg.Permissions.WithMode(typ.PermissionMode)
	}
	// The sub-agent starts where the parent is now, with an Env of its own: its reads do
	// not count as the parent's, and its todo list is not the user's.
	cfg.Cwd, cfg.Todos = parent.env.Cwd(), nil
	cfg.Sink = func(ev Event) {
		if ev.Kind == EventNotice || ev.Kind == EventDenied {
			parent.emit(ev) // retries and refusals matter to the user; the sub-agent's tokens do not
		}
	}
	child := New(cfg, nil)
	defer child.Close() // background jobs the sub-agent started end with it
	child.subAgent, child.agentID, child.agentType = true, uuid.NewString(), typ.Name
	first := []llm.ContentBlock{llm.TextBlock(prompt)}
	start := parent.hook(ctx, hooks.Input{Event: hooks.SubagentStart, AgentID: child.agentID, AgentType: typ.Name})
	if len(start.Context) > 0 {
		first = append(first, llm.TextBlock("Context added by the user's SubagentStart hook:\n"+strings.Join(start.Context, "\n")))
	}
	res, err := child.Run(ctx, first)
	for model, mu := range child.usage {
		parent.addUsageCost(model, *mu)
	}
	parent.mu.Lock()
	parent.denials = append(parent.denials, child.denials...)
	parent.mu.Unlock()
	if err != nil {
		return "", fmt.Errorf("sub-agent %q: %w", description, err)
	}
	if res.Subtype == SubtypeMaxTurns {
		return res.Text + "\n\n(the sub-agent stopped at its turn limit)", nil
	}
	return res.Text, nil
}

// subAgentType finds the requested kind; without configured types every kind runs as a
// plain copy of the session.
func (s *Session) subAgentType(name string) (SubAgentType, error) {
	if s.cfg.SubAgentTypes == nil {
		return SubAgentType{Name: name}, nil
	}
	if t, ok := s.cfg.SubAgentTypes[name]; ok {
		if t.Name == "" {
			t.Name = name
		}
		return t, nil
	}
	names := make([]string, 0, len(s.cfg.SubAgentTypes))
	for n := range s.cfg.SubAgentTypes {
		names = append(names, n)
	}
	sort.Strings(names)
	return SubAgentType{}, fmt.Errorf("there is no sub-agent type %q; the types are: %s", name, strings.Join(names, ", "))
}

// SelectTools keeps the tools a sub-agent of typ gets: those it allows, in the parent's
// order, never the Agent tool.
func SelectTools(parent []tool.Tool, typ SubAgentType) []tool.Tool { return subAgentTools(parent, typ) }

// subAgentTools keeps the parent's tools the type allows, in the parent's order.
func subAgentTools(parent []tool.Tool, typ SubAgentType) []tool.Tool {
	names := func(list []string) map[string]bool {
		m := map[string]bool{}
		for _, n := range list {
			if i := strings.IndexByte(n, '('); i > 0 {
				n = n[:i]
			}
			if n == LegacyAgentToolName {
				n = AgentToolName
			}
			m[strings.TrimSpace(n)] = true
		}
		return m
	}
	allow, deny := names(typ.Tools), names(typ.DisallowedTools)
	all := typ.Tools == nil || allow["*"]
	var out []tool.Tool
	for _, t := range parent {
		n := t.Name()
		// Nobody watches a sub-agent's turns: it gets no tool that asks the user.
		if n != AgentToolName && n != LegacyAgentToolName && !tool.IsUserFacing(t) && (all || allow[n]) && !deny[n] {
			out = append(out, t)
		}
	}
	return out
}

func (s *Session) addUsageCost(model string, add ModelUsage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	mu := s.modelUsage(model)
	mu.Usage = mu.Usage.Add(add.Usage)
	mu.CostUSD += add.CostUSD
	mu.Known = mu.Known && add.Known
}

// Summarize describes a tool call in one line for a person deciding on it.
func Summarize(use llm.ContentBlock) string {
	var in map[string]any
	_ = json.Unmarshal(use.Input, &in)
	for _, key := range []string{"command", "file_path", "path", "pattern", "url", "description"} {
		if v, ok := in[key].(string); ok && v != "" {
			v = strings.ReplaceAll(v, "\n", " ")
			if r := []rune(v); len(r) > 200 {
				v = string(r[:200]) + "…"
			}
			return fmt.Sprintf("%s(%s)", use.Name, v)
		}
	}
	return use.Name
}

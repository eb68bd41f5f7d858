package agent

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/strata-agent/strata/internal/llm"
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

// subAgents runs Task calls: a fresh session with the same model, tools (minus Task, so
// sub-agents do not nest), permissions and working directory, and its own context window.
type subAgents struct{ s *Session }

func (sa subAgents) RunSubAgent(ctx context.Context, description, prompt, subagentType string) (string, error) {
	parent := sa.s
	cfg := parent.cfg
	cfg.Transcript = nil
	cfg.Memory = ""
	cfg.Tools = nil
	for _, t := range parent.cfg.Tools {
		if t.Name() != "Task" {
			cfg.Tools = append(cfg.Tools, t)
		}
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
	child.subAgent = true
	res, err := child.Run(ctx, []llm.ContentBlock{llm.TextBlock(prompt)})
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

func (s *Session) addUsageCost(model string, add ModelUsage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	mu := s.usage[model]
	if mu == nil {
		mu = &ModelUsage{Known: true}
		s.usage[model] = mu
	}
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

package agent

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/strata-agent/strata/internal/hooks"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tool"
)

// HookRunner runs the user's hooks (A12); *hooks.Runner is one. The loop calls it before
// and after each tool call, when a prompt arrives, when the model ends its turn and before
// compaction. An Outcome's Messages reach the user as warning notices.
type HookRunner interface {
	Run(ctx context.Context, in hooks.Input) hooks.Outcome
}

// maxStopContinuations bounds how often Stop hooks may send the model back to work within
// one Run, so that a hook that always blocks cannot loop forever.
const maxStopContinuations = 8

// hook runs the hooks of one event with the session's place and mode filled in. Sub-agents
// run tool hooks like the main session but not its prompt and stop hooks.
func (s *Session) hook(ctx context.Context, in hooks.Input) hooks.Outcome {
	if s.cfg.Hooks == nil || s.subAgent && in.Event == hooks.UserPromptSubmit {
		return hooks.Outcome{}
	}
	if s.subAgent && in.Event == hooks.Stop {
		// A sub-agent's end is its own event, and the Stop hooks are the main agent's.
		in.Event, in.AgentID, in.AgentType = hooks.SubagentStop, s.agentID, s.agentType
		in.LastAssistantMessage = lastAssistantText(s.messages)
	}
	in.Cwd = s.env.Cwd()
	in.PermissionMode = string(s.cfg.Permissions.CurrentMode())
	in.SessionID, in.TranscriptPath = s.cfg.SessionID, s.cfg.TranscriptPath
	if s.cfg.Small != nil {
		in.Ask = asker{s}.Ask // prompt hooks: their tokens are the session's cost
	}
	out := s.cfg.Hooks.Run(ctx, in)
	for _, m := range out.Messages {
		s.warn(m) // failures and timeouts of hooks, and their systemMessage, are for the user
	}
	return out
}

// submitPrompt runs the UserPromptSubmit hooks. A block drops the prompt (it is not sent
// nor recorded) and ends the run with the hook's reason; context the hooks add goes after
// the prompt.
func (s *Session) submitPrompt(ctx context.Context, prompt []llm.ContentBlock) ([]llm.ContentBlock, error) {
	var text []string
	for _, b := range prompt {
		if b.Type == llm.TypeText {
			text = append(text, b.Text)
		}
	}
	out := s.hook(ctx, hooks.Input{Event: hooks.UserPromptSubmit, Prompt: strings.Join(text, "\n")})
	switch {
	case out.Block:
		return nil, fmt.Errorf("a UserPromptSubmit hook blocked the prompt: %s", out.Reason)
	case out.Stop:
		return nil, fmt.Errorf("a UserPromptSubmit hook stopped the session: %s", out.StopReason)
	}
	if len(out.Context) > 0 {
		prompt = append(append([]llm.ContentBlock(nil), prompt...),
			llm.TextBlock("Context added by the user's UserPromptSubmit hook:\n"+strings.Join(out.Context, "\n")))
	}
	return prompt, nil
}

// preToolUse runs the PreToolUse hooks and folds their answer into the permission
// decision: a block or deny refuses the call; deny rules and plan mode refuse it whatever
// the hooks say; a hook's allow skips asking (unless a deny rule might match or the call
// writes a protected path: a hook may come from the repository); a hook's ask asks even
// when rules allow.
func (s *Session) preToolUse(ctx context.Context, use llm.ContentBlock, d permission.Decision) (permission.Decision, hooks.Outcome) {
	out := s.hook(ctx, hooks.Input{Event: hooks.PreToolUse, ToolName: canonicalToolName(use.Name), ToolUseID: use.ID, ToolInput: use.Input})
	s.noteStop(out)
	switch {
	case out.Block:
		return permission.Decision{Behavior: permission.Deny, Reason: "A PreToolUse hook blocked this call: " + out.Reason}, out
	case d.Behavior == permission.Deny:
		return d, out
	case out.Decision == permission.Allow && !d.MaybeDenied && !d.Protected:
		return permission.Decision{Behavior: permission.Allow, Reason: out.DecisionReason}, out
	case out.Decision == permission.Ask:
		return permission.Decision{Behavior: permission.Ask, Rule: d.Rule, Reason: out.DecisionReason}, out
	}
	return d, out
}

// postToolUse runs the PostToolUse hooks on a finished call. What a blocking hook says,
// and context hooks add, is appended to the result for the model.
func (s *Session) postToolUse(ctx context.Context, use llm.ContentBlock, res *tool.Result) {
	if s.cfg.Hooks == nil {
		return
	}
	if res.IsError {
		// A failed call has its own event, as in the reference; its hooks may add context.
		out := s.hook(ctx, hooks.Input{Event: hooks.PostToolUseFailure, ToolName: canonicalToolName(use.Name), ToolUseID: use.ID,
			ToolInput: use.Input, Error: res.Text})
		s.noteStop(out)
		if len(out.Context) > 0 {
			res.Text += "\n\n" + strings.Join(out.Context, "\n")
		}
		return
	}
	response, _ := json.Marshal(struct {
		Output  string `json:"output"`
		IsError bool   `json:"is_error"`
	}{res.Text, res.IsError})
	out := s.hook(ctx, hooks.Input{Event: hooks.PostToolUse, ToolName: canonicalToolName(use.Name), ToolUseID: use.ID, ToolInput: use.Input, ToolResponse: response})
	s.noteStop(out)
	if out.Block {
		res.Text += "\n\nA PostToolUse hook reported: " + out.Reason
	}
	if len(out.Context) > 0 {
		res.Text += "\n\n" + strings.Join(out.Context, "\n")
	}
}

// stopHook runs the Stop hooks when the model ends its turn. It reports whether a hook sent
// the model back to work, after adding the hook's reason as the next user message.
func (s *Session) stopHook(ctx context.Context, continued int, turnsLeft bool) (bool, error) {
	out := s.hook(ctx, hooks.Input{Event: hooks.Stop, StopHookActive: continued > 0})
	if out.Stop || !out.Block {
		return false, nil
	}
	if continued >= maxStopContinuations || !turnsLeft {
		s.warn(fmt.Sprintf("a Stop hook asked the model to go on, but the turn ends here (it already went on %d times, or the turn limit is reached): %s", continued, out.Reason))
		return false, nil
	}
	msg := llm.Message{Role: llm.RoleUser, Content: []llm.ContentBlock{llm.TextBlock("A Stop hook asks you to continue: " + out.Reason)}}
	if err := s.appendUser(msg); err != nil {
		return false, err
	}
	s.emit(Event{Kind: EventUser, User: &msg})
	return true, nil
}

// noteStop remembers a hook's "continue": false; the run ends after the current step.
func (s *Session) noteStop(out hooks.Outcome) {
	if !out.Stop {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hookStop == "" {
		s.hookStop = "a hook stopped the session"
		if out.StopReason != "" {
			s.hookStop += ": " + out.StopReason
		}
	}
}

// takeHookStop returns and clears the reason a hook gave for stopping.
func (s *Session) takeHookStop() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	why := s.hookStop
	s.hookStop = ""
	return why
}

// allowAlways remembers an "allow always" answer: in the checker for this session, and
// through OnAllowAlways in the project's settings. A failure to save is a warning; the call
// itself was allowed.
func (s *Session) allowAlways(req permission.Request, ans permission.Answer) {
	rule := ans.Rule
	if rule == "" {
		rule = req.Suggestion
	}
	if rule == "" {
		return // nothing can be remembered safely; the answer counts once
	}
	if err := s.cfg.Permissions.AllowAlways(rule); err != nil {
		s.warn("the rule to allow always was not kept: " + err.Error())
		return
	}
	if s.cfg.OnAllowAlways != nil {
		if err := s.cfg.OnAllowAlways(rule); err != nil {
			s.warn(fmt.Sprintf("%s is allowed for this session, but saving it failed: %v", rule, err))
		}
	}
}

// lastAssistantText is the text of the latest assistant message.
func lastAssistantText(msgs []llm.Message) string {
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Role == llm.RoleAssistant {
			return msgs[i].Text()
		}
	}
	return ""
}

// canonicalToolName is the name hooks are told: the Agent tool's, when a call used its old
// name.
func canonicalToolName(name string) string {
	if name == LegacyAgentToolName {
		return AgentToolName
	}
	return name
}

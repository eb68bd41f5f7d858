package agent

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/strata-agent/strata/internal/hooks"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tool"
)

// toolStep runs the calls of one assistant message and returns their tool_result blocks in
// the same order. Consecutive concurrency-safe calls run concurrently; any other call runs alone, in
// order, so a read after a write sees the write. A Go error means the environment broke.
func (s *Session) toolStep(ctx context.Context, uses []llm.ContentBlock) ([]llm.ContentBlock, error) {
	results := make([]llm.ContentBlock, len(uses))
	for i := 0; i < len(uses); {
		j := i + 1
		if s.concurrent(uses[i]) {
			for j < len(uses) && s.concurrent(uses[j]) {
				j++
			}
		}
		if err := s.runGroup(ctx, uses[i:j], results[i:j]); err != nil {
			for k := j; k < len(uses); k++ {
				results[k] = llm.ToolResultBlock(uses[k].ID, "not run: an earlier tool call failed", true)
			}
			return results, err
		}
		i = j
	}
	return results, nil
}

func (s *Session) concurrent(use llm.ContentBlock) bool {
	t, ok := s.tool(use.Name)
	return ok && t.ConcurrencySafe()
}

// runGroup runs calls concurrently (a group of one runs inline).
func (s *Session) runGroup(ctx context.Context, uses, out []llm.ContentBlock) error {
	if len(uses) == 1 {
		var err error
		out[0], err = s.runTool(ctx, uses[0])
		return err
	}
	var wg sync.WaitGroup
	errs := make([]error, len(uses))
	for k := range uses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[k], errs[k] = s.runTool(ctx, uses[k])
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// interruptedAsking is the result of a call whose permission dialog the user interrupted.
const interruptedAsking = "not run: the user interrupted the turn instead of answering the permission request; " +
	"wait for the user to say how to go on"

// runTool checks permissions, runs one call and turns its result into a tool_result block.
func (s *Session) runTool(ctx context.Context, use llm.ContentBlock) (llm.ContentBlock, error) {
	if ctx.Err() != nil {
		return llm.ToolResultBlock(use.ID, "not run: the user interrupted the turn", true), nil
	}
	t, ok := s.tool(use.Name)
	if !ok {
		return llm.ToolResultBlock(use.ID, fmt.Sprintf("there is no tool named %q", use.Name), true), nil
	}
	if v, ok := t.(tool.Validator); ok { // a malformed call fails before anyone is asked
		if err := v.Validate(s.env, use.Input); err != nil {
			return llm.ToolResultBlock(use.ID, err.Error(), true), nil
		}
	}
	allowed, reason, updated, err := s.permit(ctx, t, use)
	switch {
	case err != nil && ctx.Err() != nil: // Esc in the permission dialog: say so, not "context canceled"
		return llm.ToolResultBlock(use.ID, interruptedAsking, true), err
	case err != nil:
		return llm.ToolResultBlock(use.ID, "not run: "+err.Error(), true), err
	case !allowed:
		return llm.ToolResultBlock(use.ID, reason, true), nil
	case updated != nil:
		use.Input = updated
	}
	s.emit(Event{Kind: EventToolStart, ToolUse: &use})
	before := s.env.Cwd()
	res, err := t.Run(ctx, s.env, use.Input)
	if after := s.env.Cwd(); after != before && !t.ConcurrencySafe() {
		// Only a tool that runs alone (Bash) moves the session, so the change is its own.
		s.hook(ctx, hooks.Input{Event: hooks.CwdChanged, OldCwd: before, NewCwd: after})
	}
	if err != nil {
		if ctx.Err() != nil {
			res = tool.Result{Text: "interrupted by the user", IsError: true}
		} else {
			res = tool.Result{Text: fmt.Sprintf("the %s tool failed: %v", use.Name, err), IsError: true}
			s.redact(&res)
			s.emit(Event{Kind: EventToolResult, ToolUse: &use, Result: &res})
			return resultBlock(use.ID, res), fmt.Errorf("%s tool: %w", use.Name, err)
		}
	}
	// Masked before anything else sees it, PostToolUse hooks included: an audit hook that
	// writes tool output to disk must not receive a credential a command printed.
	s.redact(&res)
	if err == nil {
		s.postToolUse(ctx, use, &res)
	}
	if res.Structured != nil && !res.IsError {
		s.mu.Lock()
		s.structured = res.Structured
		s.mu.Unlock()
	}
	s.emit(Event{Kind: EventToolResult, ToolUse: &use, Result: &res})
	return resultBlock(use.ID, res), nil
}

// redact masks secrets a tool printed (`cat ~/.aws/credentials`, `env`) before anyone sees
// the result: the model, the transcript and the screen.
func (s *Session) redact(res *tool.Result) {
	if s.cfg.Redact == nil {
		return
	}
	res.Text = s.cfg.Redact(res.Text)
	res.Display = s.cfg.Redact(res.Display)
}

// permit applies the PreToolUse hooks, the permission rules and, when they say ask, the
// Approver. A refusal is recorded in the session's permission_denials and reported to the
// model with the reason.
func (s *Session) permit(ctx context.Context, t tool.Tool, use llm.ContentBlock) (bool, string, json.RawMessage, error) {
	call := permission.Call{Tool: t.Name(), Input: use.Input, Class: t.Class(), Cwd: s.env.Cwd()}
	d, _ := s.preToolUse(ctx, use, s.cfg.Permissions.Check(call))
	reason := d.Reason
	switch d.Behavior {
	case permission.Allow:
		return true, "", nil, nil
	case permission.Ask:
		// PermissionRequest hooks may answer before anyone is asked.
		out := s.hook(ctx, hooks.Input{Event: hooks.PermissionRequest, ToolName: t.Name(), ToolUseID: use.ID, ToolInput: use.Input})
		s.noteStop(out)
		if out.Decision == permission.Allow && !d.Protected {
			return true, "", nil, nil
		}
		if out.Decision == permission.Deny {
			reason = "A PermissionRequest hook refused this call"
			if out.DecisionReason != "" {
				reason += ": " + out.DecisionReason
			}
			break
		}
		req := permission.Request{Call: call, Summary: Summarize(use), Reason: d.Reason, ToolUseID: use.ID,
			Suggestion: s.cfg.Permissions.SuggestRule(call), Suggestions: s.cfg.Permissions.SuggestRules(call)}
		ans, err := s.cfg.Approver.Approve(ctx, req)
		if err != nil {
			return false, "", nil, fmt.Errorf("asking for permission: %w", err)
		}
		if ans.Allow {
			if ans.Always {
				s.allowAlways(req, ans)
			}
			if ans.UpdatedInput != "" {
				return true, "", json.RawMessage(ans.UpdatedInput), nil
			}
			return true, "", nil, nil
		}
		reason = "The user did not allow this " + use.Name + " call."
		if ans.Reason != "" {
			reason += " " + ans.Reason
		}
		if d.Reason != "" {
			reason += " (Permission was needed because: " + d.Reason + ")"
		}
	}
	s.mu.Lock()
	s.denials = append(s.denials, Denial{ToolName: use.Name, ToolUseID: use.ID, ToolInput: use.Input})
	s.mu.Unlock()
	s.emit(Event{Kind: EventDenied, ToolUse: &use, Reason: reason})
	s.hook(ctx, hooks.Input{Event: hooks.PermissionDenied, ToolName: t.Name(), ToolUseID: use.ID, ToolInput: use.Input,
		DeniedReason: reason})
	return false, reason, nil, nil
}

// resultBlock converts a tool's result into the tool_result block the model reads. Bedrock
// rejects empty text blocks, so silence is said in words.
func resultBlock(id string, r tool.Result) llm.ContentBlock {
	text := r.Text
	if text == "" {
		text = "(no output)"
	}
	b := llm.ToolResultBlock(id, text, r.IsError)
	for _, img := range r.Images {
		b.Content = append(b.Content, llm.ContentBlock{Type: llm.TypeImage, Source: &llm.ImageSource{
			Type: "base64", MediaType: img.MediaType, Data: base64.StdEncoding.EncodeToString(img.Data)}})
	}
	return b
}

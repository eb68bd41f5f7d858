package agent

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/strata-agent/strata/internal/hooks"
	"github.com/strata-agent/strata/internal/llm"
)

// Run sends one user turn and loops until the model ends its turn. Failures are reported in
// the Result (Subtype SubtypeError) and also returned as the error.
func (s *Session) Run(ctx context.Context, prompt []llm.ContentBlock) (*Result, error) {
	start := s.cfg.Now()
	ctx = llm.WithTurn(ctx) // a sub-agent's Run stays in its parent's turn
	ctx = s.observe(ctx)
	res := &Result{Subtype: SubtypeSuccess}
	finish := func(err error) (*Result, error) {
		res.Duration = s.cfg.Now().Sub(start)
		res.APIDuration = s.apiTime
		res.Usage, res.CostUSD = s.totals()
		res.ModelUsage = s.Usage()
		res.Denials = s.denials
		if err != nil {
			res.Subtype, res.IsError, res.Err = SubtypeError, true, err
		}
		return res, err
	}

	prompt, err := s.submitPrompt(ctx, prompt)
	if err != nil {
		return finish(err)
	}
	prompt = s.planReminder(prompt)
	if err := s.appendPrompt(s.firstTurn(prompt)); err != nil {
		return finish(err)
	}
	s.structured, s.fallback = nil, false
	for continued, retries := 0, 0; ; {
		resp, err := s.modelStep(ctx)
		res.NumTurns++
		if err != nil {
			if ctx.Err() == nil && !s.subAgent {
				// The hooks' context is not the turn's: the turn is over, they still run.
				s.hook(context.WithoutCancel(ctx), hooks.Input{Event: hooks.StopFailure, Error: err.Error()})
			}
			return finish(err)
		}
		res.Text, res.StopReason = resp.Message().Text(), resp.StopReason
		if s.overBudget() {
			if err := s.skipCalls(resp.Message().ToolUses(), "not run: the session reached its cost limit (--max-budget-usd)"); err != nil {
				return finish(err)
			}
			res.Subtype, res.IsError = SubtypeMaxBudget, true
			r, _ := finish(nil)
			return r, nil
		}
		uses := resp.Message().ToolUses()
		if len(uses) == 0 && s.cfg.RequireStructured {
			if retries >= maxStructuredRetries {
				res.Subtype, res.IsError = SubtypeStructuredRetries, true
				r, _ := finish(nil)
				return r, nil
			}
			retries++
			if err := s.appendUser(llm.Message{Role: llm.RoleUser, Content: []llm.ContentBlock{llm.TextBlock(structuredReminder)}}); err != nil {
				return finish(err)
			}
			continue
		}
		if len(uses) == 0 {
			goOn, err := s.stopHook(ctx, continued, s.cfg.MaxTurns == 0 || res.NumTurns < s.cfg.MaxTurns)
			if err != nil || !goOn {
				return finish(err)
			}
			continued++
			continue
		}
		if s.cfg.MaxTurns > 0 && res.NumTurns >= s.cfg.MaxTurns {
			// The model wants more tools, but the budget is spent. Answer its calls so the
			// history stays valid for a later --continue.
			msg := llm.Message{Role: llm.RoleUser, Content: skippedResults(uses,
				"not run: the session reached its turn limit (--max-turns)")}
			if err := s.appendUser(msg); err != nil {
				return finish(err)
			}
			s.emit(Event{Kind: EventUser, User: &msg})
			res.Subtype, res.IsError = SubtypeMaxTurns, true
			r, _ := finish(nil)
			return r, nil
		}
		results, err := s.toolStep(ctx, uses)
		msg := llm.Message{Role: llm.RoleUser, Content: results}
		if appendErr := s.appendUser(msg); appendErr != nil && err == nil {
			err = appendErr
		}
		s.emit(Event{Kind: EventUser, User: &msg})
		if err != nil {
			return finish(err)
		}
		if ctx.Err() != nil {
			return finish(ctx.Err())
		}
		if res.Structured = s.structured; res.Structured != nil {
			return finish(nil) // a valid structured answer ends the turn
		}
		if why := s.takeHookStop(); why != "" {
			s.warn(why)
			return finish(nil)
		}
	}
}

// skipCalls answers calls that will not run, so the history stays valid for a later resume.
func (s *Session) skipCalls(uses []llm.ContentBlock, why string) error {
	if len(uses) == 0 {
		return nil
	}
	msg := llm.Message{Role: llm.RoleUser, Content: skippedResults(uses, why)}
	if err := s.appendUser(msg); err != nil {
		return err
	}
	s.emit(Event{Kind: EventUser, User: &msg})
	return nil
}

// overBudget reports whether the session's cost has reached Config.MaxBudgetUSD. The
// answer just received stays in the history; its tool calls are not run.
func (s *Session) overBudget() bool {
	if s.cfg.MaxBudgetUSD <= 0 {
		return false
	}
	_, usd := s.totals()
	return usd >= s.cfg.MaxBudgetUSD
}

// observe attaches the session's notice observer (retries, refreshes) to ctx, so the people
// watching see them. Nothing is counted from notices: billed usage travels in the stream.
func (s *Session) observe(ctx context.Context) context.Context {
	return llm.WithObserver(ctx, func(n llm.Notice) { s.emit(Event{Kind: EventNotice, Notice: &n}) })
}

// firstTurn puts the memory files in front of the very first prompt of a session (A9), so
// the system prompt stays the same for every project and stays cached.
func (s *Session) firstTurn(prompt []llm.ContentBlock) llm.Message {
	content := prompt
	if len(s.messages) == 0 && s.cfg.Memory != "" {
		content = append([]llm.ContentBlock{llm.TextBlock(memoryPreamble + s.cfg.Memory)}, prompt...)
	}
	return llm.Message{Role: llm.RoleUser, Content: content}
}

// maxStructuredRetries is how often the model is reminded to answer with StructuredOutput.
const maxStructuredRetries = 3

const structuredReminder = "Your turn is not over: give the final answer by calling the StructuredOutput tool."

const memoryPreamble = "These are the project's instruction files (CLAUDE.md). Follow them; they override " +
	"your defaults where they conflict.\n\n"

// appendUser adds a user message. A turn that failed or was interrupted can leave the
// history ending with a user message; the next one is merged into it (tool results first), as
// Bedrock requires alternating roles and as session.Resume rebuilds it from the transcript.
func (s *Session) appendUser(m llm.Message) error {
	s.merge(m)
	if s.cfg.Transcript == nil {
		return nil
	}
	if err := s.cfg.Transcript.AppendUser(m); err != nil {
		return fmt.Errorf("recording the session transcript: %w", err)
	}
	return nil
}

// promptRecorder is a Recorder that takes a user entry's uuid from the caller, so that a
// prompt's checkpoint names it (session.Transcript is one).
type promptRecorder interface {
	AppendUserAs(id string, m llm.Message) error
}

// appendPrompt is appendUser for the user's prompt: the files' checkpoint for /rewind is
// taken first, under the uuid the transcript entry gets.
func (s *Session) appendPrompt(m llm.Message) error {
	rec, ok := s.cfg.Transcript.(promptRecorder)
	if !ok || s.cfg.Checkpoints == nil || s.subAgent {
		return s.appendUser(m)
	}
	id := uuid.NewString()
	s.cfg.Checkpoints.Snapshot(id)
	s.merge(m)
	if err := rec.AppendUserAs(id, m); err != nil {
		return fmt.Errorf("recording the session transcript: %w", err)
	}
	return nil
}

// merge adds a user message to the conversation, merged into a user message before it.
func (s *Session) merge(m llm.Message) {
	if n := len(s.messages); n > 0 && s.messages[n-1].Role == llm.RoleUser {
		s.messages[n-1] = mergeUser(s.messages[n-1], m)
	} else {
		s.messages = append(s.messages, m)
	}
}

// mergeUser joins two consecutive user messages into one, tool results first.
func mergeUser(a, b llm.Message) llm.Message {
	var results, rest []llm.ContentBlock
	for _, blk := range append(append([]llm.ContentBlock(nil), a.Content...), b.Content...) {
		if blk.Type == llm.TypeToolResult {
			results = append(results, blk)
		} else {
			rest = append(rest, blk)
		}
	}
	return llm.Message{Role: llm.RoleUser, Content: append(results, rest...)}
}

// uuidRecorder is a Recorder that takes the entry's uuid from the caller, so the host's
// message and the transcript entry share it (session.Transcript is one).
type uuidRecorder interface {
	AppendAssistantAs(id string, r *llm.Response, model string) error
}

func (s *Session) appendAssistant(r *llm.Response) error {
	s.messages = append(s.messages, r.Message())
	id := uuid.NewString()
	s.emit(Event{Kind: EventAssistant, Assistant: r, Model: s.cfg.Model, UUID: id})
	if s.cfg.Transcript == nil {
		return nil
	}
	var err error
	if rec, ok := s.cfg.Transcript.(uuidRecorder); ok {
		err = rec.AppendAssistantAs(id, r, s.cfg.Model)
	} else {
		err = s.cfg.Transcript.AppendAssistant(r, s.cfg.Model)
	}
	if err != nil {
		return fmt.Errorf("recording the session transcript: %w", err)
	}
	return nil
}

func skippedResults(uses []llm.ContentBlock, why string) []llm.ContentBlock {
	out := make([]llm.ContentBlock, len(uses))
	for i, u := range uses {
		out[i] = llm.ToolResultBlock(u.ID, why, true)
	}
	return out
}

// IsCanceled reports whether err is the user interrupting the turn.
func IsCanceled(err error) bool {
	return errors.Is(err, context.Canceled)
}

package agent

import (
	"context"
	"errors"
	"fmt"

	"github.com/strata-agent/strata/internal/llm"
)

// maxTokenRecoveries bounds how often one model step recovers from an answer cut by the output
// token limit in the middle of a tool call (B24).
const maxTokenRecoveries = 2

// fallbackMaxTokens is the limit doubled from when the configuration left max_tokens to the
// provider.
const fallbackMaxTokens = 8192

// continueAfterCut is what the model is told when its answer was cut inside a tool call.
const continueAfterCut = "Your last answer hit the output token limit in the middle of a tool call, " +
	"so that call was dropped. Continue from where you stopped; keep each tool input small " +
	"(split a large file into several Write or Edit calls)."

// modelStep asks the model for its next message and records it. An answer cut by max_tokens
// inside a tool call never ends the loop: strata keeps what was complete and asks the model
// to go on, or retries with a larger limit when nothing was complete.
func (s *Session) modelStep(ctx context.Context) (*llm.Response, error) {
	maxTokens := s.cfg.MaxTokens
	for attempt := 0; ; attempt++ {
		resp, cut, err := s.compactingStreamTurn(ctx, maxTokens)
		if err != nil {
			return nil, err
		}
		if !cut {
			return resp, s.appendAssistant(resp)
		}
		if attempt == maxTokenRecoveries {
			return nil, fmt.Errorf("the model's answer was cut by the output token limit (%d tokens) inside a tool call %d times; "+
				"raise CLAUDE_CODE_MAX_OUTPUT_TOKENS", resp.Usage.OutputTokens, attempt+1)
		}
		if kept := textOnly(resp); kept != nil {
			s.warn("the answer hit the output token limit in the middle of a tool call; asking the model to continue")
			if err := s.appendAssistant(kept); err != nil {
				return nil, err
			}
			msg := llm.Message{Role: llm.RoleUser, Content: []llm.ContentBlock{llm.TextBlock(continueAfterCut)}}
			if err := s.appendUser(msg); err != nil {
				return nil, err
			}
			s.emit(Event{Kind: EventUser, User: &msg})
			continue
		}
		// Nothing but the cut call: ask again with twice the limit the answer ran into (the
		// provider caps it at the model's maximum).
		base := maxTokens
		if base == 0 { // the provider chose the limit; the answer's length shows what it was
			base = resp.Usage.OutputTokens
		}
		if base == 0 {
			base = fallbackMaxTokens / 2
		}
		maxTokens = 2 * base
		s.warn(fmt.Sprintf("the answer hit the output token limit in the middle of a tool call; retrying the turn with max_tokens %d", maxTokens))
	}
}

// textOnly keeps the text of an answer cut inside a tool call, or nil when there is none.
// Complete tool calls before the cut are dropped too: they would need results the model is
// not going to get, and it repeats them when it continues.
func textOnly(resp *llm.Response) *llm.Response {
	var text []llm.ContentBlock
	for _, b := range resp.Content {
		if b.Type == llm.TypeText && b.Text != "" {
			text = append(text, b)
		}
	}
	if len(text) == 0 {
		return nil
	}
	kept := *resp
	kept.Content = text
	return &kept
}

func (s *Session) warn(text string) {
	s.emit(Event{Kind: EventNotice, Notice: &llm.Notice{Kind: llm.NoticeWarning, Text: text}})
}

// streamTurn sends the conversation and reads one answer. cut reports an answer that stopped
// at max_tokens with a tool call still open; resp then holds only the complete blocks.
func (s *Session) streamTurn(ctx context.Context, maxTokens int) (resp *llm.Response, cut bool, err error) {
	synced := s.syncTranscript()
	req := s.buildRequest(maxTokens)
	start := s.cfg.Now()
	defer func() { s.apiTime += s.cfg.Now().Sub(start) }()

	var acc llm.Accumulator
	err = readStream(ctx, s.cfg.Client, req, &acc, func(ev llm.Event) { s.emit(Event{Kind: EventStream, Stream: &ev}) })
	if serr := synced(); serr != nil && err == nil {
		err = serr
	}
	// Bedrock bills answers that were cut off or restarted: count them whatever happened.
	s.addUsage(req.Model, acc.Billed())
	if s.switchToFallback(ctx, req.Model, err, acc.Started()) {
		return s.streamTurn(ctx, maxTokens)
	}
	if err != nil {
		s.keepInterrupted(ctx, &acc)
		return nil, false, err
	}
	if !acc.Started() {
		return nil, false, errors.New("the model's answer ended before it began")
	}
	full := acc.Response()
	if full.StopReason == llm.StopMaxTokens {
		if trunc := acc.Truncated(); len(trunc.Content) < len(full.Content) {
			return trunc, true, nil
		}
	}
	return full, false, nil
}

// syncTranscript forces the transcript onto the disk while the request goes out, and returns
// the wait for it. The fsync takes milliseconds, tens on a busy disk, that delayed every
// request's first byte; what it guards against (the machine crashing, not strata: written
// lines survive strata's own end without it) is as well covered once the answer streams.
func (s *Session) syncTranscript() (wait func() error) {
	tr := s.cfg.Transcript
	if tr == nil {
		return func() error { return nil }
	}
	done := make(chan error, 1)
	go func() { done <- tr.Sync() }()
	return func() error {
		if err := <-done; err != nil {
			return fmt.Errorf("saving the session transcript: %w", err)
		}
		return nil
	}
}

// keepInterrupted records the text the model had said when the user interrupted the turn, so
// the transcript keeps it (tool calls that never ran are dropped).
func (s *Session) keepInterrupted(ctx context.Context, acc *llm.Accumulator) {
	if ctx.Err() == nil || !acc.Started() {
		return
	}
	partial := acc.Truncated()
	var text []llm.ContentBlock
	for _, b := range partial.Content {
		if b.Type == llm.TypeText && b.Text != "" {
			text = append(text, b)
		}
	}
	if len(text) == 0 {
		return
	}
	partial.Content = text
	partial.StopReason = "interrupted"
	_ = s.appendAssistant(partial) // best effort: the interruption is what gets reported
}

// buildRequest assembles the request from the session. Cache breakpoints are placed by the
// provider (B32), which copies what it changes.
func (s *Session) buildRequest(maxTokens int) *llm.Request {
	model := s.cfg.Model
	if s.fallback {
		model = s.cfg.FallbackModel
	}
	req := &llm.Request{
		Model:     model,
		MaxTokens: maxTokens,
		Messages:  append([]llm.Message(nil), s.messages...),
		Tools:     s.toolDefs(),
		Thinking:  s.cfg.Thinking,
		Betas:     s.cfg.Betas,
	}
	if s.cfg.MetadataUserID != "" {
		req.Metadata = &llm.Metadata{UserID: s.cfg.MetadataUserID}
	}
	if s.cfg.Effort != "" {
		req.OutputConfig = &llm.OutputConfig{Effort: s.cfg.Effort}
	}
	if s.cfg.System != "" {
		req.System = []llm.ContentBlock{llm.TextBlock(s.cfg.System)}
	}
	return req
}

func (s *Session) toolDefs() []llm.Tool {
	all := s.allTools()
	defs := make([]llm.Tool, 0, len(all))
	for _, t := range all {
		defs = append(defs, llm.Tool{Name: t.Name(), Description: t.Description(), InputSchema: t.InputSchema()})
	}
	return defs
}

// AddPastUsage counts usage of answers given before this session object existed (a resumed
// conversation's), priced like the session's own.
func (s *Session) AddPastUsage(model string, u llm.Usage) { s.addUsage(model, u) }

// modelUsage returns the model's entry, made with its limits on first use; s.mu is held.
func (s *Session) modelUsage(model string) *ModelUsage {
	mu := s.usage[model]
	if mu == nil {
		mu = &ModelUsage{Known: true}
		if s.cfg.Limits != nil {
			mu.ContextWindow, mu.MaxOutputTokens = s.cfg.Limits(model)
		}
		s.usage[model] = mu
	}
	return mu
}

func (s *Session) addUsage(model string, u llm.Usage) {
	s.mu.Lock() // Task and WebFetch calls of one turn run concurrently and all count here
	defer s.mu.Unlock()
	mu := s.modelUsage(model)
	mu.Usage = mu.Usage.Add(u)
	if s.cfg.Cost == nil {
		mu.Known = false
		return
	}
	usd, known := s.cfg.Cost(model, u)
	mu.CostUSD += usd
	mu.Known = mu.Known && known
}

func (s *Session) totals() (llm.Usage, float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var u llm.Usage
	var usd float64
	for _, mu := range s.usage {
		u = u.Add(mu.Usage)
		usd += mu.CostUSD
	}
	return u, usd
}

// switchToFallback decides, after a failed request, whether the rest of the run goes to the
// fallback model: only when one is set and differs, the failure is the model being
// overloaded or unavailable after the client's retries (throttled, 5xx), nothing was
// streamed, and the user did not interrupt. It says so once.
func (s *Session) switchToFallback(ctx context.Context, model string, err error, started bool) bool {
	fb := s.cfg.FallbackModel
	if err == nil || started || s.fallback || fb == "" || fb == model || ctx.Err() != nil {
		return false
	}
	if k := llm.KindOf(err); k != llm.ErrThrottled && k != llm.ErrTransient {
		return false
	}
	s.fallback = true
	s.warn(fmt.Sprintf("%s is overloaded or unavailable; switching to the fallback model %s for the rest of this turn.", model, fb))
	return true
}

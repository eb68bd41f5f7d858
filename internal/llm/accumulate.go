package llm

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Accumulator builds the final Response from stream events. A message_start resets it, so a
// retried stream can be fed into the same Accumulator; a restart event adds what the
// abandoned attempt was billed to Billed.
type Accumulator struct {
	resp      Response
	abandoned Usage // billed by attempts the provider restarted
	started   bool
	stopped   bool
	json      map[int]*strings.Builder // partial tool inputs by block index
	text      []blockText              // streamed text by block index, joined on demand
	Metrics   *InvocationMetrics
}

// blockText collects one block's streamed strings. Appending to a Builder keeps a long
// answer linear: `b.Text += d.Text` copied the whole answer on every delta.
type blockText struct {
	text, thinking, signature strings.Builder
}

// flush writes what the builders hold into the response's blocks.
func (a *Accumulator) flush(content []ContentBlock) {
	for i := range a.text {
		t := &a.text[i]
		if t.text.Len() > 0 {
			content[i].Text = content[i].Text + t.text.String()
		}
		if t.thinking.Len() > 0 {
			content[i].Thinking = content[i].Thinking + t.thinking.String()
		}
		if t.signature.Len() > 0 {
			content[i].Signature = content[i].Signature + t.signature.String()
		}
	}
}

// Add applies one event. It fails on events that do not fit what came before (a delta for a
// block that never started, tool input that is not valid JSON when its block stops).
func (a *Accumulator) Add(ev Event) error {
	switch ev.Type {
	case EventMessageStart:
		if ev.Message == nil {
			return fmt.Errorf("llm: message_start without a message")
		}
		a.resp = *ev.Message
		a.resp.Content = nil
		a.started, a.stopped = true, false
		a.json = map[int]*strings.Builder{}
		a.text = nil
		a.Metrics = nil
	case EventContentBlockStart:
		return a.startBlock(ev)
	case EventContentBlockDelta:
		return a.applyDelta(ev)
	case EventContentBlockStop:
		return a.stopBlock(ev.Index)
	case EventMessageDelta:
		if !a.started {
			return fmt.Errorf("llm: message_delta before message_start")
		}
		if ev.Delta != nil && ev.Delta.StopReason != "" {
			a.resp.StopReason = ev.Delta.StopReason
			a.resp.StopSequence = ev.Delta.StopSequence
		}
		if ev.Usage != nil {
			a.mergeUsage(*ev.Usage)
		}
	case EventMessageStop:
		a.stopped = true
		a.Metrics = ev.Metrics
		if len(a.json) > 0 && a.resp.StopReason != StopMaxTokens {
			for i := range a.json {
				return fmt.Errorf("llm: tool input for %s is not valid JSON", a.resp.Content[i].Name)
			}
		}
	case EventRestart:
		switch {
		case ev.Billed != nil:
			a.abandoned = a.abandoned.Add(*ev.Billed)
		case a.started: // the provider did not say: count what the attempt reported
			a.abandoned = a.abandoned.Add(a.resp.Usage)
		}
		a.resp, a.started, a.stopped, a.json, a.text, a.Metrics = Response{}, false, false, nil, nil, nil
	case EventError:
		if ev.Error != nil {
			return fmt.Errorf("llm: stream error %s: %s", ev.Error.Type, ev.Error.Message)
		}
		return fmt.Errorf("llm: stream error")
	}
	return nil
}

// mergeUsage applies a message_delta usage: counts are cumulative, and a zero means "not sent".
func (a *Accumulator) mergeUsage(u Usage) {
	if u.OutputTokens > 0 {
		a.resp.Usage.OutputTokens = u.OutputTokens
	}
	if u.InputTokens > 0 {
		a.resp.Usage.InputTokens = u.InputTokens
	}
	if u.CacheCreationInputTokens > 0 {
		a.resp.Usage.CacheCreationInputTokens = u.CacheCreationInputTokens
	}
	if u.CacheReadInputTokens > 0 {
		a.resp.Usage.CacheReadInputTokens = u.CacheReadInputTokens
	}
}

func (a *Accumulator) startBlock(ev Event) error {
	if !a.started {
		return fmt.Errorf("llm: content_block_start before message_start")
	}
	if ev.ContentBlock == nil {
		return fmt.Errorf("llm: content_block_start %d without a block", ev.Index)
	}
	if ev.Index != len(a.resp.Content) {
		return fmt.Errorf("llm: content_block_start index %d, want %d", ev.Index, len(a.resp.Content))
	}
	b := *ev.ContentBlock
	if b.Type == TypeToolUse {
		// The start event carries "input":{}; the real input arrives as input_json_delta.
		b.Input = nil
		a.json[ev.Index] = &strings.Builder{}
	}
	a.resp.Content = append(a.resp.Content, b)
	a.text = append(a.text, blockText{})
	return nil
}

func (a *Accumulator) applyDelta(ev Event) error {
	if ev.Index < 0 || ev.Index >= len(a.resp.Content) || ev.Delta == nil {
		return fmt.Errorf("llm: delta for unknown content block %d", ev.Index)
	}
	b := &a.resp.Content[ev.Index]
	t := &a.text[ev.Index]
	d := ev.Delta
	switch d.Type {
	case DeltaText:
		t.text.WriteString(d.Text)
	case DeltaThinking:
		t.thinking.WriteString(d.Thinking)
	case DeltaSignature:
		t.signature.WriteString(d.Signature)
	case DeltaInputJSON:
		sb, ok := a.json[ev.Index]
		if !ok {
			return fmt.Errorf("llm: input_json_delta for block %d of type %s", ev.Index, b.Type)
		}
		sb.WriteString(d.PartialJSON)
	}
	return nil
}

func (a *Accumulator) stopBlock(index int) error {
	if index < 0 || index >= len(a.resp.Content) {
		return fmt.Errorf("llm: content_block_stop for unknown block %d", index)
	}
	sb, ok := a.json[index]
	if !ok {
		return nil
	}
	raw := strings.TrimSpace(sb.String())
	if raw == "" {
		raw = "{}"
	}
	if !json.Valid([]byte(raw)) {
		// A provider may close a tool call the output limit cut short. The block stays
		// unfinished (Truncated drops it); message_stop fails unless the stop reason is
		// max_tokens.
		return nil
	}
	delete(a.json, index)
	a.resp.Content[index].Input = json.RawMessage(raw)
	return nil
}

// Billed is every token the stream was billed for: the current attempt's usage (complete
// or cut off) plus that of attempts the provider abandoned and restarted.
func (a *Accumulator) Billed() Usage {
	if !a.started {
		return a.abandoned
	}
	return a.abandoned.Add(a.resp.Usage)
}

// Started reports whether a message_start was seen.
func (a *Accumulator) Started() bool { return a.started }

// Done reports whether message_stop was seen.
func (a *Accumulator) Done() bool { return a.stopped }

// Response returns the message built so far. Tool inputs still streaming are not included.
func (a *Accumulator) Response() *Response {
	r := a.resp
	r.Content = append([]ContentBlock(nil), a.resp.Content...)
	a.flush(r.Content)
	return &r
}

// Truncated returns the message as far as it is complete: a tool_use block whose input never
// finished is dropped, since it cannot be sent back. Used when a turn stops at max_tokens in
// the middle of a tool call.
func (a *Accumulator) Truncated() *Response {
	r := a.Response()
	kept := r.Content[:0]
	for i, b := range r.Content {
		if _, open := a.json[i]; open {
			continue
		}
		kept = append(kept, b)
	}
	r.Content = kept
	return r
}

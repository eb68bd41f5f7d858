package agent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/strata-agent/strata/internal/hooks"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/session"
)

// Compaction (A10): when the conversation nears the model's context window, or the provider
// says the input is too long, the history is summarised by the small/fast model and the
// conversation continues from the summary. The transcript keeps every earlier line and records
// the summary, so a resumed session starts where the live one continued.

// ErrNothingToCompact is returned by Compact when there is no earlier conversation to
// summarise (an empty session, or one whose only message is the pending prompt).
var ErrNothingToCompact = errors.New("there is no earlier conversation to compact")

// Compaction describes one summarisation of the conversation.
type Compaction struct {
	Auto        bool   // strata compacted on its own (near the limit, or "input is too long")
	Replaced    int    // messages the summary stands for
	Kept        int    // recent messages kept after the summary (a pending prompt or tool round)
	InputBefore int    // input tokens of the last request before compacting; 0 when unknown
	Summary     string // the summary as the model wrote it
}

// summaryRecorder is a Recorder that can also record a compaction (session.Transcript does).
type summaryRecorder interface {
	AppendSummary(text string) error
}

// Limits of what the summarising model is sent.
const (
	summaryMaxTokens     = 4096    // the summary's own length; every catalog model allows it
	summaryMaxInputChars = 320_000 // about 80k tokens: the conversation text handed over
	summaryToolChars     = 2_000   // each tool input and result, cut to this
)

const summarySystem = "You summarise a coding session between a user and an AI coding agent so that " +
	"the agent can continue the work in a fresh context without the original conversation. " +
	"Write plain text with short sections. Be specific and complete; leave out pleasantries."

const summaryInstructions = "Summarise the conversation above for the agent that will continue it. Cover:\n" +
	"1. What the user asked for and wants, in their words where it matters.\n" +
	"2. Decisions made and constraints learnt.\n" +
	"3. Files read, created or changed (full paths) and what changed in them.\n" +
	"4. Errors met and how they were resolved.\n" +
	"5. What is done, what remains, and the exact next step."

const continuationPreamble = "This session continues an earlier conversation that was summarised " +
	"to fit the context window (the full history is kept in the session transcript). The summary:\n\n"

// Compact summarises the conversation so far and continues from the summary (/compact).
// focus, when not empty, names what the summary should keep in detail. It must not run
// while Run does.
func (s *Session) Compact(ctx context.Context, focus string) (*Compaction, error) {
	return s.compact(s.observe(ctx), focus, false) // its retries are shown as a turn's are
}

// compactingStreamTurn is streamTurn with compaction around it: before the request when the
// previous answer showed the input near the limit, and once after the provider refused the
// input as too long, followed by one retry.
func (s *Session) compactingStreamTurn(ctx context.Context, maxTokens int) (*llm.Response, bool, error) {
	if s.nearLimit() {
		if _, err := s.compact(ctx, "", true); err != nil && !errors.Is(err, ErrNothingToCompact) {
			if ctx.Err() != nil {
				return nil, false, err
			}
			s.warn("the conversation is near the context limit and could not be compacted: " + err.Error())
		}
	}
	resp, cut, err := s.streamTurn(ctx, maxTokens)
	if err != nil && llm.KindOf(err) == llm.ErrContextOverflow {
		if _, cerr := s.compact(ctx, "", true); cerr != nil {
			return nil, false, fmt.Errorf("%w\n(compacting the conversation to make it fit failed: %v)", err, cerr)
		}
		resp, cut, err = s.streamTurn(ctx, maxTokens)
	}
	if err == nil {
		s.lastInput = resp.Usage.TotalInput()
	}
	return resp, cut, err
}

// nearLimit reports whether the latest request's input reached the CompactAt threshold.
func (s *Session) nearLimit() bool {
	if s.cfg.CompactAt == nil || s.lastInput == 0 {
		return false
	}
	limit := s.cfg.CompactAt(s.cfg.Model)
	return limit > 0 && s.lastInput >= limit
}

// compact replaces everything but the pending tail of the conversation with a summary.
func (s *Session) compact(ctx context.Context, focus string, auto bool) (*Compaction, error) {
	head, tail := splitForCompaction(s.messages)
	if len(head) == 0 {
		return nil, ErrNothingToCompact
	}
	trigger := map[bool]string{true: "auto", false: "manual"}[auto]
	if out := s.hook(ctx, hooks.Input{Event: hooks.PreCompact, Trigger: trigger, CustomInstructions: focus}); out.Block {
		return nil, fmt.Errorf("a PreCompact hook blocked compaction: %s", out.Reason)
	}
	summary, err := s.summarize(ctx, head, focus)
	if err != nil {
		return nil, fmt.Errorf("summarising the conversation: %w", err)
	}
	text := s.summaryText(summary)
	if err := s.recordCompaction(text, tail); err != nil {
		return nil, err
	}
	s.messages = withSummary(session.SummaryMessage(text), tail)
	s.env.ForgetViews() // the Read results a repeated Read would point back to are gone
	c := &Compaction{Auto: auto, Replaced: len(head), Kept: len(tail), InputBefore: s.lastInput, Summary: summary}
	s.lastInput = 0
	s.hook(ctx, hooks.Input{Event: hooks.PostCompact, Trigger: trigger, CompactSummary: text})
	if auto {
		s.warn(describeAutoCompaction(c))
	}
	return c, nil
}

func describeAutoCompaction(c *Compaction) string {
	msg := fmt.Sprintf("the conversation neared the context window, so %d earlier messages were summarised", c.Replaced)
	if c.InputBefore > 0 {
		msg = fmt.Sprintf("the conversation neared the context window (%d input tokens), so %d earlier messages were summarised", c.InputBefore, c.Replaced)
	}
	return msg + "; the full history stays in the session transcript"
}

// splitForCompaction separates what can be summarised from the tail that must stay as it is:
// a pending prompt, or the last tool round (its results answer calls of the message before,
// so both stay). A conversation that ends with the model's answer is summarised whole.
func splitForCompaction(msgs []llm.Message) (head, tail []llm.Message) {
	n := len(msgs)
	switch {
	case n == 0:
		return nil, nil
	case msgs[n-1].Role == llm.RoleAssistant:
		return msgs, nil
	case hasToolResults(msgs[n-1]) && n >= 2:
		return msgs[:n-2], msgs[n-2:]
	}
	return msgs[:n-1], msgs[n-1:]
}

func hasToolResults(m llm.Message) bool {
	for _, b := range m.Content {
		if b.Type == llm.TypeToolResult {
			return true
		}
	}
	return false
}

// withSummary puts the summary first; a tail that starts with a user message is merged into
// it, because roles must alternate (Resume merges the transcript's lines the same way).
func withSummary(summary llm.Message, tail []llm.Message) []llm.Message {
	if len(tail) > 0 && tail[0].Role == llm.RoleUser {
		merged := llm.Message{Role: llm.RoleUser, Content: append(append([]llm.ContentBlock(nil), summary.Content...), tail[0].Content...)}
		return append([]llm.Message{merged}, tail[1:]...)
	}
	return append([]llm.Message{summary}, tail...)
}

// summaryText is what replaces the earlier conversation: the memory files (they were part of
// the first message, which is gone) and the summary.
func (s *Session) summaryText(summary string) string {
	var b strings.Builder
	if s.cfg.Memory != "" {
		b.WriteString(memoryPreamble + s.cfg.Memory + "\n\n")
	}
	b.WriteString(continuationPreamble)
	b.WriteString(strings.TrimSpace(summary))
	return b.String()
}

// recordCompaction writes the summary to the transcript, then the tail again after it, so
// that a resume rebuilds exactly the conversation the session continues with.
func (s *Session) recordCompaction(text string, tail []llm.Message) error {
	rec, ok := s.cfg.Transcript.(summaryRecorder)
	if !ok {
		return nil
	}
	err := rec.AppendSummary(text)
	for _, m := range tail {
		if err != nil {
			break
		}
		if m.Role == llm.RoleUser {
			err = s.cfg.Transcript.AppendUser(m)
		} else {
			err = s.cfg.Transcript.AppendAssistant(&llm.Response{Type: "message", Role: llm.RoleAssistant,
				Content: m.Content, Model: s.cfg.Model}, s.cfg.Model)
		}
	}
	if err != nil {
		return fmt.Errorf("recording the compaction in the session transcript: %w", err)
	}
	return nil
}

// summarize asks the small/fast model (the main one when there is none) for the summary.
func (s *Session) summarize(ctx context.Context, head []llm.Message, focus string) (string, error) {
	client, model := s.cfg.Small, s.cfg.SmallModel
	if client == nil || model == "" {
		client, model = s.cfg.Client, s.cfg.Model
	}
	prompt := "<conversation>\n" + conversationText(head, summaryMaxInputChars) + "</conversation>\n\n" + summaryInstructions
	if focus = strings.TrimSpace(focus); focus != "" {
		prompt += "\n\nThe user asked the summary to focus on: " + focus
	}
	req := &llm.Request{Model: model, MaxTokens: summaryMaxTokens,
		System:   []llm.ContentBlock{llm.TextBlock(summarySystem)},
		Messages: []llm.Message{{Role: llm.RoleUser, Content: []llm.ContentBlock{llm.TextBlock(prompt)}}}}
	resp, billed, err := collect(ctx, client, req)
	s.addUsage(model, billed) // a summary cut off or restarted on the way is billed too
	if err != nil {
		return "", err
	}
	text := strings.TrimSpace(resp.Message().Text())
	if text == "" {
		return "", errors.New("the model returned an empty summary")
	}
	return text, nil
}

// conversationText renders messages as plain text for the summariser: tool calls and results
// cut short, thinking and the memory files left out (the memory is kept verbatim anyway).
// When the text exceeds limit characters, the oldest part is dropped.
func conversationText(msgs []llm.Message, limit int) string {
	var parts []string
	for _, m := range msgs {
		for _, b := range m.Content {
			if p := blockText(m.Role, b); p != "" {
				parts = append(parts, p)
			}
		}
	}
	total := 0
	start := len(parts)
	for start > 0 && total+len(parts[start-1]) <= limit {
		start--
		total += len(parts[start])
	}
	text := strings.Join(parts[start:], "")
	if start > 0 {
		text = fmt.Sprintf("[the oldest %d parts of the conversation are left out for length]\n\n", start) + text
	}
	return text
}

func blockText(role string, b llm.ContentBlock) string {
	switch b.Type {
	case llm.TypeText:
		text := b.Text
		if strings.HasPrefix(text, memoryPreamble) {
			// The memory files are not summarised (they come back with every summary), but an
			// earlier summary that follows them must be, or a second compaction forgets it.
			i := strings.Index(text, continuationPreamble)
			if i < 0 {
				return ""
			}
			text = text[i:]
		}
		if strings.TrimSpace(text) == "" {
			return ""
		}
		return "[" + role + "]\n" + strings.TrimSpace(text) + "\n\n"
	case llm.TypeToolUse:
		return fmt.Sprintf("[assistant called %s] %s\n\n", b.Name, shorten(compactJSON(b.Input), summaryToolChars))
	case llm.TypeToolResult:
		label := "[tool result]"
		if b.IsError {
			label = "[tool error]"
		}
		var text []string
		for _, c := range b.Content {
			if c.Type == llm.TypeText {
				text = append(text, c.Text)
			} else if c.Type == llm.TypeImage {
				text = append(text, "(an image)")
			}
		}
		return label + "\n" + shorten(strings.Join(text, "\n"), summaryToolChars) + "\n\n"
	case llm.TypeImage:
		return "[" + role + "] (an image)\n\n"
	}
	return "" // thinking is the model's scratch work; the summary is about what was said and done
}

func compactJSON(raw json.RawMessage) string {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return string(raw)
	}
	out, _ := json.Marshal(v)
	return string(out)
}

// shorten cuts s to about n bytes, on a character boundary, and says how much was left out.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + fmt.Sprintf("… (%d more bytes)", len(s)-n)
}

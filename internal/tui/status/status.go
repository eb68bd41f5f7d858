// Package status is the part of the terminal UI that says what strata is doing and what it
// costs: the status line (spinner, what runs or waits, elapsed time, tokens of the turn) and
// the footer (model, permission mode, estimated cost, context used).
//
// It is a package of its own so that the per-model usage, the turn's token counts and the
// mode shown have one owner, fed only by agent events and the model's explicit calls.
package status

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/strata-agent/strata/internal/agent"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tui/look"
)

// Status is the state of the status line and the footer. Its methods run on the UI's
// goroutine only.
type Status struct {
	st  look.Styles
	now func() time.Time

	label  string // what runs: "Working", "Compacting…"; "" while idle
	since  time.Time
	notice string      // a transient notice (retry, refresh, interrupting) shown instead of label
	retry  *llm.Notice // the retry being waited for, counted down in the view; nil when none
	// retryAt is when the retry waited for is sent.
	retryAt time.Time

	inTokens  int // input of the current request
	outTokens int // output of the current answer, from the stream
	turnIn    int // summed over the finished requests of the busy period
	turnOut   int
	context   int // input of the latest request: how much of the context window is used

	usage usageBook
	mode  permission.Mode
	model model

	custom string // the user's statusLine command's line; "" shows strata's own footer
}

// SetCustom shows line (the statusLine command's output) in place of strata's footer; ""
// brings strata's back.
func (s *Status) SetCustom(line string) { s.custom = line }

// model is the session's model as last set: the session may not be asked while a turn runs.
type model struct {
	id, name string
	window   int // its context window in tokens; 0 unknown
}

// New returns an idle status. cost prices one answer's usage; nil leaves prices unknown.
func New(st look.Styles, cost func(model string, u llm.Usage) (float64, bool), now func() time.Time) *Status {
	return &Status{st: st, now: now, usage: newUsageBook(cost), mode: permission.ModeDefault}
}

// Begin starts a busy period labelled label; its tokens are counted from zero.
func (s *Status) Begin(label string) {
	s.label, s.since, s.notice, s.retry = label, s.now(), "", nil
	s.inTokens, s.outTokens, s.turnIn, s.turnOut = 0, 0, 0, 0
}

// End ends the busy period.
func (s *Status) End() { s.label, s.notice, s.retry = "", "", nil }

// SetNotice shows a transient notice in place of the label until the next answer starts.
func (s *Status) SetNotice(text string) { s.notice, s.retry = text, nil }

// SetMode shows the permission mode.
func (s *Status) SetMode(mode permission.Mode) {
	if mode == "" {
		mode = permission.ModeDefault
	}
	s.mode = mode
}

// Mode is the permission mode shown.
func (s *Status) Mode() permission.Mode { return s.mode }

// SetModel shows the session's model: its ID, its name ("" when unknown) and its context
// window (0 when unknown).
func (s *Status) SetModel(id, name string, window int) { s.model = model{id, name, window} }

// Model is the ID of the session's model as last set.
func (s *Status) Model() string { return s.model.id }

// ResetUsage replaces the usage with a snapshot of the session's own account (while idle);
// a new conversation also forgets how full the context is.
func (s *Status) ResetUsage(snapshot map[string]agent.ModelUsage, newConversation bool) {
	s.usage.reset(snapshot)
	if newConversation {
		s.context = 0
	}
}

// AddAPITime counts the time a finished turn waited for the model.
func (s *Status) AddAPITime(d time.Duration) { s.usage.apiTime += d }

// CostReport is /cost: per-model usage and cost, labelled as an estimate.
func (s *Status) CostReport() string { return s.usage.report(s.st) }

// OnEvent follows the turn: token counts from the stream, each answer's usage and cost, and
// the notices that say what the client waits for.
func (s *Status) OnEvent(ev agent.Event) {
	switch ev.Kind {
	case agent.EventStream:
		s.onStream(ev.Stream)
	case agent.EventAssistant:
		s.usage.add(ev.Model, ev.Assistant.Usage)
	case agent.EventNotice:
		switch n := ev.Notice; n.Kind {
		case llm.NoticeRetry:
			s.notice, s.retry, s.retryAt = describeRetry(n, n.Delay), n, s.now().Add(n.Delay)
		case llm.NoticeRestart:
			s.notice, s.retry = "the answer stream broke; asking again", nil
		case llm.NoticeRefresh:
			s.notice, s.retry = n.Text, nil
		}
	}
}

func (s *Status) onStream(ev *llm.Event) {
	switch ev.Type {
	case llm.EventMessageStart:
		s.notice, s.retry = "", nil // an answer is coming: any retry is over
		s.outTokens = 0
		if ev.Message != nil {
			s.inTokens = ev.Message.Usage.TotalInput()
			s.context = s.inTokens
		}
	case llm.EventContentBlockDelta:
		if d := ev.Delta; d != nil {
			s.outTokens += estimateTokens(d.Text + d.Thinking + d.PartialJSON)
		}
	case llm.EventMessageDelta:
		if ev.Usage != nil {
			s.outTokens = ev.Usage.OutputTokens
		}
	case llm.EventMessageStop:
		s.turnIn += s.inTokens
		s.turnOut += s.outTokens
		s.inTokens, s.outTokens = 0, 0
	}
}

// estimateTokens guesses the tokens of streamed text until the answer reports its count.
func estimateTokens(s string) int { return (len(s) + 3) / 4 }

// describeRetry is a retry notice for the status line, left the time until the next
// attempt: "throttled, retrying in 4s (2/10)"; a failure to reach the endpoint names the
// host and the cause ("127.0.0.1:8080: connection refused") rather than the start of a long
// "Post https://…" message.
func describeRetry(n *llm.Notice, left time.Duration) string {
	what := "the request failed"
	var ue *url.Error
	switch {
	case n.Text != "": // the client's own short account, naming the endpoint
		what = look.FirstLine(n.Text)
	case llm.KindOf(n.Err) == llm.ErrThrottled:
		what = "throttled"
	case errors.As(n.Err, &ue):
		what = unreachable(ue)
	case n.Err != nil:
		what = look.FirstLine(n.Err.Error())
	}
	budget := max(n.MaxAttempts-1, n.Attempt)
	return fmt.Sprintf("%s, retrying in %s (%d/%d)", what, seconds(max(left, 0)), n.Attempt, budget)
}

// unreachable says which host could not be reached and why, in a few words.
func unreachable(ue *url.Error) string {
	host := ue.URL
	if u, err := url.Parse(ue.URL); err == nil && u.Host != "" {
		host = u.Host
	}
	cause := ue.Err
	for {
		next := errors.Unwrap(cause)
		if next == nil {
			break
		}
		cause = next
	}
	text := cause.Error()
	switch {
	case errors.Is(ue.Err, syscall.ECONNREFUSED):
		text = "connection refused"
	case errors.Is(ue.Err, syscall.ECONNRESET):
		text = "connection reset"
	case ue.Timeout():
		text = "timed out"
	case errors.Is(ue.Err, io.EOF) || errors.Is(ue.Err, io.ErrUnexpectedEOF):
		text = "the connection closed"
	}
	return host + ": " + look.FirstLine(text)
}

func seconds(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	return fmt.Sprintf("%ds", int(d.Round(time.Second).Seconds()))
}

// View is the status line while something runs, "" while idle: the spinner, what it does or
// waits for (the user's answer, a retry, a credential refresh), elapsed time and tokens.
func (s *Status) View(waitingForAnswer bool, width int) string {
	if s.label == "" {
		return ""
	}
	what := s.label + "…"
	switch {
	case waitingForAnswer:
		what = "Waiting for your answer…"
	case s.retry != nil:
		what = describeRetry(s.retry, s.retryAt.Sub(s.now()))
	case s.notice != "":
		what = s.notice
	}
	took := s.now().Sub(s.since)
	facts := []string{look.Elapsed(took)}
	if in := s.turnIn + s.inTokens; in > 0 {
		facts = append(facts, "↑ "+shortCount(in))
	}
	if out := s.turnOut + s.outTokens; out > 0 {
		facts = append(facts, "↓ "+shortCount(out)+" tokens")
	}
	facts = append(facts, "esc to interrupt")
	line := s.st.Spinner(took) + " " + s.st.Accent.Render(what) + s.st.Dim.Render(" ("+strings.Join(facts, " · ")+")")
	return ansi.Truncate(line, width, "…")
}

// Footer shows the model, the permission mode, the cost and how full the context is — or,
// when hint is set, what a key press just meant.
func (s *Status) Footer(hint string, width int) string {
	if hint != "" {
		return s.st.Warn.Render(hint)
	}
	if s.custom != "" {
		// The user's line replaces strata's, as in the reference; a mode other than the
		// default still shows, since Shift+Tab must say what it did.
		line := s.custom
		if s.mode != permission.ModeDefault && s.mode != "" {
			line += s.st.Dim.Render(" · ") + ModeLabel(s.mode)
		}
		return ansi.Truncate(line, width, "…")
	}
	name := "(no model)"
	if s.model.id != "" {
		name = s.model.display()
	}
	usd, known := s.usage.total()
	cost := fmt.Sprintf("$%.4f estimated", usd)
	if !known {
		cost += " (some prices unknown)"
	}
	parts := []string{name, ModeLabel(s.mode) + s.st.Dim.Render(" (shift+tab)"), cost}
	if s.model.window > 0 && s.context > 0 {
		parts = append(parts, fmt.Sprintf("%d%% of context used", s.context*100/s.model.window))
	}
	return ansi.Truncate(s.st.Dim.Render("  ")+strings.Join(parts, s.st.Dim.Render(" · ")), width, "…")
}

// display names the model for the footer: the catalog's name when it is known, the resource
// name of an ARN, or the ID.
func (m model) display() string {
	if m.name != "" {
		return m.name
	}
	if i := strings.LastIndexByte(m.id, '/'); i >= 0 {
		return m.id[i+1:]
	}
	return m.id
}

// ModeLabel is how the footer names a permission mode.
func ModeLabel(mode permission.Mode) string {
	switch mode {
	case permission.ModeAcceptEdits:
		return "⏵⏵ accept edits"
	case permission.ModePlan:
		return "⏸ plan mode"
	case permission.ModeBypass:
		return "⚠ bypass permissions"
	case permission.ModeDontAsk:
		return "don't ask mode" // a restored session may run in it
	}
	return "default mode"
}

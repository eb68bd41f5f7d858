// Package render writes print mode's output (A5): the final text, one JSON result object, or
// a stream of JSON lines as the session happens. stdout carries only that output; notices
// (retries, warnings, credential refreshes) go to stderr in text and json modes and into the
// stream as system events in stream-json mode.
package render

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"sync"

	"github.com/google/uuid"

	"github.com/strata-agent/strata/internal/agent"
	"github.com/strata-agent/strata/internal/llm"
)

// Formats of --output-format.
const (
	FormatText       = "text"
	FormatJSON       = "json"
	FormatStreamJSON = "stream-json"
)

// Init is what the stream-json init event reports.
type Init struct {
	SessionID      string
	Cwd            string
	Model          string
	Tools          []string
	MCPServers     []MCPServer
	PermissionMode string
	APIKeySource   string // "none": Bedrock credentials come from AWS, not an API key
	Version        string // strata's version, in the place of claude_code_version
	OutputStyle    string // "" is "default"
	Plugins        []Plugin
}

// Plugin is one entry of the init event's plugins: a loaded plugin, its folder, and where
// it came from as the reference spells it ("name@marketplace", "name@inline" for
// --plugin-dir).
type Plugin struct {
	Name   string `json:"name"`
	Path   string `json:"path"`
	Source string `json:"source"`
}

// MCPServer is one entry of the init event's mcp_servers.
type MCPServer struct {
	Name   string `json:"name"`
	Status string `json:"status"`
}

// Options tune a Printer.
type Options struct {
	Format         string
	IncludePartial bool // stream-json: also emit raw stream events
	Verbose        bool // text: show tool calls on stderr as they happen
	SessionID      string
	// Batch buffers the output for a reader that takes it in its own time (print mode): the
	// lines of an answer's deltas are written together, within flushDelay, everything else
	// at once. Without it every line is written when it is made (the SDK's connection).
	Batch bool
}

// Printer turns a session's events into print-mode output. Its methods are safe to call from
// the agent's goroutines (tool calls of one turn may report concurrently).
type Printer struct {
	opts   Options
	out    io.Writer
	errOut io.Writer
	live   *Live // text mode with --verbose: the conversation on stderr as it happens
	mu     sync.Mutex
	err    error // first write error

	batch   *batch        // with Options.Batch
	scratch []byte        // the last delta line, reused
	random  *bufio.Reader // randomness for the lines' UUIDs
	// bashCalls are the ids of the Bash calls seen, whose results carry the reference's
	// display record (under mu).
	bashCalls map[string]bool
}

// New returns a Printer writing to out (the answer) and errOut (diagnostics).
func New(opts Options, out, errOut io.Writer) *Printer {
	p := &Printer{opts: opts, out: out, errOut: errOut}
	if opts.Batch {
		p.batch = &batch{buf: bufio.NewWriterSize(out, batchSize)}
	}
	if opts.Format == FormatText && opts.Verbose {
		p.live = NewLive(lockedWriter{p}, false)
	}
	return p
}

// lockedWriter writes to stderr under the Printer's lock.
type lockedWriter struct{ p *Printer }

func (w lockedWriter) Write(b []byte) (int, error) {
	w.p.mu.Lock()
	defer w.p.mu.Unlock()
	return w.p.errOut.Write(b)
}

// Start reports the session's start (stream-json only).
func (p *Printer) Start(in Init) {
	if p.opts.Format != FormatStreamJSON {
		return
	}
	tools := in.Tools
	if tools == nil {
		tools = []string{}
	}
	servers := in.MCPServers
	if servers == nil {
		servers = []MCPServer{}
	}
	p.line(initLine(in, tools, servers))
}

// Event reports one agent event.
func (p *Printer) Event(ev agent.Event) {
	if p.live != nil && ev.Kind != agent.EventStream {
		p.live.Event(ev)
		return
	}
	switch ev.Kind {
	case agent.EventNotice:
		p.notice(ev.Notice)
	case agent.EventStream:
		if p.opts.Format == FormatStreamJSON && p.opts.IncludePartial {
			p.streamEvent(ev.Stream)
		}
	case agent.EventAssistant:
		if p.opts.Format == FormatStreamJSON {
			id := ev.UUID
			if id == "" {
				id = uuid.NewString()
			}
			p.noteBashCalls(ev.Assistant)
			p.line(message{Type: "assistant", Message: assistantBody{ev.Assistant}, SessionID: p.opts.SessionID, UUID: id})
		}
	case agent.EventUser:
		if p.opts.Format == FormatStreamJSON {
			p.line(userLine(ev.User, p.opts.SessionID, p.isBashCall))
		}
	case agent.EventDenied:
		if p.opts.Format != FormatStreamJSON {
			p.stderr("strata: %s was not run: %s\n", ev.ToolUse.Name, ev.Reason)
		}
	}
}

func (p *Printer) notice(n *llm.Notice) {
	if p.opts.Format == FormatStreamJSON {
		switch n.Kind {
		case llm.NoticeRetry, llm.NoticeRestart:
			errText := ""
			if n.Err != nil {
				errText = n.Err.Error()
			}
			p.line(struct {
				Type         string `json:"type"`
				Subtype      string `json:"subtype"`
				Attempt      int    `json:"attempt"`
				MaxRetries   int    `json:"max_retries"`
				RetryDelayMS int64  `json:"retry_delay_ms"`
				ErrorStatus  *int   `json:"error_status"`
				Error        string `json:"error"`
				SessionID    string `json:"session_id"`
				UUID         string `json:"uuid"`
			}{"system", "api_retry", n.Attempt, maxRetries(n), n.Delay.Milliseconds(), httpStatus(n.Err), errText,
				p.opts.SessionID, uuid.NewString()})
		case llm.NoticeWarning, llm.NoticeRefresh:
			p.line(envelope{Type: "system", Subtype: "notice", Text: n.Text, SessionID: p.opts.SessionID, UUID: uuid.NewString()})
		}
		if n.Kind != llm.NoticeRefreshOutput {
			return
		}
	}
	p.stderr("%s\n", DescribeNotice(n))
}

// DescribeNotice renders a notice as one line for people.
func DescribeNotice(n *llm.Notice) string {
	switch n.Kind {
	case llm.NoticeRetry:
		what := "the request failed"
		if llm.KindOf(n.Err) == llm.ErrThrottled {
			what = "throttled by Bedrock"
		} else if n.Err != nil {
			what = firstLine(n.Err.Error())
		}
		return fmt.Sprintf("strata: %s, retrying in %s (attempt %d/%d)", what, seconds(n.Delay.Seconds()), n.Attempt, maxRetries(n))
	case llm.NoticeRestart:
		msg := "strata: the answer stream broke; asking again"
		if n.Err != nil {
			msg += " (" + firstLine(n.Err.Error()) + ")"
		}
		return msg
	case llm.NoticeRefresh:
		return "strata: " + n.Text
	case llm.NoticeRefreshOutput:
		return n.Text
	}
	return "strata: warning: " + n.Text
}

// maxRetries is the retry budget a notice reports: attempts minus the first try, as the
// reference's api_retry event counts it.
func maxRetries(n *llm.Notice) int {
	if n.MaxAttempts > 0 {
		return n.MaxAttempts - 1
	}
	return 0
}

func seconds(s float64) string {
	if s < 10 {
		return fmt.Sprintf("%.1fs", s)
	}
	return fmt.Sprintf("%.0fs", math.Round(s))
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// Finish writes the result: the final text (text), or the result object (json, stream-json).
// It returns the first write error, so a closed stdout is noticed.
func (p *Printer) Finish(res *agent.Result) error {
	switch p.opts.Format {
	case FormatText:
		// A failed run has no answer: what the model said last was a step on the way, and
		// printing it would make a script take it for the result. The error goes to stderr.
		if res.Text != "" && res.Err == nil {
			p.write(strings.TrimRight(res.Text, "\n") + "\n")
		}
		switch res.Subtype {
		case agent.SubtypeMaxTurns:
			p.stderr("strata: stopped after %d turns (--max-turns)\n", res.NumTurns)
		case agent.SubtypeMaxBudget:
			p.stderr("strata: stopped at the cost limit (--max-budget-usd)\n")
		case agent.SubtypeStructuredRetries:
			p.stderr("strata: the model gave no valid structured answer (--json-schema)\n")
		}
	default:
		p.line(resultObject(res, p.opts.SessionID))
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.flushLocked()
	return p.err
}

// envelope is a stream-json line carrying a message or an event.
type envelope struct {
	Type      string     `json:"type"`
	Subtype   string     `json:"subtype,omitempty"`
	Message   any        `json:"message,omitempty"`
	Event     *llm.Event `json:"event,omitempty"`
	Text      string     `json:"text,omitempty"`
	SessionID string     `json:"session_id"`
	UUID      string     `json:"uuid"`
}

// line writes v as one JSON line.
func (p *Printer) line(v any) {
	s, err := encodeLine(v)
	if err != nil {
		p.fail(err)
		return
	}
	p.write(s)
}

// encodeLine is v as one JSON line. Like the reference, it does not escape <, > and & as
// \u003c…, so commands and code read as written.
func encodeLine(v any) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", fmt.Errorf("encoding output: %w", err)
	}
	return buf.String(), nil
}

func (p *Printer) write(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.writeLocked(s, false)
}

func (p *Printer) fail(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.failLocked(err)
}

func (p *Printer) failLocked(err error) {
	if p.err == nil {
		p.err = err
	}
}

func (p *Printer) stderr(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.errOut, format, args...)
}

// noteBashCalls remembers the Bash calls of a response.
func (p *Printer) noteBashCalls(r *llm.Response) {
	if r == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, b := range r.Content {
		if b.Type == llm.TypeToolUse && b.Name == "Bash" {
			if p.bashCalls == nil {
				p.bashCalls = map[string]bool{}
			}
			p.bashCalls[b.ID] = true
		}
	}
}

func (p *Printer) isBashCall(id string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.bashCalls[id]
}

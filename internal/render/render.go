// Package render writes print mode's output (A5): the final text, one JSON result object, or
// a stream of JSON lines as the session happens. stdout carries only that output; notices
// (retries, warnings, credential refreshes) go to stderr in text and json modes and into the
// stream as system events in stream-json mode.
package render

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"sync"

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
}

// New returns a Printer writing to out (the answer) and errOut (diagnostics).
func New(opts Options, out, errOut io.Writer) *Printer {
	p := &Printer{opts: opts, out: out, errOut: errOut}
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
	p.line(map[string]any{"type": "system", "subtype": "init", "session_id": in.SessionID, "cwd": in.Cwd,
		"model": in.Model, "tools": tools, "mcp_servers": servers, "permissionMode": in.PermissionMode})
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
			p.line(map[string]any{"type": "stream_event", "event": ev.Stream, "session_id": p.opts.SessionID})
		}
	case agent.EventAssistant:
		if p.opts.Format == FormatStreamJSON {
			p.line(map[string]any{"type": "assistant", "message": ev.Assistant, "session_id": p.opts.SessionID})
		}
	case agent.EventUser:
		if p.opts.Format == FormatStreamJSON {
			p.line(map[string]any{"type": "user", "message": ev.User, "session_id": p.opts.SessionID})
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
			p.line(map[string]any{"type": "system", "subtype": "api_retry", "attempt": n.Attempt,
				"max_retries": n.MaxAttempts, "retry_delay_ms": n.Delay.Milliseconds(), "error": errText,
				"session_id": p.opts.SessionID})
		case llm.NoticeWarning, llm.NoticeRefresh:
			p.line(map[string]any{"type": "system", "subtype": "notice", "message": n.Text, "session_id": p.opts.SessionID})
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
		return fmt.Sprintf("strata: %s, retrying in %s (attempt %d/%d)", what, seconds(n.Delay.Seconds()), n.Attempt, n.MaxAttempts)
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
		if res.Text != "" {
			p.write(strings.TrimRight(res.Text, "\n") + "\n")
		}
		if res.Subtype == agent.SubtypeMaxTurns {
			p.stderr("strata: stopped after %d turns (--max-turns)\n", res.NumTurns)
		}
	default:
		p.line(resultObject(res, p.opts.SessionID))
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

// resultObject is the A5 result, field for field.
func resultObject(res *agent.Result, sessionID string) map[string]any {
	denials := res.Denials
	if denials == nil {
		denials = []agent.Denial{}
	}
	obj := map[string]any{
		"type": "result", "subtype": res.Subtype, "is_error": res.IsError, "result": res.Text,
		"session_id": sessionID, "num_turns": res.NumTurns,
		"duration_ms": res.Duration.Milliseconds(), "duration_api_ms": res.APIDuration.Milliseconds(),
		"total_cost_usd": math.Round(res.CostUSD*1e6) / 1e6,
		"usage":          res.Usage, "permission_denials": denials,
	}
	if res.Err != nil {
		obj["result"] = res.Err.Error()
	}
	return obj
}

func (p *Printer) line(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		p.fail(fmt.Errorf("encoding output: %w", err))
		return
	}
	p.write(string(b) + "\n")
}

func (p *Printer) write(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err != nil {
		return
	}
	if _, err := io.WriteString(p.out, s); err != nil {
		p.err = err
	}
}

func (p *Printer) fail(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err == nil {
		p.err = err
	}
}

func (p *Printer) stderr(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.errOut, format, args...)
}

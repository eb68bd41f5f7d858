package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/strata-agent/strata/internal/agent"
	"github.com/strata-agent/strata/internal/llm"
)

// liveResultLines is how many lines of a tool's result the live view shows.
const liveResultLines = 12

// Live writes a session as a person reads it: the model's text, each tool call with its
// input, and the start of each result (a diff for edits). It is the text-mode view with
// --verbose and the demo's view.
type Live struct {
	w     io.Writer
	color bool
}

// NewLive returns a Live view writing to w, with ANSI colours when color is set.
func NewLive(w io.Writer, color bool) *Live { return &Live{w: w, color: color} }

// Event shows one agent event.
func (l *Live) Event(ev agent.Event) {
	switch ev.Kind {
	case agent.EventAssistant:
		for _, b := range ev.Assistant.Content {
			if b.Type == llm.TypeText && strings.TrimSpace(b.Text) != "" {
				fmt.Fprintf(l.w, "\n%s\n", strings.TrimSpace(b.Text))
			}
		}
	case agent.EventToolStart:
		fmt.Fprintf(l.w, "\n%s %s\n", l.paint("1;36", "●"), l.paint("1", callLine(ev.ToolUse)))
	case agent.EventToolResult:
		l.result(ev)
	case agent.EventDenied:
		fmt.Fprintf(l.w, "\n%s %s\n  %s\n", l.paint("1;31", "✗"), callLine(ev.ToolUse), ev.Reason)
	case agent.EventNotice:
		fmt.Fprintf(l.w, "%s\n", l.paint("33", DescribeNotice(ev.Notice)))
	}
}

// result writes a tool's result in one Write, so results of calls running in parallel never
// interleave line by line.
func (l *Live) result(ev agent.Event) {
	var b strings.Builder
	l.resultTo(&b, ev)
	_, _ = io.WriteString(l.w, b.String())
}

func (l *Live) resultTo(w io.Writer, ev agent.Event) {
	text := ev.Result.Display
	if text == "" {
		text = ev.Result.Text
	}
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	shown := lines
	if len(shown) > liveResultLines {
		shown = shown[:liveResultLines]
	}
	for i, line := range shown {
		prefix := "    "
		if i == 0 {
			prefix = "  ⎿ "
		}
		fmt.Fprintf(w, "%s%s\n", prefix, l.lineColor(line, ev.Result.IsError, ev.Result.Display != ""))
	}
	if more := len(lines) - len(shown); more > 0 {
		fmt.Fprintf(w, "    %s\n", l.paint("2", fmt.Sprintf("… %d more lines", more)))
	}
}

// lineColor colours diff lines and errors.
func (l *Live) lineColor(line string, isErr, diff bool) string {
	switch {
	case isErr:
		return l.paint("31", line)
	case diff && strings.HasPrefix(line, "+") && !strings.HasPrefix(line, "+++"):
		return l.paint("32", line)
	case diff && strings.HasPrefix(line, "-") && !strings.HasPrefix(line, "---"):
		return l.paint("31", line)
	}
	return line
}

func (l *Live) paint(code, s string) string {
	if !l.color {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

// callLine is a tool call in one line: the tool and its main input.
func callLine(use *llm.ContentBlock) string {
	return agent.Summarize(*use)
}

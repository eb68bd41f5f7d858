package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/strata-agent/strata/internal/agent"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/tool"
)

// turnState is what the live area shows of the turn in progress.
type turnState struct {
	blockType string // the content block being streamed: text, thinking, tool_use
	toolName  string // the tool_use block being streamed
	pending   string // text of the current block not printed yet
	thinking  strings.Builder
	tools     []liveTool // calls running now
	printed   bool       // some of this answer is in the scrollback already
	shown     string     // the text of this answer printed so far
	replay    string     // after a broken stream: text already printed, not to print again

	inTokens  int // input of the current request
	outTokens int // output of the current answer, from the stream
	turnIn    int // summed over the finished requests of the turn
	turnOut   int
}

type liveTool struct {
	id, line string
	started  time.Time
}

// onEvent shows one agent event.
func (m *Model) onEvent(ev agent.Event) {
	switch ev.Kind {
	case agent.EventStream:
		m.onStream(ev.Stream)
	case agent.EventAssistant:
		m.flushStream()
		m.usage.add(ev.Model, ev.Assistant.Usage)
	case agent.EventToolStart:
		m.flushStream()
		m.turn.tools = append(m.turn.tools, liveTool{id: ev.ToolUse.ID, line: agent.Summarize(*ev.ToolUse), started: m.now()})
	case agent.EventToolResult:
		m.dropLiveTool(ev.ToolUse.ID)
		m.gap()
		m.emit(m.toolBlock(ev.ToolUse, ev.Result))
	case agent.EventDenied:
		m.dropLiveTool(ev.ToolUse.ID)
		m.gap()
		m.emit(m.st.bad.Render("✗ ") + m.st.tool.Render(agent.Summarize(*ev.ToolUse)) + "\n" +
			resultLines([]string{m.st.dim.Render(ev.Reason)}, 0, m.width))
	case agent.EventNotice:
		m.onNotice(ev.Notice)
	}
}

func (m *Model) onStream(ev *llm.Event) {
	t := &m.turn
	switch ev.Type {
	case llm.EventMessageStart:
		m.status = "" // an answer is coming: any retry is over
		t.outTokens, t.shown = 0, ""
		if ev.Message != nil {
			t.inTokens = ev.Message.Usage.TotalInput()
		}
	case llm.EventContentBlockStart:
		if ev.ContentBlock != nil {
			t.blockType, t.toolName = ev.ContentBlock.Type, ev.ContentBlock.Name
		}
	case llm.EventContentBlockDelta:
		m.onDelta(ev.Delta)
	case llm.EventContentBlockStop:
		m.endBlock()
	case llm.EventMessageDelta:
		if ev.Usage != nil {
			t.outTokens = ev.Usage.OutputTokens
		}
	case llm.EventMessageStop:
		t.turnIn += t.inTokens
		t.turnOut += t.outTokens
		t.inTokens, t.outTokens = 0, 0
	}
}

func (m *Model) onDelta(d *llm.Delta) {
	if d == nil {
		return
	}
	t := &m.turn
	switch d.Type {
	case llm.DeltaText:
		t.pending += visible(d.Text)
		t.outTokens += estimateTokens(d.Text)
		if done, rest := completeParagraphs(t.pending); done != "" {
			if m.printAnswer(done) {
				m.gap()
			}
			t.pending = rest
		}
	case llm.DeltaThinking:
		t.thinking.WriteString(visible(d.Thinking))
		t.outTokens += estimateTokens(d.Thinking)
	case llm.DeltaInputJSON:
		t.outTokens += estimateTokens(d.PartialJSON)
	}
}

// estimateTokens guesses the tokens of streamed text until the answer reports its count.
func estimateTokens(s string) int { return (len(s) + 3) / 4 }

// endBlock prints what is left of a finished block: the rest of a text, or the collapsed
// line that stands for a thinking block.
func (m *Model) endBlock() {
	t := &m.turn
	switch t.blockType {
	case llm.TypeText:
		m.flushStream()
	case llm.TypeThinking:
		if text := strings.TrimSpace(t.thinking.String()); text != "" {
			m.thinking = text
			m.gap()
			m.emit(m.st.dim.Render(fmt.Sprintf("✻ Thinking (%d words, hidden; Ctrl-O shows it)", len(strings.Fields(text)))))
		}
		t.thinking.Reset()
	}
	t.blockType, t.toolName = "", ""
}

// flushStream prints the text still pending.
func (m *Model) flushStream() {
	t := &m.turn
	if strings.TrimSpace(t.pending) != "" {
		m.printAnswer(t.pending)
	}
	t.pending = ""
}

// printAnswer prints a finished piece of the answer, unless a broken stream already printed
// the same words before the model was asked again (B33: never duplicate text already shown).
// It reports whether anything was printed.
func (m *Model) printAnswer(text string) bool {
	t := &m.turn
	t.shown += text
	if t.replay != "" {
		if rest, ok := strings.CutPrefix(t.replay, text); ok {
			t.replay = rest
			return false
		}
		t.replay = "" // the new answer says something else: from here on it is printed
	}
	m.startAnswer()
	m.emit(m.md.render(text, m.width-2))
	return true
}

// startAnswer separates a new answer from what came before.
func (m *Model) startAnswer() {
	m.gap()
	m.turn.printed = true
}

// gap puts one empty line between items in the scrollback.
func (m *Model) gap() {
	if !m.lastBlank {
		m.emit("")
	}
}

func (m *Model) dropLiveTool(id string) {
	kept := m.turn.tools[:0]
	for _, lt := range m.turn.tools {
		if lt.id != id {
			kept = append(kept, lt)
		}
	}
	m.turn.tools = kept
}

// onNotice shows client progress: retries and stream restarts in the status line, credential
// refreshes with their command's output and warnings in the scrollback.
func (m *Model) onNotice(n *llm.Notice) {
	switch n.Kind {
	case llm.NoticeRetry:
		m.status = describeRetry(n)
	case llm.NoticeRestart:
		m.status = "the answer stream broke; asking again"
		if m.turn.pending != "" || m.turn.shown != "" {
			m.turn.replay, m.turn.pending = m.turn.shown, ""
			m.gap()
			m.emit(m.st.dim.Render("(the answer stream broke; the model is asked again — what it repeats is not shown twice)"))
		}
	case llm.NoticeRefresh:
		m.status = n.Text
		m.emit(m.st.dim.Render("⟳ " + n.Text))
	case llm.NoticeRefreshOutput:
		m.emit(m.st.dim.Render("  │ " + n.Text))
	default:
		m.gap()
		m.emit(m.st.warn.Render("⚠ " + n.Text))
	}
}

// describeRetry is a retry notice for the status line: "throttled, retrying in 4s (2/10)".
func describeRetry(n *llm.Notice) string {
	what := "the request failed"
	if llm.KindOf(n.Err) == llm.ErrThrottled {
		what = "throttled"
	} else if n.Err != nil {
		what = firstLine(n.Err.Error())
	}
	budget := n.MaxAttempts - 1
	if budget < n.Attempt {
		budget = n.Attempt
	}
	return fmt.Sprintf("%s, retrying in %s (%d/%d)", what, seconds(n.Delay), n.Attempt, budget)
}

func seconds(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	return fmt.Sprintf("%ds", int(d.Round(time.Second).Seconds()))
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// onTodos prints the list TodoWrite wrote as a checklist.
func (m *Model) onTodos(todos []tool.Todo) {
	m.flushStream()
	lines := make([]string, 0, len(todos))
	for _, td := range todos {
		switch td.Status {
		case "completed":
			lines = append(lines, m.st.ok.Render("☒ ")+m.st.strike.Render(td.Content))
		case "in_progress":
			lines = append(lines, m.st.bold.Render("◼ "+td.Content))
		default:
			lines = append(lines, "☐ "+td.Content)
		}
	}
	if len(lines) == 0 {
		lines = append(lines, m.st.dim.Render("(empty)"))
	}
	m.gap()
	m.emit(m.st.ok.Render("● ") + m.st.tool.Render("Todo list") + "\n" + resultLines(lines, 0, m.width))
}

package transcript

import (
	"fmt"
	"strings"
	"time"

	"github.com/strata-agent/strata/internal/agent"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/tui/look"
)

// turnState is what the live area shows of the turn in progress.
type turnState struct {
	blockType string          // the content block being streamed: text, thinking, tool_use
	toolName  string          // the tool_use block being streamed
	pending   strings.Builder // text of the current block not printed yet (appended to, not copied, per delta)
	scan      paragraphScan   // how far pending was looked at for paragraph breaks
	thinking  strings.Builder
	tools     []liveTool // calls running now
	shown     string     // the text of this answer printed so far
	replay    string     // after a broken stream: text already printed, not to print again
}

type liveTool struct {
	id, line string
	started  time.Time
}

// StartTurn forgets what the live area showed of the turn before.
func (t *Transcript) StartTurn() { t.turn = turnState{} }

// EndTurn prints what is left of the answer; tool calls still shown are over.
func (t *Transcript) EndTurn() {
	t.Flush()
	t.turn.tools = nil
}

// Forget drops the state of the conversation left behind (/clear, /resume).
func (t *Transcript) Forget() {
	t.turn, t.thinking = turnState{}, ""
}

// OnEvent shows one agent event: the streaming answer, tool calls starting and finishing,
// denials and client notices.
func (t *Transcript) OnEvent(ev agent.Event) {
	switch ev.Kind {
	case agent.EventStream:
		t.onStream(ev.Stream)
	case agent.EventAssistant:
		t.Flush()
	case agent.EventToolStart:
		t.Flush()
		t.turn.tools = append(t.turn.tools, liveTool{id: ev.ToolUse.ID, line: agent.Summarize(*ev.ToolUse), started: t.now()})
	case agent.EventToolResult:
		t.dropLiveTool(ev.ToolUse.ID)
		res := ev.Result
		if block := t.toolBlock(ev.ToolUse, Result{Text: res.Text, IsError: res.IsError, Display: res.Display, Images: len(res.Images)}); block != "" {
			t.Gap()
			t.Emit(block)
		}
	case agent.EventDenied:
		t.dropLiveTool(ev.ToolUse.ID)
		t.Gap()
		t.Emit(t.st.Bad.Render("✗ ") + t.st.Tool.Render(agent.Summarize(*ev.ToolUse)) + "\n" +
			look.ResultLines([]string{t.st.Dim.Render(ev.Reason)}, 0, t.width))
	case agent.EventNotice:
		t.onNotice(ev.Notice)
	}
}

func (t *Transcript) onStream(ev *llm.Event) {
	switch ev.Type {
	case llm.EventMessageStart:
		t.turn.shown = ""
	case llm.EventContentBlockStart:
		if ev.ContentBlock != nil {
			t.turn.blockType, t.turn.toolName = ev.ContentBlock.Type, ev.ContentBlock.Name
		}
	case llm.EventContentBlockDelta:
		t.onDelta(ev.Delta)
	case llm.EventContentBlockStop:
		t.endBlock()
	}
}

func (t *Transcript) onDelta(d *llm.Delta) {
	if d == nil {
		return
	}
	switch d.Type {
	case llm.DeltaText:
		text := look.Visible(d.Text)
		t.turn.pending.WriteString(text)
		if !strings.Contains(text, "\n") {
			return // no line was completed, so no paragraph either: no need to look again
		}
		pending := t.turn.pending.String()
		if cut := t.turn.scan.advance(pending); cut > 0 {
			if t.printAnswer(pending[:cut]) {
				t.Gap()
			}
			t.resetPending(pending[cut:])
		}
	case llm.DeltaThinking:
		t.turn.thinking.WriteString(look.Visible(d.Thinking))
	}
}

// resetPending starts the pending text again with rest, the text after the last break.
func (t *Transcript) resetPending(rest string) {
	t.turn.pending.Reset()
	t.turn.pending.WriteString(rest)
	t.turn.scan = paragraphScan{}
}

// endBlock prints what is left of a finished block: the rest of a text, or the collapsed
// line that stands for a thinking block.
func (t *Transcript) endBlock() {
	switch t.turn.blockType {
	case llm.TypeText:
		t.Flush()
	case llm.TypeThinking:
		if text := strings.TrimSpace(t.turn.thinking.String()); text != "" {
			t.thinking = text
			t.Gap()
			t.Emit(t.st.Dim.Render(fmt.Sprintf("✻ Thinking (%d words, hidden; Ctrl-O shows it)", len(strings.Fields(text)))))
		}
		t.turn.thinking.Reset()
	}
	t.turn.blockType, t.turn.toolName = "", ""
}

// Flush prints the text of the answer still pending.
func (t *Transcript) Flush() {
	if text := t.turn.pending.String(); strings.TrimSpace(text) != "" {
		t.printAnswer(text)
	}
	t.resetPending("")
}

// printAnswer prints a finished piece of the answer, unless a broken stream already printed
// the same words before the model was asked again (B33: never duplicate text already shown).
// It reports whether anything was printed.
func (t *Transcript) printAnswer(text string) bool {
	t.turn.shown += text
	if t.turn.replay != "" {
		if rest, ok := strings.CutPrefix(t.turn.replay, text); ok {
			t.turn.replay = rest
			return false
		}
		t.turn.replay = "" // the new answer says something else: from here on it is printed
	}
	t.Gap()
	t.Emit(t.md.render(text, t.width-2))
	return true
}

func (t *Transcript) dropLiveTool(id string) {
	kept := t.turn.tools[:0]
	for _, lt := range t.turn.tools {
		if lt.id != id {
			kept = append(kept, lt)
		}
	}
	t.turn.tools = kept
}

// onNotice prints the client notices that belong in the scrollback: credential refreshes
// with their command's output, a broken stream, warnings. (Retries only show in the status
// line.)
func (t *Transcript) onNotice(n *llm.Notice) {
	switch n.Kind {
	case llm.NoticeRetry:
	case llm.NoticeRestart:
		if t.turn.pending.Len() > 0 || t.turn.shown != "" {
			t.turn.replay = t.turn.shown
			t.resetPending("")
			t.Gap()
			t.Emit(t.st.Dim.Render("(the answer stream broke; the model is asked again — what it repeats is not shown twice)"))
		}
	case llm.NoticeRefresh:
		t.Emit(t.st.Dim.Render("⟳ " + n.Text))
	case llm.NoticeRefreshOutput:
		t.Emit(t.st.Dim.Render("  │ " + n.Text))
	default:
		t.Gap()
		t.Emit(t.st.Warn.Render("⚠ " + n.Text))
	}
}

// ShowThinking prints the latest thinking in full (it is collapsed by default).
func (t *Transcript) ShowThinking() {
	t.Gap()
	if t.thinking == "" {
		t.Emit(t.st.Dim.Render("No thinking to show yet."))
		return
	}
	t.Emit(look.PaintLines(t.st.Dim, look.PrefixLines("✻ ", "  ", t.thinking)))
}

package transcript

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/strata-agent/strata/internal/agent"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/tui/look"
)

// How much of a tool's result the scrollback shows. The model always gets the whole result.
const (
	resultShownLines = 10
	diffShownLines   = 60
)

// Result is what a finished tool call gave, as far as the transcript shows it.
type Result struct {
	Text    string
	IsError bool
	Display string // a diff for edits and writes; "" shows Text
	Images  int
}

// Todo is one entry of the list TodoWrite wrote.
type Todo struct {
	Content string
	Status  string // pending, in_progress, completed
}

// toolBlock renders a finished tool call: the call in one line and what it gave, a diff for
// edits and writes, a line count for reads, the start of anything else with the cut said.
func (t *Transcript) toolBlock(use *llm.ContentBlock, res Result) string {
	bullet := t.st.OK.Render("● ")
	if res.IsError {
		bullet = t.st.Bad.Render("● ")
	}
	head := bullet + t.st.Tool.Render(agent.Summarize(*use))
	var body []string
	shown := resultShownLines
	switch {
	case res.IsError:
		body = look.Lines(res.Text)
		for i, l := range body {
			body[i] = t.st.Bad.Render(l)
		}
	case res.Display != "":
		body, shown = t.st.Diff(res.Display), diffShownLines
	case use.Name == "TodoWrite":
		return "" // the checklist itself is printed from the Todos callback, and says it all
	case use.Name == "Read" && res.Images > 0:
		body = []string{t.st.Dim.Render("Read an image")}
	case use.Name == "Read":
		body = []string{t.st.Dim.Render("Read " + look.Plural(len(look.Lines(res.Text)), "line"))}
	default:
		body = look.ColourLines(res.Text) // a test run's red and green stay
		if len(body) == 0 {
			body = []string{t.st.Dim.Render("(no output)")}
		}
	}
	return head + "\n" + t.CutNote(look.ResultLines(body, shown, t.width), len(body), shown)
}

// CutNote adds the "… N more lines" line when a result was cut for the screen.
func (t *Transcript) CutNote(text string, total, shown int) string {
	if shown > 0 && total > shown {
		text += "\n    " + t.st.Dim.Render(fmt.Sprintf("… %d more lines not shown (the model saw them all)", total-shown))
	}
	return text
}

// OnTodos prints the list TodoWrite wrote as a checklist.
func (t *Transcript) OnTodos(todos []Todo) {
	t.Flush()
	lines := make([]string, 0, len(todos))
	for _, td := range todos {
		switch td.Status {
		case "completed":
			lines = append(lines, t.st.OK.Render("☒ ")+t.st.Strike.Render(td.Content))
		case "in_progress":
			lines = append(lines, t.st.Bold.Render("◼ "+td.Content))
		default:
			lines = append(lines, "☐ "+td.Content)
		}
	}
	if len(lines) == 0 {
		lines = append(lines, t.st.Dim.Render("(empty)"))
	}
	t.Gap()
	t.Emit(t.st.OK.Render("● ") + t.st.Tool.Render("Todo list") + "\n" + look.ResultLines(lines, 0, t.width))
}

// View is the unfinished part of the answer and the tools running, cut to leave room for the
// input.
func (t *Transcript) View() string {
	var out []string
	if pending := t.turn.pending.String(); strings.TrimSpace(pending) != "" {
		out = append(out, strings.Split(t.md.render(pending, t.width-2), "\n")...)
	}
	switch t.turn.blockType {
	case llm.TypeThinking:
		out = append(out, t.st.Dim.Render(fmt.Sprintf("✻ Thinking… (%d words)", len(strings.Fields(t.turn.thinking.String())))))
	case llm.TypeToolUse:
		out = append(out, t.st.Dim.Render("● "+t.turn.toolName+"(…)"))
	}
	now := t.now()
	for _, lt := range t.turn.tools {
		out = append(out, t.st.Spinner(now.Sub(lt.started))+" "+t.st.Tool.Render(ansi.Truncate(lt.line, t.width-4, "…"))+
			t.st.Dim.Render(" "+look.Elapsed(now.Sub(lt.started))))
	}
	room := max(t.height-8, 3)
	if len(out) > room {
		out = out[len(out)-room:]
	}
	return strings.Join(out, "\n")
}

package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/strata-agent/strata/internal/agent"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/tool"
)

// How much of a tool's result the scrollback shows. The model always gets the whole result.
const (
	resultShownLines = 10
	diffShownLines   = 60
)

// toolBlock renders a finished tool call: the call in one line and what it gave, a diff for
// edits and writes, a line count for reads, the start of anything else with the cut said.
func (m *Model) toolBlock(use *llm.ContentBlock, res *tool.Result) string {
	bullet := m.st.ok.Render("● ")
	if res.IsError {
		bullet = m.st.bad.Render("● ")
	}
	head := bullet + m.st.tool.Render(agent.Summarize(*use))
	var body []string
	shown := resultShownLines
	switch {
	case res.IsError:
		body = m.paint(lines(res.Text), m.st.bad)
	case res.Display != "":
		body, shown = m.diffLines(res.Display), diffShownLines
	case use.Name == "TodoWrite":
		return head // the checklist itself is printed from the Todos callback
	case use.Name == "Read" && len(res.Images) > 0:
		body = []string{m.st.dim.Render("Read an image")}
	case use.Name == "Read":
		body = []string{m.st.dim.Render("Read " + plural(len(lines(res.Text)), "line"))}
	default:
		body = lines(res.Text)
		if len(body) == 0 {
			body = []string{m.st.dim.Render("(no output)")}
		}
	}
	return head + "\n" + m.cutNote(resultLines(body, shown, m.width), len(body), shown)
}

// cutNote adds the "… N more lines" line when a result was cut for the screen.
func (m *Model) cutNote(text string, total, shown int) string {
	if shown > 0 && total > shown {
		text += "\n    " + m.st.dim.Render(fmt.Sprintf("… %d more lines not shown (the model saw them all)", total-shown))
	}
	return text
}

// resultLines indents a result under its call ("  ⎿ " then "    "), at most limit lines
// (0: all), each cut to the width.
func resultLines(body []string, limit, width int) string {
	if limit > 0 && len(body) > limit {
		body = body[:limit]
	}
	out := make([]string, len(body))
	for i, l := range body {
		prefix := "    "
		if i == 0 {
			prefix = "  ⎿ "
		}
		out[i] = prefix + ansi.Truncate(l, max(width-4, 10), "…")
	}
	return strings.Join(out, "\n")
}

// lines splits text into lines, tabs expanded, without a trailing empty line.
func lines(text string) []string {
	text = visible(strings.TrimRight(strings.ReplaceAll(text, "\r\n", "\n"), "\n"))
	if strings.TrimSpace(text) == "" {
		return nil
	}
	return strings.Split(strings.ReplaceAll(text, "\t", "    "), "\n")
}

func (m *Model) paint(ls []string, st interface{ Render(...string) string }) []string {
	for i, l := range ls {
		ls[i] = st.Render(l)
	}
	return ls
}

// diffLines colours a unified diff.
func (m *Model) diffLines(diff string) []string {
	ls := lines(diff)
	for i, l := range ls {
		switch {
		case strings.HasPrefix(l, "+++"), strings.HasPrefix(l, "---"):
			ls[i] = m.st.dim.Render(l)
		case strings.HasPrefix(l, "@@"):
			ls[i] = m.st.hunk.Render(l)
		case strings.HasPrefix(l, "+"):
			ls[i] = m.st.added.Render(l)
		case strings.HasPrefix(l, "-"):
			ls[i] = m.st.removed.Render(l)
		}
	}
	return ls
}

package question

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/strata-agent/strata/internal/tui/look"
)

// View draws the form on show in at most height lines of width columns. The model wrote the
// questions: their control characters are made visible before anything is styled.
func (q *Queue) View(width, height int) string {
	f := q.forms[0]
	inner := max(width-2, 10)
	bar := q.st.Accent.Render("│ ")
	title, body := "Question", q.questionLines(f, inner, true)
	if f.isPlan {
		title, body = "Ready to code?", q.planLines(f, inner)
	}
	if room := height - 2; len(body) > room && !f.isPlan {
		body = q.questionLines(f, inner, false) // no descriptions: the choices must fit
	}
	if room := max(height-2, 3); len(body) > room {
		body = body[len(body)-room:] // the choices are at the bottom
	}
	out := []string{q.st.Accent.Render("╭─ " + title + " ")}
	for _, l := range body {
		out = append(out, bar+l)
	}
	out = append(out, q.st.Accent.Render("╰─")+q.st.Dim.Render(ansi.Truncate(q.hint(f), max(width-2, 1), "…")))
	return strings.Join(out, "\n")
}

func (q *Queue) hint(f *form) string {
	esc := "Esc interrupts the turn"
	if f.local {
		esc = "Esc cancels"
	}
	h := " Enter chooses · ↑↓ move · " + esc
	switch {
	case f.editing:
		h = " type, then Enter · Esc goes back"
	case !f.isPlan && len(f.asks) > 1:
		h = " Enter chooses · ↑↓ move · ←→ switch questions · " + esc
	}
	if q.ignored > 0 {
		h = " " + look.Plural(q.ignored, "key") + " typed ahead ignored · pause, then answer ·" + h
	}
	return h
}

// tabs is the row of question headers, each ticked once answered, and the review.
func (q *Queue) tabs(f *form) string {
	answered := f.answers()
	var parts []string
	for i, a := range f.asks {
		mark := "☐ "
		if _, ok := answered[a.Question]; ok {
			mark = "☒ "
		}
		label := mark + look.Visible(a.Header)
		if i == f.tab {
			label = q.st.Selected.Render(label)
		}
		parts = append(parts, label)
	}
	submit := "✔ Submit"
	if f.tab == len(f.asks) {
		submit = q.st.Selected.Render(submit)
	}
	return strings.Join(append(parts, submit), "  ")
}

func (q *Queue) questionLines(f *form, width int, descriptions bool) []string {
	var out []string
	if len(f.asks) > 1 {
		out = append(out, ansi.Truncate(q.tabs(f), width, "…"), "")
	}
	if f.tab == len(f.asks) {
		return append(out, q.review(f, width)...)
	}
	a := f.asks[f.tab]
	for _, l := range look.WrapIndent(look.Visible(a.Question), width, "", "") {
		out = append(out, q.st.Bold.Render(l))
	}
	for i, o := range a.Options {
		box := ""
		if a.MultiSelect {
			box = "[ ] "
			if f.picked[f.tab][o.Label] {
				box = "[✔] "
			}
		}
		out = append(out, q.row(i, f.sel, box+look.Visible(o.Label), width)...)
		if descriptions && o.Description != "" {
			for _, l := range look.WrapIndent(look.Visible(o.Description), width, "     ", "     ") {
				out = append(out, q.st.Dim.Render(l))
			}
		}
	}
	other := "Type something."
	switch {
	case f.editing:
		other = "> " + look.Visible(string(f.text)) + "█"
	case f.other[f.tab] != "":
		other = "Type something: " + look.Visible(f.other[f.tab])
	}
	out = append(out, q.row(len(a.Options), f.sel, other, width)...)
	if a.MultiSelect {
		next := "Next →"
		if f.tab == len(f.asks)-1 {
			next = "Submit"
		}
		out = append(out, q.row(len(a.Options)+1, f.sel, next, width)...)
	}
	return out
}

// review lists the answers before they are sent.
func (q *Queue) review(f *form, width int) []string {
	out := []string{q.st.Bold.Render("Review your answers")}
	answered := f.answers()
	for _, a := range f.asks {
		got, ok := answered[a.Question]
		if !ok {
			got = q.st.Warn.Render("(not answered)")
		}
		out = append(out, look.WrapIndent("· "+look.Visible(a.Question)+" → "+look.Visible(got), width, "", "  ")...)
	}
	if len(answered) < len(f.asks) {
		out = append(out, q.st.Warn.Render("You have not answered all questions"))
	}
	out = append(out, "", "Ready to submit your answers?")
	out = append(out, q.row(0, f.sel, "Submit answers", width)...)
	return append(out, q.row(1, f.sel, "Cancel", width)...)
}

func (q *Queue) planLines(f *form, width int) []string {
	out := look.WrapIndent("The plan is above. Would you like to start on it?", width, "", "")
	if f.plan == "" {
		out = look.WrapIndent("The model asks to leave plan mode without a written plan. Start working?", width, "", "")
	}
	labels := []string{"Yes, auto-accept edits", "Yes, manually approve edits", "No, keep planning"}
	for i, l := range labels {
		out = append(out, q.row(i, f.sel, l, width)...)
	}
	if f.editing {
		out = append(out, look.WrapIndent("Tell the model what to change: "+look.Visible(string(f.text))+"█", width, "     ", "     ")...)
	}
	return out
}

// row draws a numbered choice, highlighted when it is the selection.
func (q *Queue) row(i, sel int, label string, width int) []string {
	mark := "  "
	if i == sel {
		mark = "❯ "
	}
	lines := look.WrapIndent(strconv.Itoa(i+1)+". "+label, width, mark, "     ")
	if i == sel {
		for k := range lines {
			lines[k] = q.st.Selected.Render(lines[k])
		}
	}
	return lines
}

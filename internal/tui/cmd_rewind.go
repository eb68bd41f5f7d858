package tui

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/tui/look"
	"github.com/strata-agent/strata/internal/tui/picker"
	"github.com/strata-agent/strata/internal/tui/transcript"
)

// Rewinder is what /rewind asks of the host; a Host without it offers no rewind.
type Rewinder interface {
	// RewindPoints lists the prompts of the conversation as it stands, oldest first, each with
	// what restoring the code to before it would change.
	RewindPoints() ([]RewindPoint, error)
	// Rewind restores the files the tools changed (code), the conversation, or both, to the
	// state before the prompt id. The conversation's next request starts from there.
	Rewind(id string, code, conversation bool) (RewindResult, error)
}

// RewindPoint is a prompt /rewind can go back to.
type RewindPoint struct {
	ID      string
	Content []llm.ContentBlock // the prompt as sent
	Time    time.Time
	// Checkpoint says whether the files can be restored to before it; Files, Insertions and
	// Deletions say what that would change, Skipped what it cannot (too large to save).
	Checkpoint            bool
	Files                 []string
	Insertions, Deletions int
	Skipped               []string
	// Off says why there are no checkpoints at all ("" when there are).
	Off string
}

// RewindResult is what a rewind did.
type RewindResult struct {
	Files        []string // the files restored (changed, created or removed)
	Conversation bool     // the conversation now ends before the prompt
}

// bashNote is said wherever code is restored: only the files the file tools changed are put
// back (whoever changed them since); files only Bash or another program touched are not.
const bashNote = "Files changed only by Bash commands or outside strata are not restored."

// doubleEsc is how soon a second Esc on an empty input opens /rewind, as a double tap.
const doubleEsc = 800 * time.Millisecond

// escEmpty handles Esc when no turn runs: a second press soon after the first, on an empty
// input, opens /rewind (the reference's Esc Esc); double is both presses read at once.
func (m *Model) escEmpty(double bool) tea.Cmd {
	if m.work.running() || m.input.Value() != "" {
		m.lastEsc = time.Time{}
		return nil
	}
	now := m.now()
	if double || !m.lastEsc.IsZero() && now.Sub(m.lastEsc) <= doubleEsc {
		m.lastEsc = time.Time{}
		return m.cmdRewind("")
	}
	m.lastEsc = now
	return nil
}

func (m *Model) cmdRewind(string) tea.Cmd {
	r, ok := m.host.(Rewinder)
	if !ok {
		m.say(m.st.Dim.Render("Rewinding is not available here."))
		return nil
	}
	points, err := r.RewindPoints()
	if err != nil {
		m.say(m.st.Bad.Render("Cannot rewind: " + err.Error()))
		return nil
	}
	if len(points) == 0 {
		m.say("Nothing to rewind to yet.")
		return nil
	}
	items := make([]picker.Item, 0, len(points))
	byID := map[string]RewindPoint{}
	for i := len(points) - 1; i >= 0; i-- { // the latest first, as the one most often wanted
		p := points[i]
		byID[p.ID] = p
		label := look.FirstLine(promptText(p.Content))
		if label == "" {
			label = "(no text)"
		}
		items = append(items, picker.Item{Label: label, Value: p.ID,
			Detail: age(m.now().Sub(p.Time)) + " · " + codeSummary(p)})
	}
	title := "Rewind: restore the code and/or conversation to the point before…"
	if off := points[0].Off; off != "" {
		title = "Rewind: restore the conversation to the point before… (" + off + ")"
	}
	m.pick(title, items, func(id string) tea.Cmd { return m.confirmRewind(r, byID[id]) })
	return nil
}

// codeSummary says what restoring the code to before p would do.
func codeSummary(p RewindPoint) string {
	switch {
	case !p.Checkpoint:
		return "no code restore"
	case len(p.Files) == 0:
		return "no code changes"
	case len(p.Files) == 1:
		return fmt.Sprintf("%s +%d -%d", filepath.Base(p.Files[0]), p.Insertions, p.Deletions)
	}
	return fmt.Sprintf("%d files changed +%d -%d", len(p.Files), p.Insertions, p.Deletions)
}

// confirmRewind asks what to restore to before p.
func (m *Model) confirmRewind(r Rewinder, p RewindPoint) tea.Cmd {
	code := p.Checkpoint && len(p.Files) > 0
	var items []picker.Item
	if code {
		items = append(items,
			picker.Item{Label: "Restore code and conversation", Value: "both", Detail: codeSummary(p)},
			picker.Item{Label: "Restore conversation", Value: "conversation", Detail: "the code stays as it is"},
			picker.Item{Label: "Restore code", Value: "code", Detail: "the conversation stays as it is"})
	} else {
		items = append(items, picker.Item{Label: "Restore conversation", Value: "conversation", Detail: "the code has nothing to restore"})
	}
	items = append(items, picker.Item{Label: "Never mind", Value: "never"})
	prompt := look.FirstLine(promptText(p.Content))
	if code {
		note := "Restoring the code puts the files strata's file tools changed back as they were then. " + bashNote
		if len(p.Skipped) > 0 {
			note += " Not saved, so left as they are: " + strings.Join(p.Skipped, ", ") + "."
		}
		m.say(m.st.Dim.Render(note))
	}
	title := "Restore to the point before you sent “" + shorten(prompt, 40) + "”?"
	m.pick(title, items, func(choice string) tea.Cmd {
		if choice == "never" {
			return nil
		}
		return m.rewind(r, p, choice != "conversation", choice != "code")
	})
	return nil
}

// rewind restores what was chosen and puts the prompt back in the input box when the
// conversation went back to before it.
func (m *Model) rewind(r Rewinder, p RewindPoint, code, conversation bool) tea.Cmd {
	if m.work.running() {
		m.say(m.st.Dim.Render("/rewind waits for the turn to finish (Esc interrupts it)"))
		return nil
	}
	res, err := r.Rewind(p.ID, code, conversation)
	var out []string
	if code {
		switch n := len(res.Files); {
		case n == 0 && err == nil:
			out = append(out, "The files were already as they were then.")
		case n > 0:
			names := make([]string, n)
			for i, f := range res.Files {
				names[i] = m.relative(f)
			}
			out = append(out, "Restored "+look.Plural(n, "file")+": "+strings.Join(names, ", "))
		}
		out = append(out, m.st.Dim.Render(bashNote))
	}
	if err != nil {
		out = append(out, m.st.Bad.Render("Rewind: "+err.Error()))
	}
	if res.Conversation {
		m.extra = nil
		m.transcript.Forget()
		m.input.SetValue(promptText(p.Content))
		out = append(out, "Rewound the conversation to before “"+shorten(look.FirstLine(promptText(p.Content)), 40)+
			"”; that prompt is back in the input to edit and send.")
	}
	m.say(out...)
	return nil
}

// relative shows a path under the working directory without it.
func (m *Model) relative(p string) string {
	if rel, err := filepath.Rel(m.opts.Cwd, p); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return p
}

// promptText is what the user typed of a prompt: its text blocks without what strata added
// (memory files, attached files, notes).
func promptText(blocks []llm.ContentBlock) string {
	var parts []string
	for _, b := range blocks {
		if b.Type == llm.TypeText && transcript.IsPrompt(b.Text) {
			parts = append(parts, strings.TrimSpace(b.Text))
		}
	}
	return strings.Join(parts, "\n")
}

// shorten cuts s to at most n characters, marking the cut.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

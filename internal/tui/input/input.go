// Package input is the part of the terminal UI where the user writes: the input box (a
// textarea that grows to a few lines), the project's prompt history behind Up and Down, and
// the keys that belong to writing a prompt — Enter sends, a backslash or Shift+Enter goes to
// a new line, Ctrl-C clears, Ctrl-C twice or Ctrl-D on an empty line leaves.
//
// It is a package of its own so that the text being written, the history position and the
// draft put aside while a dialog borrows the box have one owner.
package input

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// CtrlCWindow is how soon a second Ctrl-C must follow the first to exit.
const CtrlCWindow = 2 * time.Second

// Placeholder is what the empty input box says.
const Placeholder = "Ask strata to do something · /help for commands"

// Input is the input box and its history. Its methods run on the UI's goroutine only.
type Input struct {
	ta      textarea.Model
	history *history
	now     func() time.Time
	ctrlCAt time.Time // the first Ctrl-C of a possible pair

	aside bool   // the box is lent out (a dialog's reason); draft waits
	draft string // what was written before the box was lent out
}

// New returns an empty input box width columns wide, with the history kept in historyPath
// ("" keeps none).
func New(width int, historyPath string, now func() time.Time) *Input {
	return &Input{ta: newTextarea(width), history: loadHistory(historyPath), now: now}
}

func newTextarea(width int) textarea.Model {
	ta := textarea.New()
	ta.ShowLineNumbers = false
	ta.Placeholder = Placeholder
	ta.SetPromptFunc(2, func(info textarea.PromptInfo) string {
		if info.LineNumber == 0 {
			return "> "
		}
		return "  "
	})
	ta.DynamicHeight = true
	ta.MinHeight = 1
	ta.MaxHeight = 8
	ta.CharLimit = 0
	ta.KeyMap.InsertNewline = key.NewBinding(key.WithKeys("shift+enter", "ctrl+j", "alt+enter"))
	ta.KeyMap.DeleteCharacterForward = key.NewBinding(key.WithKeys("delete"))
	s := textarea.DefaultDarkStyles()
	plain := lipgloss.NewStyle()
	s.Focused.CursorLine, s.Focused.Base, s.Focused.Text, s.Focused.Prompt = plain, plain, plain, plain
	s.Focused.Placeholder = lipgloss.NewStyle().Faint(true)
	s.Blurred = s.Focused
	ta.SetStyles(s)
	ta.SetVirtualCursor(false)
	ta.SetWidth(width)
	ta.Focus()
	return ta
}

// Value is the text in the box.
func (in *Input) Value() string { return in.ta.Value() }

// SetValue replaces the text in the box; the cursor goes to its end.
func (in *Input) SetValue(s string) { in.ta.SetValue(s) }

// Reset empties the box.
func (in *Input) Reset() { in.ta.Reset() }

// AtEnd reports whether the cursor is at the very end of the text.
func (in *Input) AtEnd() bool {
	value := in.ta.Value()
	lastLine := value[strings.LastIndexByte(value, '\n')+1:]
	return in.ta.Line() == in.ta.LineCount()-1 && in.ta.Column() == len([]rune(lastLine))
}

// SetWidth follows the terminal's width.
func (in *Input) SetWidth(width int) { in.ta.SetWidth(width) }

// Remember adds an entry sent to the history and ends browsing it.
func (in *Input) Remember(text string) { in.history.add(text) }

// Update hands a message the box understands (a paste, a key) to the textarea.
func (in *Input) Update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	in.ta, cmd = in.ta.Update(msg)
	return cmd
}

// Lend empties the box for something else to be typed in it (a dialog's reason), with its
// own placeholder; Return brings the draft back.
func (in *Input) Lend(placeholder string) {
	if in.aside {
		return
	}
	in.aside, in.draft = true, in.ta.Value()
	in.ta.Reset()
	in.ta.Placeholder = placeholder
}

// Return ends a Lend: the draft is back in the box.
func (in *Input) Return() {
	if !in.aside {
		return
	}
	in.aside = false
	in.ta.Reset()
	in.ta.InsertString(in.draft)
	in.ta.Placeholder = Placeholder
	in.draft = ""
}

// View draws the box between two rules; the cursor is relative to the first line drawn.
func (in *Input) View(rule string) (string, *tea.Cursor) {
	c := in.ta.Cursor()
	if c != nil {
		c.Y++ // below the rule
	}
	return rule + "\n" + in.ta.View() + "\n" + rule, c
}

package input

import (
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
)

// Action is what a key asks of the rest of the UI.
type Action int

const (
	None   Action = iota // the key was handled in the box
	Submit               // Enter: the text returned is sent
	Quit                 // Ctrl-C twice, or Ctrl-D on an empty line
	Armed                // a first Ctrl-C: the footer says to press it again, for CtrlCWindow
)

// Key handles a key meant for the prompt. Keys that control the rest of strata (Esc,
// Shift+Tab, Ctrl-O, Ctrl-C while a turn runs) are the caller's; so is completion.
func (in *Input) Key(k tea.KeyPressMsg) (Action, string, tea.Cmd) {
	name := k.String()
	switch name {
	case "ctrl+c":
		return in.ctrlC(), "", nil
	case "ctrl+d":
		if in.ta.Value() == "" {
			return Quit, "", nil
		}
	case "enter":
		return in.enter()
	case "up", "down":
		if in.browse(name == "up") {
			return None, "", nil
		}
	}
	return None, "", in.Update(k)
}

// ctrlC clears the box, or — pressed twice — exits.
func (in *Input) ctrlC() Action {
	switch {
	case in.ta.Value() != "":
		in.ta.Reset()
	case in.armed():
		return Quit
	default:
		in.ctrlCAt = in.now()
		return Armed
	}
	return None
}

// Disarm ends a Ctrl-C pair: any key but Ctrl-C does, wherever it goes.
func (in *Input) Disarm() { in.ctrlCAt = time.Time{} }

func (in *Input) armed() bool {
	return !in.ctrlCAt.IsZero() && in.now().Sub(in.ctrlCAt) < CtrlCWindow
}

// Hint is what the footer should say instead of its usual line: "" unless a first Ctrl-C
// waits for its second.
func (in *Input) Hint() string {
	if in.armed() {
		return "Press Ctrl-C again to exit"
	}
	return ""
}

// enter sends the text, or continues a line ending in a backslash.
func (in *Input) enter() (Action, string, tea.Cmd) {
	value := in.ta.Value()
	if strings.HasSuffix(value, "\\") && in.ta.Line() == in.ta.LineCount()-1 {
		in.ta.SetValue(strings.TrimSuffix(value, "\\") + "\n")
		return None, "", nil
	}
	in.ta.Reset()
	return Submit, value, nil
}

// browse moves through earlier inputs when the cursor is on the first (up) or last (down)
// line; it reports whether it did.
func (in *Input) browse(up bool) bool {
	if up && in.ta.Line() != 0 || !up && in.ta.Line() != in.ta.LineCount()-1 {
		return false
	}
	text, ok := in.history.step(up, in.ta.Value())
	if !ok {
		return false
	}
	in.ta.SetValue(text)
	return true
}

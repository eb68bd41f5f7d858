package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-agent/strata/internal/tui/complete"
	"github.com/strata-agent/strata/internal/tui/dialog"
	"github.com/strata-agent/strata/internal/tui/input"
	"github.com/strata-agent/strata/internal/tui/picker"
)

// reasonPlaceholder is what the input box says while it takes the reason for a "no".
const reasonPlaceholder = "Why not, or what instead? (optional) · Enter sends · Esc just says no"

// handleKey routes a key press: to the permission dialog when one is shown, to completion
// when candidates are on offer, to the keys that control strata, and otherwise to the input.
func (m *Model) handleKey(k tea.KeyPressMsg) tea.Cmd {
	if k.String() != "ctrl+c" {
		m.input.Disarm()
	}
	m.dialog.Typed()
	m.questions().Typed()
	switch {
	case m.dialog.AskingReason():
		return m.reasonKey(k)
	case m.dialog.Open():
		m.dialogKey(k)
		return nil
	case m.questionOpen():
		return m.questionKey(k)
	case m.picker != nil:
		return m.pickerKey(k)
	case m.asking != nil:
		return m.askKey(k)
	case m.complete.Active():
		if cmd, done := m.completionKey(k); done {
			return cmd
		}
	}
	switch k.String() {
	case "esc", "alt+esc": // two Escs read at once arrive as alt+esc
		if !m.work.running() {
			return m.escEmpty(k.String() == "alt+esc")
		}
		m.interrupt()
		return nil
	case "shift+tab":
		m.cycleMode()
		return nil
	case "ctrl+o":
		m.transcript.ShowThinking()
		return nil
	case "ctrl+v":
		return m.pasteClipboardImage()
	case "ctrl+c":
		if m.work.running() {
			m.interrupt()
			return nil
		}
	}
	return m.inputKey(k)
}

// inputKey hands a key to the input box and acts on what it asks for.
func (m *Model) inputKey(k tea.KeyPressMsg) tea.Cmd {
	action, text, cmd := m.input.Key(k)
	switch action {
	case input.Submit:
		m.complete.Close()
		return m.submit(text)
	case input.Quit:
		m.quitting = true
		return nil
	case input.Armed:
		return m.expireHint()
	}
	m.refreshCompletion()
	return cmd
}

// completionKey handles the keys that work on the candidates on offer; done is false for
// the others, which go on to the input box.
func (m *Model) completionKey(k tea.KeyPressMsg) (cmd tea.Cmd, done bool) {
	switch k.String() {
	case "esc":
		m.complete.Close()
	case "up", "down":
		m.complete.Move(k.String() == "down")
	case "tab":
		m.acceptCompletion()
	case "enter":
		if m.complete.Kind() == complete.KindCommand { // Enter runs the command chosen
			m.acceptCompletion()
			text := m.input.Value()
			m.input.Reset()
			return m.submit(text), true
		}
		m.acceptCompletion()
	default:
		return nil, false
	}
	return nil, true
}

// acceptCompletion puts the candidate selected in the input box.
func (m *Model) acceptCompletion() {
	value, more := m.complete.Accept(m.input.Value())
	m.input.SetValue(value)
	if more {
		m.refreshCompletion() // a directory: keep going into it
	}
}

func (m *Model) refreshCompletion() {
	m.complete.Refresh(m.input.Value(), m.input.AtEnd())
}

// dialogKey hands a key to the permission dialog and acts on its outcome.
func (m *Model) dialogKey(k tea.KeyPressMsg) {
	outcome, note := m.dialog.Key(k.String())
	switch outcome {
	case dialog.Interrupt:
		m.interrupt()
	case dialog.WantReason:
		m.input.Lend(reasonPlaceholder)
	case dialog.Answered:
		if note != "" {
			m.transcript.Gap()
			m.transcript.Emit(m.st.Dim.Render("  " + note))
		}
	}
}

// reasonKey handles a key while the input box takes the reason for a "no".
func (m *Model) reasonKey(k tea.KeyPressMsg) tea.Cmd {
	switch k.String() {
	case "enter":
		m.dialog.Refuse(m.input.Value())
		m.input.Return()
	case "esc":
		m.dialog.Refuse("")
		m.input.Return()
	case "ctrl+c":
		m.interrupt()
	default:
		return m.input.Update(k)
	}
	return nil
}

// expireHint redraws once the "press Ctrl-C again" hint has run out.
func (m *Model) expireHint() tea.Cmd {
	if !m.live {
		return nil
	}
	return tea.Tick(input.CtrlCWindow, func(time.Time) tea.Msg { return tickMsg{} })
}

// cycleMode moves to the next permission mode and hands it to the session at once: the next
// tool call, even in the running turn, is checked in it.
func (m *Model) cycleMode() {
	modes := m.opts.Modes
	next := modes[0]
	for i, mode := range modes {
		if mode == m.status.Mode() {
			next = modes[(i+1)%len(modes)]
		}
	}
	m.status.SetMode(next)
	if m.host != nil {
		m.host.SetMode(next)
	}
}

// pickerKey hands a key to the picker on show and acts on a choice.
func (m *Model) pickerKey(k tea.KeyPressMsg) tea.Cmd {
	outcome, value := m.picker.Key(k.String(), k.Text)
	switch outcome {
	case picker.Chosen:
		pick := m.onPick
		m.picker, m.onPick = nil, nil
		return pick(value)
	case picker.Closed:
		m.picker, m.onPick = nil, nil
	}
	return nil
}

// pick shows a picker; what is chosen goes to then.
func (m *Model) pick(title string, items []picker.Item, then func(value string) tea.Cmd) {
	m.complete.Close()
	m.picker, m.onPick = picker.New(m.st, title, items), then
}

package tui

import (
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-agent/strata/internal/permission"
)

// ctrlCWindow is how soon a second Ctrl-C must follow the first to exit.
const ctrlCWindow = 2 * time.Second

const inputPlaceholder = "Ask strata to do something · /help for commands"

// handleKey routes a key press: to the permission dialog when one is shown, to the keys that
// control strata, and otherwise to the input box.
func (m *Model) handleKey(k tea.KeyPressMsg) tea.Cmd {
	if len(m.dialogs) > 0 {
		return m.dialogKey(k)
	}
	if k.String() != "ctrl+c" {
		m.ctrlCAt = time.Time{}
	}
	switch k.String() {
	case "ctrl+c":
		return m.ctrlC()
	case "ctrl+d":
		if m.input.Value() == "" {
			m.quitting = true
			return nil
		}
	case "esc":
		switch {
		case m.complete.active():
			m.complete.close()
		case m.busy:
			m.interrupt()
		}
		return nil
	case "shift+tab":
		m.cycleMode()
		return nil
	case "ctrl+o":
		m.showThinking()
		return nil
	case "enter":
		return m.enter()
	case "tab":
		if m.complete.active() {
			m.acceptCompletion()
			return nil
		}
	case "up", "down":
		if m.complete.active() {
			m.complete.move(k.String() == "down")
			return nil
		}
		if m.browseHistory(k.String() == "up") {
			return nil
		}
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(k)
	m.refreshCompletion()
	return cmd
}

// ctrlC interrupts a turn, clears the input, or — pressed twice — exits.
func (m *Model) ctrlC() tea.Cmd {
	switch {
	case m.busy:
		m.interrupt()
	case m.input.Value() != "":
		m.input.Reset()
		m.complete.close()
	case !m.ctrlCAt.IsZero() && m.now().Sub(m.ctrlCAt) < ctrlCWindow:
		m.quitting = true
	default:
		m.ctrlCAt = m.now()
		return m.expireCtrlC()
	}
	return nil
}

// expireCtrlC redraws once the "press again" hint has run out.
func (m *Model) expireCtrlC() tea.Cmd {
	if !m.live {
		return nil
	}
	return tea.Tick(ctrlCWindow, func(time.Time) tea.Msg { return tickMsg{} })
}

// enter sends the input, accepts a completion, or continues a line ending in a backslash.
func (m *Model) enter() tea.Cmd {
	if m.complete.active() {
		m.acceptCompletion()
		return nil
	}
	value := m.input.Value()
	if strings.HasSuffix(value, "\\") && m.input.Line() == m.input.LineCount()-1 {
		m.input.SetValue(strings.TrimSuffix(value, "\\") + "\n")
		return nil
	}
	m.input.Reset()
	m.complete.close()
	return m.submit(value)
}

// browseHistory moves through earlier inputs when the cursor is on the first (up) or last
// (down) line; it reports whether it did.
func (m *Model) browseHistory(up bool) bool {
	if up && m.input.Line() != 0 || !up && m.input.Line() != m.input.LineCount()-1 {
		return false
	}
	text, ok := m.history.step(up, m.input.Value())
	if !ok {
		return false
	}
	m.input.SetValue(text)
	return true
}

// cycleMode moves to the next permission mode and tells the session.
func (m *Model) cycleMode() {
	next := m.opts.Modes[0]
	for i, mode := range m.opts.Modes {
		if mode == m.mode {
			next = m.opts.Modes[(i+1)%len(m.opts.Modes)]
		}
	}
	m.setMode(next)
}

// setMode shows the new mode and hands it to the session at once: the next tool call, even
// in the running turn, is checked in it.
func (m *Model) setMode(mode permission.Mode) {
	m.mode = mode
	if m.opts.Host != nil {
		m.opts.Host.SetMode(mode)
	}
}

// showThinking prints the latest thinking in full (it is collapsed by default).
func (m *Model) showThinking() {
	m.gap()
	if m.thinking == "" {
		m.emit(m.st.dim.Render("No thinking to show yet."))
		return
	}
	m.emit(paintLines(m.st.dim, prefixLines("✻ ", "  ", m.thinking)))
}

package tui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
)

// View draws the live area from the parts: what is still changing of the turn, the status
// line, the permission dialog or the input box, completions and the footer. Everything
// finished has been printed above it.
func (m *Model) View() tea.View {
	if m.quitting {
		return tea.NewView("") // leave the scrollback, not a stale input box, behind
	}
	var parts []string
	if live := m.transcript.View(); live != "" {
		parts = append(parts, live)
	}
	if s := m.status.View(m.dialog.Open(), m.width); s != "" {
		parts = append(parts, s)
	}
	var cursor *tea.Cursor
	var below []string // what goes under the dialog, if one is shown
	if !m.dialog.Open() || m.dialog.AskingReason() {
		box, c := m.input.View(m.st.Rule.Render(strings.Repeat("─", m.width)))
		below = append(below, box)
		if c != nil {
			cursor = c
		}
		if m.complete.Active() {
			below = append(below, m.complete.View(m.width))
		}
	}
	if m.dialog.Open() {
		// The dialog gets the room the rest leaves (the footer is one line): a view taller
		// than the terminal would lose its top, where the command is.
		room := m.height - lineCount(parts) - lineCount(below) - 1
		parts = append(parts, m.dialog.View(m.width, room))
	}
	if cursor != nil {
		cursor.Y += lineCount(parts)
	}
	parts = append(parts, below...)
	parts = append(parts, m.status.Footer(m.input.Hint(), m.width))
	v := tea.NewView(strings.Join(parts, "\n"))
	v.Cursor = cursor
	return v
}

func lineCount(parts []string) int {
	n := 0
	for _, p := range parts {
		n += strings.Count(p, "\n") + 1
	}
	return n
}

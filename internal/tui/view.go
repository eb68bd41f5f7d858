package tui

import (
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
)

// View draws the live area from the parts: what is still changing of the turn, the status
// line, the permission dialog or the input box, completions and the footer. Everything
// finished has been printed above it.
func (m *Model) View() tea.View {
	if m.quitting || !m.sized {
		return tea.NewView("") // leave the scrollback, not a stale input box, behind
	}
	lines, cursor := m.frame()
	m.noteDrawn(len(lines))
	v := tea.NewView(strings.Join(lines, "\n"))
	v.Cursor = cursor
	return v
}

// frame is the live area line by line, never taller than the terminal, and where the cursor
// goes in it.
func (m *Model) frame() ([]string, *tea.Cursor) {
	var parts []string
	if live := m.transcript.View(); live != "" {
		parts = append(parts, live)
	}
	if s := m.status.View(m.dialog.Open(), m.width); s != "" {
		parts = append(parts, s)
	}
	var cursor *tea.Cursor
	var below []string // what goes under the dialog, if one is shown
	if m.questionOpen() {
		below = append(below, m.questionView(m.height-lineCount(parts)-1))
	} else if m.picker != nil && !m.dialog.Open() {
		room := m.height - lineCount(parts) - 1
		below = append(below, m.picker.View(m.width, room))
	} else if !m.dialog.Open() || m.dialog.AskingReason() {
		box, c := m.input.View(m.st.Rule.Render(strings.Repeat("─", m.width)))
		below = append(below, box)
		if c != nil {
			cursor = c
		}
		if m.complete.Active() {
			// The list gets the rows the rest leaves (the footer is one line).
			rows := m.height - lineCount(parts) - lineCount(below) - 1
			below = append(below, m.complete.View(m.width, rows))
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
	lines := strings.Split(strings.Join(parts, "\n"), "\n")
	if over := len(lines) - m.height; over > 0 {
		// Taller than the terminal: the renderer would cut the bottom, where the input box and
		// the footer are; the top (the oldest of the live output) goes instead.
		lines = lines[over:]
		if cursor != nil {
			cursor.Y -= over
		}
	}
	return lines, cursor
}

// frameWindow is how far back a frame may still be on the screen: the renderer draws the
// latest view at its own pace (60 times a second), so the screen can lag several views
// behind the model.
const frameWindow = 200 * time.Millisecond

// drawnFrame is the height of a view handed to the renderer, and when.
type drawnFrame struct {
	at    time.Time
	lines int
}

// noteDrawn keeps the heights of the frames that may be on the screen: those of the last
// frameWindow and the one before them.
func (m *Model) noteDrawn(lines int) {
	now := m.now()
	m.drawn = append(m.drawn, drawnFrame{now, lines})
	i := 0
	for i < len(m.drawn)-1 && now.Sub(m.drawn[i+1].at) > frameWindow {
		i++
	}
	m.drawn = m.drawn[i:]
}

// printRoom is how many rows a print may take without pushing the live area off the screen:
// what the tallest of the frames that may be on the screen and the next one leave free.
func (m *Model) printRoom() int {
	tallest := 0
	for _, f := range m.drawn {
		tallest = max(tallest, f.lines)
	}
	if !m.quitting {
		lines, _ := m.frame()
		tallest = max(tallest, len(lines))
	}
	return m.height - tallest
}

func lineCount(parts []string) int {
	n := 0
	for _, p := range parts {
		n += strings.Count(p, "\n") + 1
	}
	return n
}

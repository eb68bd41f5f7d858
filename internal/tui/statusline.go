package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// statusLineDelay is how long the UI waits after the conversation changes before running
// the statusLine command again: the reference's debounce, so a burst of messages runs it once.
const statusLineDelay = 300 * time.Millisecond

// statusLineState is the user's status line: which request is the latest, and whether the
// host has one at all.
type statusLineState struct {
	seq   int           // the latest refresh asked for; older answers are dropped
	off   bool          // the host has no status line: stop asking
	delay time.Duration // statusLineDelay; tests shorten it
}

// statusDueMsg says a debounced refresh is due; statusLineMsg carries the command's line.
type (
	statusDueMsg  struct{ seq int }
	statusLineMsg struct {
		seq  int
		line string
		ok   bool
		err  error
	}
)

// refreshStatusLine asks for the line again after the debounce delay; a newer request
// supersedes the ones still waiting.
func (m *Model) refreshStatusLine() tea.Cmd {
	if m.host == nil || m.statusLine.off {
		return nil
	}
	m.statusLine.seq++
	seq := m.statusLine.seq
	return tea.Tick(m.statusLine.delay, func(time.Time) tea.Msg { return statusDueMsg{seq} })
}

// statusLineNow runs the command at once (at start).
func (m *Model) statusLineNow() tea.Cmd {
	if m.host == nil {
		return nil
	}
	m.statusLine.seq++
	return m.onStatusDue(statusDueMsg{m.statusLine.seq})
}

func (m *Model) onStatusDue(msg statusDueMsg) tea.Cmd {
	if msg.seq != m.statusLine.seq || m.statusLine.off {
		return nil
	}
	host, ctx := m.host, m.ctx
	return func() tea.Msg {
		line, ok, err := host.StatusLine(ctx)
		return statusLineMsg{seq: msg.seq, line: line, ok: ok, err: err}
	}
}

// onStatusLine shows the line. A failing command shows strata's own footer, as the
// reference shows nothing of a failing script.
func (m *Model) onStatusLine(msg statusLineMsg) {
	switch {
	case !msg.ok:
		m.statusLine.off = true
		m.status.SetCustom("")
	case msg.seq != m.statusLine.seq:
	case msg.err != nil:
		m.status.SetCustom("")
	default:
		m.status.SetCustom(msg.line)
	}
}

package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tui/dialog"
	"github.com/strata-agent/strata/internal/tui/question"
)

// questions is the part that answers AskUserQuestion and ExitPlanMode, made when the first
// such request arrives.
func (m *Model) questions() *question.Queue {
	if m.question == nil {
		m.question = question.New(m.st, m.opts.DialogGrace, m.now, m.switchMode)
	}
	return m.question
}

// questionOpen reports whether a question form is on show (a permission dialog goes first).
func (m *Model) questionOpen() bool {
	return m.question != nil && m.question.Open() && !m.dialog.Open()
}

// pushAsk routes a request from the agent: the model's questions to the question part,
// every other request to the permission dialog. An ExitPlanMode plan is printed in full in
// the scrollback, where it can be read at any length; the form asks about it below.
func (m *Model) pushAsk(a dialog.Ask) {
	if !question.Handles(a.Request.Call.Tool) {
		m.dialog.Push(a)
		return
	}
	if plan := m.questions().Push(question.Ask{Request: a.Request, Reply: a.Reply}); plan != "" {
		m.transcript.Gap()
		m.transcript.Emit(m.st.Accent.Render("● Here is the plan:"))
		m.transcript.Markdown(plan)
	}
}

// questionKey hands a key to the form on show.
func (m *Model) questionKey(k tea.KeyPressMsg) tea.Cmd {
	if m.question.Key(k.String(), k.Text) == question.Interrupt {
		if m.work.running() {
			m.interrupt()
		} else { // a form of the UI's own (/setup-bedrock): Esc cancels it
			m.question.DropAll("cancelled")
		}
	}
	return m.localAnswered()
}

// switchMode sets the permission mode from inside the UI (an approved plan), as Shift+Tab does.
func (m *Model) switchMode(mode permission.Mode) {
	m.status.SetMode(mode)
	if m.host != nil {
		m.host.SetMode(mode)
	}
}

// questionView draws the form on show in the room left.
func (m *Model) questionView(room int) string { return m.question.View(m.width, room) }

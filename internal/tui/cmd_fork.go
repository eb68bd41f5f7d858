package tui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
)

// cmdFork is /fork [NAME]: the conversation is copied into a new session, as --fork-session
// does, and continues there; the old session stays as it was and can be resumed.
func (m *Model) cmdFork(name string) tea.Cmd {
	forker, ok := m.host.(sessionForker)
	if !ok {
		m.say(m.st.Bad.Render("/fork is not available here"))
		return nil
	}
	old := m.sessID
	sess, id, err := forker.ForkSession(strings.TrimSpace(name))
	if err != nil {
		m.say(m.st.Bad.Render("Not forked: " + err.Error()))
		return nil
	}
	m.useSession(sess, id) // the host carried the conversation's cost over
	m.say("Forked the conversation into session "+m.st.Bold.Render(id)+"; it continues here.",
		m.st.Dim.Render("The original is unchanged: strata -r "+old+" (or /resume) goes back to it."))
	return nil
}

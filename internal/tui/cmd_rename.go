package tui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
)

// cmdRename is /rename NAME: the conversation gets a title, written into its transcript as
// the reference writes it, so both tools' /resume lists show it. Without NAME it asks.
func (m *Model) cmdRename(name string) tea.Cmd {
	namer, ok := m.host.(sessionNamer)
	if !ok {
		m.say(m.st.Bad.Render("/rename is not available here"))
		return nil
	}
	name = strings.Join(strings.Fields(name), " ")
	if name == "" {
		m.ask("Name for this conversation", func(answer string) tea.Cmd { return m.cmdRename(answer) })
		return nil
	}
	if err := namer.RenameSession(name); err != nil {
		m.say(m.st.Bad.Render("Not renamed: " + err.Error()))
		return nil
	}
	m.say("Session renamed to " + m.st.Bold.Render(name) + m.st.Dim.Render(" · /resume lists it by this name"))
	return nil
}

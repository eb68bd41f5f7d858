package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/strata-agent/strata/internal/tui/picker"
)

// cmdAddDir is /add-dir PATH: after checking the directory exists, the user chooses to add
// it for this session, to add it and remember it in the local settings, or not to.
func (m *Model) cmdAddDir(path string) tea.Cmd {
	adder, ok := m.host.(dirAdder)
	if !ok {
		m.say(m.st.Bad.Render("/add-dir is not available here"))
		return nil
	}
	if path == "" {
		m.ask("Directory to add as a working directory", func(answer string) tea.Cmd { return m.cmdAddDir(answer) })
		return nil
	}
	abs, err := adder.CheckDir(path)
	if err != nil {
		m.say(m.st.Bad.Render(err.Error()))
		return nil
	}
	items := []picker.Item{
		{Label: "Yes, for this session", Value: "session"},
		{Label: "Yes, and remember this directory", Value: "remember", Detail: "in .claude/settings.local.json"},
		{Label: "No", Value: "no"},
	}
	m.pick("Add "+abs+" as a working directory? Tools may then read (and, when allowed, edit) files in it", items,
		func(choice string) tea.Cmd {
			if choice == "no" {
				m.say("Did not add " + m.st.Bold.Render(abs) + " as a working directory.")
				return nil
			}
			text, err := adder.AddDir(abs, choice == "remember")
			if err != nil {
				m.say(m.st.Bad.Render(err.Error()))
				return nil
			}
			m.say(text + m.st.Dim.Render(" · /permissions shows the working directories"))
			return nil
		})
	return nil
}

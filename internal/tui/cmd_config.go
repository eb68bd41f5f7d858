package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/strata-agent/strata/internal/tui/picker"
)

// cmdConfig is /config: the main settings with their values; choosing one offers the values
// it may take (a true/false one flips), and the choice is written to the user settings.
func (m *Model) cmdConfig(string) tea.Cmd {
	ed, ok := m.host.(configEditor)
	if !ok {
		m.say(m.st.Bad.Render("/config is not available here"))
		return nil
	}
	all := ed.ConfigItems()
	items := make([]picker.Item, 0, len(all))
	for _, it := range all {
		items = append(items, picker.Item{Label: it.Label + ": " + it.Value, Detail: it.Key + " · " + it.Note, Value: it.Key})
	}
	m.pick("Settings (changes go to your user settings)", items, func(key string) tea.Cmd {
		for _, it := range all {
			if it.Key == key {
				return m.pickConfigValue(ed, it)
			}
		}
		return nil
	})
	return nil
}

// pickConfigValue offers the values of one setting, or flips a true/false one.
func (m *Model) pickConfigValue(ed configEditor, it ConfigItem) tea.Cmd {
	set := func(value string) tea.Cmd {
		text, err := ed.SetConfig(it.Key, value)
		if err != nil {
			m.say(m.st.Bad.Render("Not changed: " + err.Error()))
			return nil
		}
		m.say(text)
		return nil
	}
	switch {
	case len(it.Choices) == 0:
		m.say(m.st.Dim.Render(it.Label + " is " + it.Value + "; change it in the settings file"))
		return nil
	case len(it.Choices) == 2 && it.Choices[0] == "true" && it.Choices[1] == "false":
		if it.Value == "true" {
			return set("false")
		}
		return set("true")
	}
	items := make([]picker.Item, 0, len(it.Choices))
	for _, c := range it.Choices {
		items = append(items, picker.Item{Label: c, Value: c, Current: c == it.Value})
	}
	m.pick(it.Label+" ("+it.Key+")", items, set)
	return nil
}

package tui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
)

// asking is a question the input box takes the answer to (a rule to add in /permissions):
// the box is lent with the question as its placeholder, Enter hands the text to then, Esc
// drops the question.
type asking struct {
	then func(answer string) tea.Cmd
}

// ask lends the input box for an answer to question.
func (m *Model) ask(question string, then func(answer string) tea.Cmd) {
	m.complete.Close()
	m.input.Lend(question + " · Enter · Esc cancels")
	m.asking = &asking{then: then}
}

// askKey handles a key while the input box takes an answer.
func (m *Model) askKey(k tea.KeyPressMsg) tea.Cmd {
	switch k.String() {
	case "enter":
		text := strings.TrimSpace(m.input.Value())
		then := m.asking.then
		m.asking = nil
		m.input.Return()
		if text == "" {
			m.say(m.st.Dim.Render("Nothing entered; nothing changed."))
			return nil
		}
		return then(text)
	case "esc", "ctrl+c":
		m.asking = nil
		m.input.Return()
		m.say(m.st.Dim.Render("Cancelled; nothing changed."))
		return nil
	}
	return m.input.Update(k)
}

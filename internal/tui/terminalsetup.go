package tui

import (
	tea "charm.land/bubbletea/v2"
)

// TerminalNamer is an optional Host method: the terminal program strata runs in
// (TERM_PROGRAM, or the terminal's own marker variables), "" when unknown.
type TerminalNamer interface {
	TerminalProgram() string
}

// nativeShiftEnter are terminals that report Shift+Enter as such (the kitty keyboard
// protocol or an equivalent), by TERM_PROGRAM.
var nativeShiftEnter = map[string]string{"ghostty": "Ghostty", "kitty": "kitty", "WezTerm": "WezTerm",
	"WarpTerminal": "Warp", "windows-terminal": "Windows Terminal", "foot": "foot", "iTerm.app": "iTerm2"}

// cmdTerminalSetup says how to start a new line in the input box in this terminal. strata
// needs no key binding installed: Alt+Enter and Ctrl+J work everywhere, Shift+Enter where
// the terminal reports it; for the terminals that do not, it says what to bind.
func (m *Model) cmdTerminalSetup(string) tea.Cmd {
	term := ""
	if t, ok := m.host.(TerminalNamer); ok {
		term = t.TerminalProgram()
	}
	out := []string{m.st.Bold.Render("New lines in the input box"),
		"  Ctrl+J and Alt+Enter start a new line in every terminal; so does \\ at the end of a line, then Enter."}
	switch name, native := nativeShiftEnter[term]; {
	case native:
		out = append(out, "  Shift+Enter works as it is in "+name+": strata asks the terminal to report it. Nothing to install.")
	case term == "vscode":
		out = append(out, "  VS Code's terminal does not tell Shift+Enter apart. To use it, add to keybindings.json:",
			`    {"key": "shift+enter", "command": "workbench.action.terminal.sendSequence",`,
			`     "args": {"text": "\u001b\r"}, "when": "terminalFocus"}`,
			m.st.Dim.Render("  (it sends Alt+Enter, which strata reads as a new line)"))
	case term == "Apple_Terminal":
		out = append(out, "  Terminal.app does not report Shift+Enter. Tick Settings → Profiles → Keyboard → "+
			"\"Use Option as Meta key\" and use Option+Enter.")
	default:
		label := term
		if label == "" {
			label = "this terminal"
		}
		out = append(out, "  Shift+Enter works where the terminal reports it (kitty's keyboard protocol: Ghostty, kitty, "+
			"WezTerm, foot, iTerm2, Windows Terminal). If it sends a plain Enter in "+label+", bind it to send Esc then "+
			"Enter (Alt+Enter) in the terminal's settings.")
	}
	m.say(out...)
	return nil
}

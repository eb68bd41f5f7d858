package cli

// TerminalProgram names the terminal strata runs in, for /terminal-setup
// (tui.TerminalNamer): TERM_PROGRAM, else the markers of terminals that do not set it.
func (h *host) TerminalProgram() string {
	get := h.a.env.Getenv
	switch {
	case get("TERM_PROGRAM") != "":
		return get("TERM_PROGRAM")
	case get("KITTY_WINDOW_ID") != "":
		return "kitty"
	case get("WT_SESSION") != "":
		return "windows-terminal"
	case get("TERM") == "foot":
		return "foot"
	}
	return ""
}

package tui

import "charm.land/lipgloss/v2"

// styles are the UI's colours, in the 16 ANSI colours so they follow the terminal's theme.
type styles struct {
	dim, bold, italic, code, heading, quote lipgloss.Style
	user, accent, tool, ok, bad, warn       lipgloss.Style
	added, removed, hunk, selected, strike  lipgloss.Style
	rule                                    lipgloss.Style
}

func newStyles() styles {
	c := lipgloss.Color
	return styles{
		dim:      lipgloss.NewStyle().Faint(true),
		bold:     lipgloss.NewStyle().Bold(true),
		italic:   lipgloss.NewStyle().Italic(true),
		code:     lipgloss.NewStyle().Foreground(c("6")),
		heading:  lipgloss.NewStyle().Bold(true).Foreground(c("4")),
		quote:    lipgloss.NewStyle().Faint(true).Italic(true),
		user:     lipgloss.NewStyle().Foreground(c("8")),
		accent:   lipgloss.NewStyle().Foreground(c("5")).Bold(true),
		tool:     lipgloss.NewStyle().Bold(true),
		ok:       lipgloss.NewStyle().Foreground(c("2")),
		bad:      lipgloss.NewStyle().Foreground(c("1")),
		warn:     lipgloss.NewStyle().Foreground(c("3")),
		added:    lipgloss.NewStyle().Foreground(c("2")),
		removed:  lipgloss.NewStyle().Foreground(c("1")),
		hunk:     lipgloss.NewStyle().Foreground(c("6")),
		selected: lipgloss.NewStyle().Foreground(c("5")).Bold(true),
		strike:   lipgloss.NewStyle().Faint(true).Strikethrough(true),
		rule:     lipgloss.NewStyle().Foreground(c("8")),
	}
}

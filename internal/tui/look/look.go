// Package look is what every part of the terminal UI draws with: the colours, and the helpers
// that make outside text safe and fit it to the terminal (wrapping, indenting, result blocks,
// diffs). It holds no state; each part of the UI keeps its own.
package look

import "charm.land/lipgloss/v2"

// Styles are the UI's colours, in the 16 ANSI colours so they follow the terminal's theme.
type Styles struct {
	Dim, Bold, Italic, Code, Heading, Quote lipgloss.Style
	User, Accent, Tool, OK, Bad, Warn       lipgloss.Style
	Added, Removed, Hunk, Selected, Strike  lipgloss.Style
	Rule                                    lipgloss.Style
}

// NewStyles returns the UI's styles.
func NewStyles() Styles {
	c := lipgloss.Color
	return Styles{
		Dim:      lipgloss.NewStyle().Faint(true),
		Bold:     lipgloss.NewStyle().Bold(true),
		Italic:   lipgloss.NewStyle().Italic(true),
		Code:     lipgloss.NewStyle().Foreground(c("6")),
		Heading:  lipgloss.NewStyle().Bold(true).Foreground(c("4")),
		Quote:    lipgloss.NewStyle().Faint(true).Italic(true),
		User:     lipgloss.NewStyle().Foreground(c("8")),
		Accent:   lipgloss.NewStyle().Foreground(c("5")).Bold(true),
		Tool:     lipgloss.NewStyle().Bold(true),
		OK:       lipgloss.NewStyle().Foreground(c("2")),
		Bad:      lipgloss.NewStyle().Foreground(c("1")),
		Warn:     lipgloss.NewStyle().Foreground(c("3")),
		Added:    lipgloss.NewStyle().Foreground(c("2")),
		Removed:  lipgloss.NewStyle().Foreground(c("1")),
		Hunk:     lipgloss.NewStyle().Foreground(c("6")),
		Selected: lipgloss.NewStyle().Foreground(c("5")).Bold(true),
		Strike:   lipgloss.NewStyle().Faint(true).Strikethrough(true),
		Rule:     lipgloss.NewStyle().Foreground(c("8")),
	}
}

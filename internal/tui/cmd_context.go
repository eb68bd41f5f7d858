package tui

import (
	"fmt"
	"math"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/strata-agent/strata/internal/tui/look"
)

// /context: where the context window goes — each part of a request, the free space and the
// buffer automatic compaction keeps — as a grid of squares beside a legend, like the
// reference's, then what the parts are made of.

// contextRow is one line of the legend and its squares in the grid.
type contextRow struct {
	name   string
	tokens int
	glyph  string // the grid's square: ⛁ a part, ⛶ free, ⛝ the compaction buffer
	style  lipgloss.Style
}

func (m *Model) cmdContext(string) tea.Cmd {
	rep, ok := m.host.(contextReporter)
	if !ok {
		m.say(m.st.Bad.Render("/context is not available here"))
		return nil
	}
	u := rep.ContextUsage()
	if u.Window <= 0 {
		m.say(m.st.Bad.Render("/context: the context window of " + u.Model + " is not known to strata"))
		return nil
	}
	rows, total, measured := contextRows(u, m.status.ContextUsed())
	m.say(m.renderContext(u, rows, total, measured, m.width)...)
	return nil
}

// contextRows lays out the parts. With a measured input (the last request's), the messages
// are what it leaves after the fixed parts, so the total is the measurement.
func contextRows(u ContextUsage, measured int) (rows []contextRow, total int, isMeasured bool) {
	colours := []string{"8", "6", "4", "2", "5", "3"} // system, tools, MCP, agents, memory, skills
	fixed := 0
	for i, p := range u.Parts {
		fixed += p.Tokens
		if p.Tokens > 0 {
			rows = append(rows, contextRow{p.Name, p.Tokens, "⛁", lipgloss.NewStyle().Foreground(lipgloss.Color(colours[i%len(colours)]))})
		}
	}
	messages := u.Messages
	if measured > 0 {
		messages, isMeasured = max(0, measured-fixed), true
	}
	if messages > 0 {
		rows = append(rows, contextRow{"Messages", messages, "⛁", lipgloss.NewStyle().Foreground(lipgloss.Color("13"))})
	}
	total = fixed + messages
	buffer := 0
	if u.CompactAt > 0 && u.CompactAt < u.Window {
		buffer = u.Window - u.CompactAt
	}
	rows = append(rows, contextRow{"Free space", max(0, u.Window-total-buffer), "⛶", lipgloss.NewStyle().Faint(true)})
	if buffer > 0 {
		rows = append(rows, contextRow{"Autocompact buffer", buffer, "⛝", lipgloss.NewStyle().Faint(true)})
	}
	return rows, total, isMeasured
}

// contextGrid fills cols×rows squares: each part at least one square, the free space what
// the others leave, the compaction buffer last.
func contextGrid(rows []contextRow, window, cols, lines int) [][]string {
	n := cols * lines
	var cells []string
	var tail []string
	for _, r := range rows {
		share := float64(r.tokens) / float64(window) * float64(n)
		squares := int(math.Round(share))
		switch r.name {
		case "Free space":
			continue
		case "Autocompact buffer":
			for range max(squares, 1) {
				tail = append(tail, r.style.Render(r.glyph))
			}
			continue
		}
		squares = max(squares, 1)
		for i := range squares {
			glyph := r.glyph
			if i == squares-1 && share-math.Floor(share) > 0 && share-math.Floor(share) < 0.7 && share > 1 {
				glyph = "⛀" // the part fills only part of its last square
			}
			if len(cells) < n {
				cells = append(cells, r.style.Render(glyph))
			}
		}
	}
	free := lipgloss.NewStyle().Faint(true).Render("⛶")
	for len(cells) < n-len(tail) {
		cells = append(cells, free)
	}
	cells = append(cells[:min(len(cells), n-len(tail))], tail...)
	grid := make([][]string, lines)
	for i := range grid {
		grid[i] = cells[i*cols : min((i+1)*cols, len(cells))]
	}
	return grid
}

// renderContext draws the grid with the legend beside it, then the details.
func (m *Model) renderContext(u ContextUsage, rows []contextRow, total int, measured bool, width int) []string {
	cols, lines := 10, 10
	if u.Window >= 1_000_000 {
		cols = 20
	}
	if width < 60 {
		cols, lines = 5, 5
	}
	grid := contextGrid(rows, u.Window, cols, lines)
	legend := []string{
		m.st.Bold.Render("Context usage"),
		fmt.Sprintf("%s · %s/%s tokens (%d%%)", u.Model, tokens(total), tokens(u.Window), total*100/u.Window),
		"",
	}
	for _, r := range rows {
		legend = append(legend, fmt.Sprintf("%s %s: %s tokens (%.1f%%)", r.style.Render(r.glyph), r.name,
			tokens(r.tokens), float64(r.tokens)*100/float64(u.Window)))
	}
	var out []string
	for i := 0; i < max(len(grid), len(legend)); i++ {
		line := strings.Repeat(" ", cols*2)
		if i < len(grid) {
			line = strings.Join(grid[i], " ") + "  " + strings.Repeat(" ", 2*(cols-len(grid[i])))
		}
		if i < len(legend) {
			line += "  " + legend[i]
		}
		out = append(out, ansi.Truncate(line, width, "…"))
	}
	for _, d := range u.Details {
		if len(d.Items) == 0 {
			continue
		}
		out = append(out, "", m.st.Bold.Render(d.Title))
		for _, it := range d.Items {
			out = append(out, ansi.Truncate(fmt.Sprintf("└ %s: %s tokens", look.Visible(it.Name), tokens(it.Tokens)), width, "…"))
		}
	}
	note := "Every part is estimated from its text (about 4 characters a token); no request was made to count them."
	if measured {
		note = "The total is the input Bedrock reported for the last request; the parts are estimated from their " +
			"text (about 4 characters a token) and Messages is what the total leaves."
	}
	return append(out, "", m.st.Dim.Render(note))
}

// tokens is a token count as the legend shows it: 950, 3.1k, 200k, 1M.
func tokens(n int) string {
	switch {
	case n >= 1_000_000 && n%1_000_000 == 0:
		return fmt.Sprintf("%dM", n/1_000_000)
	case n >= 1_000_000:
		return fmt.Sprintf("%.1fM", float64(n)/1_000_000)
	case n >= 10_000:
		return fmt.Sprintf("%dk", (n+500)/1000)
	case n >= 1000:
		return fmt.Sprintf("%.1fk", float64(n)/1000)
	}
	return fmt.Sprint(n)
}

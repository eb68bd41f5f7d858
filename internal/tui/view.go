package tui

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/strata-agent/strata/internal/models"
	"github.com/strata-agent/strata/internal/permission"
)

// spinnerFrames turn once a second at the tick rate.
func spinnerFrames() []string {
	return []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}
}

// View draws the live area: what is still changing of the turn, the status line, the
// permission dialog or the input box, completions and the footer. Everything finished has
// been printed above it.
func (m *Model) View() tea.View {
	if m.quitting {
		return tea.NewView("") // leave the scrollback, not a stale input box, behind
	}
	var parts []string
	if live := m.liveView(); live != "" {
		parts = append(parts, live)
	}
	if s := m.statusLine(); s != "" {
		parts = append(parts, s)
	}
	var cursor *tea.Cursor
	if len(m.dialogs) > 0 && !m.askReason {
		parts = append(parts, m.dialogView())
	} else {
		if len(m.dialogs) > 0 {
			parts = append(parts, m.dialogView())
		}
		rule := m.st.rule.Render(strings.Repeat("─", m.width))
		above := lineCount(parts) + 1
		parts = append(parts, rule, m.input.View(), rule)
		if c := m.input.Cursor(); c != nil {
			c.Y += above
			cursor = c
		}
		if comp := m.completionView(); comp != "" {
			parts = append(parts, comp)
		}
	}
	parts = append(parts, m.footer())
	v := tea.NewView(strings.Join(parts, "\n"))
	v.Cursor = cursor
	return v
}

func lineCount(parts []string) int {
	n := 0
	for _, p := range parts {
		n += strings.Count(p, "\n") + 1
	}
	return n
}

// liveView is the unfinished part of the answer and the tools running, cut to leave room
// for the input.
func (m *Model) liveView() string {
	t := &m.turn
	var out []string
	if strings.TrimSpace(t.pending) != "" {
		out = append(out, strings.Split(m.md.render(t.pending, m.width-2), "\n")...)
	}
	switch t.blockType {
	case "thinking":
		out = append(out, m.st.dim.Render(fmt.Sprintf("✻ Thinking… (%d words)", len(strings.Fields(t.thinking.String())))))
	case "tool_use":
		out = append(out, m.st.dim.Render("● "+t.toolName+"(…)"))
	}
	for _, lt := range t.tools {
		out = append(out, m.spinner(lt.started)+" "+m.st.tool.Render(ansi.Truncate(lt.line, m.width-4, "…"))+
			m.st.dim.Render(" "+elapsed(m.now().Sub(lt.started))))
	}
	room := max(m.height-8, 3)
	if len(out) > room {
		out = out[len(out)-room:]
	}
	return strings.Join(out, "\n")
}

func (m *Model) spinner(since time.Time) string {
	frames := spinnerFrames()
	i := int(m.now().Sub(since)/tickInterval) % len(frames)
	return m.st.accent.Render(frames[max(i, 0)])
}

func elapsed(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%ds", int(d.Seconds()))
	}
	return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
}

// statusLine shows work in progress: the spinner, what it is doing or waiting for (a retry,
// a credential refresh), elapsed time and tokens.
func (m *Model) statusLine() string {
	if !m.busy {
		return ""
	}
	what := m.busyLabel + "…"
	switch {
	case len(m.dialogs) > 0:
		what = "Waiting for your answer…"
	case m.status != "":
		what = m.status
	}
	facts := []string{elapsed(m.now().Sub(m.started))}
	t := &m.turn
	if in := t.turnIn + t.inTokens; in > 0 {
		facts = append(facts, "↑ "+shortCount(in))
	}
	if out := t.turnOut + t.outTokens; out > 0 {
		facts = append(facts, "↓ "+shortCount(out)+" tokens")
	}
	facts = append(facts, "esc to interrupt")
	line := m.spinner(m.started) + " " + m.st.accent.Render(what) + m.st.dim.Render(" ("+strings.Join(facts, " · ")+")")
	return ansi.Truncate(line, m.width, "…")
}

// footer shows the model, the permission mode and the cost, or what a key press means.
func (m *Model) footer() string {
	if !m.ctrlCAt.IsZero() && m.now().Sub(m.ctrlCAt) < ctrlCWindow {
		return m.st.warn.Render("Press Ctrl-C again to exit")
	}
	model := "(no model)"
	if m.sess != nil {
		model = displayModel(m.currentModel())
	}
	usd, known := m.usage.total()
	cost := fmt.Sprintf("$%.4f estimated", usd)
	if !known {
		cost += " (some prices unknown)"
	}
	mode := modeLabel(m.mode) + m.st.dim.Render(" (shift+tab)")
	parts := []string{model, mode, cost}
	return ansi.Truncate(m.st.dim.Render("  ")+strings.Join(parts, m.st.dim.Render(" · ")), m.width, "…")
}

// currentModel is the session's model; while a turn runs it is the one the turn started with
// (the session may not be asked then).
func (m *Model) currentModel() string {
	if m.modelName == "" {
		m.modelName = m.sess.Model()
	}
	return m.modelName
}

// displayModel names a model for the footer: the catalog's name when it knows the ID.
func displayModel(id string) string {
	if md, ok := models.Lookup(id); ok {
		return md.Name
	}
	if i := strings.LastIndexByte(id, '/'); i >= 0 {
		return id[i+1:] // an ARN: its resource name
	}
	return id
}

func modeLabel(mode permission.Mode) string {
	switch mode {
	case permission.ModeAcceptEdits:
		return "⏵⏵ accept edits"
	case permission.ModePlan:
		return "⏸ plan mode"
	case permission.ModeBypass:
		return "⚠ bypass permissions"
	}
	return "default mode"
}

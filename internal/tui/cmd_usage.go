package tui

import tea "charm.land/bubbletea/v2"

// cmdUsage is /usage, and /cost, its alias in the reference: tokens by kind and estimated
// cost per model for this session, and the totals. Both print the status part's one report.
func (m *Model) cmdUsage(string) tea.Cmd {
	m.say(m.status.CostReport())
	return nil
}

package tui

import "github.com/strata-agent/strata/internal/permission"

// ModeReporter is what a Host offers when resuming a session may change the permission mode
// (the session's recorded mode is restored): the UI then shows the mode the session runs in.
type ModeReporter interface {
	CurrentMode() permission.Mode
}

// syncMode shows the Host's permission mode after /resume, and says when it changed.
func (m *Model) syncMode() {
	r, ok := m.host.(ModeReporter)
	if !ok {
		return
	}
	if mode := r.CurrentMode(); mode != "" && mode != m.status.Mode() {
		m.status.SetMode(mode)
		m.say(m.st.Dim.Render("Permission mode " + string(mode) + " restored from the session (shift+tab changes it)."))
	}
}

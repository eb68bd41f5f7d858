package cli

import (
	"encoding/json"
	"fmt"

	"github.com/strata-agent/strata/internal/agent"
	"github.com/strata-agent/strata/internal/outputstyles"
)

// loadOutputStyles reads the built-in, plugin, ~/.claude/output-styles and
// .claude/output-styles styles and picks the one the `outputStyle` setting names. An unknown
// name is a warning and the default style: a settings file valid for Claude Code (whose
// style may come from a plugin strata cannot fetch) never stops strata.
func (a *app) loadOutputStyles(st *stack) {
	l := loadLayers(a, st.plugins, "output-styles", "output style",
		[3]string{outputstyles.SourceUser, outputstyles.SourceProject, outputstyles.SourcePlugin},
		outputstyles.LoadDir, func(s *outputstyles.Style) *string { return &s.Name })
	st.styles = outputstyles.NewSet(l.plugins, l.user, l.project)
	st.style, _ = st.styles.Find("")
	name := settingString(st.settings.Extra["outputStyle"])
	if name == "" {
		return
	}
	s, ok := st.styles.Find(name)
	if !ok {
		fmt.Fprintf(a.io.ErrOut, "strata: warning: outputStyle %q (%s) is not a known output style; using the default (known: %v)\n",
			name, st.settings.ExtraSource["outputStyle"].Path, st.styles.Names())
		return
	}
	st.style = s
}

// settingString is a string setting's value, "" when it is absent or not a string.
func settingString(raw json.RawMessage) string {
	var s string
	if len(raw) == 0 || json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

// agentStyle is the chosen style as the system prompt takes it.
func agentStyle(s outputstyles.Style) agent.OutputStyle {
	return agent.OutputStyle{Name: s.Name, Prompt: s.Prompt, KeepCodingInstructions: s.KeepCodingInstructions}
}

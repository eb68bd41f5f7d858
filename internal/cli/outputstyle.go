package cli

import (
	"encoding/json"
	"fmt"
	"path/filepath"

	"github.com/strata-agent/strata/internal/agent"
	"github.com/strata-agent/strata/internal/outputstyles"
)

// loadOutputStyles reads the built-in, plugin, ~/.claude/output-styles and
// .claude/output-styles styles and picks the one the `outputStyle` setting names. An unknown
// name is a warning and the default style: a settings file valid for Claude Code (whose
// style may come from a plugin strata cannot fetch) never stops strata.
func (a *app) loadOutputStyles(st *stack) {
	var fromPlugins []outputstyles.Style
	var problems []string
	for _, pl := range st.plugins {
		list, p := outputstyles.LoadDir(pl.Path("output-styles"), outputstyles.SourcePlugin)
		problems = append(problems, p...)
		for _, s := range list {
			s.Name = pl.Namespaced(s.Name)
			fromPlugins = append(fromPlugins, s)
		}
	}
	user, p1 := outputstyles.LoadDir(filepath.Join(configDir(a.env), "output-styles"), outputstyles.SourceUser)
	project, p2 := outputstyles.LoadDir(filepath.Join(a.env.Cwd, ".claude", "output-styles"), outputstyles.SourceProject)
	for _, p := range append(append(problems, p1...), p2...) {
		fmt.Fprintln(a.io.ErrOut, "strata: warning: output style skipped:", p)
	}
	st.styles = outputstyles.NewSet(fromPlugins, user, project)
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

package tui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
)

// PluginToggler is a Host that can turn plugins on and off during a session (/plugin
// enable|disable). TogglePlugin saves the choice in the settings of scope ("" or "user",
// or "local") and applies it to the running session; it returns what it did for the user.
// It is never called while a turn runs.
type PluginToggler interface {
	TogglePlugin(name string, on bool, scope string) ([]string, error)
}

// pluginUsage is what /plugin accepts.
const pluginUsage = "usage: /plugin [list] | /plugin enable NAME[@MARKETPLACE] [--scope user|local] | /plugin disable NAME [--scope user|local]"

// cmdPlugin lists the plugins (no arguments, or list) or turns one on or off, in the
// reference's words. Installing and fetching marketplaces over the network are not done:
// a plugin comes from --plugin-dir or a marketplace already on disk.
func (m *Model) cmdPlugin(args string) tea.Cmd {
	fields := strings.Fields(args)
	if len(fields) == 0 || fields[0] == "list" {
		return extensionsCmd("plugins")(m, "")
	}
	verb := fields[0]
	if verb != "enable" && verb != "disable" {
		m.say(m.st.Bad.Render(pluginUsage), m.st.Dim.Render("strata does not install plugins or fetch marketplaces over the network: "+
			"use --plugin-dir or a marketplace already on disk (extraKnownMarketplaces)"))
		return nil
	}
	name, scope, ok := pluginArgs(fields[1:])
	if !ok {
		m.say(m.st.Bad.Render(pluginUsage))
		return nil
	}
	if m.work.running() {
		m.say(m.st.Dim.Render("/plugin " + verb + " waits for the turn to finish (Esc interrupts it)"))
		return nil
	}
	t, can := m.host.(PluginToggler)
	if !can {
		m.say(m.st.Bad.Render("this session cannot turn plugins on or off"))
		return nil
	}
	lines, err := t.TogglePlugin(name, verb == "enable", scope)
	if err != nil {
		m.say(m.st.Bad.Render(err.Error()))
		return nil
	}
	m.say(lines...)
	return nil
}

// pluginArgs reads NAME [--scope S] (or --scope=S), in either order.
func pluginArgs(args []string) (name, scope string, ok bool) {
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--scope" && i+1 < len(args):
			scope = args[i+1]
			i++
		case strings.HasPrefix(a, "--scope="):
			scope = strings.TrimPrefix(a, "--scope=")
		case name == "" && !strings.HasPrefix(a, "-"):
			name = a
		default:
			return "", "", false
		}
	}
	return name, scope, name != ""
}

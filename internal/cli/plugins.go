package cli

import (
	"encoding/json"
	"fmt"

	"github.com/strata-agent/strata/internal/mcp"
	"github.com/strata-agent/strata/internal/plugins"
	"github.com/strata-agent/strata/internal/render"
	"github.com/strata-agent/strata/internal/settings"
)

// loadEnabledPlugins adds the plugins enabledPlugins turns on from marketplaces on disk.
// Plugins bring prompts and skills that may grant tools, so when the folder's own settings
// enable them or declare their marketplaces, they load only in a trusted folder.
func (a *app) loadEnabledPlugins(st *stack) {
	s := st.settings
	enabled, markets := s.Extra["enabledPlugins"], s.Extra["extraKnownMarketplaces"]
	if len(enabled) == 0 {
		return
	}
	fromRepo := fromProject(s.ExtraSource["enabledPlugins"]) ||
		len(markets) > 0 && fromProject(s.ExtraSource["extraKnownMarketplaces"])
	if fromRepo && !a.folderTrusted() {
		fmt.Fprintln(a.io.ErrOut, "strata: warning: enabledPlugins not loaded: this folder's settings choose them and the folder is not trusted")
		return
	}
	list, problems := plugins.Enabled(enabled, markets, configDir(a.env))
	for _, p := range problems {
		fmt.Fprintln(a.io.ErrOut, "strata: warning:", p)
	}
	st.plugins = append(st.plugins, list...)
}

// addPluginHooks adds the plugins' hooks/hooks.json to the settings' hooks, so the runner
// treats them as the user's (policy included) and /hooks lists them with their file. A
// broken hooks.json is a warning: the plugin's other parts still load.
func (a *app) addPluginHooks(st *stack) error {
	st.settings.Hooks = joinPluginHooks(st.settings.Hooks, st.plugins, func(msg string) {
		fmt.Fprintln(a.io.ErrOut, "strata: warning:", msg)
	})
	return nil
}

// joinPluginHooks is the settings' hooks followed by the plugins', in a new map; a plugin
// whose hooks.json cannot be read is reported to warn and left out.
func joinPluginHooks(base map[string][]settings.HookMatcher, plugs []plugins.Plugin, warn func(string)) map[string][]settings.HookMatcher {
	out := make(map[string][]settings.HookMatcher, len(base))
	for event, ms := range base {
		out[event] = ms[:len(ms):len(ms)]
	}
	for _, p := range plugs {
		byEvent, err := p.Hooks()
		if err != nil {
			warn(fmt.Sprintf("plugin %s: its hooks are not loaded: %v", p.Name, err))
			continue
		}
		for event, ms := range byEvent {
			out[event] = append(out[event], ms...)
		}
	}
	return out
}

// pluginMCP turns the plugins' .mcp.json servers into --mcp-config values (inline JSON), so
// they start as the user's own do, under the same policy. A server the MCP reader would
// refuse is a warning and left out: a plugin's mistake does not stop strata.
func (a *app) pluginMCP(plugs []plugins.Plugin) []string {
	var out []string
	for _, p := range plugs {
		servers, err := p.MCPServers()
		if err != nil {
			fmt.Fprintf(a.io.ErrOut, "strata: warning: plugin %s: its MCP servers are not loaded: %v\n", p.Name, err)
			continue
		}
		for name, raw := range servers {
			if err := mcp.ParseEntry(name, raw); err != nil {
				fmt.Fprintf(a.io.ErrOut, "strata: warning: plugin %s: MCP server %s skipped: %v\n", p.Name, name, err)
				delete(servers, name)
			}
		}
		if len(servers) == 0 {
			continue
		}
		data, _ := json.Marshal(map[string]any{"mcpServers": servers})
		out = append(out, string(data))
	}
	return out
}

// initPlugins lists the loaded plugins for the stream-json init line, with the source the
// reference gives: the marketplace an enabledPlugins entry names, "inline" for --plugin-dir.
func initPlugins(list []plugins.Plugin) []render.Plugin {
	out := make([]render.Plugin, 0, len(list))
	for _, p := range list {
		from := p.Marketplace
		if from == "" {
			from = "inline"
		}
		out = append(out, render.Plugin{Name: p.Name, Path: p.Dir, Source: p.Name + "@" + from})
	}
	return out
}

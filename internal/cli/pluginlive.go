package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/strata-agent/strata/internal/mcp"
	"github.com/strata-agent/strata/internal/outputstyles"
	"github.com/strata-agent/strata/internal/plugins"
	"github.com/strata-agent/strata/internal/settings"
	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tool/skill"
	"github.com/strata-agent/strata/internal/tui"
)

// liveExt is what turning plugins on and off during a session needs from its start.
type liveExt struct {
	agentsJSON string           // --agents, read again with the plugins' agents
	sopts      settings.Options // how the settings were read, to read them again
	off        []plugins.Plugin // --plugin-dir plugins turned off for this session
	strictMCP  bool             // --strict-mcp-config: plugins bring no MCP servers
	// report shows a message to the user once the UI runs (a FileChanged watcher started
	// by a change); nil means stderr.
	report func(string)
}

// TogglePlugin is /plugin enable|disable NAME [--scope user|local] (tui.PluginToggler). A
// marketplace plugin's enabledPlugins entry is written to the user's settings (the default,
// unless the folder's own settings choose plugins: their choice would win, so the local
// file is) or the project's settings.local.json, never to the shared .claude/settings.json; a
// --plugin-dir plugin is switched for this session only. Either way its commands, agents,
// skills, output styles, hooks and MCP servers appear or go at once. It must not be called
// while a turn runs.
func (h *host) TogglePlugin(name string, on bool, scope string) ([]string, error) {
	st := h.st
	s, err := settings.Load(st.live.sopts)
	if err != nil {
		return nil, err
	}
	enabled := pluginEntries(s.Extra["enabledPlugins"])
	if p, msg, ok := st.toggleInline(name, on); ok {
		return append(append([]string{msg}, h.pluginServers(p, on, s)...), h.reloadPlugins(s)...), nil
	}
	id, err := pluginID(name, enabled, st.plugins)
	if err != nil {
		return nil, err
	}
	if src := s.ExtraSource["enabledPlugins"]; scope == "" && (src.Scope == settings.ScopeProject || src.Scope == settings.ScopeLocal) {
		scope = "local" // the folder's own choice would win over the user's
	}
	path, sc, err := h.pluginScope(scope)
	if err != nil {
		return nil, err
	}
	var changed plugins.Plugin
	if on && fromProject(s.ExtraSource["extraKnownMarketplaces"]) && !h.a.folderTrusted() {
		// As at start (loadEnabledPlugins): a marketplace the folder declares is the
		// repository's code, loaded only in a trusted folder.
		return nil, fmt.Errorf("cannot enable %s: this folder's settings declare the marketplaces and the folder is not trusted", id)
	}
	if on {
		list, problems := plugins.Enabled(json.RawMessage(fmt.Sprintf(`{%q: true}`, id)), s.Extra["extraKnownMarketplaces"], configDir(h.a.env))
		if len(list) == 0 {
			return nil, fmt.Errorf("cannot enable %s: %s", id, strings.Join(problems, "; "))
		}
		if err := settings.SetEnabledPlugin(path, sc, id, true); err != nil {
			return nil, err
		}
		st.plugins = append(slices.DeleteFunc(slices.Clone(st.plugins), func(p plugins.Plugin) bool { return p.Name == list[0].Name }), list[0])
		changed = list[0]
	} else {
		if err := settings.SetEnabledPlugin(path, sc, id, false); err != nil {
			return nil, err
		}
		base, _, _ := strings.Cut(id, "@")
		if i := slices.IndexFunc(st.plugins, func(p plugins.Plugin) bool { return p.Name == base }); i >= 0 {
			changed = st.plugins[i]
			st.plugins = slices.Delete(slices.Clone(st.plugins), i, i+1)
		}
	}
	word := map[bool]string{true: "enabled", false: "disabled"}[on]
	msgs := []string{fmt.Sprintf("%s %s in %s: its commands, agents, skills, output styles, hooks and MCP servers apply now", id, word, path)}
	if changed.Dir != "" {
		msgs = append(msgs, h.pluginServers(changed, on, s)...)
	}
	if after, err := settings.Load(st.live.sopts); err == nil {
		if got := pluginEntries(after.Extra["enabledPlugins"])[id]; got != on {
			msgs = append(msgs, fmt.Sprintf("note: a settings file with higher precedence turns %s %s, so the next session will not have it %s",
				id, map[bool]string{true: "on", false: "off"}[got], word))
		}
		s = after
	}
	return append(msgs, h.reloadPlugins(s)...), nil
}

// pluginEntries reads enabledPlugins: plugin id → on.
func pluginEntries(raw json.RawMessage) map[string]bool {
	var m map[string]json.RawMessage
	_ = json.Unmarshal(raw, &m)
	out := make(map[string]bool, len(m))
	for id, v := range m {
		out[id] = !bytes.Equal(bytes.TrimSpace(v), []byte("false")) && !bytes.Equal(bytes.TrimSpace(v), []byte("null"))
	}
	return out
}

// pluginID turns NAME or NAME@MARKETPLACE into the enabledPlugins key: NAME alone must name
// exactly one entry or loaded plugin.
func pluginID(name string, enabled map[string]bool, loaded []plugins.Plugin) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", errors.New("name a plugin: /plugin enable NAME[@MARKETPLACE] or /plugin disable NAME")
	}
	if strings.Contains(name, "@") {
		return name, nil
	}
	var ids []string
	for id := range enabled {
		if base, _, _ := strings.Cut(id, "@"); base == name {
			ids = append(ids, id)
		}
	}
	for _, p := range loaded {
		if p.Name == name && p.Marketplace != "" && !slices.ContainsFunc(ids, func(id string) bool { return strings.HasPrefix(id, name+"@") }) {
			ids = append(ids, name+"@"+p.Marketplace)
		}
	}
	switch len(ids) {
	case 1:
		return ids[0], nil
	case 0:
		return "", fmt.Errorf("no plugin %q in enabledPlugins; name it with its marketplace: %s@MARKETPLACE", name, name)
	}
	slices.Sort(ids)
	return "", fmt.Errorf("%q is in several marketplaces (%s); name one", name, strings.Join(ids, ", "))
}

// pluginScope is the settings file /plugin writes: the user's, or with --scope local the
// project's settings.local.json. The shared project file is not written: a change there is
// the repository's, made by editing it.
func (h *host) pluginScope(scope string) (string, settings.Scope, error) {
	switch scope {
	case "", "user":
		return filepath.Join(configDir(h.a.env), "settings.json"), settings.ScopeUser, nil
	case "local":
		return settings.LocalPath(h.a.env.Cwd), settings.ScopeLocal, nil
	case "project":
		return "", "", errors.New("strata writes plugin choices to your user settings or, with --scope local, to .claude/settings.local.json; " +
			"to share one with the project, edit .claude/settings.json")
	}
	return "", "", fmt.Errorf("--scope %q: want user or local", scope)
}

// toggleInline switches a --plugin-dir plugin for this session; ok is false when name is
// none of them.
func (st *stack) toggleInline(name string, on bool) (plugins.Plugin, string, bool) {
	const note = " for this session (--plugin-dir plugins are chosen on the command line)"
	if on {
		for i, p := range st.live.off {
			if p.Name == name {
				st.live.off = slices.Delete(slices.Clone(st.live.off), i, i+1)
				st.plugins = append(slices.Clone(st.plugins), p)
				return p, p.Name + " enabled" + note, true
			}
		}
		return plugins.Plugin{}, "", false
	}
	for i, p := range st.plugins {
		if p.Name == name && p.Marketplace == "" {
			st.plugins = slices.Delete(slices.Clone(st.plugins), i, i+1)
			st.live.off = append(st.live.off, p)
			return p, p.Name + " disabled" + note, true
		}
	}
	return plugins.Plugin{}, "", false
}

// pluginServers starts (on) or stops a plugin's MCP servers in the running session, under
// the managed allow and deny lists as at start; their tools join or leave the next request.
// A user's own --mcp-config server of the same name goes with them.
func (h *host) pluginServers(p plugins.Plugin, on bool, s *settings.Settings) []string {
	st := h.st
	if st.live.strictMCP || st.mcp == nil {
		return nil
	}
	var warnings bytes.Buffer
	quiet := *h.a.io
	quiet.ErrOut = &warnings
	a := &app{ctx: h.a.ctx, io: &quiet, env: h.a.env, trusted: h.a.trusted}
	flags := a.pluginMCP([]plugins.Plugin{p})
	msgs := startupWarnings(warnings.String())
	if len(flags) == 0 {
		return msgs
	}
	servers, _ := p.MCPServers()
	var names []string
	for name := range servers {
		names = append(names, name)
	}
	slices.Sort(names)
	if !on {
		st.mcp.Remove(mcp.ScopeDynamic, names...)
		return append(msgs, "MCP servers stopped: "+strings.Join(names, ", "))
	}
	ld, err := mcp.Load(mcp.Sources{Flags: flags, Strict: true}, mcp.Approval{}, mcpPolicy(s))
	if err != nil {
		return append(msgs, fmt.Sprintf("%s: its MCP servers are not started: %v", p.Name, err))
	}
	for _, w := range ld.Warnings {
		msgs = append(msgs, "MCP servers skipped: "+w.Error())
	}
	if added := st.mcp.Add(ld); len(added) > 0 {
		msgs = append(msgs, "MCP servers starting: "+strings.Join(added, ", ")+" (/mcp shows them)")
	}
	return msgs
}

// reloadPlugins reads the extensions again for the plugins now on and hands the running
// session its new tools; s is the current settings, for the hooks. What the readers warn
// about is returned for the user.
func (h *host) reloadPlugins(s *settings.Settings) []string {
	st := h.st
	var warnings bytes.Buffer
	quiet := *h.a.io
	quiet.ErrOut = &warnings
	a := &app{ctx: h.a.ctx, io: &quiet, env: h.a.env, trusted: h.a.trusted}
	hadSkill := slices.ContainsFunc(st.tools, func(t tool.Tool) bool { return t.Name() == skill.Name })
	var msgs []string
	if err := a.loadSkills(st); err != nil {
		msgs = append(msgs, "skills: "+err.Error())
	}
	if st.agentSystem != "" && !hadSkill { // --agent's tool list leaves the Skill tool out
		st.tools = slices.DeleteFunc(st.tools, func(t tool.Tool) bool { return t.Name() == skill.Name })
	}
	if err := a.loadAgents(st, &Options{Agents: st.live.agentsJSON}); err != nil {
		msgs = append(msgs, "agents: "+err.Error())
	}
	l := loadLayers(a, st.plugins, "output-styles", "output style",
		[3]string{outputstyles.SourceUser, outputstyles.SourceProject, outputstyles.SourcePlugin},
		outputstyles.LoadDir, func(s *outputstyles.Style) *string { return &s.Name })
	st.styles = outputstyles.NewSet(l.plugins, l.user, l.project)
	msgs = append(msgs, a.liveHooks(st, s, nil)...)
	if sess := h.current(); sess != nil {
		sess.SetTools(st.tools, st.subAgentTypes)
	}
	for _, line := range startupWarnings(warnings.String()) {
		msgs = append(msgs, line)
	}
	return msgs
}

var _ tui.PluginToggler = (*host)(nil)

// offPlugins lists, for /plugin, the plugins that are off: enabledPlugins entries set to
// false and --plugin-dir plugins turned off for the session.
func (st *stack) offPlugins() []tui.Fact {
	if st.live == nil {
		return nil
	}
	var out []tui.Fact
	for _, p := range st.live.off {
		out = append(out, tui.Fact{Label: p.Name, Value: "off for this session · --plugin-dir · " + p.Dir})
	}
	s, err := settings.Load(st.live.sopts)
	if err != nil {
		return out
	}
	var ids []string
	for id, on := range pluginEntries(s.Extra["enabledPlugins"]) {
		if !on {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		out = append(out, tui.Fact{Label: id, Value: "off · /plugin enable " + id})
	}
	return out
}

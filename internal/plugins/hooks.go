package plugins

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/strata-agent/strata/internal/settings"
)

// HooksFile is where a plugin declares its hooks, in the settings' `hooks` shape.
const HooksFile = "hooks/hooks.json"

// Scope is the settings scope plugin hooks carry: not managed, so disableAllHooks and
// allowManagedHooksOnly leave them out as they do the user's.
const Scope settings.Scope = "plugin"

// Hooks reads the plugin's hooks/hooks.json, by event. ${CLAUDE_PLUGIN_ROOT} in a command
// becomes the plugin's folder, as the reference's plugins expect. No file is no hooks.
func (p Plugin) Hooks() (map[string][]settings.HookMatcher, error) {
	path := p.Path(HooksFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var file struct {
		Hooks map[string][]struct {
			Matcher string `json:"matcher"`
			Hooks   []struct {
				Type    string            `json:"type"`
				Command string            `json:"command"`
				Timeout int               `json:"timeout"`
				URL     string            `json:"url"`
				Headers map[string]string `json:"headers"`
				Prompt  string            `json:"prompt"`
			} `json:"hooks"`
		} `json:"hooks"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := map[string][]settings.HookMatcher{}
	for event, matchers := range file.Hooks {
		for _, m := range matchers {
			hm := settings.HookMatcher{Matcher: m.Matcher, Source: settings.Source{Scope: Scope, Path: path}}
			for _, h := range m.Hooks {
				hm.Hooks = append(hm.Hooks, settings.HookCommand{Type: h.Type, Timeout: h.Timeout, URL: h.URL,
					Headers: h.Headers, Prompt: h.Prompt,
					Command: strings.ReplaceAll(h.Command, "${CLAUDE_PLUGIN_ROOT}", p.Dir)})
			}
			out[event] = append(out[event], hm)
		}
	}
	return out, nil
}

// MCPFile is where a plugin declares its MCP servers.
const MCPFile = ".mcp.json"

// MCPServers reads the plugin's .mcp.json: its servers by name, raw, with
// ${CLAUDE_PLUGIN_ROOT} filled in. The file may hold {"mcpServers": {…}} or the servers
// themselves, as plugins write both. No file is no servers.
func (p Plugin) MCPServers() (map[string]json.RawMessage, error) {
	path := p.Path(MCPFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	root, _ := json.Marshal(p.Dir) // the folder as a JSON string, quotes and escapes included
	data = []byte(strings.ReplaceAll(string(data), "${CLAUDE_PLUGIN_ROOT}", string(root[1:len(root)-1])))
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if inner, ok := top["mcpServers"]; ok {
		top = nil
		if err := json.Unmarshal(inner, &top); err != nil {
			return nil, fmt.Errorf("%s: mcpServers: %w", path, err)
		}
	}
	return top, nil
}

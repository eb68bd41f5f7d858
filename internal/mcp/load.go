package mcp

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// Sources says where server configurations are. Empty fields skip their source.
type Sources struct {
	ProjectDir string // holds .mcp.json; also the key of the local scope in ClaudeJSON
	ClaudeJSON string // the reference's ~/.claude.json (or $CLAUDE_CONFIG_DIR/.claude.json)
	// Flags are the --mcp-config values, each a file path or inline JSON.
	Flags []string
	// Strict (--strict-mcp-config) uses only Flags.
	Strict bool
}

// Approval is what the settings say about the project's .mcp.json servers.
type Approval struct {
	EnableAll bool
	Enabled   []string
	Disabled  []string
}

// Policy is the managed allowedMcpServers / deniedMcpServers lists (raw JSON entries:
// {"serverName"}, {"serverCommand"} or {"serverUrl"}). A nil Allowed allows every server;
// an empty one none.
type Policy struct {
	Allowed []json.RawMessage
	Denied  []json.RawMessage
	// AllowedSet says the allowed list was present (an empty list then allows nothing).
	AllowedSet bool
}

// State names a server's situation, as shown by /mcp and `strata mcp list`.
type State string

const (
	StatePending    State = "pending"    // a project server nobody approved yet
	StateDisabled   State = "disabled"   // a project server the settings reject
	StateBlocked    State = "blocked"    // the managed policy refuses it
	StateConnecting State = "connecting" // starting in the background
	StateConnected  State = "connected"
	StateFailed     State = "failed"
)

// Loaded is every configured server, in precedence order, each with its starting state.
type Loaded struct {
	Servers []Server
	// Skipped holds the servers that will not start, with their state (pending, disabled,
	// blocked) and why.
	Skipped map[string]Skip
	// Warnings are files that could not be read (a broken ~/.claude.json or .mcp.json): their
	// servers are left out, and strata starts anyway.
	Warnings []error
}

// Skip is why a configured server does not start.
type Skip struct {
	State  State
	Reason string
}

// Load reads every source. A later scope replaces an earlier server of the same name, in the
// reference's order: project, user, local, then --mcp-config. A file that is missing is
// skipped; a broken --mcp-config value is an error (the user typed it), a broken file
// elsewhere a warning. The approvals the reference keeps in ~/.claude.json for the project
// add to approval.
func Load(src Sources, approval Approval, policy Policy) (*Loaded, error) {
	ld := &Loaded{Skipped: map[string]Skip{}}
	var lists [][]Server
	if !src.Strict {
		for _, read := range []func(Sources) ([]Server, error){readProject, readUser, readLocal} {
			l, err := read(src)
			if err != nil {
				ld.Warnings = append(ld.Warnings, err)
				continue
			}
			lists = append(lists, l)
		}
		if c, err := readClaudeJSON(src.ClaudeJSON); err == nil && src.ProjectDir != "" {
			p := c.Projects[src.ProjectDir]
			approval.EnableAll = approval.EnableAll || p.EnableAll
			approval.Enabled = append(slices.Clone(approval.Enabled), p.Enabled...)
			approval.Disabled = append(slices.Clone(approval.Disabled), p.Disabled...)
		}
	}
	for _, f := range src.Flags {
		l, err := readFlag(f, src.ProjectDir)
		if err != nil {
			return nil, err
		}
		lists = append(lists, l)
	}
	byName := map[string]int{}
	for _, l := range lists {
		for _, s := range l {
			if i, ok := byName[s.Name]; ok {
				ld.Servers[i] = s
				continue
			}
			byName[s.Name] = len(ld.Servers)
			ld.Servers = append(ld.Servers, s)
		}
	}
	for _, s := range ld.Servers {
		if skip, ok := gate(s, approval, policy); ok {
			ld.Skipped[s.Name] = skip
		}
	}
	return ld, nil
}

// gate decides whether a server may start: the managed policy first, then, for a project's
// .mcp.json servers, the approval in the settings.
func gate(s Server, a Approval, p Policy) (Skip, bool) {
	if matchesAny(p.Denied, s) {
		return Skip{StateBlocked, "deniedMcpServers in the managed settings names it"}, true
	}
	if p.AllowedSet && !matchesAny(p.Allowed, s) {
		return Skip{StateBlocked, "allowedMcpServers in the managed settings does not name it"}, true
	}
	if s.Scope != ScopeProject {
		return Skip{}, false
	}
	switch {
	case slices.Contains(a.Disabled, s.Name):
		return Skip{StateDisabled, "disabledMcpjsonServers names it"}, true
	case a.EnableAll || slices.Contains(a.Enabled, s.Name):
		return Skip{}, false
	}
	return Skip{StatePending, "a project server from .mcp.json that has not been approved: approve it in strata's /mcp, " +
		`or list it in "enabledMcpjsonServers" (or set "enableAllProjectMcpServers": true) in your settings`}, true
}

// matchesAny applies the managed lists' entries: serverName, serverCommand (the exact argv)
// or serverUrl (with * wildcards).
func matchesAny(entries []json.RawMessage, s Server) bool {
	for _, e := range entries {
		var m struct {
			ServerName    string   `json:"serverName"`
			ServerCommand []string `json:"serverCommand"`
			ServerURL     string   `json:"serverUrl"`
		}
		if json.Unmarshal(e, &m) != nil {
			continue
		}
		switch {
		case m.ServerName != "" && m.ServerName == s.Name:
			return true
		case len(m.ServerCommand) > 0 && s.Config.Type == TypeStdio &&
			slices.Equal(m.ServerCommand, append([]string{s.Config.Command}, s.Config.Args...)):
			return true
		case m.ServerURL != "" && s.Config.Remote():
			if wildcard(m.ServerURL, s.Config.URL) {
				return true
			}
		}
	}
	return false
}

func readProject(src Sources) ([]Server, error) {
	if src.ProjectDir == "" {
		return nil, nil
	}
	p := filepath.Join(src.ProjectDir, ".mcp.json")
	data, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return parseServers(data, p, ScopeProject)
}

// claudeJSON is the part of ~/.claude.json that holds servers.
type claudeJSON struct {
	MCPServers map[string]json.RawMessage `json:"mcpServers"`
	Projects   map[string]struct {
		MCPServers map[string]json.RawMessage `json:"mcpServers"`
		EnableAll  bool                       `json:"enableAllProjectMcpServers"`
		Enabled    []string                   `json:"enabledMcpjsonServers"`
		Disabled   []string                   `json:"disabledMcpjsonServers"`
	} `json:"projects"`
}

func readClaudeJSON(p string) (*claudeJSON, error) {
	if p == "" {
		return &claudeJSON{}, nil
	}
	data, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return &claudeJSON{}, nil
	}
	if err != nil {
		return nil, err
	}
	var c claudeJSON
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("%s: not valid JSON: %v", p, err)
	}
	return &c, nil
}

func readUser(src Sources) ([]Server, error) {
	c, err := readClaudeJSON(src.ClaudeJSON)
	if err != nil {
		return nil, err
	}
	return checkServers(c.MCPServers, src.ClaudeJSON, ScopeUser)
}

func readLocal(src Sources) ([]Server, error) {
	c, err := readClaudeJSON(src.ClaudeJSON)
	if err != nil || src.ProjectDir == "" {
		return nil, err
	}
	return checkServers(c.Projects[src.ProjectDir].MCPServers, src.ClaudeJSON+" (local scope of "+src.ProjectDir+")", ScopeLocal)
}

// readFlag reads one --mcp-config value: inline JSON when it starts with {, else a file.
func readFlag(v, cwd string) ([]Server, error) {
	t := strings.TrimSpace(v)
	if strings.HasPrefix(t, "{") {
		return parseServers([]byte(t), "--mcp-config (inline JSON)", ScopeDynamic)
	}
	p := v
	if !filepath.IsAbs(p) {
		p = filepath.Join(cwd, p)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("--mcp-config: %v", err)
	}
	return parseServers(data, p, ScopeDynamic)
}

// wildcard matches s against a pattern where * stands for any text.
func wildcard(pattern, s string) bool {
	parts := strings.Split(pattern, "*")
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	ok, _ := regexp.MatchString("^"+strings.Join(parts, ".*")+"$", s)
	return ok
}

package mcp

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// File returns the file that holds a scope's servers: .mcp.json for project, ~/.claude.json
// for user and local.
func (src Sources) File(scope Scope) string {
	if scope == ScopeProject {
		return filepath.Join(src.ProjectDir, ".mcp.json")
	}
	return src.ClaudeJSON
}

// ParseScope checks a -s/--scope value.
func ParseScope(s string) (Scope, error) {
	switch sc := Scope(s); sc {
	case ScopeLocal, ScopeProject, ScopeUser:
		return sc, nil
	}
	return "", fmt.Errorf("invalid scope %q: use local, project or user", s)
}

// ParseEntry checks one server entry (as `strata mcp add-json` takes it).
func ParseEntry(name string, raw json.RawMessage) error {
	if err := checkName(name); err != nil {
		return fmt.Errorf("MCP server %q: %v", name, err)
	}
	if _, err := parseConfig(raw); err != nil {
		return fmt.Errorf("MCP server %q: %v", name, err)
	}
	return nil
}

// Put adds a server to a scope's file, keeping everything else in the file as it was. A
// server of that name already in the scope is an error, as the reference's `mcp add` has it.
func (src Sources) Put(scope Scope, name string, entry json.RawMessage) error {
	if err := ParseEntry(name, entry); err != nil {
		return err
	}
	return src.edit(scope, func(servers map[string]json.RawMessage) error {
		if _, ok := servers[name]; ok {
			return fmt.Errorf("MCP server %s already exists in %s config", name, scopeWord(scope))
		}
		servers[name] = entry
		return nil
	})
}

// Remove deletes a server from a scope's file.
func (src Sources) Remove(scope Scope, name string) error {
	return src.edit(scope, func(servers map[string]json.RawMessage) error {
		if _, ok := servers[name]; !ok {
			return fmt.Errorf("no MCP server named %s in %s config", name, scopeWord(scope))
		}
		delete(servers, name)
		return nil
	})
}

// Scopes lists the scopes whose files hold a server of this name.
func (src Sources) Scopes(name string) []Scope {
	var out []Scope
	for _, sc := range []Scope{ScopeLocal, ScopeProject, ScopeUser} {
		found := false
		_ = src.edit(sc, func(servers map[string]json.RawMessage) error {
			_, found = servers[name]
			return errReadOnly
		})
		if found {
			out = append(out, sc)
		}
	}
	return out
}

func scopeWord(s Scope) string {
	if s == ScopeProject {
		return ".mcp.json"
	}
	return string(s)
}

// errReadOnly makes edit return without writing.
var errReadOnly = errors.New("read only")

// edit reads a scope's file, hands its servers object to change, and writes the file back
// (through a temporary file and a rename, so a reader never sees half of it).
func (src Sources) edit(scope Scope, change func(map[string]json.RawMessage) error) error {
	path := src.File(scope)
	if path == "" || scope != ScopeUser && src.ProjectDir == "" {
		return fmt.Errorf("no file for the %s scope", scope)
	}
	top := map[string]json.RawMessage{}
	mode := fs.FileMode(0o600)
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		if err := json.Unmarshal(data, &top); err != nil {
			return fmt.Errorf("%s: not valid JSON: %v", path, err)
		}
		if fi, err := os.Stat(path); err == nil {
			mode = fi.Mode().Perm()
		}
	case errors.Is(err, fs.ErrNotExist):
		if scope == ScopeProject {
			mode = 0o644 // shared through the repository
		}
	default:
		return err
	}
	holder := top // the object that holds "mcpServers"
	var project map[string]json.RawMessage
	var projects map[string]json.RawMessage
	if scope == ScopeLocal {
		projects = map[string]json.RawMessage{}
		if err := unmarshalIf(top["projects"], &projects); err != nil {
			return fmt.Errorf("%s: projects: %v", path, err)
		}
		project = map[string]json.RawMessage{}
		if err := unmarshalIf(projects[src.ProjectDir], &project); err != nil {
			return fmt.Errorf("%s: projects[%q]: %v", path, src.ProjectDir, err)
		}
		holder = project
	}
	servers := map[string]json.RawMessage{}
	if err := unmarshalIf(holder["mcpServers"], &servers); err != nil {
		return fmt.Errorf("%s: mcpServers: %v", path, err)
	}
	if err := change(servers); err != nil {
		if err == errReadOnly {
			return nil
		}
		return err
	}
	holder["mcpServers"] = mustJSON(servers)
	if scope == ScopeLocal {
		projects[src.ProjectDir] = mustJSON(project)
		top["projects"] = mustJSON(projects)
	}
	out, err := json.MarshalIndent(top, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(path, append(out, '\n'), mode)
}

func unmarshalIf(raw json.RawMessage, v any) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	return json.Unmarshal(raw, v)
}

func mustJSON(v any) json.RawMessage {
	b, _ := json.Marshal(v) // maps of raw JSON that was already valid
	return b
}

func writeAtomic(path string, data []byte, mode fs.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

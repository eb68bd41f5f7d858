package mcp

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}

func byName(ld *Loaded) map[string]Server {
	out := map[string]Server{}
	for _, s := range ld.Servers {
		out[s.Name] = s
	}
	return out
}

// TestLoadScopes: project, user, local and --mcp-config, later ones replacing earlier
// servers of the same name; --strict-mcp-config keeps the flags' only; a broken file is a
// warning, a broken flag an error.
func TestLoadScopes(t *testing.T) {
	dir := t.TempDir()
	proj, cj := filepath.Join(dir, "proj"), filepath.Join(dir, ".claude.json")
	write(t, filepath.Join(proj, ".mcp.json"), `{"mcpServers": {"shared": {"command": "p"}, "onlyproj": {"type": "sse", "url": "http://x/sse"}}}`)
	write(t, cj, `{"numStartups": 3, "mcpServers": {"shared": {"command": "u"}, "user1": {"command": "u1"}},
		"projects": {"`+proj+`": {"mcpServers": {"shared": {"command": "l"}}, "enabledMcpjsonServers": ["onlyproj"]}}}`)
	write(t, filepath.Join(dir, "flag.json"), `{"mcpServers": {"fromfile": {"type": "http", "url": "https://h/mcp", "headers": {"A": "b"}}}}`)
	src := Sources{ProjectDir: proj, ClaudeJSON: cj, Flags: []string{`{"mcpServers": {"inline": {"command": "i", "args": ["a,b"]}}}`, filepath.Join(dir, "flag.json")}}
	ld, err := Load(src, Approval{}, Policy{})
	if err != nil {
		t.Fatal(err)
	}
	got := byName(ld)
	if got["shared"].Config.Command != "l" || got["shared"].Scope != ScopeLocal {
		t.Errorf("shared = %+v, want the local scope's", got["shared"])
	}
	if got["inline"].Config.Args[0] != "a,b" || got["fromfile"].Config.Headers["A"] != "b" || got["user1"].Scope != ScopeUser {
		t.Errorf("servers = %+v", got)
	}
	if _, skipped := ld.Skipped["onlyproj"]; skipped || got["onlyproj"].Config.Type != TypeSSE {
		t.Errorf("onlyproj approved in ~/.claude.json: %+v %+v", ld.Skipped, got["onlyproj"])
	}
	src.Strict = true
	ld, _ = Load(src, Approval{}, Policy{})
	if len(ld.Servers) != 2 {
		t.Errorf("strict: %+v", ld.Servers)
	}
	write(t, cj, `{broken`)
	src.Strict = false
	if ld, err = Load(src, Approval{}, Policy{}); err != nil || len(ld.Warnings) != 2 {
		t.Errorf("broken ~/.claude.json: err %v, warnings %v", err, ld.Warnings)
	}
	src.Flags = []string{`{"mcpServers": {"x": {"url": "http://no-type"}}}`}
	if _, err := Load(src, Approval{}, Policy{}); err == nil || !strings.Contains(err.Error(), `"x"`) {
		t.Errorf("bad flag: %v", err)
	}
}

// TestApprovalAndPolicy: project servers wait for approval; the managed lists block by name,
// command or URL pattern.
func TestApprovalAndPolicy(t *testing.T) {
	proj := Server{Name: "p", Scope: ScopeProject, Config: Config{Type: TypeStdio, Command: "npx", Args: []string{"-y", "x"}}}
	web := Server{Name: "w", Scope: ScopeUser, Config: Config{Type: TypeHTTP, URL: "https://mcp.corp.example/v1"}}
	raw := func(s string) []json.RawMessage {
		var out []json.RawMessage
		if err := json.Unmarshal([]byte(s), &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	tests := []struct {
		name   string
		s      Server
		a      Approval
		p      Policy
		want   State
		starts bool
	}{
		{"pending", proj, Approval{}, Policy{}, StatePending, false},
		{"enabled", proj, Approval{Enabled: []string{"p"}}, Policy{}, "", true},
		{"all", proj, Approval{EnableAll: true}, Policy{}, "", true},
		{"disabled beats all", proj, Approval{EnableAll: true, Disabled: []string{"p"}}, Policy{}, StateDisabled, false},
		{"denied by command", proj, Approval{EnableAll: true}, Policy{Denied: raw(`[{"serverCommand": ["npx", "-y", "x"]}]`)}, StateBlocked, false},
		{"allowed by url", web, Approval{}, Policy{AllowedSet: true, Allowed: raw(`[{"serverUrl": "https://*.corp.example/*"}]`)}, "", true},
		{"not in allowed", web, Approval{}, Policy{AllowedSet: true, Allowed: raw(`[{"serverName": "other"}]`)}, StateBlocked, false},
		{"empty allowed list", web, Approval{}, Policy{AllowedSet: true}, StateBlocked, false},
	}
	for _, tt := range tests {
		skip, skipped := gate(tt.s, tt.a, tt.p)
		if skipped == tt.starts || skip.State != tt.want {
			t.Errorf("%s: skip %+v %v", tt.name, skip, skipped)
		}
	}
}

func TestExpand(t *testing.T) {
	env := map[string]string{"HOME": "/h", "EMPTY": ""}
	s := Server{Name: "srv", Source: "f", Config: Config{Command: "${HOME}/bin/x", Args: []string{"${EMPTY:-d}", "$HOME", "${A:-}"},
		URL: "${NOPE}", Headers: map[string]string{"X": "${NOPE2}"}}}
	c, err := s.Expand(func(k string) string { return env[k] })
	if c.Command != "/h/bin/x" || c.Args[0] != "d" || c.Args[1] != "$HOME" || c.Args[2] != "" {
		t.Errorf("expanded = %+v", c)
	}
	if err == nil || !strings.Contains(err.Error(), `"srv"`) || !strings.Contains(err.Error(), "NOPE, NOPE2") {
		t.Errorf("err = %v", err)
	}
	if s.Config.Args[0] != "${EMPTY:-d}" {
		t.Error("Expand changed the server's own configuration")
	}
}

// TestEditKeepsTheRest: add and remove touch only their server, in the reference's places.
func TestEditKeepsTheRest(t *testing.T) {
	dir := t.TempDir()
	cj := filepath.Join(dir, ".claude.json")
	write(t, cj, `{"numStartups": 3, "projects": {"/p": {"allowedTools": ["x"]}}}`)
	src := Sources{ProjectDir: "/p", ClaudeJSON: cj}
	if err := src.Put(ScopeLocal, "a", json.RawMessage(`{"type":"stdio","command":"c","args":[],"env":{}}`)); err != nil {
		t.Fatal(err)
	}
	if err := src.Put(ScopeUser, "a", json.RawMessage(`{"type":"http","url":"https://x"}`)); err != nil {
		t.Fatal(err)
	}
	if err := src.Put(ScopeUser, "a", json.RawMessage(`{"command":"again"}`)); err == nil || !strings.Contains(err.Error(), "already exists in user config") {
		t.Errorf("second add: %v", err)
	}
	var top struct {
		NumStartups int                        `json:"numStartups"`
		MCPServers  map[string]json.RawMessage `json:"mcpServers"`
		Projects    map[string]struct {
			AllowedTools []string                   `json:"allowedTools"`
			MCPServers   map[string]json.RawMessage `json:"mcpServers"`
		} `json:"projects"`
	}
	data, _ := os.ReadFile(cj)
	if err := json.Unmarshal(data, &top); err != nil {
		t.Fatal(err)
	}
	if top.NumStartups != 3 || len(top.Projects["/p"].AllowedTools) != 1 || top.Projects["/p"].MCPServers["a"] == nil || top.MCPServers["a"] == nil {
		t.Fatalf("file = %s", data)
	}
	if sc := src.Scopes("a"); len(sc) != 2 {
		t.Errorf("scopes = %v", sc)
	}
	if err := src.Remove(ScopeLocal, "a"); err != nil {
		t.Fatal(err)
	}
	if sc := src.Scopes("a"); len(sc) != 1 || sc[0] != ScopeUser {
		t.Errorf("after remove: %v", sc)
	}
}

// FuzzParseServers: any input is parsed or refused with an error, never a panic, and what is
// accepted has a type and what that type needs.
func FuzzParseServers(f *testing.F) {
	f.Add([]byte(`{"mcpServers": {"a": {"command": "x", "args": ["1"], "env": {"K": "${V:-d}"}}}}`))
	f.Add([]byte(`{"mcpServers": {"b": {"type": "http", "url": "https://h", "headers": {"A": "b"}}}}`))
	f.Add([]byte(`{"mcpServers": {"c": null}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		servers, err := parseServers(data, "fuzz", ScopeDynamic)
		if err != nil {
			return
		}
		for _, s := range servers {
			c := s.Config
			if c.Type == TypeStdio && c.Command == "" || c.Remote() && c.URL == "" || checkName(s.Name) != nil {
				t.Fatalf("accepted %+v", s)
			}
			_, _ = s.Expand(func(string) string { return "" })
		}
	})
}

package plugins

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func TestHooks(t *testing.T) {
	p := Plugin{Name: "p", Dir: t.TempDir()}
	if h, err := p.Hooks(); h != nil || err != nil {
		t.Fatalf("no file: %v %v", h, err)
	}
	if err := os.MkdirAll(p.Path("hooks"), 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(text string) {
		if err := os.WriteFile(p.Path(HooksFile), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(`{"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "${CLAUDE_PLUGIN_ROOT}/check.sh", "timeout": 5}]}]}}`)
	h, err := p.Hooks()
	if err != nil {
		t.Fatal(err)
	}
	m := h["PreToolUse"]
	if len(m) != 1 || m[0].Matcher != "Bash" || m[0].Source.Scope != Scope || m[0].Hooks[0].Timeout != 5 ||
		m[0].Hooks[0].Command != filepath.Join(p.Dir, "check.sh") {
		t.Errorf("hooks = %+v", h)
	}
	write(`{"hooks": [`)
	if _, err := p.Hooks(); err == nil {
		t.Error("a broken hooks.json read without error")
	}
}

func TestMCPServers(t *testing.T) {
	p := Plugin{Name: "p", Dir: filepath.Join(t.TempDir(), `odd "dir"`)}
	if err := os.MkdirAll(p.Dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if s, err := p.MCPServers(); s != nil || err != nil {
		t.Fatalf("no file: %v %v", s, err)
	}
	for _, text := range []string{`{"mcpServers": {"s": {"command": "${CLAUDE_PLUGIN_ROOT}/bin/s"}}}`, `{"s": {"command": "${CLAUDE_PLUGIN_ROOT}/bin/s"}}`} {
		if err := os.WriteFile(p.Path(MCPFile), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := p.MCPServers()
		if err != nil {
			t.Fatal(err)
		}
		var c struct{ Command string }
		if err := json.Unmarshal(s["s"], &c); err != nil || c.Command != filepath.Join(p.Dir, "bin", "s") {
			t.Errorf("%s: command %q, %v", text, c.Command, err)
		}
	}
}

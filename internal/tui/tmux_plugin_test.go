package tui_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPluginToggleAndFileChangedInTmux drives the real binary as a user would: /plugin
// enable turns on a plugin from a marketplace on disk and its command runs at once, /plugin
// disable takes it away again; a file a FileChanged hook watches changes while the UI waits,
// and the hook's message appears.
func TestPluginToggleAndFileChangedInTmux(t *testing.T) {
	dir := t.TempDir()
	project, market := filepath.Join(dir, "project"), filepath.Join(dir, "market")
	mkdir(t, project)
	mkdir(t, filepath.Join(dir, "claude"))
	for _, d := range []string{".claude-plugin", "tools/.claude-plugin", "tools/commands"} {
		mkdir(t, filepath.Join(market, d))
	}
	write(t, filepath.Join(market, ".claude-plugin", "marketplace.json"), `{"name": "local", "plugins": [{"name": "tools", "source": "./tools"}]}`)
	write(t, filepath.Join(market, "tools", ".claude-plugin", "plugin.json"), `{"name": "tools"}`)
	write(t, filepath.Join(market, "tools", "commands", "hello.md"), "PLUGIN-HELLO $ARGUMENTS\n")
	hook := `ev=$(grep -o '"event":"[a-z]*"' | cut -d'"' -f4); echo "{\"systemMessage\": \"FILE-HOOK-SAW $ev\"}"`
	settings, _ := json.Marshal(map[string]any{
		"extraKnownMarketplaces": map[string]any{"local": map[string]any{"source": map[string]any{"source": "directory", "path": market}}},
		"hooks": map[string]any{"FileChanged": []any{map[string]any{"matcher": "watched.txt",
			"hooks": []any{map[string]any{"type": "command", "command": hook}}}}},
	})
	write(t, filepath.Join(dir, "claude", "settings.json"), string(settings))
	script := `{"turns": [{"when": {"user_text_contains": "PLUGIN-HELLO world"}, "content": "Plugin command ran."}]}`
	tm := startStrata(t, dir, project, script, 120)
	tm.waitFor("the input box", "/help for commands")

	tm.run("send-keys", "-t", "strata", "-l", "/plugin enable tools@local")
	tm.run("send-keys", "-t", "strata", "Enter")
	tm.waitFor("the plugin on", "tools@local enabled in")
	tm.run("send-keys", "-t", "strata", "-l", "/tools:hello world")
	tm.run("send-keys", "-t", "strata", "Enter")
	tm.waitFor("the plugin's command", "Plugin command ran.")

	if err := os.WriteFile(filepath.Join(project, "watched.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	tm.waitFor("the FileChanged hook", "FILE-HOOK-SAW add")

	tm.run("send-keys", "-t", "strata", "-l", "/plugin disable tools")
	tm.run("send-keys", "-t", "strata", "Enter")
	tm.waitFor("the plugin off", "tools@local disabled in")
	tm.run("send-keys", "-t", "strata", "-l", "/plugin")
	tm.run("send-keys", "-t", "strata", "Enter")
	tm.waitFor("the plugin listed as off", "off · /plugin enable tools@local")
	tm.run("send-keys", "-t", "strata", "C-d")
	tm.waitFor("the exit", "STRATA-EXIT=0")
	data, _ := os.ReadFile(filepath.Join(dir, "claude", "settings.json"))
	if !strings.Contains(string(data), `"tools@local": false`) {
		t.Errorf("user settings after the toggles:\n%s", data)
	}
}

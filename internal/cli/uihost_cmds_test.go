package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/settings"
	"github.com/strata-agent/strata/internal/tui"
)

func readCall(path string) permission.Call {
	in, _ := json.Marshal(map[string]string{"file_path": path})
	return permission.Call{Tool: "Read", Class: permission.ClassRead, Input: in}
}

func fileHas(t *testing.T, path, want string) bool {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return strings.Contains(string(data), want)
}

func TestPermissionRulesAddRemoveMove(t *testing.T) {
	h := testHost(t)
	local, user := h.scopePath(settings.ScopeLocal), h.scopePath(settings.ScopeUser)
	secret := filepath.Join(h.a.env.Cwd, "secrets", "key.txt")
	if err := h.AddPermissionRule("deny", "Read(./secrets/**)", "local"); err != nil {
		t.Fatal(err)
	}
	if d := h.st.checker.Check(readCall(secret)); d.Behavior != permission.Deny {
		t.Fatalf("the new deny rule does not apply at once: %v", d.Behavior)
	}
	if !fileHas(t, local, `"Read(./secrets/**)"`) {
		t.Fatal("the rule is not in the local settings")
	}
	var rule tui.ScopedRule
	for _, r := range h.PermissionRules() {
		if r.Rule == "Read(./secrets/**)" {
			rule = r
		}
	}
	if rule.Scope != "local" || rule.Path != local || rule.List != "deny" {
		t.Fatalf("listed as %+v", rule)
	}
	if err := h.MovePermissionRule(rule, "user"); err != nil {
		t.Fatal(err)
	}
	if fileHas(t, local, "secrets") || !fileHas(t, user, `"Read(./secrets/**)"`) {
		t.Fatal("the rule did not move from the local to the user settings")
	}
	rules := h.PermissionRules()
	if len(rules) != 1 || rules[0].Scope != "user" {
		t.Fatalf("after the move: %+v", rules)
	}
	if err := h.RemovePermissionRule(rules[0]); err != nil {
		t.Fatal(err)
	}
	if fileHas(t, user, "secrets") || len(h.PermissionRules()) != 0 {
		t.Fatal("the rule was not removed")
	}
	if d := h.st.checker.Check(readCall(secret)); d.Behavior != permission.Allow {
		t.Fatalf("after removing the rule: %v", d.Behavior)
	}

	if err := h.AddPermissionRule("allow", "Bash(npm", "local"); err == nil || !strings.Contains(err.Error(), "is not a permission rule") {
		t.Fatalf("a bad rule: %v", err)
	}
	if err := h.AddPermissionRule("allow", "Read", "managed"); err == nil {
		t.Fatal("a rule was saved to the managed settings")
	}
	if err := h.AddPermissionRule("allow", "WebFetch", "session"); err != nil || fileHas(t, local, "WebFetch") {
		t.Fatalf("a session rule: %v", err)
	}
	if err := h.AddPermissionRule("ask", "Grep", "user"); err != nil {
		t.Fatal(err)
	}
	if got := h.PermissionRules(); len(got) != 2 || got[0].Scope != "user" || got[1].Scope != "session" {
		t.Fatalf("not listed by scope: %+v", got)
	}
	cli := tui.ScopedRule{List: "deny", Rule: "Bash", Scope: "cli --disallowedTools", Source: "--disallowedTools"}
	if err := h.RemovePermissionRule(cli); err == nil {
		t.Fatal("a --disallowedTools rule was removed")
	}

	// A .claude folder that is a symbolic link is never written through.
	h = testHost(t)
	elsewhere := t.TempDir()
	if err := os.Symlink(elsewhere, filepath.Join(h.a.env.Cwd, ".claude")); err != nil {
		t.Fatal(err)
	}
	if err := h.AddPermissionRule("allow", "Bash(ls)", "project"); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Fatalf("through a linked .claude: %v", err)
	}
	if entries, _ := os.ReadDir(elsewhere); len(entries) != 0 {
		t.Fatal("a file was written through the link")
	}
}

func TestAddDirAllowsReadsAndRemembers(t *testing.T) {
	h := testHost(t)
	outside := t.TempDir()
	file := filepath.Join(outside, "notes.txt")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"":                             "give a directory path",
		filepath.Join(outside, "none"): "was not found",
		file:                           "is not a directory; did you mean its parent directory " + outside,
		h.a.env.Cwd:                    "is already the current working directory",
		".":                            "is already the current working directory",
	} {
		if _, err := h.CheckDir(path); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckDir(%q): %v, want %q", path, err, want)
		}
	}
	if d := h.st.checker.Check(readCall(file)); d.Behavior != permission.Ask {
		t.Fatalf("a read outside before /add-dir: %v", d.Behavior)
	}
	abs, err := h.CheckDir(outside)
	if err != nil {
		t.Fatal(err)
	}
	text, err := h.AddDir(abs, true)
	if err != nil || !strings.Contains(text, "saved it to") {
		t.Fatalf("AddDir: %q %v", text, err)
	}
	if d := h.st.checker.Check(readCall(file)); d.Behavior != permission.Allow {
		t.Fatalf("a read in the added directory: %v %s", d.Behavior, d.Reason)
	}
	if !fileHas(t, settings.LocalPath(h.a.env.Cwd), `"additionalDirectories": [`) {
		t.Fatal("the directory was not remembered in the local settings")
	}
	if _, err := h.CheckDir(filepath.Join(outside, "..", filepath.Base(outside))); err == nil ||
		!strings.Contains(err.Error(), "already the additional working directory") && !strings.Contains(err.Error(), "already") {
		t.Fatalf("adding it twice: %v", err)
	}
}

func TestConfigWritesUserSettings(t *testing.T) {
	h := testHost(t)
	items := h.ConfigItems()
	if len(items) != 4 || items[3].Key != "autoCompactEnabled" || items[3].Value != "true" {
		t.Fatalf("items %+v", items)
	}
	if _, err := h.SetConfig("autoCompactEnabled", "maybe"); err == nil {
		t.Fatal("a value not on offer was accepted")
	}
	if _, err := h.SetConfig("theme", "dark"); err == nil {
		t.Fatal("a key /config does not offer was written")
	}
	text, err := h.SetConfig("autoCompactEnabled", "false")
	if err != nil || !strings.Contains(text, "applies now") {
		t.Fatalf("SetConfig: %q %v", text, err)
	}
	if !h.st.autoCompactOff.Load() || h.autoCompact() || h.st.compactAt("us.anthropic.claude-sonnet-4-5-20250929-v1:0") != 0 {
		t.Fatal("automatic compaction is still on")
	}
	if !fileHas(t, h.scopePath(settings.ScopeUser), `"autoCompactEnabled": false`) {
		t.Fatal("not written to the user settings")
	}
	if _, err := h.SetConfig("permissions.defaultMode", "plan"); err != nil {
		t.Fatal(err)
	}
	if got := h.ConfigItems()[1].Value; got != "plan" {
		t.Fatalf("default mode shown as %q", got)
	}
}

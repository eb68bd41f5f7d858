package settings

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSetEnabledPlugin(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "settings.json")
	read := func() map[string]any {
		t.Helper()
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatalf("%s: %v", data, err)
		}
		return m
	}
	plugins := func() map[string]any { return read()["enabledPlugins"].(map[string]any) }

	if err := SetEnabledPlugin(path, ScopeUser, "tools@local", true); err != nil {
		t.Fatal(err)
	}
	if p := plugins(); p["tools@local"] != true {
		t.Fatalf("new file: %v", p)
	}
	if err := SetEnabledPlugin(path, ScopeUser, "more@local", true); err != nil {
		t.Fatal(err)
	}
	if err := SetEnabledPlugin(path, ScopeUser, "tools@local", false); err != nil {
		t.Fatal(err)
	}
	if p := plugins(); p["tools@local"] != false || p["more@local"] != true {
		t.Fatalf("after toggles: %v", p)
	}

	// The rest of a file stays as written, key order and layout included.
	orig := "{\n\t\"model\": \"opus\",\n\t\"enabledPlugins\": null,\n\t\"env\": {\"A\": \"1\"}\n}\n"
	if err := os.WriteFile(path, []byte(orig), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := SetEnabledPlugin(path, ScopeUser, "x@m", true); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(data), "{\n\t\"model\": \"opus\",\n\t\"enabledPlugins\": {") || !strings.Contains(string(data), "\"env\": {\"A\": \"1\"}") {
		t.Fatalf("layout not kept:\n%s", data)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode changed to %v", fi.Mode())
	}

	if err := os.WriteFile(path, []byte("{broken"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := SetEnabledPlugin(path, ScopeUser, "x@m", true); err == nil {
		t.Fatal("a broken file was edited")
	}

	// A project's .claude that is a link is refused.
	proj := t.TempDir()
	if err := os.Symlink(dir, filepath.Join(proj, ".claude")); err != nil {
		t.Fatal(err)
	}
	if err := SetEnabledPlugin(LocalPath(proj), ScopeLocal, "x@m", true); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Fatalf("symlinked .claude: %v", err)
	}
}

// enabledPlugins merges layer by layer: a project turning one plugin off keeps the user's
// others on.
func TestEnabledPluginsMergeByKey(t *testing.T) {
	got := mergeObjects(json.RawMessage(`{"a@m": true, "b@m": true}`), json.RawMessage(`{"b@m": false, "c@m": true}`))
	var m map[string]bool
	if err := json.Unmarshal(got, &m); err != nil {
		t.Fatal(err)
	}
	if !m["a@m"] || m["b@m"] || !m["c@m"] || len(m) != 3 {
		t.Fatalf("merged %s", got)
	}
	if got := mergeObjects(json.RawMessage(`[1]`), json.RawMessage(`{"x": true}`)); string(got) != `{"x": true}` {
		t.Fatalf("not objects: %s", got)
	}
}

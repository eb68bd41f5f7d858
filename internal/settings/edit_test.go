package settings

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEditListsAndValues(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, ".claude", "settings.json")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(AddToList(path, ScopeLocal, []string{"permissions", "deny"}, "Bash(rm:*)"))
	must(AddToList(path, ScopeLocal, []string{"permissions", "deny"}, "WebFetch"))
	must(AddToList(path, ScopeLocal, []string{"permissions", "deny"}, "WebFetch")) // already there
	must(AddToList(path, ScopeLocal, []string{"permissions", "additionalDirectories"}, "/data/x"))
	must(SetValue(path, ScopeLocal, []string{"permissions", "defaultMode"}, `"plan"`))
	must(SetValue(path, ScopeLocal, []string{"model"}, `"opus"`))
	must(SetValue(path, ScopeLocal, []string{"model"}, `"sonnet"`))
	got, _ := os.ReadFile(path)
	want := "{\n  \"permissions\": {\n    \"deny\": [\n      \"Bash(rm:*)\",\n      \"WebFetch\"\n    ],\n" +
		"    \"additionalDirectories\": [\n      \"/data/x\"\n    ],\n    \"defaultMode\": \"plan\"\n  },\n  \"model\": \"sonnet\"\n}\n"
	if string(got) != want {
		t.Fatalf("after adding and setting:\n%s\nwant:\n%s", got, want)
	}
	s, err := Load(Options{ProjectDir: dir})
	if err != nil || len(s.Permissions.Deny) != 2 || s.Permissions.DefaultMode != "plan" || s.Model != "sonnet" {
		t.Fatalf("the edited file loads as %+v, %v", s, err)
	}

	for _, rule := range []string{"Bash(rm:*)", "WebFetch"} {
		removed, err := RemoveFromList(path, ScopeLocal, []string{"permissions", "deny"}, rule)
		if err != nil || !removed {
			t.Fatalf("removing %s: %v %v", rule, removed, err)
		}
	}
	if removed, err := RemoveFromList(path, ScopeLocal, []string{"permissions", "deny"}, "WebFetch"); removed || err != nil {
		t.Fatalf("removing a rule no longer there: %v %v", removed, err)
	}
	got, _ = os.ReadFile(path)
	if !strings.Contains(string(got), "\"deny\": [],\n") {
		t.Fatalf("the emptied list:\n%s", got)
	}
}

func TestRemoveFromListKeepsLayout(t *testing.T) {
	for _, tc := range []struct{ before, value, after string }{
		{`{"permissions": {"allow": ["A", "B", "C"]}}`, "B", `{"permissions": {"allow": ["A", "C"]}}`},
		{`{"permissions": {"allow": ["A", "B", "C"]}}`, "C", `{"permissions": {"allow": ["A", "B"]}}`},
		{"{\n  \"permissions\": {\n    \"allow\": [\n      \"A\",\n      \"B\"\n    ]\n  }\n}\n", "A",
			"{\n  \"permissions\": {\n    \"allow\": [\n      \"B\"\n    ]\n  }\n}\n"},
		{`{"permissions": {"allow": ["A", "B", "A"]}}`, "A", `{"permissions": {"allow": ["B"]}}`},
	} {
		path := filepath.Join(t.TempDir(), "settings.json")
		if err := os.WriteFile(path, []byte(tc.before), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := RemoveFromList(path, ScopeLocal, []string{"permissions", "allow"}, tc.value); err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(path)
		if string(got) != tc.after {
			t.Errorf("removing %s from %s: got %s, want %s", tc.value, tc.before, got, tc.after)
		}
		if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
			t.Errorf("the file's mode became %v", fi.Mode().Perm())
		}
	}
}

func TestEditRefusesLinksAndBrokenFiles(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "elsewhere.json")
	if err := os.WriteFile(target, []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	project := filepath.Join(dir, "repo")
	if err := os.MkdirAll(project, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(dir, filepath.Join(project, ".claude")); err != nil {
		t.Fatal(err)
	}
	err := AddToList(ScopePath(ScopeProject, "", project), ScopeProject, []string{"permissions", "allow"}, "Bash")
	if err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Fatalf("a linked .claude folder: %v", err)
	}
	user := filepath.Join(dir, "config")
	if err := os.MkdirAll(user, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, ScopePath(ScopeUser, user, "")); err != nil {
		t.Fatal(err)
	}
	// The user's own file may be a link into a dotfiles folder: the edit lands in its target
	// and the link stays.
	if err := SetValue(ScopePath(ScopeUser, user, ""), ScopeUser, []string{"model"}, `"x"`); err != nil {
		t.Fatalf("a linked user settings file: %v", err)
	}
	if got, _ := os.ReadFile(target); !strings.Contains(string(got), `"model": "x"`) {
		t.Fatalf("the link's target did not get the edit: %s", got)
	}
	if fi, err := os.Lstat(ScopePath(ScopeUser, user, "")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the user's link was replaced: %v", err)
	}
	broken := filepath.Join(dir, "broken.json")
	if err := os.WriteFile(broken, []byte(`{"model": }`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := SetValue(broken, ScopeLocal, []string{"model"}, `"x"`); err == nil || !strings.Contains(err.Error(), "broken.json:1:") {
		t.Fatalf("a broken file: %v", err)
	}
	if err := SetValue(broken, ScopeLocal, []string{"model"}, `not json`); err == nil {
		t.Fatal("a value that is not JSON was accepted")
	}
}

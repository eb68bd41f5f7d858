package settings

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAddLocalAllowRule(t *testing.T) {
	tests := []struct {
		name, before, rule, after string
	}{
		{
			name:   "append to existing list, other keys kept in order",
			before: "{\n  \"env\": {\"A\": \"1\"},\n  \"permissions\": {\n    \"allow\": [\n      \"Read\"\n    ],\n    \"deny\": []\n  },\n  \"theme\": \"dark\"\n}\n",
			rule:   "Bash(npm run test:*)",
			after:  "{\n  \"env\": {\"A\": \"1\"},\n  \"permissions\": {\n    \"allow\": [\n      \"Read\",\n      \"Bash(npm run test:*)\"\n    ],\n    \"deny\": []\n  },\n  \"theme\": \"dark\"\n}\n",
		},
		{
			name:   "no permissions key",
			before: "{\n  \"model\": \"m\"\n}\n",
			rule:   "Edit",
			after:  "{\n  \"model\": \"m\",\n  \"permissions\": {\n    \"allow\": [\n      \"Edit\"\n    ]\n  }\n}\n",
		},
		{
			name:   "permissions without allow, tab indentation",
			before: "{\n\t\"permissions\": {\n\t\t\"deny\": [\"WebFetch\"]\n\t}\n}",
			rule:   "Read",
			after:  "{\n\t\"permissions\": {\n\t\t\"deny\": [\"WebFetch\"],\n\t\t\"allow\": [\n\t\t\t\"Read\"\n\t\t]\n\t}\n}",
		},
		{
			name:   "empty allow list",
			before: "{\n  \"permissions\": {\n    \"allow\": []\n  }\n}\n",
			rule:   "Read",
			after:  "{\n  \"permissions\": {\n    \"allow\": [\n      \"Read\"\n    ]\n  }\n}\n",
		},
		{
			name:   "null permissions",
			before: "{\n  \"permissions\": null\n}\n",
			rule:   "Read",
			after:  "{\n  \"permissions\": {\n    \"allow\": [\n      \"Read\"\n    ]\n  }\n}\n",
		},
		{
			name:   "empty object",
			before: "{}\n",
			rule:   "Read",
			after:  "{\"permissions\": {\"allow\": [\"Read\"]}}\n",
		},
		{
			name:   "one-line file",
			before: `{"permissions": {"allow": ["Read"]}, "x": 1}`,
			rule:   "Bash(a && b > c)",
			after:  `{"permissions": {"allow": ["Read", "Bash(a && b > c)"]}, "x": 1}`,
		},
		{
			name:   "CRLF line endings",
			before: "{\r\n  \"model\": \"m\"\r\n}\r\n",
			rule:   "Read",
			after:  "{\r\n  \"model\": \"m\",\r\n  \"permissions\": {\r\n    \"allow\": [\r\n      \"Read\"\r\n    ]\r\n  }\r\n}\r\n",
		},
		{
			name:   "rule already there",
			before: "{ \"permissions\" : { \"allow\" : [ \"Read\" ] } }",
			rule:   "  Read ",
			after:  "{ \"permissions\" : { \"allow\" : [ \"Read\" ] } }",
		},
		{
			name:   "byte-order mark kept",
			before: "\xef\xbb\xbf{\"permissions\": {\"allow\": [\"Read\"]}}",
			rule:   "Edit",
			after:  "\xef\xbb\xbf{\"permissions\": {\"allow\": [\"Read\", \"Edit\"]}}",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := LocalPath(dir)
			writeFile(t, path, tt.before)
			if err := AddLocalAllowRule(dir, tt.rule); err != nil {
				t.Fatal(err)
			}
			got, _ := os.ReadFile(path)
			if string(got) != tt.after {
				t.Errorf("file after\n got %q\nwant %q", got, tt.after)
			}
		})
	}
}

func TestAddLocalAllowRuleCreatesFile(t *testing.T) {
	dir := t.TempDir()
	for _, rule := range []string{"Bash(git diff:*)", "Read(//tmp/**)", "Bash(git diff:*)"} {
		if err := AddLocalAllowRule(dir, rule); err != nil {
			t.Fatal(err)
		}
	}
	s := mustLoad(t, Options{ProjectDir: dir})
	local := Source{ScopeLocal, LocalPath(dir)}
	want := []Rule{{"Bash(git diff:*)", local}, {"Read(//tmp/**)", local}}
	if len(s.Permissions.Allow) != 2 || s.Permissions.Allow[0] != want[0] || s.Permissions.Allow[1] != want[1] {
		t.Errorf("allow = %v, want %v", s.Permissions.Allow, want)
	}
	if err := AddLocalAllowRule(dir, " "); err == nil {
		t.Error("an empty rule was accepted")
	}
}

func TestAddLocalAllowRuleKeepsModeAndRefusesBrokenFiles(t *testing.T) {
	dir := t.TempDir()
	path := LocalPath(dir)
	writeFile(t, path, `{"env": {"AWS_SECRET_ACCESS_KEY": "s"}}`)
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := AddLocalAllowRule(dir, "Read"); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("mode changed to %v", st.Mode().Perm())
	}
	broken := "{\"permissions\": {\"allow\": [\"Read\",]}}"
	writeFile(t, path, broken)
	err := AddLocalAllowRule(dir, "Edit")
	var fe *FileError
	if !errors.As(err, &fe) || fe.Line != 1 || fe.Col != 34 {
		t.Errorf("broken file: %v", err)
	}
	if got, _ := os.ReadFile(path); string(got) != broken {
		t.Errorf("a broken file was rewritten: %q", got)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

// A repository could point .claude/settings.local.json (or .claude itself) at the user's own
// settings: a rule allowed "for this project" must not land there.
func TestAddLocalAllowRuleRefusesSymlinks(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "user-settings.json")
	writeFile(t, target, `{}`)
	if err := os.MkdirAll(filepath.Join(dir, ".claude"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, LocalPath(dir)); err != nil {
		t.Skip("no symlinks here:", err)
	}
	if err := AddLocalAllowRule(dir, "Read"); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("a symlinked settings.local.json was written through: %v", err)
	}
	other := t.TempDir()
	if err := os.Symlink(filepath.Dir(target), filepath.Join(other, ".claude")); err != nil {
		t.Fatal(err)
	}
	if err := AddLocalAllowRule(other, "Read"); err == nil {
		t.Error("a symlinked .claude was written through")
	}
	if got, _ := os.ReadFile(target); string(got) != `{}` {
		t.Errorf("the link's target changed: %q", got)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(target), "settings.local.json")); err == nil {
		t.Error("a file was created through the symlinked .claude")
	}
}

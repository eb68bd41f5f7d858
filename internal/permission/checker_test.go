package permission

import (
	"encoding/json"
	"testing"
)

func mustRules(t *testing.T, texts ...string) []Rule {
	t.Helper()
	var out []Rule
	for _, s := range texts {
		r, err := ParseRule(s, "test")
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func input(kv map[string]string) json.RawMessage {
	b, _ := json.Marshal(kv)
	return b
}

func TestCheck(t *testing.T) {
	c := &Checker{
		Mode:       ModeDefault,
		AllowRules: mustRules(t, "Bash(go test:*)", "Bash(git status)", "WebFetch(domain:go.dev)", "mcp__docs"),
		AskRules:   mustRules(t, "Bash(go test ./secret/...)"),
		DenyRules:  mustRules(t, "Bash(rm:*)", "Read(//etc/**)", "Edit(./vendor/**)"),
		Dirs:       []string{"/work/p"},
	}
	cases := []struct {
		name     string
		call     Call
		want     Behavior
		wantRule string
	}{
		{"prefix allowed", Call{Tool: "Bash", Input: input(map[string]string{"command": "go test ./..."})}, Allow, "Bash(go test:*)"},
		{"prefix word boundary", Call{Tool: "Bash", Input: input(map[string]string{"command": "go testify"})}, Ask, ""},
		{"exact allowed", Call{Tool: "Bash", Input: input(map[string]string{"command": "git status"})}, Allow, "Bash(git status)"},
		{"exact with extra args asks", Call{Tool: "Bash", Input: input(map[string]string{"command": "git status --short"})}, Ask, ""},
		{"compound never allowed", Call{Tool: "Bash", Input: input(map[string]string{"command": "go test ./... && rm -rf /"})}, Ask, ""},
		{"pipe never allowed", Call{Tool: "Bash", Input: input(map[string]string{"command": "go test | sh"})}, Ask, ""},
		{"subst never allowed", Call{Tool: "Bash", Input: input(map[string]string{"command": "go test $(evil)"})}, Ask, ""},
		{"deny beats allow", Call{Tool: "Bash", Input: input(map[string]string{"command": "rm -rf x"})}, Deny, "Bash(rm:*)"},
		{"ask beats allow", Call{Tool: "Bash", Input: input(map[string]string{"command": "go test ./secret/..."})}, Ask, "Bash(go test ./secret/...)"},
		{"read inside cwd", Call{Tool: "Read", ReadOnly: true, Input: input(map[string]string{"file_path": "/work/p/a.go"})}, Allow, ""},
		{"read outside asks", Call{Tool: "Read", ReadOnly: true, Input: input(map[string]string{"file_path": "/home/u/a"})}, Ask, ""},
		{"read rule denies grep", Call{Tool: "Grep", ReadOnly: true, Input: input(map[string]string{"path": "/etc/passwd"})}, Deny, "Read(//etc/**)"},
		{"edit rule covers write", Call{Tool: "Write", EditsFiles: true, Input: input(map[string]string{"file_path": "/work/p/vendor/x.go"})}, Deny, "Edit(./vendor/**)"},
		{"edit asks in default", Call{Tool: "Edit", EditsFiles: true, Input: input(map[string]string{"file_path": "/work/p/a.go"})}, Ask, ""},
		{"webfetch domain", Call{Tool: "WebFetch", ReadOnly: true, Input: input(map[string]string{"url": "https://pkg.go.dev/x"})}, Allow, "WebFetch(domain:go.dev)"},
		{"webfetch other domain", Call{Tool: "WebFetch", Input: input(map[string]string{"url": "https://evil.example/go.dev"})}, Ask, ""},
		{"mcp server rule", Call{Tool: "mcp__docs__search"}, Allow, "mcp__docs"},
		{"mcp other server", Call{Tool: "mcp__other__search"}, Ask, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := c.Check(tc.call)
			if d.Behavior != tc.want || d.Rule != tc.wantRule {
				t.Fatalf("got %s by %q, want %s by %q", d.Behavior, d.Rule, tc.want, tc.wantRule)
			}
		})
	}
}

func TestModes(t *testing.T) {
	edit := Call{Tool: "Edit", EditsFiles: true, Input: input(map[string]string{"file_path": "/p/a"})}
	bash := Call{Tool: "Bash", Input: input(map[string]string{"command": "make"})}
	read := Call{Tool: "Read", ReadOnly: true, Input: input(map[string]string{"file_path": "/p/a"})}
	cases := []struct {
		mode             Mode
		edit, bash, read Behavior
	}{
		{ModeDefault, Ask, Ask, Allow},
		{ModeAcceptEdits, Allow, Ask, Allow},
		{ModePlan, Deny, Deny, Allow},
		{ModeBypass, Allow, Allow, Allow},
	}
	for _, tc := range cases {
		c := &Checker{Mode: tc.mode, Dirs: []string{"/p"}}
		if got := c.Check(edit).Behavior; got != tc.edit {
			t.Errorf("%s edit: %s, want %s", tc.mode, got, tc.edit)
		}
		if got := c.Check(bash).Behavior; got != tc.bash {
			t.Errorf("%s bash: %s, want %s", tc.mode, got, tc.bash)
		}
		if got := c.Check(read).Behavior; got != tc.read {
			t.Errorf("%s read: %s, want %s", tc.mode, got, tc.read)
		}
	}
}

func TestParseRuleErrors(t *testing.T) {
	for _, s := range []string{"", "Bash(ls", "(x)", "Ba sh"} {
		if _, err := ParseRule(s, "settings.json"); err == nil {
			t.Errorf("%q parsed", s)
		}
	}
}

func TestSplitRuleList(t *testing.T) {
	got := SplitRuleList("Bash(git diff:*) Edit,Read  WebFetch(domain:a.b)")
	want := []string{"Bash(git diff:*)", "Edit", "Read", "WebFetch(domain:a.b)"}
	if len(got) != len(want) {
		t.Fatalf("got %q", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %q", got)
		}
	}
}

package subagents

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/settings"
)

func TestLoadDirAndPrecedence(t *testing.T) {
	user, project := t.TempDir(), t.TempDir()
	write := func(dir, name, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(user, "reviewer.md", "---\ndescription: user reviewer\ntools: [Read]\n---\nuser prompt")
	write(user, "broken.md", "---\ndescription: [unclosed\n---\nx")
	write(user, "nodesc.md", "---\nname: nodesc\n---\nx")
	write(project, "team/reviewer.md", "---\nname: reviewer\ndescription: project reviewer\ntools: Read, Grep\nmodel: haiku\n---\nproject prompt\n")
	u, problems := LoadDir(user, SourceUser)
	if len(problems) != 2 || !strings.Contains(problems[0].Error()+problems[1].Error(), "no description") {
		t.Errorf("problems = %v", problems)
	}
	p, _ := LoadDir(project, SourceProject)
	missing, problems := LoadDir(filepath.Join(user, "nope"), SourceUser)
	if len(missing) != 0 || len(problems) != 0 {
		t.Errorf("a missing folder: %v %v", missing, problems)
	}
	flag, err := ParseJSON(`{"reviewer": {"description": "flag reviewer", "prompt": "flag prompt", "tools": "Read, Bash(git diff:*)"}}`)
	if err != nil {
		t.Fatal(err)
	}
	set := NewSet(Builtins(), p, u) // order of the lists does not matter, the source does
	d, _ := set.Lookup("reviewer")
	if d.Description != "project reviewer" || d.Prompt != "project prompt" || d.Model != "haiku" || !reflect.DeepEqual(d.Tools, []string{"Read", "Grep"}) {
		t.Errorf("project should win over user: %+v", d)
	}
	d, _ = NewSet(Builtins(), u, p, flag).Lookup("reviewer")
	if d.Source != SourceFlag || !reflect.DeepEqual(d.Tools, []string{"Read", "Bash(git diff:*)"}) {
		t.Errorf("--agents should win: %+v", d)
	}
	names := []string{}
	for _, d := range set.All() {
		names = append(names, d.Name)
	}
	if want := []string{"Explore", "Plan", "general-purpose", "reviewer"}; !reflect.DeepEqual(names, want) {
		t.Errorf("All = %q, want %q", names, want)
	}
}

func TestParseJSONErrors(t *testing.T) {
	for _, bad := range []string{`[]`, `{"x": 1}`, `{"x": {"description": "d"}}`, `{"bad name": {"description": "d", "prompt": "p"}}`,
		`{"x": {"description": "d", "prompt": "p", "tools": 3}}`} {
		if _, err := ParseJSON(bad); err == nil || !strings.HasPrefix(err.Error(), "--agents") {
			t.Errorf("ParseJSON(%s) = %v", bad, err)
		}
	}
}

// A definition's hooks read the same from front matter and from --agents JSON, name their
// source, and a wrong shape is an error.
func TestHooksField(t *testing.T) {
	file := "---\ndescription: guarded\nhooks:\n  PreToolUse:\n    - matcher: Bash\n      hooks:\n        - type: command\n          command: exit 2\n          timeout: 5\n---\nx"
	d, err := ParseFile("/p/.claude/agents/guard.md", []byte(file), SourceProject)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]settings.HookMatcher{"PreToolUse": {{Matcher: "Bash",
		Hooks:  []settings.HookCommand{{Type: "command", Command: "exit 2", Timeout: 5}},
		Source: settings.Source{Scope: settings.ScopeProject, Path: "/p/.claude/agents/guard.md"}}}}
	if !reflect.DeepEqual(d.Hooks, want) {
		t.Errorf("front matter hooks = %+v", d.Hooks)
	}
	defs, err := ParseJSON(`{"guard": {"description": "guarded", "prompt": "x", "hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "exit 2", "timeout": 5}]}]}}}`)
	if err != nil {
		t.Fatal(err)
	}
	want["PreToolUse"][0].Source = settings.Source{Scope: settings.ScopeFlag, Path: "--agents"}
	if !reflect.DeepEqual(defs[0].Hooks, want) {
		t.Errorf("--agents hooks = %+v", defs[0].Hooks)
	}
	if _, err := ParseFile("/p/a.md", []byte("---\ndescription: d\nhooks: [1]\n---\nx"), SourceProject); err == nil ||
		!strings.Contains(err.Error(), "hooks must be an object") {
		t.Errorf("a list of hooks: %v", err)
	}
	if d, err := ParseFile("/p/a.md", []byte("---\ndescription: d\n---\nx"), SourceProject); err != nil || d.Hooks != nil {
		t.Errorf("no hooks: %v %v", d.Hooks, err)
	}
}

package subagents

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
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

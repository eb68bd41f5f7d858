package commands

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// fakeRunner records what an expansion asked for.
type fakeRunner struct {
	ran, read []string
	allowed   []string
	fail      error
}

func (f *fakeRunner) Shell(_ context.Context, line string, allowed []string) (string, error) {
	f.ran, f.allowed = append(f.ran, line), allowed
	return "out of " + line + "\n", f.fail
}

func (f *fakeRunner) ReadFile(path string, _ []string) (string, error) {
	f.read = append(f.read, path)
	return "text of " + path, f.fail
}

func TestParseAndFill(t *testing.T) {
	tests := []struct {
		file, args, want, desc string
	}{
		{"Fix issue $ARGUMENTS now.", "#12", "Fix issue #12 now.", "Fix issue $ARGUMENTS now."},
		{"---\ndescription: \"Quote it\"\n---\nSay $1, then $2.", "a b c", "Say a, then b.", "Quote it"},
		{"# Tidy up\nTidy the code.", "", "# Tidy up\nTidy the code.", "Tidy up"},
		{"Plain.", "extra words", "Plain.\n\nARGUMENTS: extra words", "Plain."},
		{"---\r\nargument-hint: <x>\r\n---\r\nBody $2.", "one", "Body .", "Body $2."},
		{"Tenth: $10.", "1 2 3 4 5 6 7 8 9 ten", "Tenth: ten.", "Tenth: $10."},
	}
	for _, tt := range tests {
		c, err := Parse("x", "x.md", []byte(tt.file), ScopeUser)
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.Expand(context.Background(), tt.args, &fakeRunner{})
		if err != nil || got != tt.want || c.Description != tt.desc {
			t.Errorf("%q with %q: %q (description %q, %v), want %q (%q)", tt.file, tt.args, got, c.Description, err, tt.want, tt.desc)
		}
	}
}

func TestBangAndAtFile(t *testing.T) {
	c, err := Parse("rep", "rep.md", []byte("---\nallowed-tools: Bash(git status:*), Read\nmodel: haiku\n---\nStatus: !`git status $1`\nSee @notes.txt, and mail a@b.c.\n"), ScopeProject)
	if err != nil {
		t.Fatal(err)
	}
	r := &fakeRunner{}
	got, err := c.Expand(context.Background(), "--short", r)
	if err != nil {
		t.Fatal(err)
	}
	want := "Status: out of git status --short\nSee @notes.txt, and mail a@b.c.\n\nContents of notes.txt:\n```\ntext of notes.txt\n```"
	if got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if !reflect.DeepEqual(r.allowed, []string{"Bash(git status:*)", "Read"}) || c.Model != "haiku" {
		t.Errorf("allowed-tools %q, model %q", r.allowed, c.Model)
	}
	r.fail = errors.New("needs permission")
	if _, err := c.Expand(context.Background(), "", r); err == nil || !strings.Contains(err.Error(), "/rep: !`git status `: needs permission") {
		t.Errorf("a refused !command: %v", err)
	}
}

func TestLoadNamespacesAndPrecedence(t *testing.T) {
	user, project := t.TempDir(), t.TempDir()
	for path, text := range map[string]string{
		filepath.Join(user, "review.md"):         "user review",
		filepath.Join(user, "git", "log.md"):     "git log",
		filepath.Join(project, "review.md"):      "project review",
		filepath.Join(project, "bad.md"):         "---\nallowed-tools: {x: 1}\n---\n",
		filepath.Join(project, "notes", "a.txt"): "not a command",
	} {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	u, _ := LoadDir(user, ScopeUser)
	p, problems := LoadDir(project, ScopeProject)
	if len(problems) != 1 {
		t.Errorf("problems: %v", problems)
	}
	list := Merge(u, p)
	var names []string
	for _, c := range list {
		names = append(names, c.Name+"="+c.Body)
	}
	if want := []string{"git:log=git log", "review=project review"}; !reflect.DeepEqual(names, want) {
		t.Errorf("commands %q, want %q", names, want)
	}
	if c, args, ok := Find(list, "/git:log since Monday"); !ok || c.Name != "git:log" || args != "since Monday" {
		t.Errorf("Find: %v %q %v", c.Name, args, ok)
	}
	if _, _, ok := Find(list, "/usr/bin/ls is a path"); ok {
		t.Error("a path was taken for a command")
	}
}

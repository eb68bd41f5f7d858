package outputstyles

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	s, err := Parse("/x/terse.md", []byte("---\ndescription: Short\nkeep-coding-instructions: true\n---\n\nBe terse.\n"), SourceUser)
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "terse" || s.Description != "Short" || s.Prompt != "Be terse." || !s.KeepCodingInstructions {
		t.Errorf("got %+v", s)
	}
	s, err = Parse("/x/a.md", []byte("---\nname: Named\nkeep-coding-instructions: \"false\"\n---\nBody"), SourceProject)
	if err != nil || s.Name != "Named" || s.KeepCodingInstructions || s.Description != "Custom Named output style" {
		t.Errorf("got %+v, %v", s, err)
	}
	if _, err := Parse("/x/empty.md", []byte("---\nname: e\n---\n"), SourceUser); err == nil || !strings.Contains(err.Error(), "no instructions") {
		t.Errorf("empty body: %v", err)
	}
	if _, err := Parse("/x/bad.md", []byte("---\nname: [\n---\nx"), SourceUser); err == nil || !strings.Contains(err.Error(), "/x/bad.md") {
		t.Errorf("bad yaml: %v", err)
	}
}

func TestLoadDirAndPrecedence(t *testing.T) {
	user, project := t.TempDir(), t.TempDir()
	write := func(dir, name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(user, "Pirate.md", "Arr (user).")
	write(user, "notes.txt", "ignored")
	write(project, "Pirate.md", "Arr (project).")
	write(project, "broken.md", "---\nname: x\n---\n")
	u, p1 := LoadDir(user, SourceUser)
	p, p2 := LoadDir(project, SourceProject)
	if len(p1) != 0 || len(p2) != 1 || len(u) != 1 || len(p) != 1 {
		t.Fatalf("user %v %v, project %v %v", u, p1, p, p2)
	}
	set := NewSet(u, p)
	got, ok := set.Find("pirate")
	if !ok || got.Prompt != "Arr (project)." {
		t.Errorf("Find(pirate) = %+v, %v; the project's style should win", got, ok)
	}
	if names := strings.Join(set.Names(), ","); names != "default,Explanatory,Learning,Pirate" {
		t.Errorf("names = %s", names)
	}
	if d, ok := set.Find(""); !ok || !d.IsDefault() {
		t.Error("the empty name is the default style")
	}
	if _, ok := set.Find("nope"); ok {
		t.Error("unknown style found")
	}
	if s, _ := LoadDir(filepath.Join(user, "missing"), SourceUser); s != nil {
		t.Error("a missing folder is no styles")
	}
}

package memory

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// tree writes files (path relative to root → content) and returns root.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for rel, content := range files {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// load runs Load in root/cwd with root/home/.claude as config directory and root/home as
// home, keeping only files inside root (the temp directory's own parents are not ours).
func load(t *testing.T, root, cwd string) []File {
	t.Helper()
	home := filepath.Join(root, "home")
	files, err := Load(filepath.Join(root, cwd), filepath.Join(home, ".claude"), home)
	if err != nil {
		t.Fatal(err)
	}
	var mine []File
	for _, f := range files {
		if strings.HasPrefix(f.Path, root+string(filepath.Separator)) {
			mine = append(mine, f)
		}
	}
	return mine
}

func TestLoadOrder(t *testing.T) {
	root := tree(t, map[string]string{
		"home/.claude/CLAUDE.md":        "user",
		"home/CLAUDE.md":                "home project",
		"home/proj/CLAUDE.md":           "project",
		"home/proj/CLAUDE.local.md":     "local",
		"home/proj/sub/CLAUDE.md":       "sub",
		"home/proj/sub/deeper/x.txt":    "not memory",
		"home/proj/other/CLAUDE.md":     "a sibling, never read",
		"home/proj/sub/CLAUDE.local.md": "   \n",
	})
	if err := os.Mkdir(filepath.Join(root, "home/proj/sub/deeper/CLAUDE.md"), 0o755); err != nil {
		t.Fatal(err)
	}
	files := load(t, root, "home/proj/sub/deeper")
	var got []string
	for _, f := range files {
		rel, _ := filepath.Rel(root, f.Path)
		got = append(got, filepath.ToSlash(rel)+" "+f.Scope+" "+f.Content)
	}
	want := []string{
		"home/.claude/CLAUDE.md user user",
		"home/CLAUDE.md project home project",
		"home/proj/CLAUDE.md project project",
		"home/proj/CLAUDE.local.md local local",
		"home/proj/sub/CLAUDE.md project sub",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("Load order:\n got %q\nwant %q", got, want)
	}
}

func TestImports(t *testing.T) {
	root := tree(t, map[string]string{
		"home/shared.md":     "from home",
		"abs/rules.md":       "absolute rules",
		"proj/docs/style.md": "style: @tabs.md",
		"proj/docs/tabs.md":  "use tabs",
		"proj/inline.md":     "SHOULD NOT APPEAR inline",
		"proj/fenced.md":     "SHOULD NOT APPEAR fenced",
		"proj/my notes.md":   "spaced name",
		"proj/CLAUDE.md": strings.Join([]string{
			"Style: @docs/style.md",
			"Mine: @~/shared.md and @ABS/abs/rules.md",
			"Quoted `@inline.md` and ``a ` @inline.md``",
			"```sh",
			"@fenced.md",
			"```",
			"~~~~",
			"@fenced.md",
			"~~~~",
			"Mail me@example.com, see @docs/style.md again.",
			"Space: @my\\ notes.md",
			"Gone: @missing.md",
		}, "\n"),
	})
	claude := filepath.Join(root, "proj/CLAUDE.md")
	data, _ := os.ReadFile(claude)
	if err := os.WriteFile(claude, []byte(strings.ReplaceAll(string(data), "@ABS", "@"+root)), 0o644); err != nil {
		t.Fatal(err)
	}
	files := load(t, root, "proj")
	if len(files) != 1 {
		t.Fatalf("%d files", len(files))
	}
	c := files[0].Content
	for _, want := range []string{"style: @tabs.md", "use tabs", "from home", "absolute rules", "spaced name",
		"<!-- imported from " + filepath.Join(root, "proj/docs/style.md") + " -->", "@missing.md not imported"} {
		if !strings.Contains(c, want) {
			t.Errorf("content lacks %q:\n%s", want, c)
		}
	}
	if strings.Contains(c, "SHOULD NOT APPEAR") {
		t.Errorf("an import inside code was expanded:\n%s", c)
	}
	if n := strings.Count(c, "use tabs"); n != 1 {
		t.Errorf("a file imported twice appears %d times", n)
	}
	if !slices.Equal(files[0].Missing, []string{"missing.md"}) {
		t.Errorf("Missing = %q", files[0].Missing)
	}
	// The imported text follows the line that mentions it.
	if strings.Index(c, "use tabs") < strings.Index(c, "Style: @docs/style.md") ||
		strings.Index(c, "use tabs") > strings.Index(c, "Mine:") {
		t.Errorf("import not placed after its line:\n%s", c)
	}
}

func TestImportDepthLimit(t *testing.T) {
	files := map[string]string{"p/CLAUDE.md": "level 0 @d1.md"}
	for i := 1; i <= 7; i++ {
		files["p/d"+string(rune('0'+i))+".md"] = "level " + string(rune('0'+i)) + " @d" + string(rune('1'+i)) + ".md"
	}
	root := tree(t, files)
	c := load(t, root, "p")[0].Content
	for i := 1; i <= MaxImportDepth; i++ {
		if !strings.Contains(c, "level "+string(rune('0'+i))) {
			t.Errorf("hop %d not imported:\n%s", i, c)
		}
	}
	if strings.Contains(c, "level 6") || !strings.Contains(c, "@d6.md not imported: more than 5 imports deep") {
		t.Errorf("depth limit not applied:\n%s", c)
	}
}

func TestImportCycle(t *testing.T) {
	root := tree(t, map[string]string{
		"p/CLAUDE.md": "top @a.md",
		"p/a.md":      "in a @b.md",
		"p/b.md":      "in b @a.md @CLAUDE.md",
	})
	c := load(t, root, "p")[0].Content
	if strings.Count(c, "in a") != 1 || strings.Count(c, "in b") != 1 || strings.Count(c, "top") != 1 {
		t.Fatalf("cycle not cut:\n%s", c)
	}
}

func TestRender(t *testing.T) {
	if got := Render(nil); got != "" {
		t.Fatalf("Render(nil) = %q", got)
	}
	got := Render([]File{
		{Path: "/u/.claude/CLAUDE.md", Scope: ScopeUser, Content: "be brief\n"},
		{Path: "/p/CLAUDE.md", Scope: ScopeProject, Content: "use tabs"},
	})
	user := strings.Index(got, "## /u/.claude/CLAUDE.md (")
	proj := strings.Index(got, "## /p/CLAUDE.md (")
	if user < 0 || proj < user || !strings.Contains(got[user:proj], "be brief") || !strings.Contains(got[proj:], "use tabs") {
		t.Fatalf("Render:\n%s", got)
	}
}

func TestAppendNote(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, before, note, after string
	}{
		{"new file", "", "use tabs", "- use tabs\n"},
		{"ends with newline", "# Rules\n", "no emoji", "# Rules\n- no emoji\n"},
		{"no final newline", "# Rules", "no emoji", "# Rules\n- no emoji\n"},
		{"note on several lines", "", "one\n two  three", "- one two three\n"},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, string(rune('a'+i)), "sub", "CLAUDE.md")
			if tc.before != "" {
				os.MkdirAll(filepath.Dir(path), 0o755)
				os.WriteFile(path, []byte(tc.before), 0o644)
			}
			if err := AppendNote(path, tc.note); err != nil {
				t.Fatal(err)
			}
			got, _ := os.ReadFile(path)
			if string(got) != tc.after {
				t.Errorf("file = %q, want %q", got, tc.after)
			}
		})
	}
	if err := AppendNote(filepath.Join(dir, "x.md"), "  \n "); err == nil {
		t.Error("an empty note was accepted")
	}
}

// FuzzSplitLines checks the line splitter keeps every byte and finds imports only where one
// could be.
func FuzzSplitLines(f *testing.F) {
	f.Add("a @b.md\n```\n@c.md\n```\n`@d` @e\\ f.md\n")
	f.Add("~~~~\n@x\n~~~\n@y\n~~~~\n@z")
	f.Add("`` @a ` @b `` @c")
	f.Fuzz(func(t *testing.T, content string) {
		var b strings.Builder
		for _, ln := range splitLines(content) {
			b.WriteString(ln.text)
			if strings.Count(ln.text, "\n") > 1 || strings.Contains(strings.TrimSuffix(ln.text, "\n"), "\n") {
				t.Fatalf("line %q holds more than one line", ln.text)
			}
			for _, ref := range ln.imports {
				if ref == "" || !strings.Contains(ln.text, "@") {
					t.Fatalf("import %q found in %q", ref, ln.text)
				}
			}
		}
		if b.String() != content {
			t.Fatalf("lines do not add up to the content:\n got %q\nwant %q", b.String(), content)
		}
	})
}

func TestRulesDotClaudeManagedAndExcludes(t *testing.T) {
	root := t.TempDir()
	put := func(rel, text string) {
		t.Helper()
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	put("managed/CLAUDE.md", "org rule")
	put("conf/CLAUDE.md", "user file")
	put("conf/rules/style.md", "user style rule")
	put("proj/CLAUDE.md", "project file")
	put("proj/.claude/CLAUDE.md", "dot-claude file")
	put("proj/.claude/rules/go/tests.md", "---\npaths: \"**/*_test.go\"\n---\nTable tests please.")
	put("proj/.claude/rules/secret.md", "excluded rule")
	files, err := LoadWith(Options{Cwd: filepath.Join(root, "proj"), ConfigDir: filepath.Join(root, "conf"), Home: root,
		ManagedDir: filepath.Join(root, "managed"), Excludes: []string{filepath.Join(root, "proj/.claude/rules/secret.md"), filepath.Join(root, "managed/*")}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		got = append(got, strings.TrimPrefix(f.Path, root+"/")+" "+f.Scope)
	}
	want := []string{"managed/CLAUDE.md managed", "conf/CLAUDE.md user", "conf/rules/style.md user", "proj/CLAUDE.md project",
		"proj/.claude/CLAUDE.md project", "proj/.claude/rules/go/tests.md project"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("files:\n got %q\nwant %q", got, want)
	}
	if last := files[len(files)-1].Content; last != "(This rule applies when working with files matching: **/*_test.go.)\n\nTable tests please." {
		t.Errorf("rule text %q", last)
	}
}

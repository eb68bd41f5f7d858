package search

import (
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// writeTree creates files (relative path → content) under a new temp dir and returns it.
// A path ending in "/" creates an empty directory.
func writeTree(t testing.TB, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for rel, content := range files {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if strings.HasSuffix(rel, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// repoTree is a git repository exercising every kind of ignore rule.
var repoTree = map[string]string{
	".git/info/exclude":        "secret.txt\n",
	".git/config":              "[core]\n",
	".gitignore":               "*.log\n!keep.log\nbuild/\n/top-only.txt\nnode_modules\n",
	".ignore":                  "ignored-by-dot-ignore.md\n",
	".env":                     "HIDDEN=1\n",
	"a.go":                     "package a\n",
	"keep.log":                 "kept\n",
	"drop.log":                 "dropped\n",
	"secret.txt":               "excluded\n",
	"top-only.txt":             "ignored at top\n",
	"sub/top-only.txt":         "not ignored below\n",
	"sub/.gitignore":           "local.txt\n!drop2.log\n",
	"sub/local.txt":            "ignored in sub\n",
	"sub/drop2.log":            "re-included by nested file\n",
	"sub/b.py":                 "print(1)\n",
	"sub/deep/c.md":            "# c\n",
	"build/out.bin":            "x\n",
	"node_modules/m.js":        "x\n",
	"ignored-by-dot-ignore.md": "x\n",
	"docs/guide.md":            "guide\n",
	"empty/":                   "",
}

func walkFiles(t *testing.T, root string, opts Options) []string {
	t.Helper()
	w, err := NewWalker(root, opts)
	if err != nil {
		t.Fatalf("NewWalker: %v", err)
	}
	var got []string
	err = w.Walk(context.Background(), func(path string, d fs.DirEntry) error {
		if !d.IsDir() {
			rel, _ := filepath.Rel(root, path)
			got = append(got, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Walk: %v", err)
	}
	sort.Strings(got)
	return got
}

func TestWalkRepository(t *testing.T) {
	root := writeTree(t, repoTree)
	tests := []struct {
		name string
		opts Options
		want []string
	}{
		{"all", Options{}, []string{".env", ".gitignore", ".ignore", "a.go", "docs/guide.md",
			"keep.log", "sub/.gitignore", "sub/b.py", "sub/deep/c.md", "sub/drop2.log", "sub/top-only.txt"}},
		{"type", Options{Type: "md"}, []string{"docs/guide.md", "sub/deep/c.md"}},
		{"glob selects", Options{Globs: []string{"*.py"}}, []string{"sub/b.py"}},
		{"glob excludes", Options{Globs: []string{"!sub/**"}}, []string{".env", ".gitignore", ".ignore", "a.go", "docs/guide.md", "keep.log"}},
		{"glob beats gitignore", Options{Globs: []string{"*.log"}}, []string{"drop.log", "keep.log", "sub/drop2.log"}},
		{"anchored glob beats gitignore", Options{Globs: []string{"sub/*"}}, []string{"sub/.gitignore", "sub/b.py", "sub/drop2.log", "sub/local.txt", "sub/top-only.txt"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := walkFiles(t, root, tt.opts); !slices.Equal(got, tt.want) {
				t.Errorf("files = %q\nwant    %q", got, tt.want)
			}
		})
	}
}

func TestWalkOutsideRepositoryIgnoresGitignore(t *testing.T) {
	root := writeTree(t, map[string]string{
		".gitignore": "*.log\n",
		".ignore":    "*.tmp\n",
		"a.log":      "x",
		"b.tmp":      "x",
		"c.txt":      "x",
	})
	want := []string{".gitignore", ".ignore", "a.log", "c.txt"}
	if got := walkFiles(t, root, Options{}); !slices.Equal(got, want) {
		t.Errorf("files = %q, want %q", got, want)
	}
}

func TestWalkSubdirectoryUsesRepositoryRootRules(t *testing.T) {
	root := writeTree(t, repoTree)
	got := walkFiles(t, filepath.Join(root, "sub"), Options{Globs: []string{"!deep"}})
	want := []string{".gitignore", "b.py", "drop2.log", "top-only.txt"}
	if !slices.Equal(got, want) {
		t.Errorf("files = %q, want %q", got, want)
	}
}

func TestWalkSkipDirAndErrors(t *testing.T) {
	root := writeTree(t, repoTree)
	if _, err := NewWalker(root, Options{Type: "nosuchtype"}); err == nil {
		t.Error("unknown type accepted")
	}
	if _, err := NewWalker(root, Options{Globs: []string{"[oops"}}); err == nil {
		t.Error("bad glob accepted")
	}
	w, _ := NewWalker(root, Options{})
	var seen []string
	_ = w.Walk(context.Background(), func(path string, d fs.DirEntry) error {
		if d.IsDir() {
			return fs.SkipDir
		}
		seen = append(seen, filepath.Base(path))
		return nil
	})
	if slices.Contains(seen, "b.py") {
		t.Error("SkipDir did not skip sub/")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := w.Walk(ctx, func(string, fs.DirEntry) error { return nil }); err == nil {
		t.Error("Walk with a cancelled context returned nil")
	}
}

// TestWalkMatchesRipgrep compares the walker with `rg --files` on the same trees and options.
func TestWalkMatchesRipgrep(t *testing.T) {
	rg, err := exec.LookPath("rg")
	if err != nil {
		t.Skip("rg not installed; the comparison with ripgrep is skipped")
	}
	root := writeTree(t, repoTree)
	plain := writeTree(t, map[string]string{".gitignore": "*.log\n", ".rgignore": "*.tmp\n", "a.log": "", "b.tmp": "", "c/d.txt": ""})
	cases := []struct {
		root string
		opts Options
	}{
		{root, Options{}},
		{root, Options{Type: "md"}},
		{root, Options{Type: "py"}},
		{root, Options{Globs: []string{"*.log"}}},
		{root, Options{Globs: []string{"!sub/**", "*.md"}}},
		{root, Options{Globs: []string{"sub/*"}}},
		{root, Options{Globs: []string{"**/deep/**"}}},
		{root, Options{Globs: []string{"*.{go,py}"}, Type: "md"}},
		{filepath.Join(root, "sub"), Options{}},
		{plain, Options{}},
	}
	for _, c := range cases {
		args := []string{"--no-config", "--files", "--hidden", "--no-ignore-global"}
		for _, g := range c.opts.Globs {
			args = append(args, "--glob", g)
		}
		args = append(args, "--glob", "!.git")
		if c.opts.Type != "" {
			args = append(args, "--type", c.opts.Type)
		}
		cmd := exec.Command(rg, append(args, ".")...)
		cmd.Dir = c.root
		out, err := cmd.Output()
		if err != nil && len(out) > 0 {
			t.Fatalf("rg %v: %v", args, err)
		}
		var want []string
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if l != "" {
				want = append(want, strings.TrimPrefix(l, "./"))
			}
		}
		sort.Strings(want)
		if got := walkFiles(t, c.root, c.opts); !slices.Equal(got, want) {
			t.Errorf("root %s options %+v:\nwalker %q\nrg     %q", c.root, c.opts, got, want)
		}
	}
}

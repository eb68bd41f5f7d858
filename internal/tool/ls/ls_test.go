package ls

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tool/fsutil"
)

func TestSchemaMatchesInput(t *testing.T) {
	if err := fsutil.CheckSchema(schema, input{}); err != nil {
		t.Fatal(err)
	}
	if New().Name() != "LS" || New().Class() != permission.ClassRead || !New().ConcurrencySafe() || New().Description() == "" {
		t.Fatal("tool metadata incomplete")
	}
}

// tree creates files (and their directories) under a new temp dir; names ending in / are
// empty directories.
func tree(t *testing.T, names ...string) string {
	t.Helper()
	root := t.TempDir()
	for _, n := range names {
		p := filepath.Join(root, n)
		if strings.HasSuffix(n, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func run(t *testing.T, env *tool.Env, in map[string]any) tool.Result {
	t.Helper()
	raw, _ := json.Marshal(in)
	res, err := New().Run(context.Background(), env, raw)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestListing(t *testing.T) {
	files := []string{"b.txt", "a/x.go", "a/sub/y.go", "node_modules/pkg/index.js", ".git/HEAD", "empty/", "logs/app.log", "c.log"}
	tests := []struct {
		name   string
		ignore []string
		want   string
	}{
		{name: "everything", want: `- ROOT/
  - .git/ (contents not listed)
  - a/
    - sub/
      - y.go
    - x.go
  - b.txt
  - c.log
  - empty/
  - logs/
    - app.log
  - node_modules/ (contents not listed)
`},
		{name: "ignore by name and by relative path", ignore: []string{"*.log", "a/sub", ".git"}, want: `- ROOT/
  - a/
    - x.go
  - b.txt
  - empty/
  - logs/
  - node_modules/ (contents not listed)
`},
		{name: "doublestar", ignore: []string{"**/*.go", "{logs,empty}"}, want: `- ROOT/
  - .git/ (contents not listed)
  - a/
    - sub/
  - b.txt
  - c.log
  - node_modules/ (contents not listed)
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := tree(t, files...)
			res := run(t, tool.NewEnv(root), map[string]any{"path": root, "ignore": tt.ignore})
			want := strings.ReplaceAll(tt.want, "ROOT", root)
			if res.IsError || res.Text != want {
				t.Fatalf("got\n%s\nwant\n%s", res.Text, want)
			}
		})
	}
}

func TestListingDetails(t *testing.T) {
	root := tree(t, "real/f.txt", "inside/node_modules/")
	if err := os.Symlink(filepath.Join(root, "real"), filepath.Join(root, "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("link", filepath.Join(root, "real", "loop")); err != nil {
		t.Fatal(err)
	}
	env := tool.NewEnv(root)
	res := run(t, env, map[string]any{}) // no path: the working directory
	for _, want := range []string{"- link -> " + filepath.Join(root, "real") + "\n", "    - loop -> link\n", "  - inside/\n    - node_modules/ (contents not listed)\n"} {
		if !strings.Contains(res.Text, want) {
			t.Errorf("listing lacks %q:\n%s", want, res.Text)
		}
	}
	// Listing a normally unexpanded directory explicitly shows its contents.
	nm := tree(t, "node_modules/left-pad/index.js")
	res = run(t, env, map[string]any{"path": filepath.Join(nm, "node_modules")})
	if !strings.Contains(res.Text, "  - left-pad/\n    - index.js\n") {
		t.Errorf("explicit node_modules listing:\n%s", res.Text)
	}
	empty := t.TempDir()
	if res := run(t, env, map[string]any{"path": empty}); !strings.Contains(res.Text, "(empty directory)") {
		t.Errorf("empty dir: %q", res.Text)
	}
}

func TestListingCap(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"d1", "d2", "d3"} {
		os.Mkdir(filepath.Join(root, d), 0o755)
		for i := range 400 {
			os.WriteFile(filepath.Join(root, d, fmt.Sprintf("f%03d", i)), nil, 0o644)
		}
	}
	os.WriteFile(filepath.Join(root, "top.txt"), nil, 0o644)
	res := run(t, tool.NewEnv(root), map[string]any{"path": root})
	// 4 top-level entries, then 400+400 files, then 196 of d3 before the cap.
	for _, want := range []string{"  - top.txt\n", "  - d3/ (more entries not listed: entry limit reached)\n", "    - f195\n", "Listing stopped at 1000 entries"} {
		if !strings.Contains(res.Text, want) {
			t.Errorf("capped listing lacks %q", want)
		}
	}
	if strings.Count(res.Text, "\n    - ") != 996 {
		t.Errorf("listed %d nested entries, want 996", strings.Count(res.Text, "\n    - "))
	}
}

func TestRefusals(t *testing.T) {
	root := tree(t, "f.txt")
	tests := []struct {
		in     map[string]any
		errHas string
	}{
		{map[string]any{"path": "relative/dir"}, "absolute"},
		{map[string]any{"path": filepath.Join(root, "missing")}, "does not exist"},
		{map[string]any{"path": filepath.Join(root, "f.txt")}, "use Read"},
		{map[string]any{"path": root, "ignore": []string{"[unclosed"}}, "not a valid glob"},
		{map[string]any{"path": root, "depth": 2}, `unknown field "depth"`},
	}
	for _, tt := range tests {
		res := run(t, tool.NewEnv(root), tt.in)
		if !res.IsError || !strings.Contains(res.Text, tt.errHas) {
			t.Errorf("%v: got %+v, want error with %q", tt.in, res, tt.errHas)
		}
	}
}

// TestListingHidesDeniedEntries: an entry the read filter refuses is not listed or entered.
func TestListingHidesDeniedEntries(t *testing.T) {
	root := tree(t, "secrets/key.txt", "src/a.go")
	env := tool.NewEnv(root)
	env.CanRead = func(p string) bool { return !strings.Contains(p, "/secrets") }
	res := run(t, env, map[string]any{"path": root})
	if strings.Contains(res.Text, "secrets") || strings.Contains(res.Text, "key.txt") || !strings.Contains(res.Text, "a.go") {
		t.Fatalf("listing:\n%s", res.Text)
	}
}

package glob

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tool/fsutil"
)

// makeTree writes files with strictly increasing modification times in the order given, so
// the newest-first order is known.
func makeTree(t *testing.T, files ...string) string {
	t.Helper()
	root := t.TempDir()
	base := time.Now().Add(-time.Hour)
	for i, rel := range files {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		content := ""
		if filepath.Base(p) == ".gitignore" {
			content = "*.log\nbuild/\n"
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		mt := base.Add(time.Duration(i) * time.Minute)
		if err := os.Chtimes(p, mt, mt); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func run(t *testing.T, env *tool.Env, input string) tool.Result {
	t.Helper()
	res, err := New().Run(context.Background(), env, json.RawMessage(input))
	if err != nil {
		t.Fatalf("Run(%s): %v", input, err)
	}
	return res
}

func TestGlob(t *testing.T) {
	root := makeTree(t,
		".git/HEAD", ".gitignore", "old.go", "src/a.go", "src/deep/b.go", "src/c.ts",
		"debug.log", "build/gen.go", ".hidden.go", "new.go")
	tests := []struct {
		name  string
		input string
		want  []string // relative to root, in order
	}{
		{"recursive newest first", `{"pattern":"**/*.go"}`,
			[]string{"new.go", ".hidden.go", "src/deep/b.go", "src/a.go", "old.go"}},
		{"top level only", `{"pattern":"*.go"}`, []string{"new.go", ".hidden.go", "old.go"}},
		{"literal prefix", `{"pattern":"src/**/*.go"}`, []string{"src/deep/b.go", "src/a.go"}},
		{"braces", `{"pattern":"src/*.{go,ts}"}`, []string{"src/c.ts", "src/a.go"}},
		{"path input", `{"pattern":"*","path":"src"}`, []string{"src/c.ts", "src/a.go"}},
		{"ignored files stay out", `{"pattern":"**/*.log"}`, nil},
		{"git dir skipped", `{"pattern":"**/HEAD"}`, nil},
	}
	env := tool.NewEnv(root)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := run(t, env, tt.input)
			if res.IsError {
				t.Fatalf("error result: %s", res.Text)
			}
			if tt.want == nil {
				if !strings.HasPrefix(res.Text, "No files found") {
					t.Errorf("got %q, want no files", res.Text)
				}
				return
			}
			var want []string
			for _, w := range tt.want {
				want = append(want, filepath.Join(root, w))
			}
			if got := res.Text; got != strings.Join(want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", got, strings.Join(want, "\n"))
			}
		})
	}
}

func TestGlobAbsolutePattern(t *testing.T) {
	root := makeTree(t, "a/x.txt", "b/y.txt")
	env := tool.NewEnv(t.TempDir())
	in, _ := json.Marshal(map[string]string{"pattern": filepath.Join(root, "a", "*.txt")})
	res := run(t, env, string(in))
	if res.Text != filepath.Join(root, "a", "x.txt") {
		t.Errorf("got %q", res.Text)
	}
}

func TestGlobCap(t *testing.T) {
	var files []string
	for i := range maxResults + 5 {
		files = append(files, fmt.Sprintf("f%03d.txt", i))
	}
	root := makeTree(t, files...)
	res := run(t, tool.NewEnv(root), `{"pattern":"*.txt"}`)
	lines := strings.Split(res.Text, "\n")
	if len(lines) != maxResults+1 {
		t.Fatalf("got %d lines, want %d paths and a note", len(lines), maxResults)
	}
	if lines[0] != filepath.Join(root, fmt.Sprintf("f%03d.txt", maxResults+4)) {
		t.Errorf("first line %q is not the newest file", lines[0])
	}
	if !strings.Contains(lines[maxResults], fmt.Sprintf("%d most recently modified of %d", maxResults, maxResults+5)) {
		t.Errorf("cut not reported: %q", lines[maxResults])
	}
}

func TestGlobErrors(t *testing.T) {
	root := makeTree(t, "a.txt")
	env := tool.NewEnv(root)
	for _, input := range []string{
		`{}`,
		`{"pattern":"[abc"}`,
		`{"pattern":"*","path":"missing"}`,
		`{"pattern":"*","path":"a.txt"}`,
		`{"pattern":"*","paht":"x"}`,
	} {
		res := run(t, env, input)
		if !res.IsError {
			t.Errorf("input %s: want an error result, got %q", input, res.Text)
		}
	}
	if res := run(t, env, `{"pattern":"*","paht":"x"}`); !strings.Contains(res.Text, "paht") {
		t.Errorf("unknown field not named: %q", res.Text)
	}
}

func TestSchemaMatchesInput(t *testing.T) {
	if err := fsutil.CheckSchema(New().InputSchema(), input{}); err != nil {
		t.Error(err)
	}
	if New().Name() != "Glob" || New().Class() != permission.ClassRead || !New().ConcurrencySafe() || New().Description() == "" {
		t.Error("name, read-only flag or description wrong")
	}
}

// TestGlobHidesDeniedFiles: neither a pattern naming a hidden file nor one matching
// everything lists it, nor a link to it.
func TestGlobHidesDeniedFiles(t *testing.T) {
	root := makeTree(t, "secrets/key.txt", "src/a.go")
	if err := os.Symlink(filepath.Join(root, "secrets", "key.txt"), filepath.Join(root, "src", "k")); err != nil {
		t.Fatal(err)
	}
	env := tool.NewEnv(root)
	env.CanRead = func(p string) bool {
		real, err := filepath.EvalSymlinks(p)
		return !strings.Contains(p, "/secrets") && (err != nil || !strings.Contains(real, "/secrets"))
	}
	for _, in := range []string{`{"pattern":"**/key.txt"}`, `{"pattern":"**/*"}`, `{"pattern":"secrets/*"}`, `{"pattern":"src/*"}`} {
		res := run(t, env, in)
		// "No files found matching <pattern>" repeats the model's own words; paths must not appear.
		if strings.Contains(res.Text, filepath.Join(root, "secrets")) || strings.Contains(res.Text, filepath.Join(root, "src", "k")) {
			t.Errorf("%s leaked:\n%s", in, res.Text)
		}
	}
	if res := run(t, env, `{"pattern":"**/*.go"}`); !strings.Contains(res.Text, "a.go") {
		t.Errorf("visible file missing:\n%s", res.Text)
	}
}

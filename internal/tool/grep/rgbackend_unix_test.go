//go:build unix

package grep

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/tool"
)

// fakeRg writes a stand-in for ripgrep, so the process side of the rg back end (output
// streamed to the parser, stderr kept for the message, start failures) is tested without rg.
func fakeRg(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "rg")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRgBackendProcess(t *testing.T) {
	root := t.TempDir()
	env := tool.NewEnv(root)
	env.Environ = []string{"PATH=" + os.Getenv("PATH")}
	match := `{"type":"match","data":{"path":{"text":"a.txt"},"lines":{"text":"hello\n"},"line_number":3}}`
	tests := []struct {
		name, body, want string
		isErr            bool
	}{
		{"matches", "printf '%s\\n' '" + match + "'\necho '{\"type\":\"summary\",\"data\":{}}'\n",
			root + "/a.txt:3:hello", false},
		{"refused with its message", "echo 'regex parse error: unclosed group' >&2\nexit 2\n",
			"ripgrep refused the search: regex parse error: unclosed group", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := New(Options{RgPath: fakeRg(t, tt.body)})
			res := runGrep(t, g, env, `{"pattern":"hello","output_mode":"content"}`)
			if res.IsError != tt.isErr || !strings.Contains(res.Text, tt.want) {
				t.Errorf("got %+v, want %q", res, tt.want)
			}
		})
	}
	// rg that cannot start falls back to the Go back end.
	if err := os.WriteFile(filepath.Join(root, "b.txt"), []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	g := New(Options{RgPath: filepath.Join(root, "no-such-rg")})
	if res := runGrep(t, g, env, `{"pattern":"hello"}`); res.IsError || !strings.Contains(res.Text, "b.txt") {
		t.Errorf("fallback: %+v", res)
	}
}

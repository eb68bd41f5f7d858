package bash

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/strata-agent/strata/internal/hooks"
	"github.com/strata-agent/strata/internal/tool"
)

// BenchmarkBashEchoWithHookEnv is BenchmarkBashEcho (its yardstick, run alongside) with four
// CLAUDE_ENV_FILE scripts hooks left, read and run before the command as in a session.
func BenchmarkBashEchoWithHookEnv(b *testing.B) {
	envDir := b.TempDir()
	session := filepath.Join(envDir, "sess")
	if err := os.MkdirAll(session, 0o700); err != nil {
		b.Fatal(err)
	}
	for i, ev := range []string{"sessionstart", "sessionstart", "cwdchanged", "filechanged"} {
		text := fmt.Sprintf("export VAR_%d=value-%d\nexport PATH=\"$PATH:/opt/tool%d/bin\"\n", i, i, i)
		if err := os.WriteFile(filepath.Join(session, fmt.Sprintf("%s-hook-%d.sh", ev, i)), []byte(text), 0o600); err != nil {
			b.Fatal(err)
		}
	}
	r, err := hooks.New(hooks.Options{EnvDir: envDir})
	if err != nil {
		b.Fatal(err)
	}
	env := tool.NewEnv(b.TempDir())
	env.Environ = []string{"PATH=" + os.Getenv("PATH")}
	env.ShellEnv = func() string { return r.SessionEnv("sess") }
	tl := New()
	in := json.RawMessage(`{"command":"echo $VAR_3"}`)
	for b.Loop() {
		res, err := tl.Run(context.Background(), env, in)
		if err != nil || res.Text != "value-3" {
			b.Fatal(err, res.Text)
		}
	}
}

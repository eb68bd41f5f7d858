package cli

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/hooks"
	"github.com/strata-agent/strata/internal/settings"
)

// waitFor polls until cond holds; the bound only keeps a broken watcher from hanging.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("never: %s", what)
}

// The watcher follows the session: the matcher's file under the working directory, then
// under the new one after a cd, plus what hooks ask for; close stops it with its goroutines.
func TestFileHooksFollowTheSession(t *testing.T) {
	baseline := runtime.NumGoroutine()
	one, two, extra := t.TempDir(), t.TempDir(), t.TempDir()
	log := filepath.Join(t.TempDir(), "log")
	hook := settings.HookCommand{Command: "cat >> " + log}
	r, err := hooks.New(hooks.Options{ProjectDir: one, Env: []string{"PATH=" + os.Getenv("PATH")},
		Hooks: map[string][]settings.HookMatcher{"FileChanged": {{Matcher: ".envrc", Hooks: []settings.HookCommand{hook}}, {Hooks: []settings.HookCommand{hook}}}}})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	f := newFileHooks(r, one, func() string { return "default" }, func(m string) { msgs = append(msgs, m) })
	if f == nil {
		t.Fatal("no watcher for a FileChanged hook")
	}
	f.setSession("sess-1", "/t/sess-1.jsonl")
	seen := func(s string) func() bool {
		return func() bool { data, _ := os.ReadFile(log); return strings.Contains(string(data), s) }
	}
	write := func(p string) {
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(one, ".envrc"))
	waitFor(t, "the first folder's .envrc", seen(filepath.Join(one, ".envrc")))
	if !seen("sess-1")() {
		t.Error("the hook was not told the session")
	}
	f.moved(two, []string{filepath.Join(extra, "more.txt")})
	write(filepath.Join(two, ".envrc"))
	waitFor(t, "the new folder's .envrc", seen(filepath.Join(two, ".envrc")))
	write(filepath.Join(extra, "more.txt"))
	waitFor(t, "a path a hook asked for", seen(filepath.Join(extra, "more.txt")))
	f.close()
	f.close() // twice is harmless
	write(filepath.Join(two, ".envrc"))
	waitFor(t, "the watcher's goroutines to end", func() bool { return runtime.NumGoroutine() <= baseline })
	if len(msgs) != 0 {
		t.Errorf("messages: %q", msgs)
	}
	if newFileHooks(nil, one, nil, nil) != nil {
		t.Error("a watcher without FileChanged hooks")
	}
}

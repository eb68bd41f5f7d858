package hooks

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/strata-agent/strata/internal/settings"
)

// Reload swaps the settings' hooks while sessions run: Extend's and the SDK's stay, the
// policy of the new options filters the new ones.
func TestReloadKeepsExtendedAndCallbackHooks(t *testing.T) {
	dir := t.TempDir()
	r := newRunner(t, dir, hooksFor("UserPromptSubmit", "", "echo old >> log"))
	if err := r.Extend(hooksFor("UserPromptSubmit", "", "echo agent >> log")); err != nil {
		t.Fatal(err)
	}
	run := func() []string {
		_ = r.Run(context.Background(), Input{Event: UserPromptSubmit, Prompt: "p"})
		lines := readLines(t, filepath.Join(dir, "log"))
		_ = os.Remove(filepath.Join(dir, "log"))
		return lines
	}
	if got := run(); !slices.Equal(got, []string{"agent", "old"}) {
		t.Fatalf("before: %v", got)
	}
	o := r.opts
	o.Hooks = hooksFor("UserPromptSubmit", "", "echo new >> log")
	if err := r.Reload(o); err != nil {
		t.Fatal(err)
	}
	if got := run(); !slices.Equal(got, []string{"agent", "new"}) {
		t.Fatalf("after: %v", got)
	}
	// disableAllHooks in the new settings turns the settings' hooks off.
	o.DisableAll = true
	if err := r.Reload(o); err != nil {
		t.Fatal(err)
	}
	if got := run(); !slices.Equal(got, []string{"agent"}) {
		t.Fatalf("disabled: %v", got)
	}
	// A broken table is an error and changes nothing.
	o.DisableAll = false
	o.Hooks = map[string][]settings.HookMatcher{"PreToolUse": {{Matcher: "(", Hooks: []settings.HookCommand{{Command: "true"}}}}}
	if err := r.Reload(o); err == nil {
		t.Fatal("a bad matcher was accepted")
	}
	if got := run(); !slices.Equal(got, []string{"agent"}) {
		t.Fatalf("after a failed reload: %v", got)
	}
}

// Runs and reloads at once: the race detector checks the table is swapped, not written.
func TestReloadWhileRunning(t *testing.T) {
	dir := t.TempDir()
	r := newRunner(t, dir, hooksFor("Notification", "", "true"))
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 30 {
			r.Run(context.Background(), Input{Event: Notification})
			_ = r.Listing()
			_ = r.Has(FileChanged)
		}
	}()
	o := r.opts
	for i := range 30 {
		o.Hooks = hooksFor("Notification", "", "true")
		if i%2 == 1 {
			o.Hooks = hooksFor("FileChanged", "x", "true")
		}
		if err := r.Reload(o); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
}

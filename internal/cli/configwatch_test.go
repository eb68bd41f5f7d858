package cli

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/settings"
)

// The watch reports a loaded settings file once per change, and once when it goes away;
// flags and inline JSON are no files to watch.
func TestConfigWatch(t *testing.T) {
	dir := t.TempDir()
	project := filepath.Join(dir, "settings.json")
	if err := os.WriteFile(project, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	w := newConfigWatch([]settings.Source{{Scope: settings.ScopeProject, Path: project},
		{Scope: settings.ScopeFlag, Path: settings.InlinePath}})
	if got := w.changed(); len(got) != 0 {
		t.Fatalf("nothing changed yet: %v", got)
	}
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(project, later, later); err != nil {
		t.Fatal(err)
	}
	if got := w.changed(); len(got) != 1 || got[0].source != "project_settings" || got[0].path != project {
		t.Errorf("after a change: %+v", got)
	}
	if got := w.changed(); len(got) != 0 {
		t.Errorf("the same change again: %+v", got)
	}
	os.Remove(project)
	if got := w.changed(); len(got) != 1 {
		t.Errorf("after removal: %+v", got)
	}
}

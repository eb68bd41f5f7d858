package filewatch

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// got collects the changes a watcher reports.
type got struct{ ch chan change }

func newGot() *got { return &got{ch: make(chan change, 64)} }

func (g *got) on(path string, kind Kind) { g.ch <- change{path, kind} }

// next waits for the next change; the bound only keeps a broken watcher from hanging the test.
func (g *got) next(t *testing.T) change {
	t.Helper()
	select {
	case c := <-g.ch:
		return c
	case <-time.After(20 * time.Second):
		t.Fatal("no change reported")
	}
	return change{}
}

func start(t *testing.T, g *got, paths ...string) *Watcher {
	t.Helper()
	w, err := New(g.on, func(err error) { t.Errorf("watch error: %v", err) }, 20*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = w.Close() })
	if err := w.Set(paths); err != nil {
		t.Fatal(err)
	}
	return w
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestKindsOfChange(t *testing.T) {
	dir := t.TempDir()
	existing, later := filepath.Join(dir, "a.txt"), filepath.Join(dir, ".envrc")
	write(t, existing, "one")
	g := newGot()
	start(t, g, existing, later, "relative/ignored")

	write(t, filepath.Join(dir, "unwatched"), "x") // a neighbour: never reported
	write(t, existing, "two")
	if c := g.next(t); c != (change{existing, Change}) {
		t.Fatalf("got %+v, want a change of %s", c, existing)
	}
	write(t, later, "export A=1")
	if c := g.next(t); c != (change{later, Add}) {
		t.Fatalf("got %+v, want %s added", c, later)
	}
	if err := os.Remove(existing); err != nil {
		t.Fatal(err)
	}
	if c := g.next(t); c != (change{existing, Unlink}) {
		t.Fatalf("got %+v, want %s removed", c, existing)
	}
}

// An editor's save writes a new file and renames it over the old: one change, and the file
// stays watched afterwards.
func TestSaveByRenameIsOneChange(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "config.json")
	write(t, f, "{}")
	g := newGot()
	start(t, g, f)
	for i := range 2 {
		tmp := filepath.Join(dir, ".config.json.swp")
		write(t, tmp, `{"n":1}`)
		if err := os.Rename(tmp, f); err != nil {
			t.Fatal(err)
		}
		if c := g.next(t); c != (change{f, Change}) {
			t.Fatalf("save %d: got %+v, want one change of %s", i, c, f)
		}
	}
}

func TestFolderReportsItsEntries(t *testing.T) {
	dir := t.TempDir()
	g := newGot()
	start(t, g, dir)
	f := filepath.Join(dir, "new.txt")
	write(t, f, "x")
	if c := g.next(t); c != (change{f, Add}) {
		t.Fatalf("got %+v, want %s added", c, f)
	}
}

// Set replaces the list: a path no longer named is no longer reported, the new one is.
func TestSetReplacesThePaths(t *testing.T) {
	one, two := t.TempDir(), t.TempDir()
	a, b := filepath.Join(one, "a"), filepath.Join(two, "b")
	g := newGot()
	w := start(t, g, a)
	if err := w.Set([]string{b, b}); err != nil {
		t.Fatal(err)
	}
	if p := w.Paths(); len(p) != 1 || p[0] != b {
		t.Fatalf("Paths = %v, want [%s]", p, b)
	}
	write(t, a, "x")
	write(t, b, "y")
	if c := g.next(t); c != (change{b, Add}) {
		t.Fatalf("got %+v, want only %s", c, b)
	}
}

func TestCloseStopsReports(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "f")
	g := newGot()
	w := start(t, g, f)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := w.Set([]string{f}); err == nil {
		t.Fatal("Set after Close succeeded")
	}
	write(t, f, "x")
	select {
	case c := <-g.ch:
		t.Fatalf("closed watcher reported %+v", c)
	default:
	}
}

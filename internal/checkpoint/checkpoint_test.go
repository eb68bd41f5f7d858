package checkpoint

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const session = "0b6c2f1e-8a49-4d7e-9a51-3f0e7c2d9b10"

// fixture is a project directory, a store over it, and the transcript lines it persisted.
type fixture struct {
	t       *testing.T
	root    string // <config>/file-history
	project string
	lines   *bytes.Buffer
	store   *Store
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	f := &fixture{t: t, root: filepath.Join(dir, "claude", "file-history"), project: filepath.Join(dir, "project"), lines: &bytes.Buffer{}}
	if err := os.MkdirAll(f.project, 0o755); err != nil {
		t.Fatal(err)
	}
	f.store = f.open(session)
	return f
}

func (f *fixture) open(id string) *Store {
	f.t.Helper()
	s, err := New(Options{Root: f.root, SessionID: id, Cwd: f.project, Persist: func(l Line) error {
		data, err := json.Marshal(l)
		f.lines.Write(append(data, '\n'))
		return err
	}})
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

func (f *fixture) path(name string) string { return filepath.Join(f.project, name) }

// edit is what a file tool does: track, then write.
func (f *fixture) edit(name, content string) {
	f.t.Helper()
	p := f.path(name)
	if err := f.store.Track(RealPath(p)); err != nil {
		f.t.Fatal(err)
	}
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) prompt(id string) {
	f.t.Helper()
	if err := f.store.Snapshot(id); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) want(name, content string) {
	f.t.Helper()
	data, err := os.ReadFile(f.path(name))
	if content == "" {
		if !os.IsNotExist(err) {
			f.t.Errorf("%s exists (%q); it should be gone", name, data)
		}
		return
	}
	if err != nil || string(data) != content {
		f.t.Errorf("%s holds %q (%v); want %q", name, data, err, content)
	}
}

// TestRewindRestoresEachPromptsState: three prompts edit, create and delete files; a rewind
// to each prompt puts every file back as it was before that prompt, removing the files made
// after it and recreating the ones deleted.
func TestRewindRestoresEachPromptsState(t *testing.T) {
	f := newFixture(t)
	if err := os.WriteFile(f.path("a.txt"), []byte("a0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f.prompt("p1")
	f.edit("a.txt", "a1\n")
	f.prompt("p2")
	f.edit("a.txt", "a2\n")
	f.edit("sub/new.txt", "new\n") // a new file in a new directory
	f.prompt("p3")
	if err := f.store.Track(RealPath(f.path("sub/new.txt"))); err != nil {
		t.Fatal(err)
	}
	os.Remove(f.path("sub/new.txt")) // deleted after being tracked
	f.edit("a.txt", "a3\n")

	c, ok := f.store.Changes("p3")
	if !ok || len(c.Files) != 2 || c.Insertions != 2 || c.Deletions != 1 {
		t.Errorf("changes for p3 = %+v, %v; want a.txt and sub/new.txt, +2 -1", c, ok)
	}
	if _, err := f.store.Rewind("p3", nil); err != nil {
		t.Fatal(err)
	}
	f.want("a.txt", "a2\n")
	f.want("sub/new.txt", "new\n")
	if _, err := f.store.Rewind("p2", nil); err != nil {
		t.Fatal(err)
	}
	f.want("a.txt", "a1\n")
	f.want("sub/new.txt", "")
	changed, err := f.store.Rewind("p1", nil)
	if err != nil {
		t.Fatal(err)
	}
	f.want("a.txt", "a0\n")
	if len(changed) != 1 || changed[0] != RealPath(f.path("a.txt")) {
		t.Errorf("rewind to p1 changed %v", changed)
	}
	if _, err := f.store.Rewind("nope", nil); err == nil {
		t.Error("a rewind to an unknown prompt succeeded")
	}
}

// TestLayoutIsTheReferences: saved versions are <sha256(path)[:16]>@v<n> in
// <root>/<session>, with the file's mode; a file unchanged between prompts is not saved
// again; the transcript lines have the reference's shape, paths relative to the project.
func TestLayoutIsTheReferences(t *testing.T) {
	f := newFixture(t)
	p := f.path("a.txt")
	if err := os.WriteFile(p, []byte("one\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	f.prompt("p1")
	f.edit("a.txt", "two\n")
	f.prompt("p2") // a.txt changed: version 2
	f.prompt("p3") // unchanged: still version 2
	sum := sha256.Sum256([]byte(RealPath(p)))
	prefix := hex.EncodeToString(sum[:])[:16]
	entries, err := os.ReadDir(filepath.Join(f.root, session))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != prefix+"@v1 "+prefix+"@v2" {
		t.Errorf("backup directory holds %v; want %s@v1 and @v2", names, prefix)
	}
	if fi, err := os.Stat(filepath.Join(f.root, session, prefix+"@v1")); err != nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("v1 mode: %v %v", fi, err)
	}
	lines := strings.Split(strings.TrimSpace(f.lines.String()), "\n")
	if len(lines) != 4 { // p1, the update when a.txt was tracked, p2, p3
		t.Fatalf("%d lines persisted:\n%s", len(lines), f.lines)
	}
	var update map[string]any
	if err := json.Unmarshal([]byte(lines[1]), &update); err != nil {
		t.Fatal(err)
	}
	snap := update["snapshot"].(map[string]any)
	backup := snap["trackedFileBackups"].(map[string]any)["a.txt"].(map[string]any)
	if update["type"] != LineType || update["messageId"] != "p1" || update["isSnapshotUpdate"] != true ||
		snap["messageId"] != "p1" || backup["backupFileName"] != prefix+"@v1" || backup["version"] != 1.0 || backup["backupTime"] == nil {
		t.Errorf("the update line is not the reference's shape: %s", lines[1])
	}
	var last Line
	if err := json.Unmarshal([]byte(lines[3]), &last); err != nil {
		t.Fatal(err)
	}
	if b := last.Snapshot.TrackedFileBackups["a.txt"]; b.Version != 2 || *b.BackupFileName != prefix+"@v2" {
		t.Errorf("p3 should reuse version 2: %+v", b)
	}
}

// TestResumeReadsTheTranscript: a store opened again (strata -c) from the lines in the
// transcript rewinds as the first would; lines naming backups outside the directory are
// ignored, and a forked session links the saved versions into its own directory.
func TestResumeReadsTheTranscript(t *testing.T) {
	f := newFixture(t)
	if err := os.WriteFile(f.path("a.txt"), []byte("before\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f.prompt("p1")
	f.edit("a.txt", "after one\n")
	f.prompt("p2")
	f.edit("a.txt", "after two\n")
	evil := `{"type":"file-history-snapshot","messageId":"p2","snapshot":{"messageId":"p2","trackedFileBackups":` +
		`{"../victim":{"backupFileName":"../../../etc/passwd","version":1,"backupTime":"2026-01-01T00:00:00Z"}},"timestamp":"2026-01-01T00:00:00Z"},"isSnapshotUpdate":true}`
	transcript := filepath.Join(t.TempDir(), session+".jsonl")
	data := `{"type":"user","uuid":"p1"}` + "\n" + f.lines.String() + evil + "\n" + "not json\n"
	if err := os.WriteFile(transcript, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	lines, err := ReadLines(transcript)
	if err != nil || len(lines) != 4 {
		t.Fatalf("ReadLines: %d lines, %v", len(lines), err)
	}
	const fork = "7d1f0c3a-2b4e-4f6a-8c9d-0e1f2a3b4c5d"
	for _, id := range []string{session, fork} {
		again := f.open(id)
		if err := again.Load(lines, session); err != nil {
			t.Fatal(err)
		}
		if _, err := again.Rewind("p1", nil); err != nil {
			t.Fatalf("session %s: %v", id, err)
		}
		f.want("a.txt", "before\n")
		os.WriteFile(f.path("a.txt"), []byte("after two\n"), 0o644)
	}
	if entries, _ := os.ReadDir(filepath.Join(f.root, fork)); len(entries) != 1 {
		t.Errorf("the fork's directory holds %d versions, want 1", len(entries))
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(f.project), "victim")); err == nil {
		t.Error("a line from the transcript wrote outside the project")
	}
}

// TestRewindRefusesLinks: a tracked file replaced by a symbolic link, or whose directory
// became one, is not written through; the link's target keeps its content, and the other
// files are still restored.
func TestRewindRefusesLinks(t *testing.T) {
	f := newFixture(t)
	outside := filepath.Join(t.TempDir(), "outside.txt")
	os.WriteFile(outside, []byte("precious\n"), 0o644)
	os.MkdirAll(f.path("d"), 0o755)
	os.WriteFile(f.path("a.txt"), []byte("a0\n"), 0o644)
	os.WriteFile(f.path("d/b.txt"), []byte("b0\n"), 0o644)
	os.WriteFile(f.path("c.txt"), []byte("c0\n"), 0o644)
	f.prompt("p1")
	f.edit("a.txt", "a1\n")
	f.edit("d/b.txt", "b1\n")
	f.edit("c.txt", "c1\n")
	// What a Bash command could do after the edits.
	os.Remove(f.path("a.txt"))
	if err := os.Symlink(outside, f.path("a.txt")); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(f.path("d"))
	os.Symlink(filepath.Dir(outside), f.path("d"))

	changed, err := f.store.Rewind("p1", nil)
	if err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("rewind through links: %v", err)
	}
	if data, _ := os.ReadFile(outside); string(data) != "precious\n" {
		t.Errorf("the link's target was written: %q", data)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(outside), "b.txt")); err == nil {
		t.Error("b.txt was written through the linked directory")
	}
	f.want("c.txt", "c0\n")
	if len(changed) != 1 {
		t.Errorf("changed %v; want only c.txt", changed)
	}
	// A check that refuses (a deny rule) stops a path too.
	f.edit("c.txt", "c2\n")
	if _, err := f.store.Rewind("p1", func(string) error { return os.ErrPermission }); err == nil {
		t.Error("the check's refusal was ignored")
	}
	f.want("c.txt", "c2\n")
}

// TestLargeFilesAreNotSaved: a file over MaxFileBytes is not saved, a rewind leaves it, and
// Changes names it; binary files are saved and restored byte for byte.
func TestLargeFilesAreNotSaved(t *testing.T) {
	f := newFixture(t)
	big := bytes.Repeat([]byte("x"), MaxFileBytes+1)
	os.WriteFile(f.path("big.bin"), big, 0o644)
	bin := []byte{0, 1, 2, 255, '\n', 0}
	os.WriteFile(f.path("small.bin"), bin, 0o644)
	f.prompt("p1")
	if err := f.store.Track(RealPath(f.path("big.bin"))); err == nil {
		t.Error("tracking a file over the limit said nothing")
	}
	os.WriteFile(f.path("big.bin"), []byte("small now"), 0o644)
	f.edit("small.bin", "text")
	c, _ := f.store.Changes("p1")
	if len(c.Skipped) != 1 || !strings.Contains(c.Skipped[0], "big.bin (larger than 32 MiB)") || len(c.Files) != 1 {
		t.Errorf("changes = %+v", c)
	}
	if _, err := f.store.Rewind("p1", nil); err != nil {
		t.Fatal(err)
	}
	f.want("small.bin", string(bin))
	f.want("big.bin", "small now")
}

// TestOnlyTheLastSnapshotsAreKept: past MaxSnapshots prompts the oldest are dropped.
func TestOnlyTheLastSnapshotsAreKept(t *testing.T) {
	f := newFixture(t)
	for i := range MaxSnapshots + 5 {
		f.prompt("p" + strings.Repeat("x", i))
	}
	if f.store.Has("p") || !f.store.Has("p"+strings.Repeat("x", 5)) {
		t.Error("the oldest snapshots were not the ones dropped")
	}
}

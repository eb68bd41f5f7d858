package write

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tool/fsutil"
	"github.com/strata-agent/strata/internal/tool/read"
)

func TestSchemaMatchesInput(t *testing.T) {
	if err := fsutil.CheckSchema(schema, input{}); err != nil {
		t.Fatal(err)
	}
	if New().Name() != "Write" || New().Class() != permission.ClassEdit || New().ConcurrencySafe() || New().Description() == "" {
		t.Fatal("tool metadata incomplete")
	}
}

func run(t *testing.T, env *tool.Env, tl tool.Tool, in map[string]any) tool.Result {
	t.Helper()
	raw, _ := json.Marshal(in)
	res, err := tl.Run(context.Background(), env, raw)
	if err != nil {
		t.Fatalf("Go error: %v", err)
	}
	return res
}

func mustRead(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestWriteCreatesFile(t *testing.T) {
	dir := t.TempDir()
	env := tool.NewEnv(dir)
	p := filepath.Join(dir, "a", "b", "new.txt")
	res := run(t, env, New(), map[string]any{"file_path": p, "content": "one\ntwo\n"})
	if res.IsError || res.Text != "Created "+p+" (2 lines)." {
		t.Fatalf("result %+v", res)
	}
	if !strings.Contains(res.Display, "+one") || !strings.Contains(res.Display, "+two") {
		t.Errorf("display is not a diff: %q", res.Display)
	}
	fi, err := os.Stat(p)
	if err != nil || fi.Mode().Perm() != 0o644 || mustRead(t, p) != "one\ntwo\n" {
		t.Fatalf("file %v %v", fi, err)
	}
	if st, ok := env.LastRead(p); !ok || st != fsutil.StampOf(fi) {
		t.Fatalf("stamp not recorded: %+v %v", st, ok)
	}
	// The recorded stamp lets the model write again without reading its own output.
	res = run(t, env, New(), map[string]any{"file_path": p, "content": "three"})
	if res.IsError || mustRead(t, p) != "three" || !strings.HasPrefix(res.Text, "Updated") {
		t.Fatalf("second write: %+v", res)
	}
}

func TestWriteRefusals(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		setup   func(t *testing.T, env *tool.Env) string // returns the path to write
		args    map[string]any
		contain string
	}{
		{name: "relative path", setup: func(*testing.T, *tool.Env) string { return "x.txt" }, contain: "absolute"},
		{name: "not read", setup: func(t *testing.T, env *tool.Env) string {
			return mk(t, dir, "unread.txt", "keep", 0o644)
		}, contain: "has not been read"},
		{name: "stale", setup: func(t *testing.T, env *tool.Env) string {
			p := mk(t, dir, "stale.txt", "keep", 0o644)
			recordRead(t, env, p)
			// Same size, different time: only the stamp can tell.
			later := time.Now().Add(time.Minute)
			if err := os.Chtimes(p, later, later); err != nil {
				t.Fatal(err)
			}
			return p
		}, contain: "changed on disk"},
		{name: "read-only", setup: func(t *testing.T, env *tool.Env) string {
			p := mk(t, dir, "ro.txt", "keep", 0o444)
			recordRead(t, env, p)
			return p
		}, contain: "read-only"},
		{name: "directory", setup: func(*testing.T, *tool.Env) string { return dir }, contain: "directory"},
		{name: "missing content", setup: func(t *testing.T, env *tool.Env) string {
			return filepath.Join(dir, "nocontent.txt")
		}, args: map[string]any{}, contain: "content is required"},
		{name: "unknown field", setup: func(t *testing.T, env *tool.Env) string {
			return filepath.Join(dir, "unknown.txt")
		}, args: map[string]any{"content": "x", "mode": "0600"}, contain: `unknown field "mode"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := tool.NewEnv(dir)
			p := tt.setup(t, env)
			args := map[string]any{"file_path": p, "content": "new"}
			if tt.args != nil {
				args = map[string]any{"file_path": p}
				for k, v := range tt.args {
					args[k] = v
				}
			}
			res := run(t, env, New(), args)
			if !res.IsError || !strings.Contains(res.Text, tt.contain) {
				t.Fatalf("got %+v, want an error containing %q", res, tt.contain)
			}
			if b, err := os.ReadFile(p); err == nil && string(b) == "new" {
				t.Fatal("file was written despite the refusal")
			}
		})
	}
}

func mk(t *testing.T, dir, name, content string, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
	return p
}

func recordRead(t *testing.T, env *tool.Env, p string) {
	t.Helper()
	if err := fsutil.Record(env, p); err != nil {
		t.Fatal(err)
	}
}

func TestWriteKeepsModeLinksAndSymlinks(t *testing.T) {
	dir := t.TempDir()
	env := tool.NewEnv(dir)
	script := mk(t, dir, "run.sh", "#!/bin/sh\n", 0o750)
	target := mk(t, dir, "target.txt", "old\n", 0o600)
	link := filepath.Join(dir, "link.txt")
	if err := os.Symlink("target.txt", link); err != nil {
		t.Fatal(err)
	}
	hard := filepath.Join(dir, "hard.txt")
	if err := os.Link(target, hard); err != nil {
		t.Fatal(err)
	}
	// Read through the real tool: a read via the link must count for the target.
	for _, p := range []string{script, link} {
		if res := run(t, env, read.New(), map[string]any{"file_path": p}); res.IsError {
			t.Fatal(res.Text)
		}
	}
	for _, p := range []string{script, link} {
		if res := run(t, env, New(), map[string]any{"file_path": p, "content": "new\n"}); res.IsError {
			t.Fatalf("%s: %s", p, res.Text)
		}
	}
	if fi, _ := os.Stat(script); fi.Mode().Perm() != 0o750 {
		t.Errorf("script mode = %v", fi.Mode())
	}
	if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
		t.Error("the symlink was replaced by a regular file")
	}
	if fi, _ := os.Stat(target); fi.Mode().Perm() != 0o600 || mustRead(t, target) != "new\n" {
		t.Errorf("target mode %v content %q", fi.Mode(), mustRead(t, target))
	}
	if mustRead(t, hard) != "new\n" {
		t.Error("the hard link no longer shares the file")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".strata-") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestWriteThroughDanglingSymlinkCreatesTarget(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "link")
	if err := os.Symlink(filepath.Join("sub", "made.txt"), link); err != nil {
		t.Fatal(err)
	}
	res := run(t, tool.NewEnv(dir), New(), map[string]any{"file_path": link, "content": "x"})
	if res.IsError || mustRead(t, filepath.Join(dir, "sub", "made.txt")) != "x" {
		t.Fatalf("%+v", res)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
		t.Error("link replaced")
	}
}

func TestWriteOverLargeFileSkipsDiff(t *testing.T) {
	dir := t.TempDir()
	env := tool.NewEnv(dir)
	p := mk(t, dir, "big.log", strings.Repeat("log line\n", fsutil.MaxDiffBytes/9+10), 0o644)
	recordRead(t, env, p)
	res := run(t, env, New(), map[string]any{"file_path": p, "content": "short\n"})
	if res.IsError || mustRead(t, p) != "short\n" || !strings.Contains(res.Display, "too large to show a diff") {
		t.Fatalf("%+v", res)
	}
}

// TestWriteCallsBeforeWrite: Write hands the file to env.BeforeWrite (the /rewind
// checkpoint) while it still holds its old content, for a new file and for an update.
func TestWriteCallsBeforeWrite(t *testing.T) {
	dir := t.TempDir()
	env := tool.NewEnv(dir)
	p := filepath.Join(dir, "f.txt")
	var seen []string
	env.BeforeWrite = func(path string) {
		data, _ := os.ReadFile(path)
		seen = append(seen, path+"="+string(data))
	}
	run(t, env, New(), map[string]any{"file_path": p, "content": "one"})
	run(t, env, New(), map[string]any{"file_path": p, "content": "two"})
	if strings.Join(seen, ",") != p+"=,"+p+"=one" {
		t.Errorf("BeforeWrite saw %v", seen)
	}
}

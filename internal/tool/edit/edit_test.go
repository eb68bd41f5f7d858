package edit

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
)

func TestSchemasMatchInputs(t *testing.T) {
	if err := fsutil.CheckSchema(editSchema, editInput{}); err != nil {
		t.Error("Edit:", err)
	}
	if err := fsutil.CheckSchema(multiSchema, multiInput{}); err != nil {
		t.Error("MultiEdit:", err)
	}
	for _, tl := range []tool.Tool{Edit(), MultiEdit()} {
		if tl.Class() != permission.ClassEdit || tl.ConcurrencySafe() || tl.Description() == "" || !json.Valid(tl.InputSchema()) {
			t.Errorf("%s metadata incomplete", tl.Name())
		}
	}
}

// seeded writes content to a new file and records it as read, as a Read call would.
func seeded(t *testing.T, env *tool.Env, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := fsutil.Record(env, p); err != nil {
		t.Fatal(err)
	}
	return p
}

func run(t *testing.T, env *tool.Env, tl tool.Tool, in map[string]any) tool.Result {
	t.Helper()
	raw, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	res, err := tl.Run(context.Background(), env, raw)
	if err != nil {
		t.Fatalf("Go error: %v", err)
	}
	return res
}

func contents(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestEditMatching(t *testing.T) {
	tests := []struct {
		name     string
		content  string
		old, new string
		all      bool
		want     string // file afterwards; "" means unchanged and an error expected
		errHas   string
	}{
		{name: "unique", content: "a\nb\nc\n", old: "b", new: "B", want: "a\nB\nc\n"},
		{name: "delete", content: "a\nb\nc\n", old: "b\n", new: "", want: "a\nc\n"},
		{name: "multi-line", content: "func f() {\n\treturn 1\n}\n", old: "\treturn 1\n}", new: "\treturn 2\n}", want: "func f() {\n\treturn 2\n}\n"},
		{name: "not found", content: "a\n", old: "zzz", new: "y", errHas: "was not found"},
		{name: "not unique", content: "x=1\nx=1\nx=1\n", old: "x=1", new: "x=2", errHas: "occurs 3 times"},
		{name: "overlapping is not unique", content: "aaa", old: "aa", new: "b", errHas: "occurs 2 times"},
		{name: "replace all", content: "x=1\nx=1\ny\n", old: "x=1", new: "x=2", all: true, want: "x=2\nx=2\ny\n"},
		{name: "identical", content: "a\n", old: "a", new: "a", errHas: "identical"},
		{name: "crlf file, lf strings", content: "one\r\ntwo\r\nthree\r\n", old: "one\ntwo\n", new: "1\n2\n2.5\n", want: "1\r\n2\r\n2.5\r\nthree\r\n"},
		{name: "crlf file, crlf strings", content: "one\r\ntwo\r\n", old: "one\r\ntwo", new: "uno\r\ndos", want: "uno\r\ndos\r\n"},
		{name: "crlf file, identical after normalising", content: "a\r\nb\r\n", old: "a\r\nb", new: "a\nb", errHas: "identical"},
		{name: "mixed endings matched exactly", content: "a\r\nb\nc\n", old: "a\r\nb", new: "x", want: "x\nc\n"},
		{name: "mixed endings hint", content: "a\r\nb\nc\n", old: "a\nb", new: "x", errHas: "line endings"},
		{name: "no trailing newline kept", content: "a\nb", old: "b", new: "c", want: "a\nc"},
		{name: "bom kept", content: "\xEF\xBB\xBFhello\n", old: "hello", new: "bye", want: "\xEF\xBB\xBFbye\n"},
		{name: "bom with crlf", content: "\xEF\xBB\xBFa\r\nb\r\n", old: "a\nb", new: "c", want: "\xEF\xBB\xBFc\r\n"},
		{name: "combining characters", content: "caf\u0065\u0301 ok\n", old: "caf\u0065\u0301", new: "bar", want: "bar ok\n"},
		{name: "precomposed does not match combining", content: "caf\u0065\u0301\n", old: "caf\u00e9", new: "x", errHas: "not found"},
		{name: "multi-byte", content: "日本語テキスト\n", old: "語テ", new: "語のテ", want: "日本語のテキスト\n"},
		{name: "line number prefix hint", content: "alpha\nbeta\n", old: "     2\tbeta", new: "gamma", errHas: "line-number prefixes"},
		{name: "whitespace hint", content: "\tif x {\n\t\ty()\n", old: "    if x {\n        y()", new: "z", errHas: "whitespace"},
		{name: "quote hint", content: "say \"hi\"\n", old: "say \u201chi\u201d", new: "x", errHas: "quote"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := tool.NewEnv("/")
			p := seeded(t, env, "f.txt", tt.content)
			res := run(t, env, Edit(), map[string]any{"file_path": p, "old_string": tt.old, "new_string": tt.new, "replace_all": tt.all})
			got := contents(t, p)
			if tt.want == "" {
				if !res.IsError || !strings.Contains(res.Text, tt.errHas) || got != tt.content {
					t.Fatalf("want error containing %q and no change; got %+v, file %q", tt.errHas, res, got)
				}
				return
			}
			if res.IsError || got != tt.want {
				t.Fatalf("result %+v\nfile %q, want %q", res, got, tt.want)
			}
			if res.Display == "" {
				t.Error("no diff for people")
			}
		})
	}
}

func TestEditResultShowsChangedLines(t *testing.T) {
	env := tool.NewEnv("/")
	var b strings.Builder
	for i := 1; i <= 20; i++ {
		b.WriteString("line " + strings.Repeat("x", i) + "\n")
	}
	p := seeded(t, env, "f.txt", b.String())
	res := run(t, env, Edit(), map[string]any{"file_path": p, "old_string": "line " + strings.Repeat("x", 10) + "\n", "new_string": "ten\n"})
	want := "Edited " + p + ": replaced 1 occurrence.\nLines 7-13 of the file now read:\n" +
		"7\tline xxxxxxx\n8\tline xxxxxxxx\n9\tline xxxxxxxxx\n10\tten\n" +
		"11\tline xxxxxxxxxxx\n12\tline xxxxxxxxxxxx\n13\tline xxxxxxxxxxxxx\n"
	if res.Text != want {
		t.Fatalf("got\n%s\nwant\n%s", res.Text, want)
	}
	if !strings.Contains(res.Display, "-line xxxxxxxxxx\n") || !strings.Contains(res.Display, "+ten\n") {
		t.Errorf("diff: %s", res.Display)
	}
}

func TestEditPreconditions(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(t *testing.T, env *tool.Env) string
		old    string
		errHas string
	}{
		{name: "relative path", setup: func(*testing.T, *tool.Env) string { return "rel.txt" }, old: "a", errHas: "absolute"},
		{name: "missing file", setup: func(t *testing.T, _ *tool.Env) string { return filepath.Join(t.TempDir(), "none") }, old: "a", errHas: "does not exist"},
		{name: "not read", setup: func(t *testing.T, _ *tool.Env) string {
			p := filepath.Join(t.TempDir(), "f")
			os.WriteFile(p, []byte("a\n"), 0o644)
			return p
		}, old: "a", errHas: "has not been read"},
		{name: "stale", setup: func(t *testing.T, env *tool.Env) string {
			p := seeded(t, env, "f", "a\n")
			os.WriteFile(p, []byte("a\nb\n"), 0o644) // changed by someone else
			return p
		}, old: "a", errHas: "changed on disk"},
		{name: "stale, same size", setup: func(t *testing.T, env *tool.Env) string {
			p := seeded(t, env, "f", "a\n")
			later := time.Now().Add(time.Hour)
			os.Chtimes(p, later, later)
			return p
		}, old: "a", errHas: "changed on disk"},
		{name: "read-only", setup: func(t *testing.T, env *tool.Env) string {
			p := seeded(t, env, "f", "a\n")
			os.Chmod(p, 0o444)
			return p
		}, old: "a", errHas: "read-only"},
		{name: "empty old_string on a file with content", setup: func(t *testing.T, env *tool.Env) string {
			return seeded(t, env, "f", "a\n")
		}, old: "", errHas: "already has content"},
		{name: "directory", setup: func(t *testing.T, _ *tool.Env) string { return t.TempDir() }, old: "a", errHas: "directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := tool.NewEnv("/")
			p := tt.setup(t, env)
			before, _ := os.ReadFile(p)
			res := run(t, env, Edit(), map[string]any{"file_path": p, "old_string": tt.old, "new_string": "new"})
			if !res.IsError || !strings.Contains(res.Text, tt.errHas) {
				t.Fatalf("got %+v, want an error containing %q", res, tt.errHas)
			}
			if after, _ := os.ReadFile(p); string(after) != string(before) {
				t.Fatalf("file changed to %q", after)
			}
		})
	}
}

func TestEditCreates(t *testing.T) {
	env := tool.NewEnv("/")
	dir := t.TempDir()
	p := filepath.Join(dir, "sub", "new.go")
	res := run(t, env, Edit(), map[string]any{"file_path": p, "old_string": "", "new_string": "package x\n"})
	if res.IsError || contents(t, p) != "package x\n" || !strings.HasPrefix(res.Text, "Created") {
		t.Fatalf("%+v", res)
	}
	// An existing empty file may be filled without a Read: there was nothing to see.
	empty := filepath.Join(dir, "empty.txt")
	os.WriteFile(empty, nil, 0o600)
	res = run(t, env, Edit(), map[string]any{"file_path": empty, "old_string": "", "new_string": "hi"})
	if res.IsError || contents(t, empty) != "hi" {
		t.Fatalf("%+v", res)
	}
	if fi, _ := os.Stat(empty); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", fi.Mode())
	}
	// The recorded stamp allows a follow-up edit without another Read.
	res = run(t, env, Edit(), map[string]any{"file_path": p, "old_string": "x", "new_string": "y"})
	if res.IsError || contents(t, p) != "package y\n" {
		t.Fatalf("follow-up edit: %+v", res)
	}
}

func TestEditThroughSymlinkKeepsLinkAndMode(t *testing.T) {
	env := tool.NewEnv("/")
	dir := t.TempDir()
	target := filepath.Join(dir, "real.sh")
	os.WriteFile(target, []byte("echo one\n"), 0o755)
	link := filepath.Join(dir, "link.sh")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if err := fsutil.Record(env, link); err != nil {
		t.Fatal(err)
	}
	res := run(t, env, Edit(), map[string]any{"file_path": link, "old_string": "one", "new_string": "two"})
	if res.IsError {
		t.Fatal(res.Text)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
		t.Fatal("link replaced by a regular file")
	}
	if fi, _ := os.Stat(target); fi.Mode().Perm() != 0o755 || contents(t, target) != "echo two\n" {
		t.Fatalf("target mode %v content %q", fi.Mode(), contents(t, target))
	}
}

func TestMultiEdit(t *testing.T) {
	const original = "alpha\r\nbeta\r\ngamma\r\n"
	tests := []struct {
		name   string
		edits  []map[string]any
		want   string
		errHas string
	}{
		{name: "in order, each on the previous result", edits: []map[string]any{
			{"old_string": "alpha", "new_string": "ALPHA"},
			{"old_string": "ALPHA\nbeta", "new_string": "one\ntwo"},
			{"old_string": "a", "new_string": "4", "replace_all": true},
		}, want: "one\r\ntwo\r\ng4mm4\r\n"},
		{name: "second fails: nothing written", edits: []map[string]any{
			{"old_string": "alpha", "new_string": "ALPHA"},
			{"old_string": "missing", "new_string": "x"},
		}, errHas: "edits[1] (edit 2 of 2)"},
		{name: "later edit not unique", edits: []map[string]any{
			{"old_string": "beta", "new_string": "gamma"},
			{"old_string": "gamma", "new_string": "x"},
		}, errHas: "occurs 2 times"},
		{name: "empty old_string after the first", edits: []map[string]any{
			{"old_string": "beta", "new_string": "b"},
			{"old_string": "", "new_string": "x"},
		}, errHas: "edits[1]"},
		{name: "no edits", edits: []map[string]any{}, errHas: "edits is empty"},
		{name: "unknown field in an edit", edits: []map[string]any{
			{"old_string": "beta", "new_string": "b", "regex": true},
		}, errHas: `unknown field "regex"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := tool.NewEnv("/")
			p := seeded(t, env, "f.txt", original)
			res := run(t, env, MultiEdit(), map[string]any{"file_path": p, "edits": tt.edits})
			got := contents(t, p)
			if tt.errHas != "" {
				if !res.IsError || !strings.Contains(res.Text, tt.errHas) || got != original {
					t.Fatalf("want error %q and no change; got %+v, file %q", tt.errHas, res, got)
				}
				return
			}
			if res.IsError || got != tt.want {
				t.Fatalf("%+v; file %q want %q", res, got, tt.want)
			}
		})
	}
}

func TestMultiEditCreates(t *testing.T) {
	p := filepath.Join(t.TempDir(), "new.txt")
	res := run(t, tool.NewEnv("/"), MultiEdit(), map[string]any{"file_path": p, "edits": []map[string]any{
		{"old_string": "", "new_string": "hello world\n"},
		{"old_string": "world", "new_string": "there"},
	}})
	if res.IsError || contents(t, p) != "hello there\n" {
		t.Fatalf("%+v", res)
	}
}

// TestEditCallsBeforeWrite: Edit and MultiEdit hand the file to env.BeforeWrite (the
// /rewind checkpoint) before changing it, never for an edit that fails.
func TestEditCallsBeforeWrite(t *testing.T) {
	env := tool.NewEnv("/")
	var seen []string
	env.BeforeWrite = func(path string) {
		data, _ := os.ReadFile(path)
		seen = append(seen, string(data))
	}
	p := seeded(t, env, "f.txt", "alpha beta\n")
	run(t, env, Edit(), map[string]any{"file_path": p, "old_string": "alpha", "new_string": "gamma"})
	run(t, env, Edit(), map[string]any{"file_path": p, "old_string": "missing", "new_string": "x"})
	run(t, env, MultiEdit(), map[string]any{"file_path": p, "edits": []map[string]any{{"old_string": "beta", "new_string": "delta"}}})
	if strings.Join(seen, "|") != "alpha beta\n|gamma beta\n" {
		t.Errorf("BeforeWrite saw %q", seen)
	}
}

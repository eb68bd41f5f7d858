package fsutil

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/tool"
)

func TestDecodeInput(t *testing.T) {
	type in struct {
		A string `json:"a"`
		N int    `json:"n"`
	}
	tests := []struct {
		raw, errHas string
		want        in
	}{
		{raw: `{"a":"x","n":2}`, want: in{"x", 2}},
		{raw: ``, want: in{}},
		{raw: `{"a":"x","b":1}`, errHas: `unknown field "b"`},
		{raw: `{"n":"two"}`, errHas: "n"},
		{raw: `{"a":"x"} {"a":"y"}`, errHas: "after the JSON object"},
		{raw: `[1]`, errHas: "invalid Demo input"},
	}
	for _, tt := range tests {
		var got in
		err := DecodeInput("Demo", json.RawMessage(tt.raw), &got)
		if tt.errHas == "" {
			if err != nil || got != tt.want {
				t.Errorf("%s: got %+v, %v", tt.raw, got, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.errHas) || !strings.HasPrefix(err.Error(), "invalid Demo input") {
			t.Errorf("%s: err %v, want one containing %q", tt.raw, err, tt.errHas)
		}
	}
}

func TestCheckSchema(t *testing.T) {
	type item struct {
		X string `json:"x"`
	}
	type in struct {
		Path  string `json:"path"`
		Items []item `json:"items"`
		skip  int
	}
	const good = `{"type":"object","required":["path"],"properties":{"path":{"type":"string"},
		"items":{"type":"array","items":{"type":"object","properties":{"x":{"type":"string"}}}}}}`
	tests := []struct {
		schema, errHas string
	}{
		{good, ""},
		{`{"type":"object","properties":{"path":{}}}`, `"items" is decoded but missing`},
		{`{"type":"object","properties":{"path":{},"extra":{},"items":{"type":"array","items":{"type":"object","properties":{"x":{}}}}}}`, `"extra" has no field`},
		{`{"type":"object","properties":{"path":{},"items":{"type":"array","items":{"type":"object","properties":{"y":{}}}}}}`, `$.items[]: field "x"`},
		{`{"type":"object","required":["nope"],"properties":{"path":{},"items":{"type":"array","items":{"type":"object","properties":{"x":{}}}}}}`, `required property "nope"`},
		{`{"type":"object","properties":{"path":{},"items":{"type":"string"}}}`, "slice"},
	}
	for _, tt := range tests {
		err := CheckSchema([]byte(tt.schema), in{})
		if (tt.errHas == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.errHas)) {
			t.Errorf("schema %s: err %v, want %q", tt.schema, err, tt.errHas)
		}
	}
}

func TestAbsPath(t *testing.T) {
	if p, err := AbsPath("file_path", "/a/b/../c"); err != nil || p != "/a/c" {
		t.Errorf("got %q %v", p, err)
	}
	for _, bad := range []string{"", "a/b", "./x"} {
		if _, err := AbsPath("file_path", bad); err == nil || !strings.Contains(err.Error(), "file_path") {
			t.Errorf("%q: err %v", bad, err)
		}
	}
}

func TestCheckFresh(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	os.WriteFile(p, []byte("abc"), 0o644)
	link := filepath.Join(dir, "l")
	os.Symlink(p, link)
	env := tool.NewEnv(dir)
	fi, _ := os.Stat(p)
	if err := CheckFresh(env, p, fi); err == nil || !strings.Contains(err.Error(), "has not been read") {
		t.Fatalf("unread: %v", err)
	}
	if err := Record(env, link); err != nil {
		t.Fatal(err)
	}
	if err := CheckFresh(env, p, fi); err != nil {
		t.Fatalf("read through the link should count for the target: %v", err)
	}
	later := time.Now().Add(time.Minute)
	os.Chtimes(p, later, later)
	fi, _ = os.Stat(p)
	if err := CheckFresh(env, link, fi); err == nil || !strings.Contains(err.Error(), "changed on disk") {
		t.Fatalf("stale: %v", err)
	}
}

func TestCheckWritable(t *testing.T) {
	dir := t.TempDir()
	ro := filepath.Join(dir, "ro")
	os.WriteFile(ro, nil, 0o444)
	rw := filepath.Join(dir, "rw")
	os.WriteFile(rw, nil, 0o600)
	for p, errHas := range map[string]string{ro: "read-only", rw: "", dir: "directory"} {
		fi, _ := os.Stat(p)
		err := CheckWritable(p, fi)
		if (errHas == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), errHas)) {
			t.Errorf("%s: %v, want %q", p, err, errHas)
		}
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	read := func(p string) string { b, _ := os.ReadFile(p); return string(b) }
	mode := func(p string) os.FileMode { fi, _ := os.Stat(p); return fi.Mode().Perm() }

	// New file with missing parents gets the requested mode.
	fresh := filepath.Join(dir, "x", "y", "new")
	if err := WriteFile(fresh, []byte("1"), 0o640); err != nil || read(fresh) != "1" || mode(fresh) != 0o640 {
		t.Fatalf("new: %v %q %v", err, read(fresh), mode(fresh))
	}
	// Existing file keeps its mode whatever perm says.
	if err := WriteFile(fresh, []byte("2"), 0o644); err != nil || mode(fresh) != 0o640 {
		t.Fatalf("existing: %v %v", err, mode(fresh))
	}
	// A chain of relative links writes the final target and keeps both links.
	os.Symlink("y/new", filepath.Join(dir, "x", "l1"))
	os.Symlink(filepath.Join("x", "l1"), filepath.Join(dir, "l2"))
	if err := WriteFile(filepath.Join(dir, "l2"), []byte("3"), 0o644); err != nil || read(fresh) != "3" {
		t.Fatalf("chain: %v %q", err, read(fresh))
	}
	for _, l := range []string{filepath.Join(dir, "x", "l1"), filepath.Join(dir, "l2")} {
		if fi, _ := os.Lstat(l); fi.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s is no longer a link", l)
		}
	}
	// Hard links keep sharing the file.
	hard := filepath.Join(dir, "hard")
	os.Link(fresh, hard)
	if err := WriteFile(fresh, []byte("4"), 0o644); err != nil || read(hard) != "4" {
		t.Fatalf("hard link: %v %q", err, read(hard))
	}
	// A link loop is reported, not followed forever.
	os.Symlink("loop2", filepath.Join(dir, "loop1"))
	os.Symlink("loop1", filepath.Join(dir, "loop2"))
	if err := WriteFile(filepath.Join(dir, "loop1"), nil, 0o644); err == nil || !strings.Contains(err.Error(), "symbolic links") {
		t.Fatalf("loop: %v", err)
	}
}

func TestWriteFileReadOnlyDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores directory permissions")
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	os.WriteFile(p, []byte("old"), 0o644)
	os.Chmod(dir, 0o555)
	defer os.Chmod(dir, 0o755)
	// No temporary file can be created, but the file itself is writable: written in place.
	if err := WriteFile(p, []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "new" {
		t.Fatalf("content %q", b)
	}
}

func TestTextHelpers(t *testing.T) {
	for s, want := range map[string]int{"": 0, "a": 1, "a\n": 1, "a\nb": 2, "\n\n": 2} {
		if got := CountLines(s); got != want {
			t.Errorf("CountLines(%q) = %d, want %d", s, got, want)
		}
	}
	if got := string(AppendNumbered(nil, 42, "x\r")); got != "42\tx\n" {
		t.Errorf("AppendNumbered = %q", got)
	}
	if got := string(AppendNumbered(nil, 1234567, "y")); got != "1234567\ty\n" {
		t.Errorf("AppendNumbered wide = %q", got)
	}
	for n, want := range map[int64]string{12: "12 bytes", 2048: "2.0 KiB", 5 << 20: "5.0 MiB"} {
		if got := HumanSize(n); got != want {
			t.Errorf("HumanSize(%d) = %q", n, got)
		}
	}
	if d := Diff("/f", "a\r\nb\r\n", "a\r\nc\r\n"); strings.Contains(d, "\r") || !strings.Contains(d, "-b\n+c\n") {
		t.Errorf("Diff = %q", d)
	}
	big := strings.Repeat("x\n", MaxDiffBytes)
	if d := Diff("/f", big, "y"); !strings.Contains(d, "too large") || len(d) > 200 {
		t.Errorf("large Diff = %.200q", d)
	}
}

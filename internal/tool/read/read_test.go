package read

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	pngenc "image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/picture"
	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tool/fsutil"
)

func TestSchemaMatchesInput(t *testing.T) {
	if err := fsutil.CheckSchema(schema, input{}); err != nil {
		t.Fatal(err)
	}
	if !json.Valid(New().InputSchema()) || New().Name() != "Read" || New().Class() != permission.ClassRead || !New().ConcurrencySafe() || New().Description() == "" {
		t.Fatal("tool metadata incomplete")
	}
}

func call(t testing.TB, env *tool.Env, in map[string]any) tool.Result {
	t.Helper()
	raw, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	res, err := New().Run(context.Background(), env, raw)
	if err != nil {
		t.Fatalf("Run returned a Go error: %v", err)
	}
	return res
}

func writeFile(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// numbered builds the expected numbered text of lines first, first+1, ….
func numbered(first int, lines ...string) string {
	var b []byte
	for i, l := range lines {
		b = fsutil.AppendNumbered(b, first+i, l)
	}
	return string(b)
}

func manyLines(n int) []byte {
	var b bytes.Buffer
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "line %d\n", i)
	}
	return b.Bytes()
}

func TestReadText(t *testing.T) {
	dir := t.TempDir()
	longLine := strings.Repeat("é", maxLineChars+10)
	tests := []struct {
		name    string
		data    []byte
		args    map[string]any
		want    string // exact text, when set
		contain []string
		isError bool
	}{
		{name: "plain", data: []byte("a\nb\n"), want: numbered(1, "a", "b")},
		{name: "no trailing newline", data: []byte("a\nb"), want: numbered(1, "a", "b")},
		{name: "crlf shown without CR", data: []byte("a\r\nb\r\n"), want: numbered(1, "a", "b")},
		{name: "bom dropped", data: []byte("\xEF\xBB\xBFx\n"), want: numbered(1, "x")},
		{name: "unicode combining", data: []byte("e\u0301t\u00e9 日本\n"), want: numbered(1, "e\u0301t\u00e9 日本")},
		{name: "blank lines kept", data: []byte("\n\nx\n"), want: numbered(1, "", "", "x")},
		{name: "empty file", data: nil, contain: []string{"is empty"}},
		{name: "offset and limit", data: manyLines(10), args: map[string]any{"offset": 3, "limit": 2},
			want: numbered(3, "line 3", "line 4") + "\n[Showing lines 3-4 of 10. Call Read with offset=5 to see more.]\n"},
		{name: "offset to the end", data: manyLines(10), args: map[string]any{"offset": 9}, want: numbered(9, "line 9", "line 10")},
		{name: "offset past end", data: manyLines(3), args: map[string]any{"offset": 7}, contain: []string{"has 3 lines", "offset 7"}},
		{name: "default limit", data: manyLines(defaultLimit + 5), contain: []string{"line 2000\n", "of 2005", "offset=2001"}},
		{name: "long line cut", data: []byte(longLine + "\nshort\n"),
			want: strings.TrimSuffix(numbered(1, longLine[:2*maxLineChars]), "\n") + " … [line cut at 2000 characters]\n" + numbered(2, "short")},
		{name: "negative offset", data: []byte("x"), args: map[string]any{"offset": -1}, isError: true, contain: []string{"positive"}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, dir, fmt.Sprintf("f%d.txt", i), tt.data)
			args := map[string]any{"file_path": p}
			for k, v := range tt.args {
				args[k] = v
			}
			res := call(t, tool.NewEnv(dir), args)
			if res.IsError != tt.isError {
				t.Fatalf("IsError = %v, text %q", res.IsError, res.Text)
			}
			if tt.want != "" && res.Text != tt.want {
				t.Errorf("got\n%q\nwant\n%q", res.Text, tt.want)
			}
			for _, c := range tt.contain {
				if !strings.Contains(res.Text, c) {
					t.Errorf("text %q lacks %q", res.Text, c)
				}
			}
		})
	}
}

func TestReadRefusals(t *testing.T) {
	dir := t.TempDir()
	big := bytes.Repeat([]byte("0123456789abcdef\n"), maxFullReadBytes/17+100)
	// A UTF-8 character split by the sniffing boundary must not make the file "binary".
	split := []byte(strings.Repeat("a\n", (sniffBytes-1)/2) + "aé\n")
	tests := []struct {
		name    string
		path    string
		args    map[string]any
		isError bool
		contain string
	}{
		{name: "relative path", path: "notes.txt", isError: true, contain: "absolute"},
		{name: "missing", path: filepath.Join(dir, "nope"), isError: true, contain: "does not exist"},
		{name: "directory", path: dir, isError: true, contain: "LS"},
		{name: "nul bytes", path: writeFile(t, dir, "bin", []byte("ab\x00cd")), isError: true, contain: "binary"},
		{name: "invalid utf8", path: writeFile(t, dir, "latin1", []byte("caf\xe9\n")), isError: true, contain: "binary"},
		{name: "rune split at sniff boundary", path: writeFile(t, dir, "split", split), args: map[string]any{"offset": 4096}, contain: "4096\taé\n"},
		{name: "large without range", path: writeFile(t, dir, "big", big), isError: true, contain: "offset and limit"},
		{name: "large with range", path: filepath.Join(dir, "big"), args: map[string]any{"offset": 10000, "limit": 1}, contain: "10000\t0123456789abcdef\n"},
		{name: "unknown field", path: filepath.Join(dir, "big"), args: map[string]any{"lines": 3}, isError: true, contain: `"lines"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := map[string]any{"file_path": tt.path}
			for k, v := range tt.args {
				args[k] = v
			}
			res := call(t, tool.NewEnv(dir), args)
			if res.IsError != tt.isError || !strings.Contains(res.Text, tt.contain) {
				t.Fatalf("IsError=%v text=%.300q; want IsError=%v containing %q", res.IsError, res.Text, tt.isError, tt.contain)
			}
		})
	}
}

func TestReadImages(t *testing.T) {
	dir := t.TempDir()
	webp, _ := base64.StdEncoding.DecodeString("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==") // 1×1
	tests := []struct {
		name, file string
		data       []byte
		mediaType  string
		want       string // in the result's text
	}{
		{"png", "a.png", encodeImage(t, "png", 3, 2), "image/png", "image/png, 3×2"},
		{"jpeg with wrong extension", "a.txt", encodeImage(t, "jpeg", 3, 2), "image/jpeg", "image/jpeg, 3×2"},
		{"gif", "a.gif", encodeImage(t, "gif", 3, 2), "image/gif", "image/gif, 3×2"},
		{"webp", "a.webp", webp, "image/webp", "image/webp, 1×1"},
		{"wider than Bedrock takes", "wide.png", encodeImage(t, "png", 2100, 21), "image/png", "scaled from 2100×21 to 2000×20"},
		{"damaged", "bad.png", []byte("\x89PNG\r\n\x1a\n\x00\x00"), "", "cannot be read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, dir, tt.file, tt.data)
			res := call(t, tool.NewEnv(dir), map[string]any{"file_path": p})
			if res.IsError != (tt.mediaType == "") || !strings.Contains(res.Text, tt.want) {
				t.Fatalf("IsError=%v text=%q, want %q", res.IsError, res.Text, tt.want)
			}
			if res.IsError {
				if len(res.Images) != 0 {
					t.Fatalf("a refused image is attached")
				}
				return
			}
			if len(res.Images) != 1 || res.Images[0].MediaType != tt.mediaType {
				t.Fatalf("images = %+v", res.Images)
			}
			if resized := strings.Contains(res.Text, "scaled"); resized == bytes.Equal(res.Images[0].Data, tt.data) {
				t.Errorf("resized %v, but the data is the file's: %v", resized, !resized)
			}
		})
	}
	// Past what strata decodes at all, refused by its size without reading it (a sparse file).
	big := writeFile(t, dir, "big.png", encodeImage(t, "png", 1, 1))
	if err := os.Truncate(big, picture.MaxInput+1); err != nil {
		t.Fatal(err)
	}
	if res := call(t, tool.NewEnv(dir), map[string]any{"file_path": big}); !res.IsError || !strings.Contains(res.Text, "50.0 MiB") {
		t.Errorf("a 50 MiB image: %q", res.Text)
	}
}

// encodeImage is a real w×h image in format.
func encodeImage(t *testing.T, format string, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	var buf bytes.Buffer
	var err error
	switch format {
	case "png":
		err = pngenc.Encode(&buf, img)
	case "jpeg":
		err = jpeg.Encode(&buf, img, nil)
	case "gif":
		err = gif.Encode(&buf, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadRecordsStamp(t *testing.T) {
	dir := t.TempDir()
	target := writeFile(t, dir, "target.txt", manyLines(5))
	link := filepath.Join(dir, "link.txt")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	env := tool.NewEnv(dir)
	if _, ok := env.LastRead(target); ok {
		t.Fatal("stamp before any read")
	}
	// A partial read through a symlink counts as reading the target.
	res := call(t, env, map[string]any{"file_path": link, "limit": 1})
	if res.IsError {
		t.Fatal(res.Text)
	}
	fi, _ := os.Stat(target)
	st, ok := env.LastRead(target)
	if !ok || st != fsutil.StampOf(fi) {
		t.Fatalf("stamp = %+v, %v; want %+v", st, ok, fsutil.StampOf(fi))
	}
	// A refused read records nothing.
	bin := writeFile(t, dir, "bin", []byte{0, 1})
	call(t, env, map[string]any{"file_path": bin})
	if _, ok := env.LastRead(bin); ok {
		t.Fatal("binary refusal recorded a read")
	}
}

func TestReadOutputCap(t *testing.T) {
	dir := t.TempDir()
	// 2000 lines of 1000 characters are far more than the output cap.
	line := strings.Repeat("x", 1000) + "\n"
	p := writeFile(t, dir, "wide", []byte(strings.Repeat(line, 2000)))
	res := call(t, tool.NewEnv(dir), map[string]any{"file_path": p, "offset": 1})
	if res.IsError || len(res.Text) > maxOutputBytes+200 || !strings.Contains(res.Text, "stopped early") {
		t.Fatalf("len=%d tail=%q", len(res.Text), res.Text[max(0, len(res.Text)-200):])
	}
}

func BenchmarkReadRange(b *testing.B) {
	dir := b.TempDir()
	var buf bytes.Buffer
	for i := 0; buf.Len() < 10<<20; i++ {
		fmt.Fprintf(&buf, "%08d the quick brown fox jumps over the lazy dog, again and again\n", i)
	}
	p := writeFile(b, dir, "ten-mb.txt", buf.Bytes())
	env := tool.NewEnv(dir)
	raw, _ := json.Marshal(map[string]any{"file_path": p, "offset": 70000, "limit": 2000})
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		res, err := New().Run(context.Background(), env, raw)
		if err != nil || res.IsError {
			b.Fatal(err, res.Text)
		}
	}
}

// TestReadRefusesHiddenFile: the tool holds the read filter even when called directly.
func TestReadRefusesHiddenFile(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "key.txt", []byte("TOPSECRET\n"))
	env := tool.NewEnv(dir)
	env.CanRead = func(string) bool { return false }
	res := call(t, env, map[string]any{"file_path": p})
	if !res.IsError || strings.Contains(res.Text, "TOPSECRET") || !strings.Contains(res.Text, "denied") {
		t.Fatalf("got %+v", res)
	}
}

// TestRereadUnchanged: reading the same range of an unchanged file again gives a short note
// instead of the content; another range, a changed file, a write through the tools, or the
// conversation forgetting its results (compaction) each bring the content back.
func TestRereadUnchanged(t *testing.T) {
	dir := t.TempDir()
	env := tool.NewEnv(dir)
	p := writeFile(t, dir, "f.txt", manyLines(50))
	full := func(res tool.Result) bool { return strings.Contains(res.Text, "line 10") }
	if res := call(t, env, map[string]any{"file_path": p}); !full(res) {
		t.Fatalf("first read: %s", res.Text)
	}
	if res := call(t, env, map[string]any{"file_path": p, "offset": 1, "limit": defaultLimit}); res.Text != unchanged {
		t.Fatalf("same range again (defaults spelled out): %s", res.Text)
	}
	if res := call(t, env, map[string]any{"file_path": p, "offset": 5, "limit": 10}); !strings.Contains(res.Text, "line 5") {
		t.Fatalf("another range: %s", res.Text)
	}
	if res := call(t, env, map[string]any{"file_path": p, "offset": 5, "limit": 10}); res.Text != unchanged {
		t.Fatalf("that range again: %s", res.Text)
	}
	writeFile(t, dir, "f.txt", append(manyLines(50), "line 51\n"...))
	if res := call(t, env, map[string]any{"file_path": p, "offset": 5, "limit": 10}); !strings.Contains(res.Text, "line 5") {
		t.Fatalf("after a change: %s", res.Text)
	}
	if err := fsutil.Record(env, p); err != nil { // what Write and Edit do after writing
		t.Fatal(err)
	}
	if res := call(t, env, map[string]any{"file_path": p, "offset": 5, "limit": 10}); !strings.Contains(res.Text, "line 5") {
		t.Fatalf("after a write through the tools: %s", res.Text)
	}
	env.ForgetViews()
	if res := call(t, env, map[string]any{"file_path": p, "offset": 5, "limit": 10}); !strings.Contains(res.Text, "line 5") {
		t.Fatalf("after the results were forgotten: %s", res.Text)
	}
}

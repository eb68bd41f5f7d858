package grep

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tool/fsutil"
)

// testFiles is written oldest first; each file gets a distinct modification time.
var testFiles = []struct{ path, content string }{
	{".git/HEAD", "ref: TODO\n"},
	{".gitignore", "*.log\nbuild/\n"},
	{"old.go", "package old\n\n// TODO: remove\nfunc Old() {}\n"},
	{"b.py", "def f():\n    # todo lower\n    return 1\n"},
	{"docs/readme.md", "# Title\n\nSome TODO here.\nstart of block\nmiddle\nend of block\n"},
	{"sub/deep/c.go", "package deep\n\nfunc C() {\n\tstart()\n\tx := 1\n\tend()\n}\n"},
	{"unicode.txt", "héllo wörld\nπ = 3.14\n日本語 TODO\n"},
	{"crlf.txt", "foo\r\nbar\r\nbaz\r\n"},
	{"binary.bin", "TODO\x00binary\n"},
	{"late-binary.txt", "TODO first\n" + strings.Repeat("y", 70000) + "\n\x00\n"},
	{"ignored.log", "TODO in log\n"},
	{"build/gen.go", "// TODO generated\n"},
	{".hidden.go", "package hidden // TODO\n"},
	{"dash.txt", "-flag value\n--other\n"},
	{"ctx.txt", "1\n2\nmatch a\n4\n5\n6\n7\nmatch b\nmatch c\n10\n11\n"},
	{"nofinal.txt", "last line TODO"},
	{"fold.txt", "\u212aelvin scale\nKELVIN\nkelvin\nſtraſse\nSTRASSE\néclair\nÉCLAIR\nplain text\n"},
	{"main.go", "package main\n\nfunc main() {\n\t// TODO: wire things\n\tprintln(\"hi\")\n}\n"},
}

func writeTestTree(t testing.TB) string {
	t.Helper()
	root := t.TempDir()
	base := time.Now().Add(-time.Hour)
	for i, f := range testFiles {
		p := filepath.Join(root, filepath.FromSlash(f.path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(f.content), 0o644); err != nil {
			t.Fatal(err)
		}
		mt := base.Add(time.Duration(i) * time.Second)
		if err := os.Chtimes(p, mt, mt); err != nil {
			t.Fatal(err)
		}
	}
	// Symbolic links are not followed by either back end, to files or to directories.
	for link, target := range map[string]string{"link.go": "main.go", "linkdir": "sub"} {
		if err := os.Symlink(target, filepath.Join(root, link)); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func runGrep(t testing.TB, g tool.Tool, env *tool.Env, input string) tool.Result {
	t.Helper()
	res, err := g.Run(context.Background(), env, json.RawMessage(input))
	if err != nil {
		t.Fatalf("Run(%s): %v", input, err)
	}
	return res
}

// expand replaces "R/" with the tree's root and a trailing slash, so expectations read as
// relative paths.
func expand(root, s string) string { return strings.ReplaceAll(s, "R/", root+"/") }

// grepCases are checked against exact expected output on the Go back end, and compared
// between the two back ends when rg is installed.
var grepCases = []struct {
	name  string
	input string
	want  string // "" means: only compare back ends
	isErr bool
}{
	{name: "files mode default, newest first", input: `{"pattern":"TODO"}`,
		want: "Found 6 files\nR/main.go\nR/nofinal.txt\nR/.hidden.go\nR/unicode.txt\nR/docs/readme.md\nR/old.go"},
	{name: "content with line numbers", input: `{"pattern":"TODO","output_mode":"content","path":"docs"}`,
		want: "R/docs/readme.md:3:Some TODO here."},
	{name: "content without line numbers", input: `{"pattern":"TODO","output_mode":"content","-n":false,"glob":"*.go"}`,
		want: "R/main.go:\t// TODO: wire things\nR/.hidden.go:package hidden // TODO\nR/old.go:// TODO: remove"},
	{name: "count", input: `{"pattern":"o","output_mode":"count","glob":"*.txt"}`,
		want: "Found 3 matching lines in 3 files\nR/dash.txt:1\nR/crlf.txt:1\nR/unicode.txt:1"},
	{name: "ignore case", input: `{"pattern":"todo","-i":true,"type":"py"}`, want: "Found 1 file\nR/b.py"},
	{name: "case sensitive", input: `{"pattern":"todo","type":"py","output_mode":"content"}`, want: "R/b.py:2:    # todo lower"},
	{name: "context", input: `{"pattern":"match","output_mode":"content","-C":1,"path":"ctx.txt"}`,
		want: "R/ctx.txt-2-2\nR/ctx.txt:3:match a\nR/ctx.txt-4-4\n--\nR/ctx.txt-7-7\nR/ctx.txt:8:match b\nR/ctx.txt:9:match c\nR/ctx.txt-10-10"},
	{name: "after only", input: `{"pattern":"match a","output_mode":"content","-A":2,"-C":5,"-B":0,"path":"ctx.txt"}`,
		want: "R/ctx.txt:3:match a\nR/ctx.txt-4-4\nR/ctx.txt-5-5"},
	{name: "context across files", input: `{"pattern":"^package","output_mode":"content","-B":1,"type":"go"}`,
		want: "R/main.go:1:package main\n--\nR/.hidden.go:1:package hidden // TODO\n--\nR/sub/deep/c.go:1:package deep\n--\nR/old.go:1:package old"},
	{name: "multiline", input: `{"pattern":"start.*end","multiline":true,"output_mode":"content"}`,
		want: "R/sub/deep/c.go:4:\tstart()\nR/sub/deep/c.go:5:\tx := 1\nR/sub/deep/c.go:6:\tend()\nR/docs/readme.md:4:start of block\nR/docs/readme.md:5:middle\nR/docs/readme.md:6:end of block"},
	{name: "not multiline", input: `{"pattern":"start.*end","output_mode":"content"}`, want: "No matches found."},
	{name: "glob excludes", input: `{"pattern":"TODO","glob":"!**/*.go !*.md"}`,
		want: "Found 2 files\nR/nofinal.txt\nR/unicode.txt"},
	{name: "anchored glob", input: `{"pattern":"func","glob":"sub/**/*.go"}`, want: "Found 1 file\nR/sub/deep/c.go"},
	{name: "glob reaches ignored file", input: `{"pattern":"TODO","glob":"*.log"}`, want: "Found 1 file\nR/ignored.log"},
	{name: "head limit files", input: `{"pattern":"TODO","head_limit":2}`,
		want: "Found 6 files (head_limit: showing the first 2)\nR/main.go\nR/nofinal.txt"},
	{name: "head limit content", input: `{"pattern":"match","output_mode":"content","head_limit":1}`,
		want: "R/ctx.txt:3:match a\n[head_limit: showing the first 1 of 3 lines]"},
	{name: "file path ignores filters", input: `{"pattern":"TODO","path":"ignored.log","type":"go"}`, want: "Found 1 file\nR/ignored.log"},
	{name: "pattern with leading dash", input: `{"pattern":"-flag","output_mode":"content"}`, want: "R/dash.txt:1:-flag value"},
	{name: "unicode", input: `{"pattern":"w.rld|日本","output_mode":"content"}`, want: "R/unicode.txt:1:héllo wörld\nR/unicode.txt:3:日本語 TODO"},
	{name: "crlf line ends", input: `{"pattern":"^bar","output_mode":"content","path":"crlf.txt"}`, want: "R/crlf.txt:2:bar"},
	{name: "dollar before carriage return", input: `{"pattern":"bar$","path":"crlf.txt"}`, want: "No matches found."},
	{name: "no final newline", input: `{"pattern":"line TODO$","output_mode":"count"}`, want: "Found 1 matching line in 1 file\nR/nofinal.txt:1"},
	{name: "binary skipped", input: `{"pattern":"binary|first"}`, want: "No matches found."},
	{name: "no match", input: `{"pattern":"zzz_nothing"}`, want: "No matches found."},
	{name: "type md", input: `{"pattern":"block","type":"md","output_mode":"count"}`, want: "Found 2 matching lines in 1 file\nR/docs/readme.md:2"},
	{name: "empty-matching pattern", input: `{"pattern":"x*","path":"ctx.txt","output_mode":"count"}`, want: "Found 11 matching lines in 1 file\nR/ctx.txt:11"},
	{name: "ignore case, kelvin sign", input: `{"pattern":"kelvin","-i":true,"output_mode":"content","path":"fold.txt"}`,
		want: "R/fold.txt:1:\u212aelvin scale\nR/fold.txt:2:KELVIN\nR/fold.txt:3:kelvin"},
	{name: "ignore case, long s", input: `{"pattern":"strasse","-i":true,"output_mode":"count"}`,
		want: "Found 2 matching lines in 1 file\nR/fold.txt:2"},
	{name: "ignore case, non-ASCII literal", input: `{"pattern":"éclair","-i":true,"output_mode":"content"}`,
		want: "R/fold.txt:6:éclair\nR/fold.txt:7:ÉCLAIR"},
	{name: "ignore case, multiline", input: `{"pattern":"kelvin\\nſtra","-i":true,"multiline":true,"output_mode":"content"}`,
		want: "R/fold.txt:3:kelvin\nR/fold.txt:4:ſtraſse"},
	{name: "bad regex", input: `{"pattern":"(unclosed"}`, isErr: true},
	{name: "bad glob", input: `{"pattern":"x","glob":"[oops"}`, isErr: true},
	{name: "bad type", input: `{"pattern":"x","type":"nosuchtype"}`, isErr: true},
}

func TestGrepGoBackend(t *testing.T) {
	root := writeTestTree(t)
	env := tool.NewEnv(root)
	g := New(Options{NoRipgrep: true})
	for _, tc := range grepCases {
		t.Run(tc.name, func(t *testing.T) {
			res := runGrep(t, g, env, tc.input)
			if res.IsError != tc.isErr {
				t.Fatalf("IsError = %v, want %v: %s", res.IsError, tc.isErr, res.Text)
			}
			if tc.want != "" && res.Text != expand(root, tc.want) {
				t.Errorf("got\n%s\nwant\n%s", res.Text, expand(root, tc.want))
			}
		})
	}
}

// TestBackendsIdentical runs every case through rg and the Go back end and requires the same
// text (for errors, only that both are errors: the messages come from different engines).
func TestBackendsIdentical(t *testing.T) {
	rg, err := exec.LookPath("rg")
	if err != nil {
		t.Skip("rg not installed; install ripgrep to compare the back ends")
	}
	root := writeTestTree(t)
	env := tool.NewEnv(root)
	goTool, rgTool := New(Options{NoRipgrep: true}), New(Options{RgPath: rg})
	for _, tc := range grepCases {
		t.Run(tc.name, func(t *testing.T) {
			a, b := runGrep(t, goTool, env, tc.input), runGrep(t, rgTool, env, tc.input)
			if a.IsError != b.IsError {
				t.Fatalf("go IsError=%v (%s), rg IsError=%v (%s)", a.IsError, a.Text, b.IsError, b.Text)
			}
			if !a.IsError && a.Text != b.Text {
				t.Errorf("back ends differ\ngo:\n%s\nrg:\n%s", a.Text, b.Text)
			}
		})
	}
}

func TestRgArgsEndWithPattern(t *testing.T) {
	args, dir := rgArgs(&query{pattern: "-e", root: "/r", mode: modeFiles, globs: []string{"*.go"}})
	n := len(args)
	if args[n-3] != "--" || args[n-2] != "-e" || args[n-1] != "." || dir != "/r" {
		t.Errorf("args end %q in %s, want -- -e . in /r", args[n-3:], dir)
	}
}

func TestOutputCap(t *testing.T) {
	root := t.TempDir()
	var b strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&b, "needle %d %s\n", i, strings.Repeat("x", 40))
	}
	if err := os.WriteFile(filepath.Join(root, "big.txt"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	long := "needle " + strings.Repeat("é", 2*maxLineRunes)
	if err := os.WriteFile(filepath.Join(root, "long.txt"), []byte(long), 0o644); err != nil {
		t.Fatal(err)
	}
	env := tool.NewEnv(root)
	res := runGrep(t, New(Options{NoRipgrep: true}), env, `{"pattern":"needle","output_mode":"content"}`)
	if len(res.Text) > maxOutput+300 {
		t.Errorf("output is %d bytes, cap is %d", len(res.Text), maxOutput)
	}
	if !strings.Contains(res.Text, "more lines not shown") {
		t.Error("the cut is not reported")
	}
	res = runGrep(t, New(Options{NoRipgrep: true}), env, `{"pattern":"needle","output_mode":"content","path":"long.txt"}`)
	if !strings.HasSuffix(res.Text, "[… rest of line cut]") || len([]rune(res.Text)) > maxLineRunes+100 {
		t.Errorf("long line not shortened: %d runes", len([]rune(res.Text)))
	}
}

func TestInputErrors(t *testing.T) {
	env := tool.NewEnv(t.TempDir())
	g := New(Options{NoRipgrep: true})
	for _, input := range []string{
		`{}`,
		`{"pattern":"x","output_mode":"lines"}`,
		`{"pattern":"x","-A":-1}`,
		`{"pattern":"x","head_limit":-3}`,
		`{"pattern":"x","path":"/does/not/exist"}`,
		`{"pattern":"x","-A":"2"}`,
		`{"pattern":"x","context":2}`,
	} {
		if res := runGrep(t, g, env, input); !res.IsError {
			t.Errorf("input %s: want an error result, got %q", input, res.Text)
		}
	}
}

func TestCancelled(t *testing.T) {
	root := writeTestTree(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, g := range []tool.Tool{New(Options{NoRipgrep: true}), New(Options{})} {
		if _, err := g.Run(ctx, tool.NewEnv(root), json.RawMessage(`{"pattern":"TODO"}`)); err == nil {
			t.Error("a cancelled search returned no error")
		}
	}
}

func TestSchemaMatchesInput(t *testing.T) {
	g := New(Options{})
	if err := fsutil.CheckSchema(g.InputSchema(), input{}); err != nil {
		t.Error(err)
	}
	if g.Name() != "Grep" || g.Class() != permission.ClassRead || !g.ConcurrencySafe() || g.Description() == "" {
		t.Error("name, read-only flag or description wrong")
	}
}

// BenchmarkGrepGo measures the Go back end on a generated tree of about 2000 files.
func BenchmarkGrepGo(b *testing.B) {
	root := b.TempDir()
	for d := range 40 {
		dir := filepath.Join(root, fmt.Sprintf("pkg%02d", d))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.Fatal(err)
		}
		for f := range 50 {
			var sb strings.Builder
			for l := range 60 {
				fmt.Fprintf(&sb, "func f%d_%d() int { return %d } // filler text for the search\n", f, l, l)
			}
			if f%10 == 0 {
				sb.WriteString("// NEEDLE here\n")
			}
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%02d.go", f)), []byte(sb.String()), 0o644); err != nil {
				b.Fatal(err)
			}
		}
	}
	env := tool.NewEnv(root)
	g := New(Options{NoRipgrep: true})
	input := json.RawMessage(`{"pattern":"NEEDLE","output_mode":"content"}`)
	b.ResetTimer()
	for b.Loop() {
		res, err := g.Run(context.Background(), env, input)
		if err != nil || res.IsError {
			b.Fatal(err, res.Text)
		}
	}
}

// hidingEnv is an Env whose read filter is a real checker's with `Read(./secrets/**)` denied,
// over a tree with a secret in secrets/ and a link to it from outside.
func hidingEnv(t *testing.T) (*tool.Env, string) {
	t.Helper()
	root := t.TempDir()
	for p, content := range map[string]string{"secrets/key.txt": "TOPSECRET one\n", "src/a.go": "package a // TOPSECRET-free\n"} {
		if err := os.MkdirAll(filepath.Join(root, filepath.Dir(p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, p), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(root, "secrets", "key.txt"), filepath.Join(root, "src", "k")); err != nil {
		t.Fatal(err)
	}
	rule, err := permission.ParseRule("Read(./secrets/**)", "test")
	if err != nil {
		t.Fatal(err)
	}
	env := tool.NewEnv(root)
	env.CanRead = (&permission.Checker{Dirs: []string{root}, DenyRules: []permission.Rule{rule}}).ReadFilter().Allows
	return env, root
}

// TestDeniedFilesLeaveNoTrace: whatever the mode, glob or path, a file the Read rules deny
// gives no line, name or count, on either back end.
func TestDeniedFilesLeaveNoTrace(t *testing.T) {
	env, root := hidingEnv(t)
	tools := map[string]tool.Tool{"go": New(Options{NoRipgrep: true})}
	if rg, err := exec.LookPath("rg"); err == nil {
		tools["rg"] = New(Options{RgPath: rg})
	}
	inputs := []string{
		`{"pattern":"TOPSECRET one","output_mode":"content"}`,
		`{"pattern":"TOPSECRET","output_mode":"files_with_matches"}`,
		`{"pattern":"TOPSECRET","output_mode":"count"}`,
		`{"pattern":"TOPSECRET","glob":"secrets/**","output_mode":"content"}`,
		`{"pattern":"one","path":"src","output_mode":"content"}`,
		fmt.Sprintf(`{"pattern":"TOPSECRET","path":%q,"output_mode":"content"}`, filepath.Join(root, "secrets", "key.txt")),
	}
	for name, g := range tools {
		for _, in := range inputs {
			res := runGrep(t, g, env, in)
			if strings.Contains(res.Text, "TOPSECRET one") || strings.Contains(res.Text, "key.txt") || strings.Contains(res.Text, "secrets") {
				t.Errorf("%s %s: leaked:\n%s", name, in, res.Text)
			}
		}
		res := runGrep(t, g, env, `{"pattern":"TOPSECRET","output_mode":"files_with_matches"}`)
		if !strings.Contains(res.Text, "a.go") {
			t.Errorf("%s: a visible match is missing:\n%s", name, res.Text)
		}
	}
}

// TestRgOutputIsFiltered: rg walks on its own, so its records of a hidden file are dropped.
func TestRgOutputIsFiltered(t *testing.T) {
	out := `{"type":"match","data":{"path":{"text":"secrets/key.txt"},"lines":{"text":"TOPSECRET\n"},"line_number":1}}
{"type":"match","data":{"path":{"text":"src/a.go"},"lines":{"text":"TOPSECRET-free\n"},"line_number":1}}
{"type":"summary","data":{}}
`
	q := &query{mode: modeContent, visible: func(p string) bool { return !strings.Contains(p, "/secrets/") }}
	c, saw, err := parseRgOutput(strings.NewReader(out), "/r", q)
	if err != nil || !saw {
		t.Fatalf("parse: %v %v", saw, err)
	}
	if _, ok := c.files["/r/secrets/key.txt"]; ok || len(c.files) != 1 {
		t.Fatalf("kept %v", c.files)
	}
}

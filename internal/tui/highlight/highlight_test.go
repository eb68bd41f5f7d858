package highlight

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// samples has a line of code for each lexer file.
var samples = map[string]string{
	"go": "func main() { fmt.Println(\"hi\", 42) } // done", "python.xml": "def f(x):\n    return 'a' + str(1)  # c",
	"javascript.xml": "const x = () => 'a' + 1; // c", "typescript.xml": "let x: number = 1;",
	"bash.xml": "for f in *.go; do echo \"$f\"; done", "json.xml": `{"a": [1, true, null]}`,
	"yaml.xml": "a: 1\nb: [x, 'y']", "rust.xml": "fn main() { let x = 1; }", "java.xml": "class A { int x = 1; }",
	"c.xml": "int main(void) { return 0; }", "cpp.xml": "auto x = std::vector<int>{};", "csharp.xml": "var x = new A();",
	"ruby.xml": "def f; puts 'x'; end", "sql.xml": "SELECT a FROM t WHERE b = 1;", "toml.xml": "[a]\nb = \"c\"",
	"diff.xml": "@@ -1 +1 @@\n-old\n+new", "css.xml": "a { color: red; }", "kotlin.xml": "fun main() { val x = 1 }",
	"swift.xml": "let x = 1", "lua.xml": "local x = 1", "hcl.xml": "resource \"a\" \"b\" { x = 1 }",
}

// TestEveryLanguageColours: each lexer the table names loads and colours its sample, line
// for line, adding nothing but colours to the text.
func TestEveryLanguageColours(t *testing.T) {
	h := New()
	files := map[string]bool{}
	for lang, file := range languages {
		files[file] = true
		code := strings.Split(samples[file], "\n")
		if samples[file] == "" {
			t.Errorf("no sample for %s", file)
			continue
		}
		out, ok := h.Lines(lang, code)
		if !ok {
			t.Errorf("%s (%s) does not colour", lang, file)
			continue
		}
		if len(out) != len(code) {
			t.Errorf("%s: %d lines in, %d out", lang, len(code), len(out))
		}
		for i := range out {
			if got := ansi.Strip(out[i]); got != code[i] {
				t.Errorf("%s: line %d reads %q, want %q", lang, i, got, code[i])
			}
			if rest := stripSGR(out[i]); strings.ContainsAny(rest, "\x1b\x07") {
				t.Errorf("%s: line %d holds a control sequence other than a colour: %q", lang, i, out[i])
			}
		}
		if !strings.Contains(strings.Join(out, ""), "\x1b[") {
			t.Errorf("%s: nothing coloured: %q", lang, out)
		}
	}
	if len(files) != len(samples) {
		t.Errorf("%d lexer files in the table, %d samples", len(files), len(samples))
	}
	if _, ok := h.Lines("brainfuck", []string{"+++"}); ok || Known("brainfuck") || !Known("Go") {
		t.Error("an unknown language is coloured, or a known one is not known")
	}
}

// stripSGR removes the colour sequences (ESC [ … m) from s.
func stripSGR(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ';' || s[j] == ':') {
				j++
			}
			if j < len(s) && s[j] == 'm' {
				i = j
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// TestGoKeepsItsShape: keywords, strings and comments get distinct colours, a multi-line
// comment stays on its lines.
func TestGoKeepsItsShape(t *testing.T) {
	out, ok := New().Lines("go", []string{"/* a", "b */ return \"s\""})
	if !ok || len(out) != 2 {
		t.Fatalf("got %q, %v", out, ok)
	}
	if !strings.Contains(out[1], "\x1b[35mreturn") || !strings.Contains(out[1], "\x1b[32m\"s\"") {
		t.Errorf("keyword or string not coloured as the palette says: %q", out[1])
	}
}

// TestStartupDoesNotBuildEveryLexer: strata does not link chroma's lexers or styles
// packages, which build all of theirs when the program starts.
func TestStartupDoesNotBuildEveryLexer(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", "github.com/strata-agent/strata/cmd/strata").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, pkg := range []string{"github.com/alecthomas/chroma/v2/lexers", "github.com/alecthomas/chroma/v2/styles",
		"github.com/alecthomas/chroma/v2/formatters"} {
		if strings.Contains(string(out)+"\n", pkg+"\n") {
			t.Errorf("strata links %s", pkg)
		}
	}
	if !strings.Contains(string(out), "github.com/alecthomas/chroma/v2\n") {
		t.Error("strata does not link chroma at all: is this test still needed?")
	}
}

// A block beyond the limits is drawn plainly: chroma's backtracking patterns run on the UI's
// goroutine.
func TestLargeBlocksStayPlain(t *testing.T) {
	h := New()
	if _, ok := h.Lines("go", []string{"package main"}); !ok {
		t.Fatal("a small block is not coloured")
	}
	big := make([]string, maxLines+1)
	for i := range big {
		big[i] = "x := 1"
	}
	if _, ok := h.Lines("go", big); ok {
		t.Error("a block of more than maxLines lines was coloured")
	}
	if _, ok := h.Lines("go", []string{strings.Repeat("a", maxBytes+1)}); ok {
		t.Error("a block of more than maxBytes was coloured")
	}
}

package grep

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/strata-agent/strata/internal/tool"
)

// gorootQueries are the query kinds measured over the Go source tree: a plain word, a
// case-insensitive word, a regexp with no literal prefix, one with no literal at all, and
// each output mode.
var gorootQueries = []struct{ name, input string }{
	{"literal", `{"pattern":"NewReader","output_mode":"content"}`},
	{"ignore-case", `{"pattern":"newreader","-i":true,"output_mode":"content"}`},
	{"regexp", `{"pattern":"func \\w+Error\\(","output_mode":"content"}`},
	{"no-literal", `{"pattern":"[A-Z]{12}","output_mode":"content"}`},
	{"ignore-case-regexp", `{"pattern":"deadline\\s+exceeded","-i":true,"output_mode":"content"}`},
	{"files", `{"pattern":"TODO"}`},
	{"count", `{"pattern":"panic\\(","output_mode":"count","type":"go"}`},
	{"context", `{"pattern":"unreachable","output_mode":"content","-C":2}`},
}

// gorootEnv is an Env over a folder of $(go env GOROOT)/src, and ripgrep's path; the test
// skips without ripgrep.
func gorootEnv(t testing.TB, sub string) (*tool.Env, string) {
	rg, err := exec.LookPath("rg")
	if err != nil {
		t.Skip("rg not installed; install ripgrep to compare the back ends")
	}
	return tool.NewEnv(filepath.Join(runtime.GOROOT(), "src", sub)), rg
}

// TestBackendsIdenticalGoroot: over part of the Go source tree (the benchmark checks all of
// it), every query kind gives the same text with either back end.
func TestBackendsIdenticalGoroot(t *testing.T) {
	env, rg := gorootEnv(t, "net/http")
	sameResults(t, env, rg)
}

func sameResults(t testing.TB, env *tool.Env, rg string) {
	goTool, rgTool := New(Options{NoRipgrep: true}), New(Options{RgPath: rg})
	for _, q := range gorootQueries {
		a, b := runGrep(t, goTool, env, q.input), runGrep(t, rgTool, env, q.input)
		if a.IsError || a.Text != b.Text {
			t.Errorf("%s: back ends differ\ngo:\n%.2000s\nrg:\n%.2000s", q.name, a.Text, b.Text)
		}
	}
}

// BenchmarkGrepGoroot runs each query kind over the Go source tree with ripgrep (the
// yardstick, through the same tool) and with the Go back end, after checking that both give
// the same results.
func BenchmarkGrepGoroot(b *testing.B) {
	env, rg := gorootEnv(b, "")
	sameResults(b, env, rg)
	for _, q := range gorootQueries {
		for _, be := range []struct {
			name string
			tool tool.Tool
		}{{"rg", New(Options{RgPath: rg})}, {"go", New(Options{NoRipgrep: true})}} {
			b.Run(q.name+"/"+be.name, func(b *testing.B) {
				for b.Loop() {
					if res := runGrep(b, be.tool, env, q.input); res.IsError {
						b.Fatal(res.Text)
					}
				}
			})
		}
	}
}

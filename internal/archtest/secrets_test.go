package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// A refRule forbids references to some functions or variables of other packages (os.Environ,
// syscall.ForkExec) outside the packages allowed to use them.
type refRule struct {
	what    string
	allowed func(dir string) bool
	forbid  func(path, name string) bool
}

// procDir is the one package that starts child processes, with an explicit environment.
const procDir = "internal/proc"

var refRules = []refRule{
	{what: "only internal/proc starts processes",
		allowed: func(dir string) bool { return under(dir, procDir) },
		forbid: func(path, name string) bool {
			switch path + "." + name {
			case "os.StartProcess", "syscall.ForkExec", "syscall.StartProcess", "syscall.Exec",
				"golang.org/x/sys/unix.Exec", "golang.org/x/sys/windows.CreateProcess",
				"golang.org/x/sys/windows.CreateProcessAsUser",
				"charm.land/bubbletea/v2.ExecProcess", "charm.land/bubbletea/v2.Exec",
				"github.com/modelcontextprotocol/go-sdk/mcp.CommandTransport":
				return true
			}
			return false
		}},
	{what: "only internal/cli takes the whole process environment; everything else is handed what it needs",
		allowed: func(dir string) bool { return dir == "internal/cli" },
		forbid: func(path, name string) bool {
			return (path == "os" || path == "syscall") && name == "Environ"
		}},
	{what: "only internal/iostreams asks about terminals: no terminal ioctls, no Lip Gloss probes or its stdout writer",
		allowed: func(dir string) bool { return dir == "internal/iostreams" },
		forbid: func(path, name string) bool {
			switch path {
			case "syscall", "golang.org/x/sys/unix":
				for _, p := range []string{"TIOC", "TCGET", "TCSET", "IoctlGetTermios", "IoctlSetTermios", "IoctlGetWinsize", "IoctlSetWinsize"} {
					if strings.HasPrefix(name, p) {
						return true
					}
				}
			case "charm.land/lipgloss/v2":
				switch name {
				case "BackgroundColor", "HasDarkBackground", "Writer", "Print", "Println", "Printf", "Fprint", "Fprintln", "Fprintf":
					return true
				}
			}
			return false
		}},
}

// TestReferenceRules: the process, environment and terminal rules, on every file of every
// platform.
func TestReferenceRules(t *testing.T) {
	for _, v := range refViolations(loadPackages(t), refRules) {
		t.Error(v)
	}
}

// TestOnlyProcImportsOSExec: os/exec is how Go starts processes, so only internal/proc may
// import it (tests may, to run the go command or the binary).
func TestOnlyProcImportsOSExec(t *testing.T) {
	for _, v := range execImporters(loadPackages(t)) {
		t.Error(v)
	}
}

func execImporters(pkgs []pkg) []string {
	var out []string
	for _, p := range pkgs {
		if !under(p.dir, procDir) && p.imports()["os/exec"] {
			out = append(out, p.dir+" imports os/exec: only internal/proc starts processes")
		}
	}
	return out
}

// importNames maps the names a file refers to its imports by onto their paths.
func importNames(f *ast.File) map[string]string {
	names := map[string]string{}
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		name := filepath.Base(path)
		if v := strings.TrimPrefix(name, "v"); v != name && strings.Trim(v, "0123456789") == "" {
			name = filepath.Base(filepath.Dir(path)) // charm.land/lipgloss/v2 is lipgloss
		}
		if path == "charm.land/bubbletea/v2" {
			name = "tea"
		}
		if imp.Name != nil {
			name = imp.Name.Name
		}
		names[name] = path
	}
	return names
}

// pkgRef resolves a selector such as os.Environ to ("os", "Environ").
func pkgRef(names map[string]string, n ast.Node) (path, name string, ok bool) {
	sel, isSel := n.(*ast.SelectorExpr)
	if !isSel {
		return "", "", false
	}
	id, isID := sel.X.(*ast.Ident)
	if !isID || id.Obj != nil { // a local variable, not a package
		return "", "", false
	}
	path, ok = names[id.Name]
	return path, sel.Sel.Name, ok
}

func refViolations(pkgs []pkg, rules []refRule) []string {
	var out []string
	for _, p := range pkgs {
		for file, f := range p.files {
			names := importNames(f)
			ast.Inspect(f, func(n ast.Node) bool {
				path, name, ok := pkgRef(names, n)
				if !ok {
					return true
				}
				for _, r := range rules {
					if !r.allowed(p.dir) && r.forbid(path, name) {
						out = append(out, filepath.Base(file)+" in "+p.dir+" uses "+path+"."+name+": "+r.what)
					}
				}
				return true
			})
		}
	}
	sort.Strings(out)
	return out
}

// parsePkg parses made-up source files as the package in dir, for planting violations.
func parsePkg(t *testing.T, dir string, srcs ...string) pkg {
	t.Helper()
	p := pkg{dir: dir, files: map[string]*ast.File{}}
	for i, src := range srcs {
		name := "f" + strconv.Itoa(i) + ".go"
		f, err := parser.ParseFile(token.NewFileSet(), name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		p.name, p.files[name] = f.Name.Name, f
	}
	return p
}

// TestRulesCatchPlantedViolations: every direct and reference rule reports a planted breach,
// and leaves the allowed packages alone.
func TestRulesCatchPlantedViolations(t *testing.T) {
	pkgs := []pkg{
		parsePkg(t, "internal/tui", `package tui
import ("golang.org/x/term"; "os/exec"; tea "charm.land/bubbletea/v2"; "charm.land/lipgloss/v2")
func f() { term.IsTerminal(0); _ = lipgloss.HasDarkBackground; _ = tea.ExecProcess; exec.Command("x") }`),
		parsePkg(t, "internal/tool/bash", `package bash
import ("os"; "syscall"; sys "golang.org/x/sys/unix")
func f() { os.StartProcess("x", nil, nil); syscall.ForkExec("x", nil, nil); _ = os.Environ(); _ = sys.TIOCGWINSZ }`),
		parsePkg(t, "internal/llm", `package llm
import "github.com/google/uuid"`),
		parsePkg(t, "internal/proc", `package proc
import ("os"; "os/exec")
func f() { exec.Command("x"); os.StartProcess("x", nil, nil) }`),
		parsePkg(t, "internal/cli", `package cli
import "os"
var environ = os.Environ`),
		parsePkg(t, "internal/iostreams", `package iostreams
import "golang.org/x/term"
func f() { term.IsTerminal(0) }`),
		parsePkg(t, "internal/agent", `package agent
import "os"
func f() { os := struct{ Environ func() }{}; os.Environ() }`),
	}
	got := append(append(directViolations(pkgs, rules), refViolations(pkgs, refRules)...), execImporters(pkgs)...)
	want := []string{
		"internal/tui imports golang.org/x/term: only internal/iostreams asks about terminals",
		"internal/tui uses charm.land/lipgloss/v2.HasDarkBackground: only internal/iostreams asks",
		"internal/tui uses charm.land/bubbletea/v2.ExecProcess: only internal/proc starts",
		"internal/tui imports os/exec: only internal/proc starts processes",
		"internal/tool/bash uses os.StartProcess: only internal/proc starts",
		"internal/tool/bash uses syscall.ForkExec: only internal/proc starts",
		"internal/tool/bash uses os.Environ: only internal/cli takes the whole process environment",
		"internal/tool/bash uses golang.org/x/sys/unix.TIOCGWINSZ: only internal/iostreams asks",
		"internal/llm imports github.com/google/uuid: internal/llm depends on nothing but",
	}
	joined := strings.Join(got, "\n")
	for _, w := range want {
		if !strings.Contains(joined, w) {
			t.Errorf("not reported: %s", w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("reported %d violations, want %d (allowed packages or a shadowing local were flagged?):\n%s", len(got), len(want), joined)
	}
}

// thirdPartyStarters are the libraries strata links that can start processes themselves (they
// import os/exec), and when they do; ARCHITECTURE.md names them. Their children inherit
// strata's whole environment, so a new one must be looked at before it joins this list.
var thirdPartyStarters = map[string]string{
	"github.com/aws/aws-sdk-go-v2/credentials/processcreds": "a profile's credential_process, for internal/bedrock",
	"github.com/charmbracelet/colorprofile":                 "`tmux info` inside tmux, when Lip Gloss initialises and Bubble Tea starts",
	"charm.land/bubbletea/v2":                               "tea.Exec and tea.ExecProcess, which strata never calls (TestReferenceRules)",
	"github.com/atotto/clipboard":                           "xclip, xsel or wl-paste, when the input box's Ctrl+V paste binding reads the clipboard",
	"github.com/modelcontextprotocol/go-sdk/mcp":            "CommandTransport, which strata never uses (TestReferenceRules): internal/mcp starts stdio servers with internal/proc",
}

// TestThirdPartyProcessStartersAreKnown: the libraries that import os/exec are exactly the
// known ones, on this platform.
func TestThirdPartyProcessStartersAreKnown(t *testing.T) {
	for _, v := range unknownStarters(loadGraph(t), thirdPartyStarters) {
		t.Error(v)
	}
}

func unknownStarters(g graph, known map[string]string) []string {
	var out []string
	found := map[string]bool{}
	for p, imps := range g {
		if _, mine := local(p); mine || isStd(p) {
			continue
		}
		for _, imp := range imps {
			if imp == "os/exec" {
				found[p] = true
				if known[p] == "" {
					out = append(out, p+" imports os/exec: say in ARCHITECTURE.md when it starts processes, and add it to thirdPartyStarters")
				}
			}
		}
	}
	for p := range known {
		if !found[p] {
			out = append(out, p+" no longer imports os/exec (or is no longer linked): drop it from thirdPartyStarters and ARCHITECTURE.md")
		}
	}
	sort.Strings(out)
	return out
}

// TestUnknownStartersAreReported plants a new library that starts processes and a known one
// that went away.
func TestUnknownStartersAreReported(t *testing.T) {
	g := graph{
		module + "/internal/cli": {"example.com/new", "os/exec"},
		"example.com/new":        {"os/exec"},
		"example.com/known":      {"os/exec"},
	}
	got := unknownStarters(g, map[string]string{"example.com/known": "x", "example.com/gone": "y"})
	if len(got) != 2 || !strings.HasPrefix(got[0], "example.com/gone no longer") || !strings.HasPrefix(got[1], "example.com/new imports os/exec") {
		t.Fatalf("unknownStarters = %q", got)
	}
}

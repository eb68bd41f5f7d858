package archtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"testing"
)

// A rule is an absence ARCHITECTURE.md promises: the packages from applies to must not depend
// on what forbid names. Directly, that holds for every file on every platform (by parsing the
// sources). Transitively, it holds for the platform the tests run on (by the go command's
// package graph), where a path that passes through a package through names is the business
// of that package and its own rules: a path from cmd/strata to the AWS SDK through
// internal/bedrock is how strata reaches Bedrock, not a breach.
type rule struct {
	what    string
	applies func(dir string) bool // module packages the rule is about, by directory
	forbid  func(imp string) bool // import paths they must not reach
	through func(imp string) bool // packages whose own dependencies are not followed; nil: none
}

func local(imp string) (dir string, ok bool) {
	if imp == module {
		return ".", true
	}
	return strings.CutPrefix(imp, module+"/")
}

// isStd tells standard-library import paths by their first element, which has no dot.
func isStd(imp string) bool { return !strings.Contains(strings.Split(imp, "/")[0], ".") }

func inModule(imp string, dirs ...string) bool {
	dir, ok := local(imp)
	if !ok {
		return false
	}
	for _, d := range dirs {
		if under(dir, d) {
			return true
		}
	}
	return false
}

// uiLibrary: the Charm libraries that draw the UI (Bubble Tea, Lip Gloss, Bubbles).
func uiLibrary(imp string) bool { return strings.HasPrefix(imp, "charm.land/") }

// terminalPackage: packages whose business is asking the operating system about terminals —
// is this a terminal, how big is it, raw mode, colour support.
func terminalPackage(imp string) bool {
	switch imp {
	case "golang.org/x/term", "github.com/charmbracelet/x/term", "github.com/charmbracelet/x/termios",
		"github.com/charmbracelet/colorprofile", "github.com/mattn/go-isatty", "github.com/muesli/cancelreader",
		"github.com/containerd/console", "github.com/creack/pty", "github.com/muesli/termenv":
		return true
	}
	return false
}

// rules are the import invariants of ARCHITECTURE.md, in its order.
var rules = []rule{
	{what: "the agent and the tools never depend on the UI or Bubble Tea",
		applies: func(dir string) bool { return under(dir, "internal/agent") || under(dir, "internal/tool") },
		forbid: func(imp string) bool {
			return uiLibrary(imp) || strings.HasPrefix(imp, "github.com/charmbracelet/") || inModule(imp, "internal/tui")
		}},
	{what: "only internal/tui depends on the UI libraries; other packages reach them only through it",
		applies: func(dir string) bool { return !under(dir, "internal/tui") },
		forbid:  uiLibrary,
		through: func(imp string) bool { return inModule(imp, "internal/tui") }},
	{what: "only internal/bedrock and the emulator depend on the AWS SDK; other packages reach it only through them",
		applies: func(dir string) bool {
			return !under(dir, "internal/bedrock") && !under(dir, "internal/bedrocksim") && !under(dir, "cmd/bedrocksim")
		},
		forbid:  func(imp string) bool { return strings.HasPrefix(imp, "github.com/aws/") },
		through: func(imp string) bool { return inModule(imp, "internal/bedrock", "internal/bedrocksim") }},
	{what: "only internal/iostreams asks about terminals; other packages reach terminal packages only through it or the UI libraries",
		applies: func(dir string) bool { return !under(dir, "internal/iostreams") },
		forbid:  terminalPackage,
		through: func(imp string) bool { return inModule(imp, "internal/iostreams") || uiLibrary(imp) }},
	{what: "internal/llm depends on nothing but the standard library",
		applies: func(dir string) bool { return dir == "internal/llm" },
		forbid:  func(imp string) bool { return !isStd(imp) }},
	{what: "tools never reach the model, the provider or the front ends",
		applies: func(dir string) bool { return under(dir, "internal/tool") },
		forbid: func(imp string) bool {
			return inModule(imp, "internal/agent", "internal/bedrock", "internal/bedrocksim", "internal/cli", "internal/tui") ||
				strings.HasPrefix(imp, "github.com/aws/")
		}},
}

// TestImportInvariants checks the rules on direct imports, in every file of every platform.
func TestImportInvariants(t *testing.T) {
	for _, v := range directViolations(loadPackages(t), rules) {
		t.Error(v)
	}
}

func directViolations(pkgs []pkg, rules []rule) []string {
	var out []string
	for _, p := range pkgs {
		imps := p.imports()
		for _, r := range rules {
			if !r.applies(p.dir) {
				continue
			}
			for imp := range imps {
				if r.forbid(imp) {
					out = append(out, p.dir+" imports "+imp+": "+r.what)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// graph maps each import path of the build to the paths it imports.
type graph map[string][]string

// listedGraph asks the go command once per test binary; nothing changes the result after.
var listedGraph = sync.OnceValues(listGraph)

// loadGraph returns every package the module's packages depend on, theirs and third
// parties', as built for this platform (tests excluded).
func loadGraph(t *testing.T) graph {
	t.Helper()
	g, err := listedGraph()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func listGraph() (graph, error) {
	top, err := rootDir()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("go", "list", "-deps", "-json=ImportPath,Imports", "./...")
	cmd.Dir = top
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %w\n%s", err, stderr.String())
	}
	g := graph{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("go list output: %w", err)
		}
		g[p.ImportPath] = p.Imports
	}
	if len(g) < 50 {
		return nil, fmt.Errorf("go list reported only %d packages", len(g))
	}
	return g, nil
}

// TestTransitiveImportInvariants checks the rules on everything each package depends on.
func TestTransitiveImportInvariants(t *testing.T) {
	for _, v := range transitiveViolations(loadGraph(t), rules) {
		t.Error(v)
	}
}

// transitiveViolations reports, for each rule and module package it applies to, the first path
// found to a forbidden package that does not pass through one of the rule's through packages.
func transitiveViolations(g graph, rules []rule) []string {
	var out []string
	for from := range g {
		dir, ok := local(from)
		if !ok {
			continue
		}
		for _, r := range rules {
			if r.applies(dir) {
				if path := forbiddenPath(g, from, r); path != nil {
					out = append(out, strings.Join(path, " → ")+": "+r.what)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// forbiddenPath searches breadth first from start, so the path it returns is a shortest one.
func forbiddenPath(g graph, start string, r rule) []string {
	prev := map[string]string{start: ""}
	queue := []string{start}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, next := range g[cur] {
			if _, seen := prev[next]; seen {
				continue
			}
			prev[next] = cur
			if r.forbid(next) {
				path := []string{next}
				for p := cur; p != ""; p = prev[p] {
					path = append([]string{p}, path...)
				}
				return path
			}
			if r.through == nil || !r.through(next) {
				queue = append(queue, next)
			}
		}
	}
	return nil
}

// TestTransitiveRulesCatchIndirectImports plants indirect breaches in a made-up graph: each
// must be reported, and the allowed routes must not be.
func TestTransitiveRulesCatchIndirectImports(t *testing.T) {
	m := module + "/"
	g := graph{
		m + "internal/agent":     {m + "internal/render"},
		m + "internal/render":    {"charm.land/lipgloss/v2"},
		"charm.land/lipgloss/v2": {"github.com/charmbracelet/x/term"},
		m + "internal/llm":       {"fmt", "github.com/google/uuid"},
		m + "internal/tool/task": {m + "internal/tool"},
		m + "internal/tool":      {m + "internal/memory"},
		m + "internal/memory":    {m + "internal/bedrock"},
		m + "internal/bedrock":   {"github.com/aws/aws-sdk-go-v2/aws"},
		m + "internal/cli":       {m + "internal/bedrock", m + "internal/tui", m + "internal/iostreams"},
		m + "internal/tui":       {"charm.land/bubbletea/v2"},
		m + "internal/iostreams": {"golang.org/x/term"},
		m + "internal/doctor":    {"github.com/mattn/go-isatty"},
		m + "internal/demo":      {"example.com/wrapper"},
		"example.com/wrapper":    {"github.com/aws/aws-sdk-go-v2/aws"},
	}
	got := strings.Join(transitiveViolations(g, rules), "\n")
	for _, want := range []string{
		"internal/agent → " + m + "internal/render → charm.land/lipgloss/v2: the agent and the tools never depend",
		"internal/render → charm.land/lipgloss/v2: only internal/tui depends on the UI libraries",
		"internal/llm → github.com/google/uuid: internal/llm depends on nothing but",
		"internal/tool/task → " + m + "internal/tool → " + m + "internal/memory → " + m + "internal/bedrock: tools never reach",
		"internal/demo → example.com/wrapper → github.com/aws/aws-sdk-go-v2/aws: only internal/bedrock",
		"internal/doctor → github.com/mattn/go-isatty: only internal/iostreams asks about terminals",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("not reported: %s\ngot:\n%s", want, got)
		}
	}
	for _, line := range strings.Split(got, "\n") {
		for _, allowed := range []string{"internal/cli ", "internal/tui ", "internal/iostreams ", "internal/bedrock "} {
			if strings.HasPrefix(line, m+allowed) {
				t.Errorf("an allowed route was reported: %s", line)
			}
		}
	}
}

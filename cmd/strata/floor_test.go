package main

import (
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestFloorLinksWhatStrataLinks keeps BenchmarkStartupKeptLibraries honest: its program
// (testdata/floor/keptlibs) must import exactly the third-party packages strata's own packages
// import, or its figure is no longer the floor under `strata --version`. golang.org/x/sys is
// left out on both sides, since which of its packages are imported depends on the platform.
func TestFloorLinksWhatStrataLinks(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the import lists are compared as Linux builds them")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH")
	}
	cmd := exec.Command("go", "list", "-f", `{{join .Imports "\n"}}`, "./cmd/strata/...", "./internal/...")
	cmd.Dir = filepath.Join("..", "..")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var want []string
	for _, p := range strings.Fields(string(out)) {
		if thirdParty(p) && !slices.Contains(want, p) {
			want = append(want, p)
		}
	}
	file, err := parser.ParseFile(token.NewFileSet(), filepath.Join("testdata", "floor", "keptlibs", "main.go"), nil, parser.ImportsOnly)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, imp := range file.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); thirdParty(p) {
			got = append(got, p)
		}
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("testdata/floor/keptlibs imports\n%s\nstrata's packages import\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// thirdParty reports whether an import path is outside the standard library and strata.
func thirdParty(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return strings.Contains(first, ".") && !strings.HasPrefix(path, "github.com/strata-agent/strata") &&
		!strings.HasPrefix(path, "golang.org/x/sys/")
}

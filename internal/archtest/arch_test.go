package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/strata-agent/strata"

// pkg is one package of the module as the tests see it: its non-test files, parsed.
type pkg struct {
	dir   string // relative to the repository root, slash-separated
	name  string
	files map[string]*ast.File
}

func root(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		t.Fatalf("repository root not found from the test directory: %v", err)
	}
	return dir
}

// loadPackages parses every non-test Go file of the module, grouped by directory.
func loadPackages(t *testing.T) []pkg {
	t.Helper()
	top := root(t)
	byDir := map[string]*pkg{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(top, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); n == "testdata" || strings.HasPrefix(n, ".") && path != top {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(top, filepath.Dir(path))
		rel = filepath.ToSlash(rel)
		p := byDir[rel]
		if p == nil {
			p = &pkg{dir: rel, name: f.Name.Name, files: map[string]*ast.File{}}
			byDir[rel] = p
		}
		p.files[path] = f
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var out []pkg
	for _, p := range byDir {
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].dir < out[j].dir })
	return out
}

func (p pkg) imports() map[string]bool {
	seen := map[string]bool{}
	for _, f := range p.files {
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			seen[path] = true
		}
	}
	return seen
}

func under(dir, prefix string) bool { return dir == prefix || strings.HasPrefix(dir, prefix+"/") }

// TestImportInvariants enforces the absences ARCHITECTURE.md promises.
func TestImportInvariants(t *testing.T) {
	rules := []struct {
		what    string
		forbid  func(imp string) bool
		applies func(dir string) bool
	}{
		{"the agent and tools never import the UI or Bubble Tea",
			func(imp string) bool {
				return strings.HasPrefix(imp, "charm.land/") || strings.HasPrefix(imp, "github.com/charmbracelet/") || imp == module+"/internal/tui"
			},
			func(dir string) bool { return under(dir, "internal/agent") || under(dir, "internal/tool") }},
		{"only bedrock and the emulator import the AWS SDK",
			func(imp string) bool {
				return strings.HasPrefix(imp, "github.com/aws/")
			},
			func(dir string) bool {
				return !under(dir, "internal/bedrock") && !under(dir, "internal/bedrocksim") && !under(dir, "cmd/bedrocksim")
			}},
		{"only iostreams (and the UI) look at terminals",
			func(imp string) bool { return imp == "golang.org/x/term" },
			func(dir string) bool { return !under(dir, "internal/iostreams") && !under(dir, "internal/tui") }},
		{"tools never reach the model or the provider directly",
			func(imp string) bool {
				return imp == module+"/internal/bedrock" || imp == module+"/internal/agent"
			},
			func(dir string) bool { return under(dir, "internal/tool") }},
	}
	for _, p := range loadPackages(t) {
		imps := p.imports()
		for _, r := range rules {
			if !r.applies(p.dir) {
				continue
			}
			for imp := range imps {
				if r.forbid(imp) {
					t.Errorf("%s imports %s: %s", p.dir, imp, r.what)
				}
			}
		}
	}
}

// TestLLMImportsOnlyStdlib keeps the shared types free of dependencies.
func TestLLMImportsOnlyStdlib(t *testing.T) {
	for _, p := range loadPackages(t) {
		if p.dir != "internal/llm" {
			continue
		}
		for imp := range p.imports() {
			if strings.Contains(strings.Split(imp, "/")[0], ".") {
				t.Errorf("internal/llm imports %s; it may use only the standard library", imp)
			}
		}
	}
}

// TestPackagesHaveDocComments: every package says what it owns.
func TestPackagesHaveDocComments(t *testing.T) {
	for _, p := range loadPackages(t) {
		documented := false
		for _, f := range p.files {
			if f.Doc != nil && strings.TrimSpace(f.Doc.Text()) != "" {
				documented = true
			}
		}
		if !documented {
			t.Errorf("package %s (%s) has no doc comment", p.name, p.dir)
		}
	}
}

// envReaders may read the process environment: the entry points hand it on, and settings and
// the Bedrock configuration are where configuration is loaded (DESIGN.md).
var envReaders = []string{"cmd/", "internal/cli", "internal/settings", "internal/bedrock"}

// TestEnvironmentReadOnlyInConfigLoading: no package reaches for os.Getenv on its own.
func TestEnvironmentReadOnlyInConfigLoading(t *testing.T) {
	for _, p := range loadPackages(t) {
		allowed := false
		for _, prefix := range envReaders {
			if strings.HasPrefix(p.dir+"/", prefix) || under(p.dir, strings.TrimSuffix(prefix, "/")) {
				allowed = true
			}
		}
		if allowed {
			continue
		}
		for path, f := range p.files {
			ast.Inspect(f, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == "os" {
					switch sel.Sel.Name {
					case "Getenv", "LookupEnv", "Environ":
						t.Errorf("%s reads the environment (os.%s); pass values in from configuration", path, sel.Sel.Name)
					}
				}
				return true
			})
		}
	}
}

// immutableInit matches initialisers of package-level variables that are constants in all
// but name: sentinel errors, compiled patterns, embedded files, interface checks.
var immutableInit = regexp.MustCompile(`^(errors\.New|fmt\.Errorf|regexp\.MustCompile|template\.Must)\(`)

// TestNoPackageLevelMutableState: state lives in values that are passed around.
func TestNoPackageLevelMutableState(t *testing.T) {
	fset := token.NewFileSet()
	for _, p := range loadPackages(t) {
		for path, f := range p.files {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, decl := range f.Decls {
				gd, ok := decl.(*ast.GenDecl)
				if !ok || gd.Tok != token.VAR {
					continue
				}
				for _, spec := range gd.Specs {
					vs := spec.(*ast.ValueSpec)
					if allowedVar(vs, gd, src, fset, f) {
						continue
					}
					for _, n := range vs.Names {
						t.Errorf("%s: package-level variable %s holds mutable state", path, n.Name)
					}
				}
			}
		}
	}
}

func allowedVar(vs *ast.ValueSpec, gd *ast.GenDecl, src []byte, fset *token.FileSet, f *ast.File) bool {
	if len(vs.Names) == 1 && vs.Names[0].Name == "_" {
		return true // compile-time interface check
	}
	for _, doc := range []*ast.CommentGroup{vs.Doc, gd.Doc} {
		if doc != nil && strings.Contains(doc.Text()+rawComments(doc), "go:embed") {
			return true
		}
	}
	if len(vs.Values) == 0 {
		return false
	}
	for _, v := range vs.Values {
		start, end := v.Pos()-f.FileStart, v.End()-f.FileStart
		if !immutableInit.Match(src[start:end]) {
			return false
		}
	}
	return true
}

func rawComments(cg *ast.CommentGroup) string {
	var b strings.Builder
	for _, c := range cg.List {
		b.WriteString(c.Text)
	}
	return b.String()
}

// TestArchitectureNamesExistingPaths keeps ARCHITECTURE.md true: every path it names in
// backquotes exists.
func TestArchitectureNamesExistingPaths(t *testing.T) {
	top := root(t)
	doc, err := os.ReadFile(filepath.Join(top, "ARCHITECTURE.md"))
	if err != nil {
		t.Fatal(err)
	}
	paths := regexp.MustCompile("`((?:cmd|internal|docs|testdata)/[A-Za-z0-9_./-]*)`").FindAllStringSubmatch(string(doc), -1)
	if len(paths) < 5 {
		t.Fatalf("ARCHITECTURE.md names only %d paths; the codemap is missing", len(paths))
	}
	for _, m := range paths {
		if _, err := os.Stat(filepath.Join(top, strings.TrimSuffix(m[1], "/"))); err != nil {
			t.Errorf("ARCHITECTURE.md names %s, which does not exist", m[1])
		}
	}
}

package archtest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
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
	dir, err := rootDir()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func rootDir() (string, error) {
	dir, err := filepath.Abs("../..")
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		return "", fmt.Errorf("repository root not found from the test directory: %w", err)
	}
	return dir, nil
}

// parsedModule parses the module once per test binary (a dozen tests read it; parsing it
// for each is most of their time under -race). Nothing changes the result after.
var parsedModule = sync.OnceValues(parseModule)

// loadPackages returns every non-test Go file of the module, parsed, grouped by directory.
func loadPackages(t *testing.T) []pkg {
	t.Helper()
	pkgs, err := parsedModule()
	if err != nil {
		t.Fatal(err)
	}
	return pkgs
}

func parseModule() ([]pkg, error) {
	top, err := rootDir()
	if err != nil {
		return nil, err
	}
	byDir := map[string]*pkg{}
	fset := token.NewFileSet()
	err = filepath.WalkDir(top, func(path string, d os.DirEntry, err error) error {
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
		return nil, err
	}
	var out []pkg
	for _, p := range byDir {
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].dir < out[j].dir })
	return out, nil
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

// TestUIGoesThroughItsHost: the terminal UI asks tui.Host for files, processes, memory,
// models and sessions instead of reaching for those packages; the Bridge alone names the
// tools' Todo type, which it converts.
func TestUIGoesThroughItsHost(t *testing.T) {
	forbidden := map[string]bool{"os/exec": true, module + "/internal/memory": true, module + "/internal/models": true,
		module + "/internal/session": true, module + "/internal/tool/search": true}
	for _, p := range loadPackages(t) {
		if !under(p.dir, "internal/tui") {
			continue
		}
		for path, f := range p.files {
			for _, imp := range f.Imports {
				name, _ := strconv.Unquote(imp.Path.Value)
				bridge := p.dir == "internal/tui" && filepath.Base(path) == "bridge.go"
				if forbidden[name] || name == module+"/internal/tool" && !bridge {
					t.Errorf("%s imports %s: the UI asks its Host for that", path, name)
				}
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
					case "Getenv", "LookupEnv": // os.Environ: see refRules
						t.Errorf("%s reads the environment (os.%s); pass values in from configuration", path, sel.Sel.Name)
					}
				}
				return true
			})
		}
	}
}

// TestNoPackageLevelMutableState: state lives in values that are passed around. A
// package-level variable is allowed only as a constant in all but name — a lookup table, a
// compiled pattern (also one compiled on first use, internal/lazyre), an embedded file: no
// function may assign to it, change an element, take its address or delete from it, and it
// may not be a sync or atomic value.
func TestNoPackageLevelMutableState(t *testing.T) {
	for _, p := range loadPackages(t) {
		vars := map[string]string{} // name → file declaring it
		for path, f := range p.files {
			for _, decl := range f.Decls {
				gd, ok := decl.(*ast.GenDecl)
				if !ok || gd.Tok != token.VAR {
					continue
				}
				for _, spec := range gd.Specs {
					vs := spec.(*ast.ValueSpec)
					for _, n := range vs.Names {
						if n.Name == "_" {
							continue
						}
						vars[n.Name] = path
						if mentionsSync(vs) {
							t.Errorf("%s: package-level %s is a synchronisation value, i.e. shared mutable state", path, n.Name)
						}
					}
				}
			}
		}
		for path, f := range p.files {
			for _, decl := range f.Decls {
				fd, ok := decl.(*ast.FuncDecl)
				if !ok || fd.Body == nil {
					continue
				}
				for _, name := range writtenNames(fd.Body) {
					if file, ok := vars[name]; ok {
						t.Errorf("%s: %s changes package-level variable %s (declared in %s)", path, fd.Name.Name, name, filepath.Base(file))
					}
				}
			}
		}
	}
}

// TestNoPatternCompiledAtStartUp: package-level variables are initialised before every
// command, --version included, so a regular expression there is compiled on first use
// (lazyre.New), never by regexp.MustCompile or regexp.Compile at start-up.
func TestNoPatternCompiledAtStartUp(t *testing.T) {
	for _, p := range loadPackages(t) {
		for path, f := range p.files {
			for _, decl := range f.Decls {
				gd, ok := decl.(*ast.GenDecl)
				if !ok || gd.Tok != token.VAR {
					continue
				}
				ast.Inspect(gd, func(n ast.Node) bool {
					if _, ok := n.(*ast.FuncLit); ok {
						return false // runs when called, not at start-up
					}
					call, ok := n.(*ast.CallExpr)
					if !ok {
						return true
					}
					if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
						if id, ok := sel.X.(*ast.Ident); ok && id.Name == "regexp" && strings.HasPrefix(sel.Sel.Name, "MustCompile") {
							t.Errorf("%s: a package-level regexp.%s compiles at every start; use lazyre.New", path, sel.Sel.Name)
						}
					}
					return true
				})
			}
		}
	}
}

// mentionsSync reports a variable whose type or value comes from sync or sync/atomic.
func mentionsSync(vs *ast.ValueSpec) bool {
	found := false
	check := func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && (id.Name == "sync" || id.Name == "atomic") {
				found = true
			}
		}
		return !found
	}
	if vs.Type != nil {
		ast.Inspect(vs.Type, check)
	}
	for _, v := range vs.Values {
		ast.Inspect(v, check)
	}
	return found
}

// writtenNames lists the root identifiers a function body writes through: assignments
// (also to elements and fields), ++/--, &x and delete(x, …). Locals shadowing a package
// variable of the same name are reported too; rename one of them.
func writtenNames(body *ast.BlockStmt) []string {
	var out []string
	defined := map[string]bool{}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, lhs := range n.Lhs {
				id := rootIdent(lhs)
				if id == nil || id.Name == "_" {
					continue
				}
				if n.Tok == token.DEFINE {
					defined[id.Name] = true
					continue
				}
				if !defined[id.Name] {
					out = append(out, id.Name)
				}
			}
		case *ast.ValueSpec:
			for _, name := range n.Names {
				defined[name.Name] = true
			}
		case *ast.IncDecStmt:
			if id := rootIdent(n.X); id != nil && !defined[id.Name] {
				out = append(out, id.Name)
			}
		case *ast.UnaryExpr:
			if id := rootIdent(n.X); n.Op == token.AND && id != nil && !defined[id.Name] {
				out = append(out, id.Name)
			}
		case *ast.CallExpr:
			if fn, ok := n.Fun.(*ast.Ident); ok && fn.Name == "delete" && len(n.Args) > 0 {
				if id := rootIdent(n.Args[0]); id != nil && !defined[id.Name] {
					out = append(out, id.Name)
				}
			}
		}
		return true
	})
	return out
}

// rootIdent strips element, field, dereference and parentheses down to the variable.
func rootIdent(e ast.Expr) *ast.Ident {
	for {
		switch x := e.(type) {
		case *ast.Ident:
			return x
		case *ast.IndexExpr:
			e = x.X
		case *ast.SelectorExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		default:
			return nil
		}
	}
}

// TestArchitectureNamesExistingPaths keeps ARCHITECTURE.md true: every path it names in
// backquotes exists.
func TestArchitectureNamesExistingPaths(t *testing.T) {
	top := root(t)
	doc, err := os.ReadFile(filepath.Join(top, "ARCHITECTURE.md"))
	if err != nil {
		t.Fatal(err)
	}
	paths := regexp.MustCompile("`((?:cmd|internal|docs|testdata)/[A-Za-z0-9_./-]*[A-Za-z0-9_])`").FindAllStringSubmatch(string(doc), -1)
	if len(paths) < 5 {
		t.Fatalf("ARCHITECTURE.md names only %d paths; the codemap is missing", len(paths))
	}
	for _, m := range paths {
		if _, err := os.Stat(filepath.Join(top, strings.TrimSuffix(m[1], "/"))); err != nil {
			t.Errorf("ARCHITECTURE.md names %s, which does not exist", m[1])
		}
	}
}

// TestWrittenNamesCatchesMutation keeps the state check honest: it must see every way a
// function can change a package variable, and not flag locals.
func TestWrittenNamesCatchesMutation(t *testing.T) {
	src := `package p
func f() {
	a = 1
	b[k] = 2
	c.field = 3
	d++
	use(&e)
	delete(g, "k")
	h, i := 1, 2
	h = 3
	var j int
	j = 4
	_ = read[k]
}`
	f, err := parser.ParseFile(token.NewFileSet(), "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	body := f.Decls[0].(*ast.FuncDecl).Body
	got := strings.Join(writtenNames(body), ",")
	if got != "a,b,c,d,e,g" {
		t.Fatalf("writtenNames = %s, want a,b,c,d,e,g", got)
	}
}

// TestCodemapNamesEveryPackage keeps the code map complete: a new package must get its line.
func TestCodemapNamesEveryPackage(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join(root(t), "ARCHITECTURE.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range loadPackages(t) {
		if p.dir == "." || strings.HasPrefix(p.dir, "internal/archtest") {
			continue
		}
		if !strings.Contains(string(doc), "`"+p.dir+"`") {
			t.Errorf("ARCHITECTURE.md's code map does not name %s", p.dir)
		}
	}
}

// TestNamedTestsExist keeps ARCHITECTURE.md's invariants honest: every test it names as the
// check of a claim exists — in internal/archtest when unqualified, else in the package named.
func TestNamedTestsExist(t *testing.T) {
	top := root(t)
	doc, err := os.ReadFile(filepath.Join(top, "ARCHITECTURE.md"))
	if err != nil {
		t.Fatal(err)
	}
	missing := missingTests(string(doc), func(dir, name string) bool {
		files, _ := filepath.Glob(filepath.Join(top, dir, "*_test.go"))
		for _, f := range files {
			if src, err := os.ReadFile(f); err == nil && strings.Contains(string(src), "\nfunc "+name+"(") {
				return true
			}
		}
		return false
	})
	for _, m := range missing {
		t.Errorf("ARCHITECTURE.md names %s, which does not exist", m)
	}
	if missing := missingTests("`TestNoSuchRule` and `session.TestNoSuchEither`", func(string, string) bool { return false }); len(missing) != 2 {
		t.Errorf("planted missing tests reported as %q", missing)
	}
}

// missingTests lists the `Test…` and `pkg.Test…` names of doc that exists does not find.
func missingTests(doc string, exists func(dir, name string) bool) []string {
	var out []string
	for _, m := range regexp.MustCompile("`(?:([a-z]+)\\.)?(Test[A-Za-z0-9_]+)`").FindAllStringSubmatch(doc, -1) {
		dir := "internal/archtest"
		if m[1] != "" {
			dir = "internal/" + m[1]
		}
		if !exists(dir, m[2]) {
			out = append(out, m[0])
		}
	}
	return out
}

package archtest

import (
	"go/ast"
	"go/types"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestTranscriptWritesAreRedacted: internal/session writes nothing but constants and what its
// redactor returned. With Store.Create and Resume refusing a nil redactor
// (session.TestTranscriptNeedsARedactor), no transcript line escapes redaction.
func TestTranscriptWritesAreRedacted(t *testing.T) {
	found := false
	for _, p := range loadPackages(t) {
		if p.dir == "internal/session" {
			found = true
			for _, v := range unredactedWrites(p) {
				t.Error(v)
			}
		}
	}
	if !found {
		t.Fatal("internal/session not found")
	}
}

// unredactedWrites reports each write whose data is neither a constant nor assigned, in the
// same function, from a call of the redactor (a value named red: red.JSON, red.String,
// red.Bytes). It is deliberately blunt: any Write-like call counts, to a file or not.
func unredactedWrites(p pkg) []string {
	var out []string
	for file, f := range p.files {
		names := importNames(f)
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			redacted := redactedValues(fd.Body)
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				for _, arg := range writtenData(names, call) {
					if !isConstant(arg) && !redacted[types.ExprString(arg)] && !callsRedactor(arg) {
						out = append(out, filepath.Base(file)+": "+fd.Name.Name+" writes "+types.ExprString(arg)+
							", which did not come from the transcript's redactor")
					}
				}
				return true
			})
		}
	}
	sort.Strings(out)
	return out
}

// writtenData returns the arguments a call writes out, if it is a write.
func writtenData(names map[string]string, call *ast.CallExpr) []ast.Expr {
	if path, name, ok := pkgRef(names, call.Fun); ok {
		switch path + "." + name {
		case "os.WriteFile", "io.Copy", "io.CopyN", "io.CopyBuffer", "io.WriteString":
			if len(call.Args) > 1 {
				return call.Args[1:2]
			}
		case "fmt.Fprint", "fmt.Fprintf", "fmt.Fprintln":
			return call.Args[1:]
		}
		return nil
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || len(call.Args) == 0 {
		return nil
	}
	switch sel.Sel.Name {
	case "Write", "WriteString", "WriteAt", "WriteByte", "WriteRune", "ReadFrom", "Encode":
		return call.Args[:1]
	}
	return nil
}

// isConstant: a literal, a composite of literals, or a conversion of one ([]byte("\n")).
func isConstant(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.BasicLit:
		return true
	case *ast.CompositeLit:
		for _, el := range e.Elts {
			if !isConstant(el) {
				return false
			}
		}
		return true
	case *ast.CallExpr:
		return len(e.Args) == 1 && isConstant(e.Args[0])
	}
	return false
}

// callsRedactor reports an expression containing red.JSON(…), red.String(…) or red.Bytes(…)
// on a value named red (a variable or a field).
func callsRedactor(e ast.Node) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return !found
		}
		if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
			recv := types.ExprString(sel.X)
			if (recv == "red" || strings.HasSuffix(recv, ".red")) &&
				(sel.Sel.Name == "JSON" || sel.Sel.Name == "String" || sel.Sel.Name == "Bytes") {
				found = true
			}
		}
		return !found
	})
	return found
}

// redactedValues lists what a function body assigns from a redactor call.
func redactedValues(body *ast.BlockStmt) map[string]bool {
	out := map[string]bool{}
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != len(as.Rhs) {
			return true
		}
		for i, rhs := range as.Rhs {
			if callsRedactor(rhs) {
				out[types.ExprString(as.Lhs[i])] = true
			}
		}
		return true
	})
	return out
}

// TestUnredactedWritesAreReported plants writes that skip the redactor beside ones that do not.
func TestUnredactedWritesAreReported(t *testing.T) {
	p := parsePkg(t, "internal/session", `package session
import ("encoding/json"; "fmt"; "os")
func (t *Transcript) append(raw []byte) {
	t.line = append(append(t.line[:0], t.red.JSON(raw)...), '\n')
	t.f.Write(t.line)
}
func repair(f *os.File) { f.Write([]byte{'\n'}); f.WriteString("\n") }
func direct(f *os.File, red *Redactor, s string) { fmt.Fprint(f, red.String(s)) }
func leak(f *os.File, e Entry, raw []byte) {
	f.Write(raw)
	json.NewEncoder(f).Encode(e)
	fmt.Fprintf(f, "%s", e.Text)
	os.WriteFile("x", raw, 0o600)
}`)
	got := unredactedWrites(p)
	want := []string{
		"f0.go: leak writes e, which did not come from the transcript's redactor",
		"f0.go: leak writes e.Text, which did not come from the transcript's redactor",
		"f0.go: leak writes raw, which did not come from the transcript's redactor",
		"f0.go: leak writes raw, which did not come from the transcript's redactor",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("unredactedWrites =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

package permission

import (
	"strings"
	"testing"

	"mvdan.cc/sh/v3/syntax"
)

// FuzzDenyWins checks "deny always wins" for random command lines and rules: when a deny
// rule's words start any simple command bash would run (found here by a plain walk over
// the whole syntax tree, independent of the checker's own analysis), the decision is Deny,
// whatever the allow rules and the mode. It also checks that adding allow rules and
// switching to bypassPermissions never turns a Deny into something else.
func FuzzDenyWins(f *testing.F) {
	seeds := []struct{ cmd, deny, allow string }{
		{"git status && rm -rf /", "rm", "git status"},
		{"echo $(rm -rf /)", "rm", "echo"},
		{"FOO=1 rm x", "rm", "rm"},
		{"sudo rm -rf /", "rm", "sudo"},
		{"f() { rm x; }; f", "rm", "f"},
		{"if a; then b; else git push --force; fi", "git push", "a"},
		{"cat <<EOF\n$(curl x)\nEOF", "curl", "cat"},
		{"x=$(rm a) y", "rm", "y"},
		{"[[ $(rm a) ]]", "rm", "ls"},
		{"echo ${X:-$(rm a)}", "rm", "echo"},
		{"for i in $(rm a); do :; done", "rm", ":"},
		{"case $(rm a) in x) ;; esac", "rm", "ls"},
		{"ls | { cat; rm; }", "rm", "ls"},
		{"(( $(rm a) ))", "rm", "ls"},
		{"time (rm a) &", "rm", "time"},
	}
	for _, s := range seeds {
		f.Add(s.cmd, s.deny, s.allow)
	}
	f.Fuzz(func(t *testing.T, cmd, denyWords, allowWords string) {
		deny, err := ParseRule("Bash("+denyWords+":*)", "fuzz")
		if err != nil || deny.bash == nil {
			return
		}
		allows := []Rule{{Text: "Bash", Tool: "Bash"}}
		if a, err := ParseRule("Bash("+allowWords+":*)", "fuzz"); err == nil {
			allows = append(allows, a)
		}
		call := bashCall(cmd)
		strict := (&Checker{Mode: ModeDefault, DenyRules: []Rule{deny}}).Check(call)
		loose := (&Checker{Mode: ModeBypass, DenyRules: []Rule{deny}, AllowRules: allows}).Check(call)
		if oracleHit(cmd, deny.bash.words) && (strict.Behavior != Deny || loose.Behavior != Deny) {
			t.Fatalf("%q runs a command starting with %q, yet got %s / %s", cmd, deny.bash.words, strict.Behavior, loose.Behavior)
		}
		if strict.Behavior == Deny && loose.Behavior != Deny {
			t.Fatalf("%q: allow rules or bypass mode overrode a deny (%s)", cmd, loose.Behavior)
		}
		if loose.Behavior == Allow && strict.Behavior != Ask {
			t.Fatalf("%q: allowed in bypass mode but %s without rules", cmd, strict.Behavior)
		}
	})
}

// oracleHit reports whether some simple command anywhere in cmd's syntax tree has plain
// literal words starting with words.
func oracleHit(cmd string, words []string) bool {
	file, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(cmd), "")
	if err != nil {
		return false
	}
	hit := false
	syntax.Walk(file, func(n syntax.Node) bool {
		call, ok := n.(*syntax.CallExpr)
		if !ok || len(call.Args) < len(words) {
			return true
		}
		for i, w := range words {
			if plainLiteral(call.Args[i]) != w {
				return true
			}
		}
		hit = true
		return false
	})
	return hit
}

// plainLiteral is a word's text when it is only unquoted letters without escapes or glob
// characters, or single-quoted text; "\x00" otherwise.
func plainLiteral(w *syntax.Word) string {
	var b strings.Builder
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			if strings.ContainsAny(p.Value, "\\*?[{~") {
				return "\x00"
			}
			b.WriteString(p.Value)
		case *syntax.SglQuoted:
			if p.Dollar {
				return "\x00"
			}
			b.WriteString(p.Value)
		default:
			return "\x00"
		}
	}
	return b.String()
}

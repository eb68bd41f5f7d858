package permission

import (
	"testing"
)

// fuzzCalls are calls of every permission class, their argument taken from the fuzzer.
func fuzzCalls(arg string) []Call {
	return []Call{
		{Tool: "Bash", Class: ClassExecute, Input: input(map[string]string{"command": arg})},
		{Tool: "Read", Class: ClassRead, Input: input(map[string]string{"file_path": arg})},
		{Tool: "Grep", Class: ClassRead, Input: input(map[string]string{"pattern": "x", "path": arg})},
		{Tool: "Edit", Class: ClassEdit, Input: input(map[string]string{"file_path": arg, "old_string": "a", "new_string": "b"})},
		{Tool: "Write", Class: ClassEdit, Input: input(map[string]string{"file_path": arg, "content": "x"})},
		{Tool: "WebFetch", Class: ClassNetwork, Input: input(map[string]string{"url": arg, "prompt": "x"})},
	}
}

// FuzzParseRule: any rule text parses or is refused with an error, never a panic; a rule it
// accepts reads the same from its own text; and whatever the call, adding the rule as an
// allow rule beside the same deny rule changes nothing (deny wins), and a rule naming the
// tool alone denies it even in bypassPermissions mode.
func FuzzParseRule(f *testing.F) {
	for _, s := range [][2]string{
		{"Bash(git status:*)", "git status --short"}, {"Read(./secrets/**)", "secrets/a.txt"},
		{"Edit(//etc/**)", "/etc/passwd"}, {"WebFetch(domain:example.com)", "https://example.com/x"},
		{"Read(~/.ssh/*)", "~/.ssh/id_rsa"}, {"Bash(npm run test *)", "npm run test && rm -rf /"},
		{"Write(/src/**/*.go)", "src/a/b.go"}, {"Bash", "ls"}, {"Read(", ""}, {"mcp__srv__tool", "x"},
		{"Grep(**/*.{go,md})", "a.md"}, {"Bash(:*)", ""}, {"Read([)", "["},
	} {
		f.Add(s[0], s[1])
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, text, arg string) {
		r, err := ParseRule(text, "fuzz")
		if err != nil {
			return
		}
		again, err := ParseRule(r.Text, "fuzz")
		if err != nil || again.Tool != r.Tool || again.Specifier != r.Specifier {
			t.Fatalf("%q parsed as %q(%q) but its text %q does not read back the same (%v)", text, r.Tool, r.Specifier, r.Text, err)
		}
		denied := &Checker{Mode: ModeDefault, Dirs: []string{dir}, DenyRules: []Rule{r}}
		both := &Checker{Mode: ModeDefault, Dirs: []string{dir}, AllowRules: []Rule{r}, DenyRules: []Rule{r}}
		whole := &Checker{Mode: ModeBypass, Dirs: []string{dir}, DenyRules: []Rule{{Text: r.Tool, Tool: r.Tool}}}
		for _, c := range fuzzCalls(arg) {
			if d, b := denied.Check(c), both.Check(c); d.Behavior != b.Behavior {
				t.Fatalf("%q as a deny rule gives %s for %s(%q); allowing it too gives %s", text, d.Behavior, c.Tool, arg, b.Behavior)
			}
			if d := whole.Check(c); c.Tool == r.Tool && d.Behavior != Deny {
				t.Fatalf("deny rule %q did not deny %s(%q): %s", r.Tool, c.Tool, arg, d.Behavior)
			}
		}
	})
}

package doctor

import (
	"strings"
	"testing"
)

// program never panics and returns one word of the command (without quotes), never an
// assignment.
func FuzzProgram(f *testing.F) {
	for _, seed := range []string{"aws sso login", "A=1 aws", `"/opt/x y" --z`, "", "   ", "=", "A=", "'", `"`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, command string) {
		p := program(command)
		if p == "" {
			return
		}
		if strings.ContainsAny(p, " \t\n") || assignment().MatchString(p) {
			t.Fatalf("program(%q) = %q", command, p)
		}
		found := false
		for _, w := range strings.Fields(command) {
			if strings.Trim(w, `'"`) == p {
				found = true
			}
		}
		if !found {
			t.Fatalf("program(%q) = %q, not a word of the command", command, p)
		}
	})
}

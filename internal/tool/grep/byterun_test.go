package grep

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"testing"
)

// TestByteRunNeverHidesAMatch: on every line the regexp matches, the filter finds a run; and
// it does rule lines out, or it would be no filter.
func TestByteRunNeverHidesAMatch(t *testing.T) {
	lines := []string{"", "x", "ABCDEFGHIJKL", "abcDEFGHIJKLMNOPq", "ÀÉÎÕÜÀÉÎÕÜÀÉ", "K\u212aKKKKKKKKKKK",
		"func NewReader(r io.Reader) *Reader {", "HTTP_PROXY_TIMEOUT_X", "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6\xf5\xf4",
		"x := 0x7fffffff", "deadline   exceeded", "ſtrasse", "12345-67890", "a_b_c_d"}
	patterns := []string{`[A-Z]{12}`, `(?i)[a-z]{12}`, `[^\x00-\x7f]{3,}`, `\d{5}-\d+`, `(?i)strasse`,
		`[A-Z_]+_[A-Z]+`, `0x[0-9a-f]{6,}`, `(ab|cd)[a-z_]{3}`, `\bK+\b`, `[\x{fffd}]{2}`}
	ruledOut := 0
	for _, p := range patterns {
		re := regexp.MustCompile(p)
		tree, err := syntax.Parse(p, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		run := newByteRun(tree.Simplify())
		if run == nil {
			continue
		}
		for _, l := range lines {
			found := run.next([]byte(l), 0) >= 0
			if re.MatchString(l) && !found {
				t.Errorf("%s matches %q but the filter rules it out", p, l)
			}
			if !found {
				ruledOut++
			}
		}
	}
	if ruledOut == 0 {
		t.Error("the filter ruled out no line at all")
	}
}

func TestByteRunNotBuiltForAnyByte(t *testing.T) {
	for _, p := range []string{`a.{12}b`, `[^x]{5}`, `x`, `(?s)a.b`, `ab?`} {
		tree, _ := syntax.Parse(p, syntax.Perl)
		if r := newByteRun(tree.Simplify()); r != nil && strings.Contains(p, ".") {
			t.Errorf("%s: a filter for a pattern that can match any byte", p)
		}
	}
}

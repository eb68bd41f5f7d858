package grep

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestFoldFinder: the literal is found whatever its case, at the start and end of the data,
// after near misses on its key byte, and not past the data's end.
func TestFoldFinder(t *testing.T) {
	cases := []struct {
		lit, data string
		pos, want int
	}{
		{"newreader", "NewReader", 0, 0},
		{"newreader", "x newreadeR", 0, 2},
		{"newreader", "newread", 0, -1},
		{"newreader", "NewWriter newWRITER NEWREADER", 0, 20},
		{"newreader", "NewReader NewReader", 1, 10},
		{"a.b", "A-B a_b A.b", 0, 8},
		{"x_1", "X_1", 0, 0},
		{"ww", "wWw", 1, 1},
		{"q", "", 0, -1},
	}
	for _, c := range cases {
		if got := newFoldFinder([]byte(c.lit)).index([]byte(c.data), c.pos); got != c.want {
			t.Errorf("find %q in %q from %d: %d, want %d", c.lit, c.data, c.pos, got, c.want)
		}
	}
}

// foldLines are lines a case-insensitive search can get wrong: letters whose Unicode fold
// orbit leaves ASCII (K KELVIN SIGN for k, ſ LONG S for s), non-ASCII letters with
// cases, and near misses.
var foldLines = []string{"\u212aelvin scale", "KELVIN", "kelvin", "ſtraſse", "STRASSE", "strasse",
	"éclair", "ÉCLAIR", "NewReader", "newREADER", "new reader", "deadline  EXCEEDED", "plain text", ""}

// TestLineMatcherFold: with -i, exactly the lines the regexp matches on its own are found
// (and rg agrees, see the fold cases of TestBackendsIdentical), whether a literal is used, cut
// at k and s, or given up for non-ASCII letters and patterns with no literal.
func TestLineMatcherFold(t *testing.T) {
	data := []byte(strings.Join(foldLines, "\n") + "\n")
	cases := []struct {
		pattern, lit string // lit: the literal the matcher should search for, "" for none
	}{
		{"newreader", "newreader"},
		{"kelvin", "elvin"},
		{"strasse", "tra"},
		{"sks", ""},
		{"éclair", ""},
		{"deadline\\s+exceeded", "deadline"},
		{"[a-z]{6}", ""},
		{"^new", "new"},
	}
	for _, c := range cases {
		re := regexp.MustCompile("(?mi)" + c.pattern)
		m := newLineMatcher(re, c.pattern, "mi")
		if string(m.lit) != c.lit || m.fold != (c.lit != "") {
			t.Errorf("%s: literal %q (fold %v), want %q", c.pattern, m.lit, m.fold, c.lit)
		}
		var got []string
		m.matchLines(data, func(num int, line []byte) bool {
			got = append(got, strconv.Itoa(num)+":"+string(line))
			return true
		})
		var want []string
		for i, l := range foldLines {
			if re.MatchString(l) {
				want = append(want, strconv.Itoa(i+1)+":"+l)
			}
		}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%s: matched %q, want %q", c.pattern, got, want)
		}
	}
}

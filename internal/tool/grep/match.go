package grep

import (
	"bytes"
	"regexp"
	"regexp/syntax"
	"unicode/utf8"
)

// lineMatcher finds a file's matching lines without running the regexp over every line: it
// jumps from one candidate line to the next — a line holding a literal every match must
// contain, or the line where the next match in the rest of the file begins — and runs the
// regexp on that line alone, so the result is exactly the line-by-line one.
type lineMatcher struct {
	re     *regexp.Regexp
	lit    []byte      // a literal every match contains, lower-cased when fold; nil: none known
	fold   bool        // lit is compared whatever the case of its ASCII letters
	folded *foldFinder // lit's finder when fold
	run    *byteRun    // without lit: the bytes and length every match needs; nil: none known
}

func newLineMatcher(re *regexp.Regexp, pattern, flags string) *lineMatcher {
	m := &lineMatcher{re: re}
	tree, err := syntax.Parse("(?"+flags+")"+pattern, syntax.Perl)
	if err != nil {
		return m
	}
	tree = tree.Simplify()
	m.lit, m.fold = requiredLiteral(tree)
	switch {
	case m.fold:
		m.folded = newFoldFinder(m.lit)
	case m.lit == nil:
		m.run = newByteRun(tree)
	}
	return m
}

// requiredLiteral returns the longest literal that any match of re contains, and whether it
// is compared case-insensitively. A case-insensitive literal is kept only where ASCII folding
// is exact: ASCII letters other than k and s, whose fold orbits include non-ASCII runes (K,
// ſ), so the literal is cut at those letters and the longest piece kept.
func requiredLiteral(re *syntax.Regexp) ([]byte, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		return literalBytes(re)
	case syntax.OpCapture:
		return requiredLiteral(re.Sub[0])
	case syntax.OpConcat:
		var best []byte
		var fold bool
		for _, sub := range re.Sub {
			if l, f := requiredLiteral(sub); len(l) > len(best) {
				best, fold = l, f
			}
		}
		return best, fold
	}
	return nil, false
}

func literalBytes(re *syntax.Regexp) ([]byte, bool) {
	s := string(re.Rune)
	if bytes.ContainsRune([]byte(s), '\n') {
		return nil, false // such a pattern never matches within one line; leave it to the regexp
	}
	if re.Flags&syntax.FoldCase == 0 {
		return []byte(s), false
	}
	var best, cur []byte
	for _, r := range s {
		if r >= utf8.RuneSelf {
			return nil, false
		}
		c := lowerASCII(byte(r))
		if c == 'k' || c == 's' {
			cur = nil
			continue
		}
		cur = append(cur, c)
		if len(cur) > len(best) {
			best = append(best[:0], cur...)
		}
	}
	if len(best) == 0 {
		return nil, false
	}
	return best, true
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// find returns the offset of the first candidate match at or after pos, or -1: where lit
// occurs, where a run long enough begins, or where the regexp's next match begins.
func (m *lineMatcher) find(data []byte, pos int) int {
	switch {
	case m.fold:
		return m.folded.index(data, pos)
	case m.lit != nil:
		if i := bytes.Index(data[pos:], m.lit); i >= 0 {
			return pos + i
		}
		return -1
	case m.run != nil:
		return m.run.next(data, pos)
	}
	loc := m.re.FindIndex(data[pos:]) // pos starts a line, so ^ and \b behave as in the line
	if loc == nil || pos+loc[0] >= len(data) {
		return -1
	}
	return pos + loc[0]
}

// matchLines calls yield with the number and text (without its "\n") of each line that
// matches on its own, in order, until yield returns false. Only candidate lines are cut out
// and numbered, counting newlines since the previous one, so a file with few matches costs
// little more than the search for its candidates.
func (m *lineMatcher) matchLines(data []byte, yield func(num int, line []byte) bool) {
	num, counted := 1, 0
	for pos := 0; pos < len(data); {
		at := m.find(data, pos)
		if at < 0 {
			return
		}
		start := bytes.LastIndexByte(data[pos:at], '\n') + 1 + pos
		end := len(data)
		if i := bytes.IndexByte(data[at:], '\n'); i >= 0 {
			end = at + i
		}
		num += bytes.Count(data[counted:start], []byte("\n"))
		counted = start
		if m.re.Match(data[start:end]) && !yield(num, data[start:end]) {
			return
		}
		pos = end + 1
	}
}

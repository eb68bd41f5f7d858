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
	re   *regexp.Regexp
	lit  []byte   // a literal every match contains, lower-cased when fold; nil: none known
	fold bool     // lit is compared with the file's bytes folded to ASCII lower case
	run  *byteRun // without lit: the bytes and length every match needs; nil: none known
}

func newLineMatcher(re *regexp.Regexp, pattern, flags string) *lineMatcher {
	m := &lineMatcher{re: re}
	tree, err := syntax.Parse("(?"+flags+")"+pattern, syntax.Perl)
	if err != nil {
		return m
	}
	tree = tree.Simplify()
	if m.lit, m.fold = requiredLiteral(tree); m.lit == nil {
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

// haystack is what lit is searched in: data itself, or data folded into buf.
func (m *lineMatcher) haystack(data []byte, buf *[]byte) []byte {
	if !m.fold {
		return data
	}
	b := append((*buf)[:0], data...)
	for i, c := range b {
		b[i] = lowerASCII(c)
	}
	*buf = b
	return b
}

// mayMatch rules a file out cheaply: false means no line of it matches.
func (m *lineMatcher) mayMatch(hay, data []byte) bool {
	if m.lit != nil {
		return bytes.Contains(hay, m.lit)
	}
	if m.run != nil {
		return m.run.next(data, 0) >= 0
	}
	return m.re.Match(data)
}

// lines marks the lines (by starts) that match on their own.
func (m *lineMatcher) lines(hay, data []byte, starts []int) []bool {
	matched := make([]bool, len(starts))
	for pos := 0; pos < len(data); {
		var at int
		if m.lit != nil {
			i := bytes.Index(hay[pos:], m.lit)
			if i < 0 {
				break
			}
			at = pos + i
		} else if m.run != nil {
			if at = m.run.next(data, pos); at < 0 {
				break
			}
		} else {
			loc := m.re.FindIndex(data[pos:]) // pos starts a line, so ^ and \b behave as in the line
			if loc == nil || pos+loc[0] >= len(data) {
				break
			}
			at = pos + loc[0]
		}
		l := lineIndex(starts, at)
		matched[l] = m.re.Match(lineAt(data, starts, l))
		if l+1 >= len(starts) {
			break
		}
		pos = starts[l+1]
	}
	return matched
}

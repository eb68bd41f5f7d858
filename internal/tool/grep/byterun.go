package grep

import (
	"regexp/syntax"
	"unicode"
	"unicode/utf8"
)

// byteRun is a filter for patterns with no required literal: every match of the pattern is at
// least min bytes long and made only of bytes in set, so a line without a run of min such
// bytes cannot match and the regexp never needs to look at it. For `[A-Z]{12}` that is a run
// of twelve capitals — rare in source code, where the regexp alone would walk every byte.
type byteRun struct {
	set [256]bool
	min int
}

// newByteRun returns the filter of re, or nil when it would not rule anything out: a pattern
// that can match any byte (., negated classes) or a match as short as one byte.
func newByteRun(re *syntax.Regexp) *byteRun {
	r := &byteRun{}
	if !r.add(re) {
		return nil
	}
	r.set['\n'] = false // a match within one line never holds its end
	if r.min = minLen(re); r.min < 2 {
		return nil
	}
	return r
}

// add puts the bytes re can match into set; false means any byte (no filter).
func (r *byteRun) add(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return false
	case syntax.OpLiteral:
		for _, c := range re.Rune {
			r.addRune(c)
			if re.Flags&syntax.FoldCase != 0 {
				for f := unicode.SimpleFold(c); f != c; f = unicode.SimpleFold(f) {
					r.addRune(f)
				}
			}
		}
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			lo, hi := re.Rune[i], re.Rune[i+1]
			for c := lo; c <= hi && c < utf8.RuneSelf; c++ {
				r.set[c] = true
			}
			if hi >= utf8.RuneSelf {
				r.addNonASCII()
			}
		}
	}
	for _, sub := range re.Sub {
		if !r.add(sub) {
			return false
		}
	}
	return true
}

func (r *byteRun) addRune(c rune) {
	if c < utf8.RuneSelf {
		r.set[c] = true
	} else {
		r.addNonASCII()
	}
}

// addNonASCII adds every byte of a multi-byte rune, and the invalid bytes the regexp reads
// as U+FFFD: all of them are 0x80 or above.
func (r *byteRun) addNonASCII() {
	for b := utf8.RuneSelf; b < 256; b++ {
		r.set[b] = true
	}
}

// minLen is the fewest bytes a match of re spans.
func minLen(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		return len(re.Rune) // one byte at least per rune, whatever its case
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return 1
	case syntax.OpCapture, syntax.OpPlus:
		return minLen(re.Sub[0])
	case syntax.OpRepeat:
		return re.Min * minLen(re.Sub[0])
	case syntax.OpConcat:
		n := 0
		for _, sub := range re.Sub {
			n += minLen(sub)
		}
		return n
	case syntax.OpAlternate:
		n := -1
		for _, sub := range re.Sub {
			if m := minLen(sub); n < 0 || m < n {
				n = m
			}
		}
		return max(n, 0)
	}
	return 0 // empty-width assertions, empty matches, *, ?
}

// next returns the offset of the first run of at least min bytes in set at or after pos, or -1.
func (r *byteRun) next(data []byte, pos int) int {
	run := 0
	for i := pos; i < len(data); i++ {
		if !r.set[data[i]] {
			run = 0
			continue
		}
		if run++; run >= r.min {
			return i + 1 - run
		}
	}
	return -1
}

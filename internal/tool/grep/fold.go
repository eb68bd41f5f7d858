package grep

import "bytes"

// foldFinder finds an ASCII literal whatever the case of its letters, without folding the
// file first: it looks for the literal's rarest byte, in both cases, with the vectorised
// bytes.IndexByte, and compares the literal only where that byte is. Folding the whole file
// into a copy cost more than all the rest of a case-insensitive search.
type foldFinder struct {
	lit    []byte // lower case, ASCII
	key    int    // offset in lit of the byte searched for
	lo, up byte   // that byte in lower and upper case (the same for a non-letter)
}

func newFoldFinder(lit []byte) *foldFinder {
	f := &foldFinder{lit: lit}
	for i, c := range lit {
		if byteRank(c) < byteRank(lit[f.key]) {
			f.key = i
		}
	}
	f.lo = lit[f.key]
	f.up = upperASCII(f.lo)
	return f
}

// index returns the offset of the first occurrence of lit at or after pos, or -1.
func (f *foldFinder) index(data []byte, pos int) int {
	nextLo, nextUp := -1, -1 // where each case of the key byte was last found; -1: look again
	if f.up == f.lo {
		nextUp = -2 // a key byte without case is searched for once
	}
	for from := pos + f.key; from < len(data); {
		nextLo = nextAt(data, from, f.lo, nextLo)
		nextUp = nextAt(data, from, f.up, nextUp)
		at := nextLo
		if at < 0 || (nextUp >= 0 && nextUp < at) {
			at = nextUp
		}
		if at < 0 {
			return -1
		}
		if start := at - f.key; start+len(f.lit) <= len(data) && equalFoldASCII(data[start:start+len(f.lit)], f.lit) {
			return start
		}
		from = at + 1
	}
	return -1
}

// nextAt returns the first c at or after from: last when it already is (so each byte of the
// file is scanned once per case), -1 when there is none; a last of -2 means c was not found
// before and never will be.
func nextAt(data []byte, from int, c byte, last int) int {
	if last >= from || last == -2 {
		return last
	}
	i := bytes.IndexByte(data[from:], c)
	if i < 0 {
		return -2
	}
	return from + i
}

// equalFoldASCII reports whether s equals the lower-case lit with s's ASCII letters folded.
func equalFoldASCII(s, lit []byte) bool {
	for i, c := range lit {
		if lowerASCII(s[i]) != c {
			return false
		}
	}
	return true
}

func upperASCII(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

// byteRank orders bytes by how often they appear in source code and prose, rarest first:
// the key byte is the literal's rarest, so candidates where the literal is not are few.
func byteRank(c byte) int {
	const common = "etaoinsrhldcumfpgwybvkxjqz" // English letters, most frequent first
	switch {
	case c == ' ' || c == '\t':
		return 300
	case 'a' <= c && c <= 'z':
		return 200 - bytes.IndexByte([]byte(common), c)
	}
	return 190 // digits and punctuation: about as often as a middling letter
}

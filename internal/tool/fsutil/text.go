package fsutil

import (
	"strconv"
	"strings"
)

// CountLines is the number of lines in s as an editor counts them: a final line without a
// newline still counts, and the empty string has none.
func CountLines(s string) int {
	n := strings.Count(s, "\n")
	if s != "" && !strings.HasSuffix(s, "\n") {
		n++
	}
	return n
}

// AppendNumbered appends one line as the 1-based line number, a tab, then the line with any
// carriage return before its end removed. The number is not padded: `cat -n`'s six columns
// cost up to five bytes a line on every Read, and a tab already separates it from the text.
func AppendNumbered(dst []byte, n int, line string) []byte {
	dst = strconv.AppendInt(dst, int64(n), 10)
	dst = append(dst, '\t')
	dst = append(dst, strings.TrimSuffix(line, "\r")...)
	return append(dst, '\n')
}

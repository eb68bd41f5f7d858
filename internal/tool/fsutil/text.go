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

// AppendNumbered appends one line in `cat -n` style: the 1-based line number right-aligned
// in six columns, a tab, then the line with any carriage return before its end removed.
func AppendNumbered(dst []byte, n int, line string) []byte {
	num := strconv.Itoa(n)
	for i := len(num); i < 6; i++ {
		dst = append(dst, ' ')
	}
	dst = append(dst, num...)
	dst = append(dst, '\t')
	dst = append(dst, strings.TrimSuffix(line, "\r")...)
	return append(dst, '\n')
}

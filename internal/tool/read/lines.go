package read

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/strata-agent/strata/internal/tool/fsutil"
)

// window is the slice of a file a Read call shows, already numbered.
type window struct {
	text      []byte
	first     int  // number of the first line shown (0 when none)
	last      int  // number of the last line shown
	total     int  // lines in the file, or -1 when it was not counted
	moreAfter bool // lines follow the last one shown
	cutLines  int  // long lines that were shortened
	outputCut bool // the window stopped early to keep the result small
}

// readWindow streams r and numbers lines offset … offset+limit-1 (1-based) without holding
// more of the file in memory than one buffer and the kept prefix of the current line.
// countRest makes it read to the end to learn the total line count.
func readWindow(ctx context.Context, r io.Reader, offset, limit int, countRest bool) (window, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	w := window{total: -1}
	buf := make([]byte, 0, maxLineChars*utf8.UTFMax)
	n := 0
	for {
		if n%4096 == 0 && ctx.Err() != nil {
			return w, ctx.Err()
		}
		keep := 0
		if n+1 >= offset && n+1 < offset+limit && !w.outputCut {
			keep = cap(buf)
		}
		line, dropped, err := nextLine(br, buf, keep)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return w, err
		}
		n++
		switch {
		case n < offset:
			continue
		case n >= offset+limit || w.outputCut:
			w.moreAfter = true
			if !countRest {
				return w, nil
			}
			continue
		}
		if n == 1 {
			line = trimBOM(line)
		}
		w.addLine(n, line, dropped)
	}
	w.total = n
	return w, nil
}

// addLine appends line n unless the result is full; dropped says nextLine kept only a prefix.
func (w *window) addLine(n int, line []byte, dropped bool) {
	shown, cut := cutLine(line, dropped)
	if w.first != 0 && len(w.text)+len(shown)+64 > maxOutputBytes {
		w.outputCut = true
		w.moreAfter = true
		return
	}
	if w.first == 0 {
		w.first = n
	}
	w.last = n
	w.text = fsutil.AppendNumbered(w.text, n, string(shown))
	if cut {
		w.cutLines++
		w.text = fmt.Appendf(w.text[:len(w.text)-1], " … [line cut at %d characters]\n", maxLineChars)
	}
}

// cutLine shortens line to maxLineChars characters; dropped says it was already longer
// than what nextLine kept.
func cutLine(line []byte, dropped bool) ([]byte, bool) {
	chars := 0
	for i := range string(line) {
		if chars == maxLineChars {
			return line[:i], true
		}
		chars++
	}
	return line, dropped
}

// nextLine reads one line into buf, keeping at most keep bytes of it, and returns the kept
// bytes without the line terminator and whether some of the line was dropped. A long line
// is consumed piece by piece, so its length never decides how much memory is used.
func nextLine(br *bufio.Reader, buf []byte, keep int) ([]byte, bool, error) {
	buf = buf[:0]
	size := 0
	for {
		chunk, err := br.ReadSlice('\n')
		size += len(chunk)
		if room := keep - len(buf); room > 0 {
			buf = append(buf, chunk[:min(room, len(chunk))]...)
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			if size == 0 {
				return nil, false, io.EOF
			}
		case err != nil:
			return nil, false, err
		default:
			size-- // the '\n' ends the line and is not part of it
			buf = buf[:min(len(buf), size)]
		}
		if size > len(buf) {
			return buf, true, nil
		}
		// Shown like an LF file: the carriage return of a CRLF line is dropped.
		if len(buf) > 0 && buf[len(buf)-1] == '\r' {
			buf = buf[:len(buf)-1]
		}
		return buf, false, nil
	}
}

func trimBOM(b []byte) []byte {
	if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		return b[3:]
	}
	return b
}

package read

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/tool/fsutil"
)

// FuzzReadWindow compares the streaming line reader with a plain split of the whole
// content: same lines, same numbers, same total, for any content and range.
func FuzzReadWindow(f *testing.F) {
	f.Add([]byte("a\nb\r\nc"), 1, 2)
	f.Add([]byte("\xEF\xBB\xBFx\n\n"), 2, 5)
	f.Add([]byte(strings.Repeat("é", 2100)+"\nz"), 1, 3)
	f.Add([]byte("\r\r\n\n"), 1, 10)
	f.Fuzz(func(t *testing.T, data []byte, offset, limit int) {
		offset, limit = 1+int(uint(offset)%20), 1+int(uint(limit)%20)
		w, err := readWindow(context.Background(), bytes.NewReader(data), offset, limit, true)
		if err != nil {
			t.Fatal(err)
		}
		lines := splitLines(data)
		if w.total != len(lines) {
			t.Fatalf("total %d, want %d", w.total, len(lines))
		}
		var want []byte
		for i := offset - 1; i < len(lines) && i < offset-1+limit; i++ {
			line := lines[i]
			if i == 0 {
				line = trimBOM(line)
			}
			shown, cut := cutLine(line, false)
			want = fsutil.AppendNumbered(want, i+1, string(shown))
			if cut {
				want = append(want[:len(want)-1], " … [line cut at 2000 characters]\n"...)
			}
		}
		if !bytes.Equal(w.text, want) {
			t.Fatalf("window %q\nwant   %q", w.text, want)
		}
		if w.moreAfter != (offset-1+limit < len(lines)) {
			t.Fatalf("moreAfter = %v with %d lines", w.moreAfter, len(lines))
		}
	})
}

// splitLines is the obvious whole-file version of nextLine: split on LF, drop one CR
// before each LF, and no empty last line after a final newline.
func splitLines(data []byte) [][]byte {
	if len(data) == 0 {
		return nil
	}
	parts := bytes.Split(data, []byte("\n"))
	if len(parts[len(parts)-1]) == 0 {
		parts = parts[:len(parts)-1]
	}
	for i, p := range parts {
		parts[i] = bytes.TrimSuffix(p, []byte("\r"))
	}
	return parts
}

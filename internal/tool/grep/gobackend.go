package grep

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"regexp"
	"runtime"
	"sync"

	"github.com/strata-agent/strata/internal/tool/search"
)

// searchGo is the back end used when ripgrep is not installed: the shared walker picks the
// files, Go's regexp (RE2 syntax) searches them. It reproduces rg's rules — files containing
// a NUL byte are binary and skipped, lines are split on "\n", multiline matches cover every
// line they touch — so that render gives the same text as with rg.
func searchGo(ctx context.Context, q *query) (*collector, error) {
	re, flags, err := compileRegexp(q)
	if err != nil {
		return nil, &inputError{err}
	}
	m := newLineMatcher(re, q.pattern, flags)
	paths := make(chan string)
	walkErr := make(chan error, 1)
	go func() {
		defer close(paths)
		walkErr <- walkFiles(ctx, q, paths)
	}()

	c := newCollector(q.visible)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var w worker
			for p := range paths {
				if ctx.Err() != nil {
					continue // drain
				}
				w.searchFile(p, m, q, c, &mu)
			}
		}()
	}
	wg.Wait()
	if err := <-walkErr; err != nil {
		return nil, err
	}
	return c, ctx.Err()
}

// compileRegexp applies the flags the way rg does: ^ and $ match at line boundaries, and in
// multiline mode . also matches a newline.
func compileRegexp(q *query) (*regexp.Regexp, string, error) {
	flags := "m"
	if q.ignoreCase {
		flags += "i"
	}
	if q.multiline {
		flags += "s"
	}
	re, err := regexp.Compile("(?" + flags + ")" + q.pattern)
	if err != nil {
		return nil, "", fmt.Errorf("invalid regular expression %q: %v (this search uses Go's RE2 syntax: no look-around or backreferences)",
			q.pattern, err)
	}
	return re, flags, nil
}

func walkFiles(ctx context.Context, q *query, out chan<- string) error {
	if q.rootIsFile {
		out <- q.root // an explicitly named file is searched whatever the filters say, as in rg
		return nil
	}
	w, err := search.NewWalker(q.root, search.Options{Globs: q.globs, Type: q.fileType, Visible: q.visible})
	if err != nil {
		return &inputError{err}
	}
	return w.Walk(ctx, func(path string, d fs.DirEntry) error {
		if d.Type().IsRegular() {
			select {
			case out <- path:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	})
}

// worker is one searching goroutine's buffers, reused from file to file: the collector
// copies the lines it keeps, so nothing outlives the file.
type worker struct {
	data, fold []byte
}

// minRead is the buffer a worker starts with: most source files fit in one read.
const minRead = 64 << 10

// roomToRead returns buf with free space for the next read. A full buffer doubles, so a file
// of n bytes costs a few copies of n at most, not one per read.
func roomToRead(buf []byte) []byte {
	if len(buf) < cap(buf) {
		return buf
	}
	grown := make([]byte, len(buf), max(2*cap(buf), minRead))
	copy(grown, buf)
	return grown
}

// searchFile finds the matching lines of one file and, in content mode, the context lines
// around them, then hands them to the collector.
func (w *worker) searchFile(path string, m *lineMatcher, q *query, c *collector, mu *sync.Mutex) {
	data, err := readFile(path, w.data)
	w.data = data[:0]
	if err != nil || bytes.IndexByte(data, 0) >= 0 {
		return // unreadable or binary
	}
	// One pass over the whole file rules out most files before any line is looked at.
	var hay []byte
	if q.multiline {
		if !m.re.Match(data) {
			return
		}
	} else if hay = m.haystack(data, &w.fold); !m.mayMatch(hay, data) {
		return
	}
	starts := lineStarts(data)
	var matched []bool
	if q.multiline {
		matched = multilineMatches(data, starts, m.re)
	} else {
		matched = m.lines(hay, data, starts)
	}
	show := matched
	if q.wantText() && (q.before > 0 || q.after > 0) {
		show = withContext(matched, q.before, q.after)
	}
	mu.Lock()
	defer mu.Unlock()
	for i, s := range show {
		if s {
			c.add(path, i+1, string(lineAt(data, starts, i)), matched[i], q.wantText())
		}
	}
}

// lineStarts returns the offset of each line. A final "\n" does not start another line.
func lineStarts(data []byte) []int {
	if len(data) == 0 {
		return nil
	}
	starts := []int{0}
	for i, b := range data {
		if b == '\n' && i+1 < len(data) {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// lineAt returns line i without its terminator.
func lineAt(data []byte, starts []int, i int) []byte {
	end := len(data)
	if i+1 < len(starts) {
		end = starts[i+1]
	}
	return bytes.TrimSuffix(data[starts[i]:end], []byte("\n"))
}

// multilineMatches marks every line a match touches: from the line of its first byte to the
// line of its last (an empty match marks the line it sits on).
func multilineMatches(data []byte, starts []int, re *regexp.Regexp) []bool {
	m := make([]bool, len(starts))
	for _, loc := range re.FindAllIndex(data, -1) {
		if loc[0] >= len(data) {
			continue // an empty match after the final newline is not on any line
		}
		last := loc[1] - 1
		if last < loc[0] {
			last = loc[0]
		}
		for i := lineIndex(starts, loc[0]); i <= lineIndex(starts, last); i++ {
			m[i] = true
		}
	}
	return m
}

// lineIndex returns the index of the line containing offset.
func lineIndex(starts []int, offset int) int {
	lo, hi := 0, len(starts)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if starts[mid] <= offset {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// withContext widens each matched line by before and after lines.
func withContext(matched []bool, before, after int) []bool {
	show := make([]bool, len(matched))
	for i, m := range matched {
		if !m {
			continue
		}
		for j := max(0, i-before); j <= min(len(matched)-1, i+after); j++ {
			show[j] = true
		}
	}
	return show
}

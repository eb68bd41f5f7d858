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
// line they touch — so that render gives the same text as with rg. workers holds *worker
// values a search leaves for the next, so their buffers are not grown again each time.
func searchGo(ctx context.Context, q *query, workers *sync.Pool) (*collector, error) {
	re, flags, err := compileRegexp(q)
	if err != nil {
		return nil, &inputError{err}
	}
	m := newLineMatcher(re, q.pattern, flags)
	paths := make(chan string, 256) // the walker runs ahead, so workers rarely wait for a path
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
			w, _ := workers.Get().(*worker)
			if w == nil {
				w = new(worker)
			}
			defer putWorker(workers, w)
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
	data []byte
	hits []hit
}

// hit is a matching line; text is kept only when it is shown.
type hit struct {
	num  int
	text string
}

// maxPooledRead is the largest read buffer a worker keeps for the next search: one huge file
// must not keep its size of memory alive for as long as the tool lives.
const maxPooledRead = 4 << 20

func putWorker(workers *sync.Pool, w *worker) {
	if cap(w.data) > maxPooledRead {
		w.data = nil
	}
	workers.Put(w)
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
	if q.multiline {
		searchMultiline(path, data, m.re, q, c, mu)
		return
	}
	wantContext := q.wantText() && (q.before > 0 || q.after > 0)
	w.findHits(data, m, q.wantText() && !wantContext, q.mode == modeFiles)
	if len(w.hits) > 0 && wantContext {
		starts := lineStarts(data)
		matched := make([]bool, len(starts))
		for _, h := range w.hits {
			matched[h.num-1] = true
		}
		addLines(path, data, starts, matched, q, c, mu)
		return
	}
	mu.Lock()
	defer mu.Unlock()
	for _, h := range w.hits {
		c.add(path, h.num, h.text, true, q.wantText())
	}
}

// findHits puts the matching lines of data in w.hits, with their text when keepText, or
// only the first when first (a list of files needs no more).
func (w *worker) findHits(data []byte, m *lineMatcher, keepText, first bool) {
	w.hits = w.hits[:0]
	m.matchLines(data, func(num int, line []byte) bool {
		h := hit{num: num}
		if keepText {
			h.text = string(line)
		}
		w.hits = append(w.hits, h)
		return !first
	})
}

// searchMultiline is searchFile for patterns that may match across lines: the regexp runs
// over the whole file and every line a match touches is marked.
func searchMultiline(path string, data []byte, re *regexp.Regexp, q *query, c *collector, mu *sync.Mutex) {
	if !re.Match(data) {
		return // one pass over the whole file rules out most files before any line is split
	}
	starts := lineStarts(data)
	addLines(path, data, starts, multilineMatches(data, starts, re), q, c, mu)
}

// addLines hands the matched lines of a file, and in content mode the context around them,
// to the collector.
func addLines(path string, data []byte, starts []int, matched []bool, q *query, c *collector, mu *sync.Mutex) {
	show := matched
	if q.wantText() && (q.before > 0 || q.after > 0) {
		show = withContext(matched, q.before, q.after)
	}
	mu.Lock()
	defer mu.Unlock()
	for i, s := range show {
		if !s {
			continue
		}
		text := ""
		if q.wantText() {
			text = string(lineAt(data, starts, i))
		}
		c.add(path, i+1, text, matched[i], q.wantText())
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

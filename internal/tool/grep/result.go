package grep

import (
	"os"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// maxLineRunes is how much of one line is shown; minified files would otherwise fill the
// whole answer with one line.
const maxLineRunes = 500

// maxStoredText bounds the line text held in memory for one search, whichever back end runs.
const maxStoredText = 64 << 20

// query is a validated Grep call, the same for both back ends.
type query struct {
	pattern       string
	root          string // absolute; a directory or a single file
	rootIsFile    bool
	globs         []string
	fileType      string
	mode          string // modeContent, modeFiles or modeCount
	ignoreCase    bool
	multiline     bool
	before, after int
	// visible says whether the model may see a file (tool.Env.Readable); nil shows all.
	visible func(path string) bool
}

const (
	modeContent = "content"
	modeFiles   = "files_with_matches"
	modeCount   = "count"
)

// wantText reports whether line text must be kept (only content mode shows it).
func (q *query) wantText() bool { return q.mode == modeContent }

// fileResult is what a back end found in one file. lines holds matched and context lines
// (content mode only); matched counts the lines that are part of a match.
type fileResult struct {
	path    string
	lines   []outLine
	matched int
	modTime time.Time
}

type outLine struct {
	num   int
	text  string
	match bool
}

// collector gathers results from a back end, enforcing the memory bound. It is where both
// back ends meet, so it is also where files the model may not see are dropped: whatever rg
// or the walker found in them, no line, name or count of theirs is kept.
type collector struct {
	files    map[string]*fileResult
	stored   int
	overflow bool
	visible  func(string) bool
	hidden   map[string]bool // visible's answer per path, asked once
}

func newCollector(visible func(string) bool) *collector {
	return &collector{files: map[string]*fileResult{}, visible: visible, hidden: map[string]bool{}}
}

// shows reports whether path's results may be kept.
func (c *collector) shows(path string) bool {
	if c.visible == nil {
		return true
	}
	hide, ok := c.hidden[path]
	if !ok {
		hide = !c.visible(path)
		c.hidden[path] = hide
	}
	return !hide
}

func (c *collector) file(path string) *fileResult {
	f := c.files[path]
	if f == nil {
		f = &fileResult{path: path}
		c.files[path] = f
	}
	return f
}

// add records one line of path. Text is cut to maxLineRunes here so huge lines cost little.
func (c *collector) add(path string, num int, text string, match, keepText bool) {
	if !c.shows(path) {
		return
	}
	f := c.file(path)
	if match {
		f.matched++
	}
	if !keepText {
		return
	}
	text = shortenLine(text)
	c.stored += len(text)
	if c.stored > maxStoredText {
		c.overflow = true
		return
	}
	f.lines = append(f.lines, outLine{num: num, text: text, match: match})
}

func (c *collector) drop(path string) { delete(c.files, path) }

// results returns the files with at least one match, newest first (ties by path), with their
// lines in order.
func (c *collector) results() []*fileResult {
	out := make([]*fileResult, 0, len(c.files))
	for _, f := range c.files {
		if f.matched == 0 {
			continue
		}
		if st, err := os.Stat(f.path); err == nil {
			f.modTime = st.ModTime()
		}
		sort.Slice(f.lines, func(i, j int) bool { return f.lines[i].num < f.lines[j].num })
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].modTime.Equal(out[j].modTime) {
			return out[i].modTime.After(out[j].modTime)
		}
		return out[i].path < out[j].path
	})
	return out
}

// shortenLine makes a line printable: valid UTF-8, no line terminator, at most maxLineRunes.
func shortenLine(s string) string {
	s = strings.TrimSuffix(s, "\n")
	s = strings.TrimSuffix(s, "\r")
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if utf8.RuneCountInString(s) <= maxLineRunes {
		return s
	}
	n := 0
	for i := range s {
		if n == maxLineRunes {
			return s[:i] + " [… rest of line cut]"
		}
		n++
	}
	return s
}

package tui

import (
	"context"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/strata-agent/strata/internal/tool/search"
)

// @ completion: typing @ and part of a path lists matching files of the working directory
// (ignore files honoured, as the search tools do); Tab or Enter takes the one selected.
const (
	completionShown   = 6
	completionMaxList = 20_000
	completionBudget  = 500 * time.Millisecond // listing a huge tree stops here
)

type completion struct {
	items  []string
	sel    int
	token  string   // the @word being completed
	files  []string // the directory's files, listed on the first @
	listed bool
}

func (c *completion) active() bool { return len(c.items) > 0 }

func (c *completion) close() { c.items, c.sel, c.token = nil, 0, "" }

func (c *completion) move(down bool) {
	if down {
		c.sel = (c.sel + 1) % len(c.items)
	} else {
		c.sel = (c.sel + len(c.items) - 1) % len(c.items)
	}
}

// refreshCompletion looks at the word before the cursor, which must be at the end of the
// input, and offers paths when it starts with @.
func (m *Model) refreshCompletion() {
	value := m.input.Value()
	lastLine := value[strings.LastIndexByte(value, '\n')+1:]
	atEnd := m.input.Line() == m.input.LineCount()-1 && m.input.Column() == len([]rune(lastLine))
	fields := strings.Fields(lastLine)
	if !atEnd || len(fields) == 0 || strings.HasSuffix(lastLine, " ") || !strings.HasPrefix(fields[len(fields)-1], "@") {
		m.complete.close()
		return
	}
	token := fields[len(fields)-1]
	if !m.complete.listed {
		m.complete.files, m.complete.listed = listFiles(m.ctx, m.opts.Cwd), true
	}
	m.complete.token = token
	m.complete.items = matchPaths(m.complete.files, token[1:], completionShown)
	if m.complete.sel >= len(m.complete.items) {
		m.complete.sel = 0
	}
}

// acceptCompletion puts the selected path in place of the @word.
func (m *Model) acceptCompletion() {
	c := &m.complete
	value := m.input.Value()
	choice := c.items[c.sel]
	replaced := strings.TrimSuffix(value, c.token) + "@" + choice
	if !strings.HasSuffix(choice, "/") {
		replaced += " "
	}
	m.input.SetValue(replaced)
	c.close()
	if strings.HasSuffix(choice, "/") {
		m.refreshCompletion() // keep going into the directory
	}
}

func (m *Model) completionView() string {
	c := &m.complete
	if !c.active() {
		return ""
	}
	out := make([]string, len(c.items))
	for i, item := range c.items {
		if i == c.sel {
			out[i] = m.st.selected.Render("  ❯ @" + item)
		} else {
			out[i] = m.st.dim.Render("    @" + item)
		}
	}
	return strings.Join(out, "\n")
}

// listFiles lists the files and directories under root, relative and slash-separated,
// directories ending in "/".
func listFiles(ctx context.Context, root string) []string {
	w, err := search.NewWalker(filepath.Clean(root), search.Options{})
	if err != nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, completionBudget)
	defer cancel()
	var out []string
	_ = w.Walk(ctx, func(path string, d fs.DirEntry) error {
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return nil
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			rel += "/"
		}
		out = append(out, rel)
		if len(out) >= completionMaxList {
			return fs.SkipAll
		}
		return nil
	}) // a walk cut short by the budget still offers what it found
	return out
}

// matchPaths ranks paths for what was typed: a path that starts with it, then one whose
// file name does, then one that contains it; shorter paths first.
func matchPaths(paths []string, typed string, limit int) []string {
	q := strings.ToLower(typed)
	type scored struct {
		path  string
		score int
	}
	var hits []scored
	for _, p := range paths {
		lp := strings.ToLower(p)
		base := strings.ToLower(filepath.Base(strings.TrimSuffix(p, "/")))
		switch {
		case strings.HasPrefix(lp, q):
			hits = append(hits, scored{p, 0})
		case strings.HasPrefix(base, q):
			hits = append(hits, scored{p, 1})
		case strings.Contains(lp, q):
			hits = append(hits, scored{p, 2})
		}
	}
	sort.Slice(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if a.score != b.score {
			return a.score < b.score
		}
		if len(a.path) != len(b.path) {
			return len(a.path) < len(b.path)
		}
		return a.path < b.path
	})
	out := make([]string, 0, min(limit, len(hits)))
	for _, h := range hits[:min(limit, len(hits))] {
		out = append(out, h.path)
	}
	return out
}

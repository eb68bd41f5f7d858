package complete

import (
	"path/filepath"
	"sort"
	"strings"
)

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

// matchCommands offers the commands whose name starts with what was typed, in the order
// given (the built-ins first, in the order /help lists them), and at most shown of them.
func matchCommands(commands []Command, typed string) []Command {
	q := strings.ToLower(typed)
	var exact, out []Command
	for _, c := range commands {
		switch name := strings.ToLower(c.Name); {
		case name == q: // first, so that Enter on a whole name runs that command
			exact = append(exact, c)
		case strings.HasPrefix(name, q):
			out = append(out, c)
		}
	}
	out = append(exact, out...)
	return out[:min(len(out), shown)]
}

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

// matchCommands offers the commands that match what was typed, best first: the whole name,
// then names that start with it, then names with a word (after - : _) that starts with it,
// then names that contain it, then names that hold its letters in order ("rv" for review);
// within a rank, in the order given (the built-ins first, as /help lists them).
func matchCommands(commands []Command, typed string) []Command {
	q := strings.ToLower(typed)
	ranked := make([][]Command, 5)
	for _, c := range commands {
		if r := commandRank(strings.ToLower(c.Name), q); r >= 0 {
			ranked[r] = append(ranked[r], c)
		}
	}
	var out []Command
	for _, r := range ranked {
		out = append(out, r...)
	}
	return out
}

// commandRank is how well name matches q (0 best), or -1 when it does not.
func commandRank(name, q string) int {
	switch {
	case name == q:
		return 0 // first, so that Enter on a whole name runs that command
	case strings.HasPrefix(name, q):
		return 1
	case wordPrefix(name, q):
		return 2
	case strings.Contains(name, q):
		return 3
	case subsequence(name, q):
		return 4
	}
	return -1
}

// wordPrefix reports whether a word of name after its first starts with q.
func wordPrefix(name, q string) bool {
	for i := 0; i < len(name); i++ {
		if strings.ContainsRune("-:_", rune(name[i])) && strings.HasPrefix(name[i+1:], q) {
			return true
		}
	}
	return false
}

// subsequence reports whether the letters of q appear in name in order.
func subsequence(name, q string) bool {
	for _, r := range q {
		i := strings.IndexRune(name, r)
		if i < 0 {
			return false
		}
		name = name[i+len(string(r)):]
	}
	return true
}

package ls

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// node is one listed entry; directories carry their listed children.
type node struct {
	name     string
	dir      bool
	note     string // shown after the name: why a directory is not expanded, a link target
	children []*node
}

// listing is a walked tree and whether the entry cap stopped the walk.
type listing struct {
	root      string
	top       *node
	count     int
	truncated bool
}

// walk lists root breadth first, so when the cap is reached the levels nearest the root are
// complete and the directories never reached are marked as such. Entries visible refuses
// (what the permission rules keep from the model) are left out as if they did not exist.
func walk(ctx context.Context, root string, ignore []string, visible func(string) bool) (*listing, error) {
	l := &listing{root: root, top: &node{name: root, dir: true}}
	type pending struct {
		n   *node
		abs string
		rel string
	}
	queue := []pending{{l.top, root, ""}}
	for len(queue) > 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		cur := queue[0]
		queue = queue[1:]
		if l.truncated {
			cur.n.note = "(not listed: entry limit reached)"
			continue
		}
		entries, err := os.ReadDir(cur.abs)
		if err != nil {
			cur.n.note = "(cannot be listed: " + readDirReason(err) + ")"
		}
		for _, e := range entries {
			rel := path.Join(cur.rel, e.Name())
			abs := filepath.Join(cur.abs, e.Name())
			if ignored(ignore, e.Name(), rel, abs) || !visible(abs) {
				continue
			}
			if l.count == maxEntries {
				l.truncated = true
				cur.n.note = "(more entries not listed: entry limit reached)"
				break
			}
			l.count++
			child := describe(e, abs)
			cur.n.children = append(cur.n.children, child)
			if child.dir && child.note == "" {
				queue = append(queue, pending{child, abs, rel})
			}
		}
	}
	return l, nil
}

// describe turns a directory entry into a node, marking symlinks (never followed, which
// also keeps link loops out) and directories that are not expanded.
func describe(e fs.DirEntry, abs string) *node {
	n := &node{name: e.Name(), dir: e.IsDir()}
	switch {
	case e.Type()&fs.ModeSymlink != 0:
		dest, err := os.Readlink(abs)
		if err != nil {
			dest = "?"
		}
		n.note = "-> " + dest
	case n.dir && unexpanded[e.Name()]:
		n.note = "(contents not listed)"
	}
	return n
}

func ignored(patterns []string, name, rel, abs string) bool {
	abs = filepath.ToSlash(abs)
	for _, p := range patterns {
		for _, s := range []string{name, rel, abs} {
			if ok, _ := doublestar.Match(p, s); ok {
				return true
			}
		}
	}
	return false
}

func readDirReason(err error) string {
	if errors.Is(err, fs.ErrPermission) {
		return "permission denied"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// render draws the tree as an indented list, directories with a trailing slash.
func (l *listing) render() string {
	var b strings.Builder
	l.top.write(&b, 0)
	if l.count == 0 && l.top.note == "" {
		b.WriteString("  (empty directory)\n")
	}
	if l.truncated {
		fmt.Fprintf(&b, "\n[Listing stopped at %d entries. List a subdirectory, or pass ignore patterns, to see the rest.]\n", maxEntries)
	}
	return b.String()
}

func (n *node) write(b *strings.Builder, depth int) {
	b.WriteString(strings.Repeat("  ", depth))
	b.WriteString("- ")
	b.WriteString(n.name)
	if n.dir && !strings.HasSuffix(n.name, "/") {
		b.WriteByte('/')
	}
	if n.note != "" {
		b.WriteByte(' ')
		b.WriteString(n.note)
	}
	b.WriteByte('\n')
	for _, c := range n.children {
		c.write(b, depth+1)
	}
}

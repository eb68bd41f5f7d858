package permission

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/bmatcuk/doublestar/v4"
)

// ReadFilter says, path by path, what the reading tools may show the model: a file's
// contents, its name, even that it exists. A search or a listing (Grep, Glob, LS) cannot ask
// about each file it meets, so every file a deny or ask rule of the reading tools covers is
// left out, as if it were not there; to see one, the model names it in a Read call, which is
// then denied or asked like any other. The rules and the matching (the path as written and
// through symlinks and ..) are Check's.
//
// A filter is a snapshot of the rules when it is made: deny and ask rules are fixed when a
// checker is built (AllowAlways adds only allow rules).
type ReadFilter struct {
	hideAll bool // a tool-wide deny rule: nothing may be read
	globs   []readGlob
}

type readGlob struct {
	glob    string
	dirOnly bool
	base    string // the glob's literal leading directory: only paths inside it can match
	fold    bool   // compare ignoring case (Checker.GOOS)
}

func newReadGlob(g string, dirOnly, fold bool) readGlob {
	base, _ := doublestar.SplitPattern(g)
	if strings.ContainsAny(base, `\`) || !filepath.IsAbs(base) {
		base = "/" // an escaped character: compare with the whole pattern only
	}
	return readGlob{glob: g, dirOnly: dirOnly, base: foldPath(base, fold), fold: fold}
}

// covers reports whether the glob covers p or a directory holding it. A path outside the
// literal base cannot match, nor can its ancestors: most paths are ruled out without a
// pattern match, which keeps a filtered walk of a large tree cheap.
func (g readGlob) covers(p string) bool {
	return inside(g.base, foldPath(p, g.fold)) && matchGlob(g.glob, g.dirOnly, p, g.fold)
}

// ReadFilter builds the filter of the checker's current rules.
func (c *Checker) ReadFilter() *ReadFilter {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.readFilter()
}

func (c *Checker) readFilter() *ReadFilter {
	f := &ReadFilter{}
	for i, list := range [][]Rule{c.DenyRules, c.AskRules} {
		deny := i == 0
		for _, r := range list {
			if !isReadTool(r.Tool) {
				continue
			}
			cr, ok := r.compiled()
			switch {
			case r.Specifier == "" && deny:
				f.hideAll = true // a tool-wide ask rule asks for each call instead
			case ok && cr.path != nil:
				if g := cr.path.glob(c.rootsFor(cr)); g != "" {
					f.globs = append(f.globs, newReadGlob(g, cr.path.dirOnly, c.foldCase()))
				}
			}
		}
	}
	return f
}

// CanRead reports whether the model may see path (absolute): ReadFilter for one path.
func (c *Checker) CanRead(path string) bool { return c.ReadFilter().Allows(path) }

// Allows reports whether path (absolute) may be shown. A nil filter allows everything.
func (f *ReadFilter) Allows(path string) bool {
	if f == nil || !f.hideAll && len(f.globs) == 0 {
		return true
	}
	if f.hideAll {
		return false
	}
	lexical := filepath.Clean(path)
	return f.allowsResolved(lexical, resolvePath(lexical))
}

// ForWalk returns Allows for one search or listing: it remembers each directory's real path
// for as long as the returned function lives, so a walk over thousands of files resolves each
// directory once instead of every path component of every file. A tool call must not keep it
// beyond itself: a link created later would not be seen. Safe for concurrent use.
func (f *ReadFilter) ForWalk() func(path string) bool {
	if f == nil || !f.hideAll && len(f.globs) == 0 {
		return func(string) bool { return true }
	}
	var mu sync.Mutex
	dirs := map[string]string{}
	return func(path string) bool {
		if f.hideAll {
			return false
		}
		lexical := filepath.Clean(path)
		dir, base := filepath.Split(lexical)
		mu.Lock()
		realDir, ok := dirs[dir]
		if !ok {
			realDir = resolvePath(filepath.Clean(dir))
			dirs[dir] = realDir
		}
		mu.Unlock()
		real := filepath.Join(realDir, base)
		if fi, err := os.Lstat(real); err == nil && fi.Mode()&os.ModeSymlink != 0 {
			real = resolvePath(real)
		}
		return f.allowsResolved(lexical, real)
	}
}

// allowsResolved is Allows once the real path is known.
func (f *ReadFilter) allowsResolved(lexical, real string) bool {
	for _, g := range f.globs {
		if g.covers(lexical) || real != lexical && g.covers(real) {
			return false
		}
	}
	return true
}

// bashNamesHidden returns why a Bash line shows a file the read filter hides (`cat
// secrets/key.txt`, `cat secre*/key.txt`, `grep -r x .`): the words of every simple command
// and their glob matches, resolved like write targets, and what the directories it lists or
// searches hold (bashlist.go). Such a line asks whatever the rules and the mode say, so a
// Bash rule written for other files (`Bash(cat *)`) does not become a way around a Read deny
// rule. The reason names only what the line itself names: a glob's match or a listed file
// would tell the model the hidden name.
func (c *Checker) bashNamesHidden(line *commandLine, cwd string) (string, bool) {
	// Only path rules: a tool-wide Read deny would make every word a hidden file.
	f := &ReadFilter{globs: c.readFilter().globs}
	if len(f.globs) == 0 {
		return "", false
	}
	dirs := c.cdDirs(line, cwd)
	for _, in := range line.inputs { // `cat < secrets/key.txt`
		if p, ok := c.hiddenIn(f, in.text, in.kind == tokPattern, dirs); ok && in.kind != tokDynamic {
			return fmt.Sprintf("This command reads %s, which is or matches a file the Read permission rules keep from the model.", p), true
		}
	}
	for _, p := range line.parts {
		for _, w := range p.words {
			if w.kind == tokDynamic {
				continue
			}
			names := []string{w.text}
			if _, v, ok := strings.Cut(w.text, "="); ok {
				names = append(names, v) // --file=secrets/key.txt
			}
			for _, n := range names {
				if p, ok := c.hiddenIn(f, n, w.kind == tokPattern, dirs); ok {
					return fmt.Sprintf("This command names %s, which is or matches a file the Read permission rules keep from the model.", p), true
				}
			}
		}
		if d, ok := c.listsHidden(f, p, dirs); ok {
			return fmt.Sprintf("This command lists or searches %s, which holds files the Read permission rules keep from the model.", d), true
		}
	}
	return "", false
}

// listsHidden returns a directory a command of the part lists that holds a hidden path.
func (c *Checker) listsHidden(f *ReadFilter, p part, dirs []string) (string, bool) {
	for _, run := range p.runs {
		for _, l := range listings(run) {
			if l.dir.kind == tokDynamic {
				continue
			}
			for _, d := range dirs {
				abs := c.expandHome(l.dir.text)
				if !filepath.IsAbs(abs) {
					abs = filepath.Join(d, abs)
				}
				if _, ok := f.hiddenUnder(filepath.Clean(abs), l.recursive, l.follow); ok {
					return filepath.Clean(abs), true
				}
			}
		}
	}
	return "", false
}

// hiddenIn checks a name as written and, for a pattern, each file it expands to, against
// each directory it may be relative to.
func (c *Checker) hiddenIn(f *ReadFilter, name string, pattern bool, dirs []string) (string, bool) {
	name = c.expandHome(name)
	if name == "" || strings.HasPrefix(name, "-") {
		return "", false
	}
	for _, d := range dirs {
		p := name
		if !filepath.IsAbs(p) {
			p = filepath.Join(d, p)
		}
		if !f.Allows(p) {
			return p, true
		}
		if !pattern {
			continue
		}
		for _, m := range globMatches(name, d) {
			if !f.Allows(m) {
				return p, true // the pattern, not the match: its name is hidden
			}
		}
	}
	return "", false
}

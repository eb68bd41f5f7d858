package permission

import (
	"errors"
	"io/fs"
	"path"
	"path/filepath"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// A Bash command shows the model what it names, what its globs expand to, and what the
// directories it lists or searches hold (ls, ls -R, find, grep -r, rg, tree, du, tar c). The
// read filter checks all three where the parser can see them, so that a Bash rule written for
// other files does not become a way around a Read deny rule. It is best effort: a script,
// a program's own file access or a computed name is not seen.

// listing is a directory a command shows, to some depth.
type listing struct {
	dir       token
	recursive bool // the whole tree, not only the entries
	follow    bool // through symlinks (grep -R, find -L, rg -L, tree -l)
}

// listings returns the directories a command lists or searches. A command given no
// directory works on ".".
func listings(words []token) []listing {
	if len(words) == 0 || words[0].kind != tokFixed {
		return nil
	}
	args := words[1:]
	ops := operands(args)
	dot := []token{{text: ".", kind: tokFixed}}
	var dirs []token
	rec, follow := true, false
	switch path.Base(words[0].text) {
	case "ls", "dir", "vdir":
		rec, follow = hasShortOption(args, 'R') || hasLong(args, "--recursive"), hasShortOption(args, 'L')
		dirs = ops
	case "find":
		dirs, follow = findStarts(args), hasShortOption(args[:min(len(args), 3)], 'L')
	case "tree": // -l follows symlinks; -L is a depth
		dirs, follow = ops, hasShortOption(args, 'l')
	case "du":
		dirs, follow = ops, hasShortOption(args, 'L') || hasLong(args, "--dereference")
	case "rg", "ag", "ack", "grep", "egrep", "fgrep", "zgrep":
		name := path.Base(words[0].text)
		if strings.HasSuffix(name, "grep") && !hasShortOption(args, 'r') && !hasShortOption(args, 'R') &&
			!hasLong(args, "--recursive", "--dereference-recursive", "--directories=recurse") {
			return nil
		}
		dirs = ops // the pattern too: a directory of that name would be searched, an odd word is not
		follow = hasShortOption(args, 'R') || hasShortOption(args, 'L') || hasLong(args, "--follow", "--dereference-recursive")
		if len(ops) <= 1 {
			dirs = append(dirs, dot...)
		}
		return toListings(dirs, rec, follow)
	case "git": // git grep searches the working tree below the directory, tracked or not (--no-index)
		for i, o := range ops { // after global options such as -C dir, whose value is an operand here
			if o.text == "grep" {
				return toListings(append(ops[i+1:], dot...), true, false)
			}
		}
		return nil
	case "tar", "bsdtar", "gtar":
		if !tarCreates(args) {
			return nil
		}
		dirs = ops
	case "zip":
		if !hasShortOption(args, 'r') && !hasLong(args, "--recurse-paths") {
			return nil
		}
		dirs = ops
	default:
		return nil
	}
	if len(dirs) == 0 {
		dirs = dot
	}
	return toListings(dirs, rec, follow)
}

func toListings(dirs []token, rec, follow bool) []listing {
	out := make([]listing, 0, len(dirs))
	for _, d := range dirs {
		out = append(out, listing{dir: d, recursive: rec, follow: follow})
	}
	return out
}

// hasShortOption reports a one-letter option, alone or in a bundle (`-la`, `-rn`).
func hasShortOption(args []token, c byte) bool {
	for _, a := range args {
		if a.text == "--" {
			return false
		}
		if len(a.text) > 1 && a.text[0] == '-' && a.text[1] != '-' && strings.IndexByte(a.text[1:], c) >= 0 {
			return true
		}
	}
	return false
}

func hasLong(args []token, names ...string) bool {
	for _, a := range args {
		for _, n := range names {
			if a.text == n || strings.HasPrefix(a.text, n+"=") {
				return true
			}
		}
	}
	return false
}

// findStarts returns find's starting points: the arguments before its expression, after
// the -H, -L, -P options.
func findStarts(args []token) []token {
	var out []token
	for _, a := range args {
		switch {
		case a.text == "-H" || a.text == "-L" || a.text == "-P":
		case a.kind != tokDynamic && (strings.HasPrefix(a.text, "-") || a.text == "(" || a.text == "!"):
			return out
		default:
			out = append(out, a)
		}
	}
	return out
}

// tarCreates reports tar's create and append modes (`tar czf`, `tar -c`, `--create`).
func tarCreates(args []token) bool {
	if len(args) > 0 && !strings.HasPrefix(args[0].text, "-") && strings.ContainsAny(args[0].text, "cru") {
		return true
	}
	return hasShortOption(args, 'c') || hasShortOption(args, 'r') || hasLong(args, "--create", "--append")
}

// maxListed bounds the entries looked at for one listing; a larger tree that the rules
// cannot rule out asks.
const maxListed = 20000

// errListed ends a walk: a hidden entry was found, or the budget ran out.
var errListed = errors.New("listing checked")

// hiddenUnder returns a hidden path the listing of dir (absolute) would show: an entry, or
// with recursive, anything below. Subtrees no rule's literal directory meets are skipped
// unless a rule matches at any depth or symlinks are followed.
func (f *ReadFilter) hiddenUnder(dir string, recursive, follow bool) (string, bool) {
	real := resolvePath(dir)
	if !isDir(real) {
		return "", false
	}
	prune := !follow
	for _, g := range f.globs {
		prune = prune && g.base != "/"
	}
	budget := maxListed
	found := ""
	err := filepath.WalkDir(real, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // unreadable: the command cannot show it either
		}
		if budget--; budget < 0 {
			found = dir
			return errListed
		}
		if p != real && f.hides(p, filepath.Join(dir, p[len(real):]), d, follow) {
			found = p
			return errListed
		}
		if follow && d.Type()&fs.ModeSymlink != 0 && isDir(p) {
			// A followed link to a directory: its tree is listed too, links in it not followed.
			if h, ok := f.hiddenUnder(p, true, false); ok {
				found = h
				return errListed
			}
		}
		switch {
		case !d.IsDir() || p == real:
			return nil
		case !recursive:
			return fs.SkipDir
		case prune && !f.meets(foldPath(p, f.fold())):
			return fs.SkipDir
		}
		return nil
	})
	return found, errors.Is(err, errListed)
}

// hides reports whether a walked entry is hidden: p is its real path (a symlink's own),
// lexical the path below the directory as the command names it. A symlink's target counts
// only when the command follows links; otherwise it shows the link's name alone.
func (f *ReadFilter) hides(p, lexical string, d fs.DirEntry, follow bool) bool {
	if follow && d.Type()&fs.ModeSymlink != 0 && !f.Allows(p) {
		return true
	}
	for _, g := range f.globs {
		if g.covers(p) || g.covers(lexical) {
			return true
		}
	}
	return false
}

// meets reports whether some rule's literal directory is inside dir or holds it: only then
// can anything under dir be hidden.
func (f *ReadFilter) meets(dir string) bool {
	for _, g := range f.globs {
		if inside(dir, g.base) || inside(g.base, dir) {
			return true
		}
	}
	return false
}

func (f *ReadFilter) fold() bool { return len(f.globs) > 0 && f.globs[0].fold }

// globMatches expands a word with glob characters as bash would in dir: each existing match.
// `**` is bash's `*` unless globstar is set; doublestar's deeper match only finds more.
func globMatches(name, dir string) []string {
	if !strings.ContainsAny(name, "*?[{") {
		return nil
	}
	pattern := strings.ReplaceAll(name, "**", "*")
	if !filepath.IsAbs(pattern) {
		pattern = escapeGlob(dir) + "/" + pattern
	}
	matches, _ := doublestar.FilepathGlob(pattern)
	if len(matches) > maxListed {
		matches = matches[:maxListed]
	}
	return matches
}

package permission

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// anchor says where a path rule's pattern starts.
type anchor uint8

const (
	anchorRoot     anchor = iota // //abs/path: from the filesystem root
	anchorHome                   // ~/path: from the home directory
	anchorBase                   // /path: from the directory the rule's settings file belongs to
	anchorCwd                    // ./path, or a bare path with a slash in it: from the working directory
	anchorAnywhere               // a bare name without a slash (*.env, .git): at any depth
)

// pathSpec is a compiled Read(…)/Edit(…) pattern, gitignore style.
type pathSpec struct {
	anchor  anchor
	pattern string // relative to the anchor, slash-separated, no leading slash
	dirOnly bool   // a trailing slash: matches directories (and so everything inside them)
}

// compilePath checks a path rule's specifier.
func compilePath(spec string) (*pathSpec, error) {
	s := strings.TrimSpace(spec)
	if s == "" {
		return nil, errors.New("the parentheses are empty; write the tool alone to match every path")
	}
	if strings.HasPrefix(s, "!") {
		return nil, errors.New("negated (!) patterns are not supported; put the rule in another list instead")
	}
	p := &pathSpec{}
	switch {
	case strings.HasPrefix(s, "//"):
		p.anchor, s = anchorRoot, s[2:]
	case s == "~" || strings.HasPrefix(s, "~/"):
		p.anchor, s = anchorHome, strings.TrimPrefix(strings.TrimPrefix(s, "~"), "/")
	case strings.HasPrefix(s, "/"):
		p.anchor, s = anchorBase, s[1:]
	case s == "." || strings.HasPrefix(s, "./"):
		p.anchor, s = anchorCwd, strings.TrimPrefix(strings.TrimPrefix(s, "."), "/")
	case strings.Contains(strings.TrimSuffix(s, "/"), "/"):
		p.anchor = anchorCwd
	default:
		p.anchor = anchorAnywhere
	}
	if strings.HasSuffix(s, "/") {
		p.dirOnly, s = true, strings.TrimRight(s, "/")
	}
	p.pattern = s
	if s != "" && !doublestar.ValidatePattern(s) {
		return nil, errors.New("the path pattern is not a valid glob (check brackets and braces)")
	}
	return p, nil
}

// roots says where a checker's relative anchors point.
type roots struct {
	cwd, home, base string
	fold            bool // the file system ignores case: compare names case-insensitively
}

// glob returns the pattern as an absolute doublestar pattern, with the anchor directory
// resolved through symlinks so that it compares with resolved call paths; "" when the anchor
// is unknown (a ~ rule without a home directory).
func (p *pathSpec) glob(r roots) string {
	var dir string
	switch p.anchor {
	case anchorRoot:
		return resolvePatternPrefix("/" + p.pattern)
	case anchorHome:
		dir = r.home
	case anchorBase:
		dir = r.base
	case anchorCwd:
		dir = r.cwd
	case anchorAnywhere:
		return "/**/" + p.pattern
	}
	if dir == "" {
		return ""
	}
	dir = escapeGlob(resolvePath(dir))
	if p.pattern == "" {
		return dir
	}
	return strings.TrimSuffix(dir, "/") + "/" + p.pattern
}

// resolvePatternPrefix resolves the literal directories at the front of an absolute pattern.
func resolvePatternPrefix(pattern string) string {
	base, rest := doublestar.SplitPattern(pattern)
	if base == "" || base == "/" || base == "." {
		return pattern
	}
	resolved := escapeGlob(resolvePath(base))
	if rest == "" {
		return resolved
	}
	return strings.TrimSuffix(resolved, "/") + "/" + rest
}

// escapeGlob makes s match itself literally. A loop, not a strings.Replacer: building a
// Replacer's lookup table for each call cost more than the rest of a permission check.
func escapeGlob(s string) string {
	if !strings.ContainsAny(s, globMeta) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(globMeta, s[i]) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// globMeta are the characters doublestar patterns give a meaning.
const globMeta = `\*?[]{}`

// matches reports whether the pattern covers path p (absolute, clean) or a directory
// holding it: like .gitignore, a rule on a directory covers everything inside.
func (p *pathSpec) matches(r roots, path string) bool {
	return matchGlob(p.glob(r), p.dirOnly, path, r.fold)
}

// matchGlob reports whether g, a pattern from pathSpec.glob, covers path or a directory
// holding it; dirOnly patterns match path itself only when it is a directory. With fold, case
// is ignored, as macOS and Windows file systems ignore it: there SECRETS/key.txt is the file
// a rule on secrets/** protects.
func matchGlob(g string, dirOnly bool, path string, fold bool) bool {
	if g == "" {
		return false
	}
	if fold {
		g = strings.ToLower(g)
	}
	for cand, first := path, true; ; cand, first = filepath.Dir(cand), false {
		if !(first && dirOnly && !isDir(cand)) {
			if ok, _ := doublestar.Match(g, foldPath(cand, fold)); ok {
				return true
			}
		}
		if cand == "/" || cand == "." {
			return false
		}
	}
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// resolvePath makes an absolute path real: symlinks and `..` are resolved on its longest
// existing prefix, and the rest (which does not exist yet) is appended and cleaned. A link
// whose target does not exist yet is followed too: writing through it creates the target.
func resolvePath(abs string) string {
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real
	}
	return resolveMissing(abs, 0)
}

// maxLinks bounds how many symlinks resolveMissing follows (link loops).
const maxLinks = 40

func resolveMissing(abs string, links int) string {
	parts := strings.Split(strings.TrimPrefix(abs, "/"), "/")
	cur := "/"
	for i, p := range parts {
		switch p {
		case "", ".":
			continue
		case "..":
			cur = filepath.Dir(cur) // cur is real, so .. leaves a link's target as bash does
			continue
		}
		next := filepath.Join(cur, p)
		fi, err := os.Lstat(next)
		if err != nil {
			return filepath.Join(append([]string{next}, parts[i+1:]...)...)
		}
		if fi.Mode()&os.ModeSymlink != 0 && links < maxLinks {
			if target, err := os.Readlink(next); err == nil {
				if !filepath.IsAbs(target) {
					target = filepath.Join(cur, target)
				}
				return resolveMissing(filepath.Join(append([]string{target}, parts[i+1:]...)...), links+1)
			}
		}
		cur = next
	}
	return cur
}

// callPaths is where a file tool's call points: the path as written (absolute, cleaned) and
// the path it really reaches.
type callPaths struct {
	lexical, real string
}

func newCallPaths(p, cwd string) callPaths {
	if !filepath.IsAbs(p) {
		p = filepath.Join(cwd, p)
	}
	return callPaths{lexical: filepath.Clean(p), real: resolvePath(p)}
}

// foldPath lower-cases p when the file system ignores case.
func foldPath(p string, fold bool) string {
	if fold {
		return strings.ToLower(p)
	}
	return p
}

// inside reports whether p is dir or under it.
func inside(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, "../") && !filepath.IsAbs(rel)
}

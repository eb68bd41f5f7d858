package search

import (
	"bufio"
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"
)

// Match is the verdict of a set of rules on one path.
type Match int

const (
	// NoMatch means no rule spoke about the path; the next, less specific rule set decides.
	NoMatch Match = iota
	// Ignored means the path is excluded.
	Ignored
	// Whitelisted means a rule explicitly keeps the path (a `!pattern` line).
	Whitelisted
)

// Rules is one parsed ignore file (.gitignore, .ignore, .rgignore or .git/info/exclude).
// Patterns are relative to Dir, the directory the rules govern.
type Rules struct {
	Dir      string
	patterns []rule
}

type rule struct {
	re        *regexp.Regexp
	whitelist bool // the line started with `!`
	onlyDir   bool // the line ended with `/`
}

// ParseRules reads gitignore-syntax lines the way ripgrep's ignore crate does. Lines that do
// not compile are skipped, as git and rg skip them.
func ParseRules(dir string, data []byte) *Rules {
	r := &Rules{Dir: dir}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	first := true
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if first {
			line = strings.TrimPrefix(line, "\ufeff")
			first = false
		}
		if p, ok, err := parseRule(line); ok && err == nil {
			r.patterns = append(r.patterns, p)
		}
	}
	return r
}

// parseRule compiles one line. The rules, from gitignore(5) as ripgrep implements them:
// `#` starts a comment; trailing whitespace is dropped unless escaped; `!` re-includes;
// a trailing `/` restricts the pattern to directories; a pattern with a `/` anywhere else
// is anchored to the file's directory, one without matches at any depth. ok is false for
// blank and comment lines.
func parseRule(line string) (r rule, ok bool, err error) {
	if strings.HasPrefix(line, "#") {
		return rule{}, false, nil
	}
	if !strings.HasSuffix(line, `\ `) {
		line = strings.TrimRightFunc(line, unicode.IsSpace)
	}
	if line == "" {
		return rule{}, false, nil
	}
	anchored := false
	if strings.HasPrefix(line, `\!`) || strings.HasPrefix(line, `\#`) {
		line = line[1:]
		anchored = strings.HasPrefix(line, "/")
	} else {
		if strings.HasPrefix(line, "!") {
			r.whitelist = true
			line = line[1:]
		}
		if strings.HasPrefix(line, "/") {
			line = line[1:]
			anchored = true
		}
	}
	if strings.HasSuffix(line, "/") {
		r.onlyDir = true
		line = strings.TrimSuffix(line[:len(line)-1], `\`)
	}
	glob := line
	if !anchored && !strings.Contains(line, "/") && !strings.HasPrefix(glob, "**/") && glob != "**" {
		glob = "**/" + glob
	}
	if strings.HasSuffix(glob, "/**") {
		glob += "/*"
	}
	r.re, err = compileGlob(glob)
	if err != nil {
		return rule{}, false, err
	}
	return r, true, nil
}

// Match applies the rules to rel, a slash-separated path relative to Dir. As in git, the
// last matching line wins.
func (r *Rules) Match(rel string, isDir bool) Match {
	if r == nil {
		return NoMatch
	}
	for i := len(r.patterns) - 1; i >= 0; i-- {
		p := r.patterns[i]
		if p.onlyDir && !isDir {
			continue
		}
		if p.re.MatchString(rel) {
			if p.whitelist {
				return Whitelisted
			}
			return Ignored
		}
	}
	return NoMatch
}

// relTo returns path relative to dir with forward slashes, or "" when path is not inside dir.
func relTo(dir, path string) string {
	if dir == "/" {
		return filepath.ToSlash(strings.TrimPrefix(path, "/"))
	}
	if !strings.HasPrefix(path, dir) || len(path) <= len(dir) || path[len(dir)] != '/' {
		return ""
	}
	return filepath.ToSlash(path[len(dir)+1:])
}

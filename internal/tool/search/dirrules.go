package search

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// dirRules is one link of the chain of ignore files from the filesystem root down to the
// directory being walked. Directories without ignore files or .git share their parent's link.
type dirRules struct {
	parent                               *dirRules
	hasGit                               bool
	rgignore, ignore, gitignore, exclude *Rules
}

// loadDir extends chain with dir's ignore files, using its already-read entries to avoid
// opening files that are not there.
func loadDir(dir string, entries []fs.DirEntry, chain *dirRules) *dirRules {
	present := map[string]bool{}
	for _, e := range entries {
		switch e.Name() {
		case ".rgignore", ".ignore", ".gitignore", ".git":
			present[e.Name()] = true
		}
	}
	if len(present) == 0 {
		return chain
	}
	return buildDir(dir, chain, func(name string) bool { return present[name] })
}

// loadAncestors builds the chain for the directories above root, from "/" down.
func loadAncestors(root string) *dirRules {
	var dirs []string
	for d := filepath.Dir(root); ; d = filepath.Dir(d) {
		dirs = append(dirs, d)
		if d == filepath.Dir(d) {
			break
		}
	}
	var chain *dirRules
	for i := len(dirs) - 1; i >= 0; i-- {
		chain = buildDir(dirs[i], chain, func(string) bool { return true })
	}
	return chain
}

func buildDir(dir string, parent *dirRules, mayExist func(string) bool) *dirRules {
	read := func(name string) *Rules {
		if !mayExist(name) {
			return nil
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil
		}
		return ParseRules(dir, data)
	}
	d := &dirRules{
		parent:    parent,
		rgignore:  read(".rgignore"),
		ignore:    read(".ignore"),
		gitignore: read(".gitignore"),
	}
	if mayExist(".git") {
		if gitDir, ok := resolveGitDir(dir); ok {
			d.hasGit = true
			if data, err := os.ReadFile(filepath.Join(gitDir, "info", "exclude")); err == nil {
				d.exclude = ParseRules(dir, data)
			}
		}
	}
	if !d.hasGit && d.rgignore == nil && d.ignore == nil && d.gitignore == nil {
		return parent
	}
	return d
}

// resolveGitDir finds the directory holding info/exclude for the repository rooted at dir:
// .git itself, or for a worktree (.git is a file saying "gitdir: …") the shared common dir.
func resolveGitDir(dir string) (string, bool) {
	dotGit := filepath.Join(dir, ".git")
	st, err := os.Stat(dotGit)
	if err != nil {
		return "", false
	}
	if st.IsDir() {
		return dotGit, true
	}
	data, err := os.ReadFile(dotGit)
	if err != nil {
		return dotGit, true
	}
	gitDir, ok := strings.CutPrefix(strings.TrimSpace(string(data)), "gitdir:")
	if !ok {
		return dotGit, true
	}
	gitDir = strings.TrimSpace(gitDir)
	if !filepath.IsAbs(gitDir) {
		gitDir = filepath.Join(dir, gitDir)
	}
	if common, err := os.ReadFile(filepath.Join(gitDir, "commondir")); err == nil {
		c := strings.TrimSpace(string(common))
		if !filepath.IsAbs(c) {
			c = filepath.Join(gitDir, c)
		}
		return c, true
	}
	return gitDir, true
}

// match combines the chain's verdicts the way ripgrep does: for each kind of ignore file the
// deepest file that matches decides; .rgignore beats .ignore beats .gitignore beats
// info/exclude. The git kinds apply only inside a repository and stop at its top.
func (c *dirRules) match(path string, isDir bool) Match {
	anyGit := false
	for d := c; d != nil; d = d.parent {
		if d.hasGit {
			anyGit = true
			break
		}
	}
	var custom, ign, gi, ex Match
	sawGit := false
	for d := c; d != nil; d = d.parent {
		if custom == NoMatch {
			custom = d.rgignore.matchPath(path, isDir)
		}
		if ign == NoMatch {
			ign = d.ignore.matchPath(path, isDir)
		}
		if anyGit && !sawGit {
			if gi == NoMatch {
				gi = d.gitignore.matchPath(path, isDir)
			}
			if ex == NoMatch {
				ex = d.exclude.matchPath(path, isDir)
			}
		}
		sawGit = sawGit || d.hasGit
	}
	for _, m := range []Match{custom, ign, gi, ex} {
		if m != NoMatch {
			return m
		}
	}
	return NoMatch
}

func (r *Rules) matchPath(path string, isDir bool) Match {
	if r == nil {
		return NoMatch
	}
	rel := relTo(r.Dir, path)
	if rel == "" {
		return NoMatch
	}
	return r.Match(rel, isDir)
}

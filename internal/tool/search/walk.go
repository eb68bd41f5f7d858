package search

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Options narrows a walk the way ripgrep's --glob and --type flags do.
type Options struct {
	// Globs are ripgrep --glob patterns, matched against paths relative to the walk root.
	// A plain glob selects files (every file must then match one); a `!glob` excludes.
	// A selecting glob wins over ignore files, as in rg.
	Globs []string
	// Type is a file type name from TypeNames; "" means any file.
	Type string
	// Visible says whether the model may see a path (tool.Env.Readable): an entry it
	// refuses is neither visited nor entered, whatever the globs say. Nil shows all.
	Visible func(path string) bool
}

// Walker lists the files under a root that ripgrep would search with
// `--hidden --no-ignore-global --glob '!.git'`: hidden files are included, `.git` is skipped,
// and .rgignore, .ignore, .gitignore and .git/info/exclude files are honoured — the two git
// ones only inside a git repository (a directory holding `.git`), like git itself.
// Ignore files in the root's ancestors count too. Symbolic links are listed, never followed.
type Walker struct {
	root      string
	overrides *overrides
	types     typeMatcher
	ancestors *dirRules
	visible   func(string) bool
}

// NewWalker prepares a walk of root, an absolute, clean directory path. Errors are about the
// options (a glob that does not parse, an unknown type) and are worth showing the model.
func NewWalker(root string, opts Options) (*Walker, error) {
	w := &Walker{root: root, visible: opts.Visible}
	if len(opts.Globs) > 0 {
		o, err := newOverrides(root, opts.Globs)
		if err != nil {
			return nil, err
		}
		w.overrides = o
	}
	if opts.Type != "" {
		m, ok := newTypeMatcher(opts.Type)
		if !ok {
			return nil, fmt.Errorf("unknown file type %q; known types: %v", opts.Type, TypeNames())
		}
		w.types = m
	}
	w.ancestors = loadAncestors(root)
	return w, nil
}

// Walk calls visit for every directory (except the root) and file that is not excluded, in
// lexical order per directory. visit may return fs.SkipDir for a directory to skip its
// contents; any other error stops the walk and is returned. Unreadable directories are
// skipped silently, as rg does with --no-messages.
func (w *Walker) Walk(ctx context.Context, visit func(path string, d fs.DirEntry) error) error {
	entries, err := os.ReadDir(w.root)
	if err != nil {
		return fmt.Errorf("reading directory %s: %w", w.root, err)
	}
	err = w.walkDir(ctx, w.root, entries, loadDir(w.root, entries, w.ancestors), visit)
	if errors.Is(err, fs.SkipAll) {
		return nil
	}
	return err
}

func (w *Walker) walkDir(ctx context.Context, dir string, entries []fs.DirEntry, chain *dirRules,
	visit func(string, fs.DirEntry) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, e := range entries {
		if e.Name() == ".git" {
			continue
		}
		path := filepath.Join(dir, e.Name())
		isDir := e.IsDir()
		if w.excluded(path, isDir, chain) || w.visible != nil && !w.visible(path) {
			continue
		}
		err := visit(path, e)
		if !isDir {
			if err != nil {
				return err
			}
			continue
		}
		if errors.Is(err, fs.SkipDir) {
			continue
		}
		if err != nil {
			return err
		}
		sub, err := os.ReadDir(path)
		if err != nil {
			continue
		}
		if err := w.walkDir(ctx, path, sub, loadDir(path, sub, chain), visit); err != nil {
			return err
		}
	}
	return nil
}

// excluded mirrors the order of ripgrep's decision: --glob overrides first, then ignore
// files, then the file type.
func (w *Walker) excluded(path string, isDir bool, chain *dirRules) bool {
	if w.overrides != nil {
		switch w.overrides.match(relTo(w.root, path), isDir) {
		case Whitelisted:
			return false
		case Ignored:
			return true
		}
	}
	if chain.match(path, isDir) == Ignored {
		return true
	}
	return w.types != nil && !isDir && !w.types.matches(path)
}

// overrides holds the --glob patterns. Their sense is the reverse of an ignore file's.
type overrides struct {
	rules     *Rules
	selecting int
}

func newOverrides(root string, globs []string) (*overrides, error) {
	o := &overrides{rules: &Rules{Dir: root}}
	for _, g := range globs {
		r, ok, err := parseRule(g)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if !r.whitelist {
			o.selecting++
		}
		o.rules.patterns = append(o.rules.patterns, r)
	}
	return o, nil
}

func (o *overrides) match(rel string, isDir bool) Match {
	switch o.rules.Match(rel, isDir) {
	case Ignored:
		return Whitelisted // a plain glob selects
	case Whitelisted:
		return Ignored // a `!glob` excludes
	}
	if o.selecting > 0 && !isDir {
		return Ignored
	}
	return NoMatch
}

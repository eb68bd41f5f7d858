// Package glob is the Glob tool: it lists the files under a directory whose paths match a
// doublestar pattern, newest first, skipping what .gitignore and friends exclude.
package glob

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tool/fsutil"
	"github.com/strata-agent/strata/internal/tool/search"
)

var (
	//go:embed schema.json
	schema []byte
	//go:embed description.md
	description string
)

// maxResults is how many paths one call returns; more would flood the context.
const maxResults = 100

type input struct {
	Pattern string `json:"pattern"`
	Path    string `json:"path,omitempty"`
}

type globTool struct{}

// New returns the Glob tool.
func New() tool.Tool { return globTool{} }

func (globTool) Name() string                 { return "Glob" }
func (globTool) Description() string          { return description }
func (globTool) InputSchema() json.RawMessage { return schema }
func (globTool) ConcurrencySafe() bool        { return true }
func (globTool) Class() permission.Class      { return permission.ClassRead }

func (globTool) Run(ctx context.Context, env *tool.Env, raw json.RawMessage) (tool.Result, error) {
	var in input
	if err := fsutil.DecodeInput("Glob", raw, &in); err != nil {
		return tool.Errorf("%v", err), nil
	}
	if in.Pattern == "" {
		return tool.Errorf("pattern is required, e.g. \"**/*.go\""), nil
	}
	if !doublestar.ValidatePattern(in.Pattern) {
		return tool.Errorf("pattern %q is not a valid glob (check brackets and braces)", in.Pattern), nil
	}
	dir, err := searchDir(env, in.Path)
	if err != nil {
		return tool.Errorf("%v", err), nil
	}
	root, pattern := splitPattern(dir, in.Pattern)
	found, err := find(ctx, root, pattern, env.Visibility())
	if err != nil {
		if ctx.Err() != nil {
			return tool.Result{}, ctx.Err()
		}
		return tool.Result{}, fmt.Errorf("glob %q under %s: %w", in.Pattern, root, err)
	}
	return render(found, in.Pattern, dir), nil
}

// searchDir resolves the path input against the working directory and checks it is a
// directory.
func searchDir(env *tool.Env, p string) (string, error) {
	dir, st, err := fsutil.SearchRoot(env, p)
	if err != nil {
		return "", err
	}
	if !st.IsDir() {
		return "", fmt.Errorf("path %s is a file, not a directory; pass its directory and the file name as the pattern", dir)
	}
	return dir, nil
}

// splitPattern moves the literal leading directories of the pattern into the walk root, so
// "src/**/*.go" walks only src and an absolute pattern ignores dir.
func splitPattern(dir, pattern string) (root, rest string) {
	base, rest := doublestar.SplitPattern(pattern)
	base = unescape(base)
	if filepath.IsAbs(base) {
		return filepath.Clean(base), rest
	}
	return filepath.Join(dir, base), rest
}

// unescape removes the backslashes doublestar uses to quote meta characters in the literal
// part of a pattern.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

type match struct {
	path    string
	modTime time.Time
}

// find walks root and collects the files whose slash-separated path relative to root
// matches pattern. Without `**` or braces the pattern fixes the depth, so deeper directories
// are not entered. Files and directories visible refuses are left out, unnamed and uncounted.
func find(ctx context.Context, root, pattern string, visible func(string) bool) ([]match, error) {
	st, err := os.Stat(root)
	if err != nil || !st.IsDir() {
		return nil, nil // the literal prefix names nothing: no matches
	}
	maxDepth := -1
	if !strings.Contains(pattern, "**") && !strings.Contains(pattern, "{") {
		maxDepth = strings.Count(pattern, "/") + 1
	}
	w, err := search.NewWalker(root, search.Options{Visible: visible})
	if err != nil {
		return nil, err
	}
	var found []match
	err = w.Walk(ctx, func(path string, d fs.DirEntry) error {
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return nil
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if maxDepth >= 0 && strings.Count(rel, "/")+1 >= maxDepth {
				return fs.SkipDir
			}
			return nil
		}
		if ok, _ := doublestar.Match(pattern, rel); ok {
			m := match{path: path}
			if info, err := d.Info(); err == nil {
				m.modTime = info.ModTime()
			}
			found = append(found, m)
		}
		return nil
	})
	return found, err
}

func render(found []match, pattern, dir string) tool.Result {
	if len(found) == 0 {
		return tool.Result{Text: fmt.Sprintf("No files found matching %q in %s.", pattern, dir)}
	}
	sort.Slice(found, func(i, j int) bool {
		if !found[i].modTime.Equal(found[j].modTime) {
			return found[i].modTime.After(found[j].modTime)
		}
		return found[i].path < found[j].path
	})
	var b strings.Builder
	shown := found
	if len(shown) > maxResults {
		shown = shown[:maxResults]
	}
	for _, m := range shown {
		b.WriteString(m.path)
		b.WriteByte('\n')
	}
	if len(found) > maxResults {
		fmt.Fprintf(&b, "(Showing the %d most recently modified of %d matching files; narrow the pattern or the path to see the others.)\n",
			maxResults, len(found))
	}
	return tool.Result{Text: strings.TrimSuffix(b.String(), "\n")}
}

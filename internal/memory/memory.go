// Package memory finds the CLAUDE.md files that hold the user's and the project's standing
// instructions (A9), expands their @path imports, and renders them as the context block the
// agent puts in the first user message (not in the system prompt, which then stays cacheable).
package memory

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/strata-agent/strata/internal/frontmatter"
)

// Scopes of a memory file.
const (
	ScopeUser    = "user"    // <configDir>/CLAUDE.md: the user's own, for every project
	ScopeProject = "project" // CLAUDE.md: shared with the project
	ScopeLocal   = "local"   // CLAUDE.local.md: the user's, for this project only
	ScopeManaged = "managed" // the organisation's, beside managed-settings.json
)

// MaxImportDepth is how many @path hops are followed from a discovered file.
const MaxImportDepth = 5

// File is one memory file with its imports expanded.
type File struct {
	Path    string
	Scope   string
	Content string
	// Missing lists the imports, as written after '@', that could not be read. Each is also
	// noted in Content where it was mentioned.
	Missing []string
}

// candidate is a file discovery may find.
type candidate struct {
	path, scope string
	rule        bool // a rules/ file: its front matter says where it applies
}

// Load reads the memory files for a session in cwd, in the order they should be read: the
// user's (<configDir>/CLAUDE.md) first, then CLAUDE.md and CLAUDE.local.md from the farthest
// parent of cwd down to cwd itself (the root directory excluded), so that the nearest file
// comes last and wins a conflict. home is what ~/ means in imports. Files that do not exist
// are skipped; files that exist but cannot be read are reported in the error, and Load still
// returns all the others.
func Load(cwd, configDir, home string) ([]File, error) {
	return LoadWith(Options{Cwd: cwd, ConfigDir: configDir, Home: home})
}

// Options say where memory files are and which to leave out.
type Options struct {
	Cwd, ConfigDir, Home string
	// ManagedDir holds the organisation's CLAUDE.md, read first; "" for none.
	ManagedDir string
	// Excludes are claudeMdExcludes: glob patterns (** allowed) of absolute paths of memory
	// files to skip. The managed file cannot be excluded.
	Excludes []string
}

// LoadWith is Load with every option: also the managed CLAUDE.md, .claude/CLAUDE.md beside
// each CLAUDE.md, and rules (<configDir>/rules/*.md, .claude/rules/**/*.md), minus the
// excluded files.
func LoadWith(o Options) ([]File, error) {
	abs, err := filepath.Abs(o.Cwd)
	if err != nil {
		return nil, fmt.Errorf("memory: working directory %q: %w", o.Cwd, err)
	}
	l := &loader{home: o.Home, seen: map[string]bool{}}
	var files []File
	var errs []error
	for _, c := range allCandidates(abs, o) {
		if c.scope != ScopeManaged && excluded(c.path, o.Excludes) || l.seen[l.key(c.path)] {
			continue // excluded, or already read (~/.claude/CLAUDE.md is also home's .claude/CLAUDE.md)
		}
		data, err := os.ReadFile(c.path)
		if errors.Is(err, fs.ErrNotExist) || isDir(c.path) {
			continue
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("memory: cannot read %s (skipped): %w", c.path, err))
			continue
		}
		l.seen[l.key(c.path)] = true
		f := File{Path: c.path, Scope: c.scope}
		text := string(data)
		if c.rule {
			text = ruleText(text)
		}
		f.Content = l.expand(c.path, text, 0, &f.Missing)
		if strings.TrimSpace(f.Content) != "" {
			files = append(files, f)
		}
	}
	return files, errors.Join(errs...)
}

// allCandidates lists every place of Options in reading order: managed, the user's file and
// rules, then each directory from the farthest down (CLAUDE.md, .claude/CLAUDE.md,
// CLAUDE.local.md), then the project's rules.
func allCandidates(cwd string, o Options) []candidate {
	var out []candidate
	if o.ManagedDir != "" {
		out = append(out, candidate{path: filepath.Join(o.ManagedDir, "CLAUDE.md"), scope: ScopeManaged})
	}
	base := candidates(cwd, o.ConfigDir)
	if o.ConfigDir != "" {
		out = append(out, base[0])
		out = append(out, rules(filepath.Join(o.ConfigDir, "rules"), ScopeUser)...)
		base = base[1:]
	}
	for _, c := range base {
		out = append(out, c)
		if c.scope == ScopeProject {
			out = append(out, candidate{path: filepath.Join(filepath.Dir(c.path), ".claude", "CLAUDE.md"), scope: ScopeProject})
		}
	}
	return append(out, rules(filepath.Join(cwd, ".claude", "rules"), ScopeProject)...)
}

// rules lists the .md files under dir, sorted, as rule candidates.
func rules(dir, scope string) []candidate {
	var out []candidate
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(d.Name(), ".md") {
			out = append(out, candidate{path: path, scope: scope, rule: true})
		}
		return nil
	})
	return out
}

// ruleText is a rule file's text: a rule with `paths` front matter applies to matching files
// only, which the model is told; the front matter itself is not sent.
func ruleText(text string) string {
	var meta struct {
		Paths frontmatter.List `yaml:"paths"`
	}
	body, err := frontmatter.Parse([]byte(text), &meta)
	if err != nil || len(meta.Paths) == 0 {
		return body
	}
	return fmt.Sprintf("(This rule applies when working with files matching: %s.)\n\n%s", strings.Join(meta.Paths, ", "), body)
}

// excluded reports whether claudeMdExcludes leaves path out.
func excluded(path string, patterns []string) bool {
	for _, p := range patterns {
		if ok, _ := doublestar.Match(filepath.ToSlash(p), filepath.ToSlash(path)); ok {
			return true
		}
	}
	return false
}

// candidates lists where memory files may be, in reading order.
func candidates(cwd, configDir string) []candidate {
	var dirs []string
	for d := cwd; filepath.Dir(d) != d; d = filepath.Dir(d) {
		dirs = append(dirs, d)
	}
	var out []candidate
	if configDir != "" {
		out = append(out, candidate{path: filepath.Join(configDir, "CLAUDE.md"), scope: ScopeUser})
	}
	for i := len(dirs) - 1; i >= 0; i-- {
		out = append(out,
			candidate{path: filepath.Join(dirs[i], "CLAUDE.md"), scope: ScopeProject},
			candidate{path: filepath.Join(dirs[i], "CLAUDE.local.md"), scope: ScopeLocal})
	}
	return out
}

func isDir(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.IsDir()
}

// Render is the text put in the first user message: each file under a heading naming its
// path and scope, nearest last. It is "" when there are no files.
func Render(files []File) string {
	if len(files) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("# Memory\n\nStanding instructions from the user and the project, read from the files below. " +
		"Follow them. Where two disagree, the later file is the more specific and takes precedence.\n")
	for _, f := range files {
		fmt.Fprintf(&b, "\n## %s (%s)\n\n%s\n", f.Path, describeScope(f.Scope), strings.TrimSpace(f.Content))
	}
	return b.String()
}

func describeScope(scope string) string {
	switch scope {
	case ScopeManaged:
		return "the organisation's instructions"
	case ScopeUser:
		return "the user's instructions for every project"
	case ScopeLocal:
		return "the user's private instructions for this project"
	default:
		return "project instructions"
	}
}

// AppendNote adds note as a bullet at the end of the memory file at path (what `#text`
// does), creating the file and its directory when needed.
func AppendNote(path, note string) error {
	note = strings.Join(strings.Fields(note), " ") // a bullet is one line
	if note == "" {
		return errors.New("memory: the note is empty")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("memory: create directory for %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("memory: open %s: %w", path, err)
	}
	line := "- " + note + "\n"
	if info, err := f.Stat(); err == nil && info.Size() > 0 && !endsWithNewline(f, info.Size()) {
		line = "\n" + line
	}
	_, werr := f.WriteString(line)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		return fmt.Errorf("memory: add note to %s: %w", path, err)
	}
	return nil
}

func endsWithNewline(f *os.File, size int64) bool {
	last := make([]byte, 1)
	_, err := f.ReadAt(last, size-1)
	return err == nil && last[0] == '\n'
}

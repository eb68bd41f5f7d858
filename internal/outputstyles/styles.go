// Package outputstyles reads the output styles a Claude Code user has: the built-ins
// (Default, Explanatory, Learning) and Markdown files in ~/.claude/output-styles/ and
// .claude/output-styles/ (front matter name, description, keep-coding-instructions; body =
// the style's instructions). The `outputStyle` setting chooses one; its instructions join
// the system prompt.
package outputstyles

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/strata-agent/strata/internal/frontmatter"
)

// Sources, lowest precedence first: a project style replaces a user style of the same
// name, and either replaces a built-in.
const (
	SourceBuiltin = "built-in"
	SourcePlugin  = "plugin"
	SourceUser    = "user"
	SourceProject = "project"
)

// DefaultName is the style that changes nothing, the reference's "default".
const DefaultName = "default"

// Style is one output style.
type Style struct {
	Name        string
	Description string
	// Prompt is the text added to the system prompt; empty for the default style.
	Prompt string
	Source string
	Path   string // the file it came from; empty for built-ins
	// KeepCodingInstructions keeps strata's software-engineering instructions in the system
	// prompt beside the style's own (built-ins keep them; a file must ask).
	KeepCodingInstructions bool
}

// IsDefault reports whether s leaves the system prompt as it is.
func (s Style) IsDefault() bool { return s.Prompt == "" }

// maxFile bounds a style file, as the reference bounds plugin styles (1 MiB).
const maxFile = 1 << 20

type meta struct {
	Name                   string `yaml:"name"`
	Description            string `yaml:"description"`
	KeepCodingInstructions any    `yaml:"keep-coding-instructions"`
}

// Parse reads one style file; the name defaults to the file name without ".md".
func Parse(path string, data []byte, source string) (Style, error) {
	var m meta
	body, err := frontmatter.Parse(data, &m)
	if err != nil {
		return Style{}, fmt.Errorf("%s: %w", path, err)
	}
	s := Style{Name: strings.TrimSpace(m.Name), Description: strings.TrimSpace(m.Description),
		Prompt: strings.TrimSpace(body), Source: source, Path: path,
		KeepCodingInstructions: truthy(m.KeepCodingInstructions)}
	if s.Name == "" {
		s.Name = strings.TrimSuffix(filepath.Base(path), ".md")
	}
	if s.Description == "" {
		s.Description = "Custom " + s.Name + " output style"
	}
	if s.Prompt == "" {
		return Style{}, fmt.Errorf("%s: the style has no instructions (the body after the front matter is empty)", path)
	}
	return s, nil
}

// truthy accepts true and "true", as the reference's front matter reader does.
func truthy(v any) bool {
	switch v := v.(type) {
	case bool:
		return v
	case string:
		return strings.EqualFold(strings.TrimSpace(v), "true")
	}
	return false
}

// LoadDir reads the *.md files of dir. A missing folder is no styles; a broken file is
// skipped and reported, so one bad file does not stop strata.
func LoadDir(dir, source string) (styles []Style, problems []string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		if !os.IsNotExist(err) {
			problems = append(problems, err.Error())
		}
		return nil, problems
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".md") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		s, err := loadFile(path, source)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		styles = append(styles, s)
	}
	return styles, problems
}

func loadFile(path, source string) (Style, error) {
	info, err := os.Stat(path)
	if err != nil {
		return Style{}, err
	}
	if !info.Mode().IsRegular() || info.Size() > maxFile {
		return Style{}, fmt.Errorf("%s: not a regular file or larger than %d bytes", path, maxFile)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return Style{}, err
	}
	return Parse(path, data, source)
}

// Set is the styles a session can choose from, by name.
type Set struct {
	byName map[string]Style
}

// NewSet merges the built-ins and the given lists, later lists winning on the same name.
func NewSet(lists ...[]Style) *Set {
	s := &Set{byName: map[string]Style{}}
	for _, b := range Builtins() {
		s.byName[b.Name] = b
	}
	for _, list := range lists {
		for _, st := range list {
			s.byName[st.Name] = st
		}
	}
	return s
}

// All returns the styles, default first and the rest by name.
func (s *Set) All() []Style {
	out := make([]Style, 0, len(s.byName))
	for _, st := range s.byName {
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool {
		if (out[i].Name == DefaultName) != (out[j].Name == DefaultName) {
			return out[i].Name == DefaultName
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// Find returns the style called name: an exact match first, then one that differs only in
// case ("explanatory" finds "Explanatory"). The empty name is the default style.
func (s *Set) Find(name string) (Style, bool) {
	name = strings.TrimSpace(name)
	if name == "" {
		name = DefaultName
	}
	if st, ok := s.byName[name]; ok {
		return st, true
	}
	for n, st := range s.byName {
		if strings.EqualFold(n, name) {
			return st, true
		}
	}
	return Style{}, false
}

// Names lists the style names in All's order.
func (s *Set) Names() []string {
	var out []string
	for _, st := range s.All() {
		out = append(out, st.Name)
	}
	return out
}

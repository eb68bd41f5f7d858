// Package skills reads the skills a Claude Code user has: folders holding a SKILL.md (YAML
// front matter with name and description, body = instructions) under ~/.claude/skills/ and
// .claude/skills/. Only names and descriptions are shown to the model up front; a body is
// read when the model (Skill tool) or the user (/name) invokes it.
package skills

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/strata-agent/strata/internal/frontmatter"
	"github.com/strata-agent/strata/internal/lazyre"
)

// Sources, lowest precedence first: a personal skill wins over a project skill of the same
// name, as in the reference (enterprise > personal > project).
const (
	SourcePlugin  = "plugin"
	SourceProject = "project"
	SourceUser    = "user"
)

var sourceRank = map[string]int{SourcePlugin: 0, SourceProject: 1, SourceUser: 2}

// FileName is the file that makes a folder a skill.
const FileName = "SKILL.md"

// Skill is one skill.
type Skill struct {
	Name        string
	Description string
	Dir         string // the skill's folder: its other files are read relative to it
	Path        string // its SKILL.md
	Source      string
	// AllowedTools are permission rules granted while the skill is in use.
	AllowedTools []string
	ArgumentHint string
	Model        string
	// UserInvocable: the user may run it as /name. ModelInvocable: the model may load it
	// through the Skill tool.
	UserInvocable, ModelInvocable bool
}

type meta struct {
	Name                   string           `yaml:"name"`
	Description            string           `yaml:"description"`
	AllowedTools           frontmatter.List `yaml:"allowed-tools"`
	ArgumentHint           string           `yaml:"argument-hint"`
	Model                  string           `yaml:"model"`
	UserInvocable          *bool            `yaml:"user-invocable"`
	DisableModelInvocation bool             `yaml:"disable-model-invocation"`
}

var namePattern = lazyre.New(`^[A-Za-z0-9][A-Za-z0-9_:.-]*$`)

// Parse reads a SKILL.md; the name defaults to its folder's name.
func Parse(path string, data []byte, source string) (Skill, error) {
	var m meta
	if _, err := frontmatter.Parse(data, &m); err != nil {
		return Skill{}, fmt.Errorf("%s: %w", path, err)
	}
	dir := filepath.Dir(path)
	if m.Name == "" {
		m.Name = filepath.Base(dir)
	}
	s := Skill{Name: m.Name, Description: strings.TrimSpace(m.Description), Dir: dir, Path: path, Source: source,
		AllowedTools: m.AllowedTools, ArgumentHint: m.ArgumentHint, Model: m.Model,
		UserInvocable: m.UserInvocable == nil || *m.UserInvocable, ModelInvocable: !m.DisableModelInvocation}
	switch {
	case !namePattern().MatchString(s.Name):
		return Skill{}, fmt.Errorf("%s: skill name %q: use letters, digits, -, _, : and .", path, s.Name)
	case s.Description == "":
		return Skill{}, fmt.Errorf("%s: the skill has no description: the model would not know when to use it", path)
	}
	return s, nil
}

// LoadDir reads root/*/SKILL.md. A missing root is no error; a broken skill is reported and
// skipped.
func LoadDir(root, source string) (out []Skill, problems []error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			problems = append(problems, err)
		}
		return nil, problems
	}
	for _, e := range entries {
		path := filepath.Join(root, e.Name(), FileName)
		data, err := os.ReadFile(path)
		if errors.Is(err, os.ErrNotExist) {
			continue // a folder without SKILL.md is not a skill
		}
		if err != nil {
			problems = append(problems, err)
			continue
		}
		s, err := Parse(path, data, source)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		out = append(out, s)
	}
	return out, problems
}

// Body reads the skill's instructions (the SKILL.md after its front matter) with
// $ARGUMENTS and ${CLAUDE_SKILL_DIR} filled in. Without $ARGUMENTS in the body, arguments
// are appended, so they are never lost.
func (s Skill) Body(args string) (string, error) {
	body, err := s.Text()
	if err != nil {
		return "", err
	}
	if strings.Contains(body, "$ARGUMENTS") {
		body = strings.ReplaceAll(body, "$ARGUMENTS", args)
	} else if strings.TrimSpace(args) != "" {
		body = strings.TrimRight(body, "\n") + "\n\nARGUMENTS: " + args + "\n"
	}
	return strings.TrimSpace(body), nil
}

// Text is the skill's instructions with ${CLAUDE_SKILL_DIR} filled in and $ARGUMENTS left
// for the caller.
func (s Skill) Text() (string, error) {
	data, err := os.ReadFile(s.Path)
	if err != nil {
		return "", err
	}
	_, body := frontmatter.Split(data)
	return strings.ReplaceAll(body, "${CLAUDE_SKILL_DIR}", s.Dir), nil
}

// Set holds the skills of a session by name.
type Set struct{ w *frontmatter.Winners[Skill] }

// NewSet keeps, for each name, the skill from the highest-precedence source.
func NewSet(lists ...[]Skill) *Set {
	return &Set{frontmatter.PickWinners(func(s Skill) (string, int) { return s.Name, sourceRank[s.Source] }, lists...)}
}

// Lookup finds a skill by name.
func (set *Set) Lookup(name string) (Skill, bool) {
	if set == nil {
		return Skill{}, false
	}
	return set.w.Lookup(name)
}

// All lists the skills by name.
func (set *Set) All() []Skill {
	if set == nil {
		return nil
	}
	return set.w.Sorted(func(a, b Skill) bool { return a.Name < b.Name })
}

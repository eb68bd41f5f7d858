// Package subagents reads the sub-agent definitions a Claude Code user has: Markdown files
// in ~/.claude/agents/ and .claude/agents/ (YAML front matter, body = system prompt), the
// JSON of --agents, and the built-in general-purpose, Explore and Plan. It knows what each
// kind of sub-agent runs with (prompt, tools, model, permission mode, hooks of its own);
// the agent package runs them.
package subagents

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/strata-agent/strata/internal/frontmatter"
	"github.com/strata-agent/strata/internal/lazyre"
	"github.com/strata-agent/strata/internal/settings"
)

// Sources, lowest precedence first: a definition from a later source replaces one of the
// same name from an earlier one, as in the reference (plugin < user < project < flag).
const (
	SourceBuiltin = "built-in"
	SourcePlugin  = "plugin"
	SourceUser    = "user"
	SourceProject = "project"
	SourceFlag    = "flag"
)

var sourceRank = map[string]int{SourceBuiltin: 0, SourcePlugin: 1, SourceUser: 2, SourceProject: 3, SourceFlag: 4}

// Definition is one kind of sub-agent.
type Definition struct {
	Name        string
	Description string // when the model should use it
	Prompt      string // the system prompt
	// Tools are the tools it may use, by name; nil means every tool of the parent (but
	// never the Agent tool itself: sub-agents do not nest).
	Tools           []string
	DisallowedTools []string
	// Model is "" or "inherit" (the parent's), an alias (sonnet, opus, haiku) or a model ID.
	Model          string
	PermissionMode string // "" keeps the parent's
	Skills         []string
	// Hooks run only while this sub-agent does, in the shape of settings hooks; a Stop
	// hook there fires as SubagentStop, the event that ends a sub-agent.
	Hooks  map[string][]settings.HookMatcher
	Source string // one of the Source constants
	Path   string // the file it came from; "" for built-ins and --agents
}

// namePattern is what the reference accepts as an agent name.
var namePattern = lazyre.New(`^[A-Za-z0-9][A-Za-z0-9_:.-]*$`)

type fileMeta struct {
	Name            string           `yaml:"name"`
	Description     string           `yaml:"description"`
	Tools           frontmatter.List `yaml:"tools"`
	DisallowedTools frontmatter.List `yaml:"disallowedTools"`
	Model           string           `yaml:"model"`
	PermissionMode  string           `yaml:"permissionMode"`
	Skills          frontmatter.List `yaml:"skills"`
	Hooks           any              `yaml:"hooks"`
}

// ParseFile reads one definition file. The name defaults to the file's base name.
func ParseFile(path string, data []byte, source string) (Definition, error) {
	var m fileMeta
	body, err := frontmatter.Parse(data, &m)
	if err != nil {
		return Definition{}, fmt.Errorf("%s: %w", path, err)
	}
	if m.Name == "" {
		m.Name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	d := Definition{Name: m.Name, Description: strings.TrimSpace(m.Description), Prompt: strings.TrimSpace(body),
		Tools: m.Tools, DisallowedTools: m.DisallowedTools, Model: strings.TrimSpace(m.Model),
		PermissionMode: m.PermissionMode, Skills: m.Skills, Source: source, Path: path}
	// YAML maps decode to map[string]any, which JSON takes as it is.
	raw, err := json.Marshal(m.Hooks)
	if err == nil {
		d.Hooks, err = parseHooks(raw, hookSource(path, source))
	}
	if err != nil {
		return Definition{}, fmt.Errorf("%s: %w", path, err)
	}
	if err := d.check(); err != nil {
		return Definition{}, fmt.Errorf("%s: %w", path, err)
	}
	return d, nil
}

func (d Definition) check() error {
	switch {
	case !namePattern().MatchString(d.Name):
		return fmt.Errorf("agent name %q: use letters, digits, -, _, : and .", d.Name)
	case d.Description == "":
		return fmt.Errorf("agent %q has no description: the model would not know when to use it", d.Name)
	}
	return nil
}

// LoadDir reads every *.md file of dir (and its subfolders, as the reference does). A
// missing folder is no error; a broken file is reported and skipped, so one bad file does
// not stop the others.
func LoadDir(dir, source string) (defs []Definition, problems []error) {
	err := filepath.WalkDir(dir, func(path string, e os.DirEntry, err error) error {
		if err != nil {
			if !errors.Is(err, os.ErrNotExist) {
				problems = append(problems, err)
			}
			return nil
		}
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".md") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			problems = append(problems, err)
			return nil
		}
		d, err := ParseFile(path, data, source)
		if err != nil {
			problems = append(problems, err)
			return nil
		}
		defs = append(defs, d)
		return nil
	})
	if err != nil {
		problems = append(problems, err)
	}
	return defs, problems
}

// jsonDef is one entry of --agents.
type jsonDef struct {
	Description     string          `json:"description"`
	Prompt          string          `json:"prompt"`
	Tools           json.RawMessage `json:"tools"`
	DisallowedTools json.RawMessage `json:"disallowedTools"`
	Model           string          `json:"model"`
	PermissionMode  string          `json:"permissionMode"`
	Skills          []string        `json:"skills"`
	Hooks           json.RawMessage `json:"hooks"`
}

// ParseJSON reads the --agents value: an object from agent name to its definition
// ({"reviewer": {"description": "…", "prompt": "…", "tools": ["Read"]}}).
func ParseJSON(text string) ([]Definition, error) {
	var raw map[string]jsonDef
	if err := json.Unmarshal([]byte(text), &raw); err != nil {
		return nil, fmt.Errorf("--agents: not a JSON object of agent definitions: %w", err)
	}
	var out []Definition
	for name, j := range raw {
		d := Definition{Name: name, Description: strings.TrimSpace(j.Description), Prompt: strings.TrimSpace(j.Prompt),
			Model: j.Model, PermissionMode: j.PermissionMode, Skills: j.Skills, Source: SourceFlag}
		var err error
		if d.Tools, err = jsonList(j.Tools); err == nil {
			d.DisallowedTools, err = jsonList(j.DisallowedTools)
		}
		if err == nil {
			d.Hooks, err = parseHooks(j.Hooks, hookSource("", SourceFlag))
		}
		if err == nil {
			err = d.check()
		}
		if err == nil && d.Prompt == "" {
			err = fmt.Errorf("agent %q has no prompt", name)
		}
		if err != nil {
			return nil, fmt.Errorf("--agents: %s: %w", name, err)
		}
		out = append(out, d)
	}
	sort.Slice(out, func(i, k int) bool { return out[i].Name < out[k].Name })
	return out, nil
}

// jsonList accepts a list of names or one comma-separated string.
func jsonList(raw json.RawMessage) ([]string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return list, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, errors.New("tools must be a list of names")
	}
	return frontmatter.SplitList(s), nil
}

// Set is the sub-agents of a session, one per name, the highest-precedence definition of
// each.
type Set struct {
	w *frontmatter.Winners[Definition]
}

// NewSet keeps, for each name, the definition from the highest source; between two of the
// same source the later wins.
func NewSet(defs ...[]Definition) *Set {
	return &Set{frontmatter.PickWinners(func(d Definition) (string, int) { return d.Name, sourceRank[d.Source] }, defs...)}
}

// Lookup finds a definition by name.
func (s *Set) Lookup(name string) (Definition, bool) {
	if s == nil {
		return Definition{}, false
	}
	return s.w.Lookup(name)
}

// All lists the definitions: built-ins first, then by name.
func (s *Set) All() []Definition {
	if s == nil {
		return nil
	}
	return s.w.Sorted(func(a, b Definition) bool {
		if ba, bb := a.Source == SourceBuiltin, b.Source == SourceBuiltin; ba != bb {
			return ba
		}
		return a.Name < b.Name
	})
}

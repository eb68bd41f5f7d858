// Package skill is the Skill tool: the model sees the names and descriptions of the user's
// skills in its description and loads one skill's instructions when a task calls for them.
// Loading grants the skill's allowed-tools as permission rules for the rest of the session,
// except for a project skill of a folder the user has not trusted: a repository cannot
// allow itself tools.
package skill

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/skills"
	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tool/fsutil"
)

// Name is the tool's name, as in the reference.
const Name = "Skill"

const schema = `{
  "type": "object",
  "properties": {
    "skill": {"type": "string", "description": "The name of a skill from the list in this tool's description; never a guessed name."},
    "args": {"type": "string", "description": "Arguments for the skill, if it takes any."}
  },
  "required": ["skill"],
  "additionalProperties": false
}`

const intro = `Loads the instructions of one of the user's skills: packaged know-how for a kind of task, written by the user or their team. When a task matches a skill's description below, load the skill before starting the task and follow its instructions. A skill's files (scripts, templates, references) live in its base directory, which the result names; read them from there when the instructions point to them.

Available skills:
`

type skillTool struct {
	set *skills.Set
	// grantProject lets project skills grant their allowed-tools: the folder is trusted.
	grantProject bool
	desc         string
}

// New returns the Skill tool for the model-invocable skills of set.
func New(set *skills.Set, grantProject bool) tool.Tool {
	var b strings.Builder
	b.WriteString(intro)
	for _, s := range set.All() {
		if s.ModelInvocable {
			fmt.Fprintf(&b, "- %s: %s\n", s.Name, strings.ReplaceAll(s.Description, "\n", " "))
		}
	}
	return skillTool{set: set, grantProject: grantProject, desc: b.String()}
}

func (skillTool) Name() string                 { return Name }
func (t skillTool) Description() string        { return t.desc }
func (skillTool) InputSchema() json.RawMessage { return json.RawMessage(schema) }
func (skillTool) ConcurrencySafe() bool        { return true }

// Class is read: loading a skill reads the user's own instructions and runs nothing.
func (skillTool) Class() permission.Class { return permission.ClassRead }

type input struct {
	Skill string `json:"skill"`
	Args  string `json:"args"`
}

func (t skillTool) Run(_ context.Context, env *tool.Env, raw json.RawMessage) (tool.Result, error) {
	var in input
	if err := fsutil.DecodeInput(Name, raw, &in); err != nil {
		return tool.Errorf("%v", err), nil
	}
	s, ok := t.set.Lookup(strings.TrimPrefix(strings.TrimSpace(in.Skill), "/"))
	if !ok || !s.ModelInvocable {
		return tool.Errorf("there is no skill named %q; use a name from the list in the Skill tool's description", in.Skill), nil
	}
	body, err := s.Body(in.Args)
	if err != nil {
		return tool.Errorf("the skill %s could not be read: %v", s.Name, err), nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Skill %s loaded. Base directory for this skill: %s\n\n%s\n", s.Name, s.Dir, body)
	if len(s.AllowedTools) > 0 {
		switch {
		case s.Source == skills.SourceProject && !t.grantProject:
			b.WriteString("\n(The skill's allowed-tools are not granted: this folder is not trusted; those calls are checked as usual.)\n")
		case env.Grant == nil:
		default:
			if err := env.Grant(s.AllowedTools, "skill "+s.Name); err != nil {
				fmt.Fprintf(&b, "\n(Some of the skill's allowed-tools were not granted: %v)\n", err)
			}
		}
	}
	return tool.Result{Text: b.String()}, nil
}

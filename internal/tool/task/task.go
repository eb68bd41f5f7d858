// Package task is the Agent tool (formerly named Task): it hands a self-contained job to a
// sub-agent that works with its own context and returns only its final report, keeping long
// searches out of the main conversation. The sub-agent itself is run by the agent through
// Env.SubAgents; the kinds offered are listed in the tool's description.
package task

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tool/fsutil"
)

//go:embed schema.json
var schema []byte

//go:embed description.md
var description string

// Name is the tool's wire name, as the reference 2.1.197 sends it.
const Name = "Agent"

// DefaultSubagentType is used when the call names no sub-agent type.
const DefaultSubagentType = "general-purpose"

// Type is one kind of sub-agent the model may pick.
type Type struct {
	Name        string
	Description string
	Tools       []string // nil: every tool
	Disallowed  []string
}

type input struct {
	Description  string `json:"description"`
	Prompt       string `json:"prompt"`
	SubagentType string `json:"subagent_type"`
}

type taskTool struct{ desc string }

// New returns the Agent tool offering the given kinds of sub-agent (none: only
// general-purpose, undescribed).
func New(types ...Type) tool.Tool {
	if len(types) == 0 {
		return taskTool{desc: description}
	}
	var b strings.Builder
	b.WriteString(description)
	b.WriteString("\nThe sub-agent types, with the tools each may use:\n")
	for _, t := range types {
		tools := "all tools"
		switch {
		case t.Tools != nil:
			tools = strings.Join(t.Tools, ", ")
		case len(t.Disallowed) > 0:
			tools = "all but " + strings.Join(t.Disallowed, ", ")
		}
		fmt.Fprintf(&b, "- %s: %s (Tools: %s)\n", t.Name, strings.ReplaceAll(t.Description, "\n", " "), tools)
	}
	return taskTool{desc: b.String()}
}

func (taskTool) Name() string                 { return Name }
func (t taskTool) Description() string        { return t.desc }
func (taskTool) InputSchema() json.RawMessage { return schema }

// ConcurrencySafe is true so several sub-agents of one turn can run side by side, as the
// description invites; each has its own tool state.
func (taskTool) ConcurrencySafe() bool { return true }

// Class is execute: a sub-agent may do anything its tools can, so starting one is not a read
// and is not allowed without a rule, in plan mode or in acceptEdits. Its own calls are still
// checked one by one.
func (taskTool) Class() permission.Class { return permission.ClassExecute }

func (taskTool) Run(ctx context.Context, env *tool.Env, raw json.RawMessage) (tool.Result, error) {
	var in input
	if err := fsutil.DecodeInput(Name, raw, &in); err != nil {
		return tool.Errorf("%v", err), nil
	}
	if strings.TrimSpace(in.Prompt) == "" {
		return tool.Errorf("prompt is required: describe the whole job, since the sub-agent sees nothing of this conversation"), nil
	}
	if strings.TrimSpace(in.Description) == "" {
		return tool.Errorf("description is required: a few words naming the job"), nil
	}
	if in.SubagentType == "" {
		in.SubagentType = DefaultSubagentType
	}
	if env.SubAgents == nil {
		return tool.Errorf("sub-agents are not available in this session; do the work directly with the other tools"), nil
	}
	out, err := env.SubAgents.RunSubAgent(ctx, in.Description, in.Prompt, in.SubagentType)
	if err != nil {
		if ctx.Err() != nil {
			return tool.Result{}, ctx.Err()
		}
		return tool.Errorf("the %s sub-agent for %q failed: %v", in.SubagentType, in.Description, err), nil
	}
	if strings.TrimSpace(out) == "" {
		out = "(the sub-agent finished without a final report)"
	}
	return tool.Result{Text: out}, nil
}

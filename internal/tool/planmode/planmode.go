// Package planmode is the ExitPlanMode tool: in plan mode the model presents its plan and
// asks to leave. Like AskUserQuestion its calls are of the permission class "user": the
// session's Approver always shows the plan to a person (the terminal UI's plan dialog, the
// Agent SDK's canUseTool), who approves — the UI then switches to the mode chosen — or keeps
// planning with feedback, which the model reads as the refusal's reason. Run answers an
// approved call and, if nobody has switched the mode yet, leaves plan mode for default.
package planmode

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tool"
)

//go:embed schema.json
var schema []byte

//go:embed description.md
var description string

// Name is the tool's wire name.
const Name = "ExitPlanMode"

// Input is a call's input. Other fields are kept by the schema (the reference passes its
// input through) and ignored here.
type Input struct {
	Plan           string `json:"plan"`
	AllowedPrompts []struct {
		Tool   string `json:"tool"`
		Prompt string `json:"prompt"`
	} `json:"allowedPrompts"`
}

// Parse decodes a call's input.
func Parse(raw json.RawMessage) (Input, error) {
	var in Input
	if len(bytes.TrimSpace(raw)) == 0 {
		return in, nil
	}
	if err := json.Unmarshal(raw, &in); err != nil {
		return in, fmt.Errorf("invalid %s input: %s", Name, strings.TrimPrefix(err.Error(), "json: "))
	}
	return in, nil
}

type exitTool struct{}

// New returns the ExitPlanMode tool.
func New() tool.Tool { return exitTool{} }

func (exitTool) Name() string                 { return Name }
func (exitTool) Description() string          { return description }
func (exitTool) InputSchema() json.RawMessage { return schema }

// ConcurrencySafe is true, as in the reference: the call changes only the mode.
func (exitTool) ConcurrencySafe() bool { return true }

// Class is "user": a person approves the plan, in plan mode too.
func (exitTool) Class() permission.Class { return permission.ClassUser }

// AsksUser marks the tool as one only the main conversation gets.
func (exitTool) AsksUser() {}

// errNotPlanning is what a call outside plan mode gets, before anyone is asked.
var errNotPlanning = errors.New("You are not in plan mode, so there is nothing to exit. If your plan was already approved, go on with the work.")

// Validate refuses a call outside plan mode or with an input that does not decode.
func (exitTool) Validate(env *tool.Env, raw json.RawMessage) error {
	if env != nil && env.Mode != nil && env.Mode() != permission.ModePlan {
		return errNotPlanning
	}
	_, err := Parse(raw)
	return err
}

func (exitTool) Run(_ context.Context, env *tool.Env, raw json.RawMessage) (tool.Result, error) {
	in, err := Parse(raw)
	if err != nil {
		return tool.Errorf("%v", err), nil
	}
	// The UI switched to the mode the user chose before allowing the call; a host that
	// only allows it (the Agent SDK) leaves plan mode for default here.
	if env.Mode != nil && env.SetMode != nil && env.Mode() == permission.ModePlan {
		env.SetMode(permission.ModeDefault)
	}
	return tool.Result{Text: ResultText(in.Plan), Display: display(in.Plan)}, nil
}

// ResultText is what the model reads once the plan is approved, in the reference's words.
// strata keeps no plan file, so the reference's lines naming it are left out.
func ResultText(plan string) string {
	if strings.TrimSpace(plan) == "" {
		return "User has approved exiting plan mode. You can now proceed."
	}
	return "User has approved your plan. You can now start coding. Start with updating your todo list if applicable\n\n" +
		"## Approved Plan:\n" + plan
}

func display(plan string) string {
	if strings.TrimSpace(plan) == "" {
		return "Exited plan mode"
	}
	return "User approved the plan"
}

package planmode

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tool"
)

func envIn(mode *permission.Mode) *tool.Env {
	env := tool.NewEnv("/")
	env.Mode = func() permission.Mode { return *mode }
	env.SetMode = func(m permission.Mode) { *mode = m }
	return env
}

// TestApprovedPlanLeavesPlanMode: an allowed call leaves plan mode (for default, unless the
// UI already chose) and hands the model the plan back under the reference's heading.
func TestApprovedPlanLeavesPlanMode(t *testing.T) {
	mode := permission.ModePlan
	env := envIn(&mode)
	raw := json.RawMessage(`{"plan":"1. fix the bug\n2. test it","allowedPrompts":[{"tool":"Bash","prompt":"run tests"}]}`)
	if err := New().(tool.Validator).Validate(env, raw); err != nil {
		t.Fatal(err)
	}
	res, err := New().Run(context.Background(), env, raw)
	if err != nil || res.IsError {
		t.Fatalf("%v %+v", err, res)
	}
	if mode != permission.ModeDefault {
		t.Errorf("mode after approval: %s", mode)
	}
	if !strings.HasPrefix(res.Text, "User has approved your plan. You can now start coding.") ||
		!strings.HasSuffix(res.Text, "## Approved Plan:\n1. fix the bug\n2. test it") {
		t.Errorf("result: %q", res.Text)
	}
	mode = permission.ModeAcceptEdits // the UI chose already: the tool leaves it
	if err := New().(tool.Validator).Validate(env, raw); err == nil || !strings.Contains(err.Error(), "not in plan mode") {
		t.Errorf("outside plan mode: %v", err)
	}
	mode = permission.ModePlan
	res, _ = New().Run(context.Background(), env, json.RawMessage(`{}`))
	if res.Text != "User has approved exiting plan mode. You can now proceed." {
		t.Errorf("no plan: %q", res.Text)
	}
}

func TestParseKeepsUnknownFieldsOut(t *testing.T) {
	if _, err := Parse(json.RawMessage(`{"plan":"p","planFilePath":"/x"}`)); err != nil {
		t.Errorf("passthrough field refused: %v", err)
	}
	if _, err := Parse(json.RawMessage(`{"plan":3}`)); err == nil {
		t.Error("a numeric plan was accepted")
	}
	if New().Class() != permission.ClassUser || !tool.IsUserFacing(New()) {
		t.Error("ExitPlanMode must always ask a person")
	}
}

package agent

import (
	"context"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tool/askuser"
	"github.com/strata-agent/strata/internal/tool/planmode"
)

// countingApprover allows everything and counts what it was asked.
type countingApprover struct{ asked []string }

func (c *countingApprover) Approve(_ context.Context, req permission.Request) (permission.Answer, error) {
	c.asked = append(c.asked, req.Call.Tool)
	return permission.Answer{Allow: true}, nil
}

// TestExitPlanModeAsksThenLeavesPlanMode: in plan mode the prompt carries the reminder, the
// call is put to a person although plan mode refuses everything but reads, and once allowed
// the session is in default mode and the model reads the approved plan.
func TestExitPlanModeAsksThenLeavesPlanMode(t *testing.T) {
	client := newFake(t,
		turn{blocks: []llm.ContentBlock{use("p1", planmode.Name, `{"plan":"1. fix it"}`)}},
		turn{blocks: []llm.ContentBlock{text("on it")}})
	checker := &permission.Checker{Mode: permission.ModePlan, Dirs: []string{"/"}}
	ap := &countingApprover{}
	s := New(Config{Client: client, Model: "m", Tools: []tool.Tool{planmode.New()}, Cwd: "/",
		Permissions: checker, Approver: ap}, nil)
	if _, err := s.Run(context.Background(), []llm.ContentBlock{text("plan a fix")}); err != nil {
		t.Fatal(err)
	}
	first := client.reqs[0].Messages[0].Content
	if last := first[len(first)-1]; !strings.Contains(last.Text, "Plan mode is on") {
		t.Errorf("no plan-mode reminder in %+v", first)
	}
	if len(ap.asked) != 1 || checker.CurrentMode() != permission.ModeDefault {
		t.Errorf("asked %v, mode %s", ap.asked, checker.CurrentMode())
	}
	res := client.reqs[1].Messages[2].Content[0]
	if res.IsError || !strings.Contains(res.Content[0].Text, "## Approved Plan:\n1. fix it") {
		t.Errorf("result: %+v", res)
	}
}

// TestMalformedQuestionsNeverReachAPerson: validation answers before the Approver is asked,
// and ExitPlanMode outside plan mode is refused the same way.
func TestMalformedQuestionsNeverReachAPerson(t *testing.T) {
	client := newFake(t,
		turn{blocks: []llm.ContentBlock{use("q1", askuser.Name, `{"questions":[]}`), use("p1", planmode.Name, `{"plan":"x"}`)}},
		turn{blocks: []llm.ContentBlock{text("ok")}})
	ap := &countingApprover{}
	s := New(Config{Client: client, Model: "m", Tools: []tool.Tool{askuser.New(), planmode.New()}, Cwd: "/",
		Permissions: &permission.Checker{Mode: permission.ModeDefault, Dirs: []string{"/"}}, Approver: ap}, nil)
	if _, err := s.Run(context.Background(), []llm.ContentBlock{text("go")}); err != nil {
		t.Fatal(err)
	}
	if len(ap.asked) != 0 {
		t.Errorf("a person was asked about %v", ap.asked)
	}
	results := client.reqs[1].Messages[2].Content
	if !results[0].IsError || !strings.Contains(results[0].Content[0].Text, "1 to 4 questions") ||
		!results[1].IsError || !strings.Contains(results[1].Content[0].Text, "not in plan mode") {
		t.Errorf("results: %+v", results)
	}
	for _, msg := range client.reqs[0].Messages {
		for _, b := range msg.Content {
			if strings.Contains(b.Text, "Plan mode is on") {
				t.Error("the plan-mode reminder was sent outside plan mode")
			}
		}
	}
}

func TestSubAgentsGetNoToolThatAsksTheUser(t *testing.T) {
	got := SelectTools([]tool.Tool{askuser.New(), planmode.New(), &fakeTool{name: "Read"}}, SubAgentType{})
	if len(got) != 1 || got[0].Name() != "Read" {
		t.Errorf("sub-agent tools: %v", got)
	}
}

package question

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tui/look"
)

const oneQuestion = `{"questions":[{"question":"Which colour?","header":"Colour","multiSelect":false,
 "options":[{"label":"Red","description":"warm"},{"label":"Blue","description":"cool"}]}]}`

// clock is a test clock that moves on by step at each reading.
type clock struct {
	t    time.Time
	step time.Duration
}

func (c *clock) now() time.Time { c.t = c.t.Add(c.step); return c.t }

func newQueue(mode *permission.Mode) (*Queue, *clock) {
	c := &clock{t: time.Unix(0, 0), step: time.Second}
	return New(look.NewStyles(), 0, c.now, func(m permission.Mode) { *mode = m }), c
}

func push(q *Queue, tool, input string) chan permission.Answer {
	reply := make(chan permission.Answer, 1)
	q.Push(Ask{Request: permission.Request{Call: permission.Call{Tool: tool, Input: json.RawMessage(input)}}, Reply: reply})
	return reply
}

func answersOf(t *testing.T, ans permission.Answer) map[string]string {
	t.Helper()
	var in struct {
		Answers   map[string]string `json:"answers"`
		Questions []any             `json:"questions"`
	}
	if !ans.Allow || json.Unmarshal([]byte(ans.UpdatedInput), &in) != nil || len(in.Questions) == 0 {
		t.Fatalf("answer %+v", ans)
	}
	return in.Answers
}

func TestPickingAnOptionAnswersAtOnce(t *testing.T) {
	var mode permission.Mode
	q, _ := newQueue(&mode)
	reply := push(q, AskTool, oneQuestion)
	view := ansi.Strip(q.View(60, 20))
	for _, want := range []string{"Which colour?", "❯ 1. Red", "warm", "2. Blue", "3. Type something."} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, view)
		}
	}
	if q.Key("2", "2") != Answered || q.Open() {
		t.Fatal("2 did not answer")
	}
	if got := answersOf(t, <-reply); got["Which colour?"] != "Blue" {
		t.Errorf("answers %v", got)
	}
}

func TestTypedAnswerAndTypeAhead(t *testing.T) {
	var mode permission.Mode
	q, c := newQueue(&mode)
	reply := push(q, AskTool, oneQuestion)
	c.step = 10 * time.Millisecond // keys come fast: typed ahead
	if q.Key("1", "1") != Nothing || q.ignored != 1 {
		t.Fatal("a key typed ahead answered")
	}
	c.step = time.Second
	q.Key("3", "3")                // Type something.
	c.step = 10 * time.Millisecond // typing into the field is never typed ahead
	for _, r := range "teal" {
		q.Key(string(r), string(r))
	}
	q.Key("space", " ")
	q.Key("x", "x")
	q.Key("backspace", "")
	if got := ansi.Strip(q.View(60, 20)); !strings.Contains(got, "> teal █") {
		t.Errorf("field: %s", got)
	}
	if q.Key("enter", "") != Answered {
		t.Fatal("enter did not answer")
	}
	if got := answersOf(t, <-reply); got["Which colour?"] != "teal" {
		t.Errorf("answers %v", got)
	}
}

func TestPlanApprovalSwitchesModeAndFeedbackRefuses(t *testing.T) {
	mode := permission.ModePlan
	q, _ := newQueue(&mode)
	reply := make(chan permission.Answer, 1)
	if plan := q.Push(Ask{Request: permission.Request{Call: permission.Call{Tool: PlanTool, Input: json.RawMessage(`{"plan":"do it"}`)}}, Reply: reply}); plan != "do it" {
		t.Errorf("plan %q", plan)
	}
	q.Key("2", "2")
	if ans := <-reply; !ans.Allow || mode != permission.ModeDefault {
		t.Errorf("answer %+v, mode %s", ans, mode)
	}
	mode = permission.ModePlan
	reply = push(q, PlanTool, `{"plan":"do it"}`)
	q.Key("3", "3")
	for _, k := range []string{"l", "e", "s", "s"} {
		q.Key(k, k)
	}
	q.Key("enter", "")
	ans := <-reply
	if ans.Allow || mode != permission.ModePlan || !strings.Contains(ans.Reason, "feedback: less") {
		t.Errorf("keep planning: %+v, mode %s", ans, mode)
	}
	reply = push(q, PlanTool, `{}`)
	if q.Key("esc", "") != Interrupt {
		t.Error("Esc does not interrupt")
	}
	q.DropAll("gone")
	if ans := <-reply; ans.Allow || ans.Reason != "gone" || q.Open() {
		t.Errorf("drop: %+v", ans)
	}
}

package askuser

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tool"
)

const twoQuestions = `{"questions":[
 {"question":"Which database?","header":"Database","options":[{"label":"Postgres","description":"relational"},{"label":"SQLite","description":"a file"}],"multiSelect":false},
 {"question":"Which checks?","header":"Checks","options":[{"label":"lint","description":"style"},{"label":"test","description":"units"}],"multiSelect":true}]`

// TestResultTextMatchesTheReference: the answers reach the model in the reference's words.
func TestResultTextMatchesTheReference(t *testing.T) {
	raw := json.RawMessage(twoQuestions + `,"answers":{"Which database?":"SQLite","Which checks?":["lint","test"]}}`)
	res, err := New().Run(context.Background(), tool.NewEnv("/"), raw)
	if err != nil || res.IsError {
		t.Fatalf("%v %+v", err, res)
	}
	want := `Your questions have been answered: "Which database?"="SQLite", "Which checks?"="lint, test". You can now continue with these answers in mind.`
	if res.Text != want {
		t.Errorf("got  %s\nwant %s", res.Text, want)
	}
	if !strings.Contains(res.Display, "Which checks? → lint, test") {
		t.Errorf("display: %q", res.Display)
	}
}

func TestUnansweredAndNotes(t *testing.T) {
	res, _ := New().Run(context.Background(), tool.NewEnv("/"), json.RawMessage(twoQuestions+`}`))
	if res.Text != "The user did not answer the questions." {
		t.Errorf("no answers: %q", res.Text)
	}
	in, err := Parse(json.RawMessage(twoQuestions + `,"answers":{"Which database?":"(notes only)"},"annotations":{"Which database?":{"notes":"ask ops"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := ResultText(in); got != `Your questions have been answered: "Which database?"=(no option selected) notes: ask ops. You can now continue with these answers in mind.` {
		t.Errorf("notes: %q", got)
	}
}

// TestValidateRefusesMalformedCalls: the limits the reference's schema sets are checked
// before anyone is asked.
func TestValidateRefusesMalformedCalls(t *testing.T) {
	opt := `{"label":"a","description":"x"},{"label":"b","description":"y"}`
	q := func(text, opts string) string {
		return `{"question":"` + text + `","header":"H","options":[` + opts + `]}`
	}
	bad := map[string]string{
		"no questions":    `{"questions":[]}`,
		"five questions":  `{"questions":[` + strings.Repeat(q("q?", opt)+",", 4) + q("q5?", opt) + `]}`,
		"one option":      `{"questions":[` + q("q?", `{"label":"a","description":"x"}`) + `]}`,
		"same question":   `{"questions":[` + q("q?", opt) + "," + q("q?", opt) + `]}`,
		"same label":      `{"questions":[` + q("q?", `{"label":"a","description":"x"},{"label":"a","description":"y"}`) + `]}`,
		"unknown field":   `{"questions":[` + q("q?", opt) + `],"extra":1}`,
		"empty header":    `{"questions":[{"question":"q?","header":"","options":[` + opt + `]}]}`,
		"not json":        `{`,
		"bad answer type": `{"questions":[` + q("q?", opt) + `],"answers":{"q?":3}}`,
	}
	for name, raw := range bad {
		if err := New().(tool.Validator).Validate(nil, json.RawMessage(raw)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if err := New().(tool.Validator).Validate(nil, json.RawMessage(twoQuestions+`}`)); err != nil {
		t.Errorf("good call refused: %v", err)
	}
}

func TestToolProperties(t *testing.T) {
	tl := New()
	if tl.Class() != permission.ClassUser || !tool.IsUserFacing(tl) || !tl.ConcurrencySafe() {
		t.Errorf("class %v, user-facing %v", tl.Class(), tool.IsUserFacing(tl))
	}
	var s map[string]any
	if err := json.Unmarshal(tl.InputSchema(), &s); err != nil {
		t.Fatal(err)
	}
}

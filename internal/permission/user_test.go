package permission

import (
	"encoding/json"
	"testing"
)

// TestUserClassAlwaysAsksAPerson: a question to the user asks in every mode, even where
// everything else is allowed or refused without asking, and only a person may answer it;
// a deny rule still refuses it, and dontAsk mode has nobody to ask.
func TestUserClassAlwaysAsksAPerson(t *testing.T) {
	call := Call{Tool: "AskUserQuestion", Class: ClassUser, Input: json.RawMessage(`{"questions":[]}`)}
	for _, mode := range []Mode{ModeDefault, ModeAcceptEdits, ModePlan, ModeBypass} {
		c := &Checker{Mode: mode, Dirs: []string{"/p"}, AllowRules: mustRules(t, "AskUserQuestion")}
		if d := c.Check(call); d.Behavior != Ask || !d.Protected {
			t.Errorf("%s: %+v, want an ask only a person answers", mode, d)
		}
	}
	c := &Checker{Mode: ModeBypass, Dirs: []string{"/p"}, DenyRules: mustRules(t, "AskUserQuestion")}
	if d := c.Check(call); d.Behavior != Deny {
		t.Errorf("deny rule ignored: %+v", d)
	}
	c = &Checker{Mode: ModeDontAsk, Dirs: []string{"/p"}}
	if d := c.Check(call); d.Behavior != Deny {
		t.Errorf("dontAsk asked: %+v", d)
	}
	if r := (&Checker{Dirs: []string{"/p"}}).SuggestRule(call); r != "" {
		t.Errorf("\"allow always\" offered %q for a question", r)
	}
	if ClassUser.String() != "user" {
		t.Errorf("ClassUser names itself %q", ClassUser.String())
	}
}

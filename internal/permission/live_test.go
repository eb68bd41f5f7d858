package permission

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestLiveRestrictions(t *testing.T) {
	// (make and git fetch: commands the read-only set does not allow by itself.)
	mustRule := func(text, src string) Rule {
		r, err := ParseRule(text, src)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	c := &Checker{Mode: ModeDefault, Dirs: []string{"/p"}, Cwd: "/p",
		AllowRules: []Rule{mustRule("Bash(make:*)", "/p/.claude/settings.json"), mustRule("Bash(git:*)", "/p/.claude/settings.json"), mustRule("Bash(git:*)", "--allowedTools")}}
	bash := func(cmd string) Behavior {
		in, _ := json.Marshal(map[string]string{"command": cmd})
		return c.Check(Call{Tool: "Bash", Class: ClassExecute, Input: in}).Behavior
	}
	if bash("make") != Allow || bash("git fetch") != Allow {
		t.Fatal("setup: allow rules do not allow")
	}
	// The file now allows only make: git stays allowed through the flag's own rule.
	if got := c.Revoke("/p/.claude/settings.json", []string{"Bash(make:*)"}); !slices.Equal(got, []string{"Bash(git:*)"}) {
		t.Fatalf("Revoke removed %v", got)
	}
	if got := c.Revoke("/p/.claude/settings.json", nil); !slices.Equal(got, []string{"Bash(make:*)"}) {
		t.Fatalf("Revoke removed %v", got)
	}
	if bash("make") == Allow || bash("git fetch") != Allow {
		t.Fatalf("after revoking: make %s, git %s", bash("make"), bash("git fetch"))
	}
	if c.HasAllow("Bash(make:*)") || !c.HasAllow("Bash(git:*)") {
		t.Fatal("HasAllow does not follow the rules in effect")
	}
	if !c.AddRestriction(mustRule("Bash(git push:*)", "/p/.claude/settings.json"), true) {
		t.Fatal("a new deny rule was not added")
	}
	if c.AddRestriction(mustRule("Bash(git push:*)", "/p/.claude/settings.json"), true) {
		t.Fatal("the same deny rule was added twice")
	}
	if bash("git push") != Deny || bash("git fetch") != Allow {
		t.Fatalf("after a deny rule: push %s, fetch %s", bash("git push"), bash("git fetch"))
	}
	c.AddRestriction(mustRule("Bash(git fetch)", "x"), false)
	if bash("git fetch") != Ask {
		t.Fatalf("an ask rule: git fetch %s", bash("git fetch"))
	}
}

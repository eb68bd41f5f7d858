package permission

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestLiveRestrictions(t *testing.T) {
	mustRule := func(text, src string) Rule {
		r, err := ParseRule(text, src)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	c := &Checker{Mode: ModeDefault, Dirs: []string{"/p"}, Cwd: "/p",
		AllowRules: []Rule{mustRule("Bash(ls:*)", "/p/.claude/settings.json"), mustRule("Bash(git:*)", "/p/.claude/settings.json"), mustRule("Bash(git:*)", "--allowedTools")}}
	bash := func(cmd string) Behavior {
		in, _ := json.Marshal(map[string]string{"command": cmd})
		return c.Check(Call{Tool: "Bash", Class: ClassExecute, Input: in}).Behavior
	}
	if bash("ls") != Allow || bash("git status") != Allow {
		t.Fatal("setup: allow rules do not allow")
	}
	// The file now allows only ls: git stays allowed through the flag's own rule.
	if got := c.Revoke("/p/.claude/settings.json", []string{"Bash(ls:*)"}); !slices.Equal(got, []string{"Bash(git:*)"}) {
		t.Fatalf("Revoke removed %v", got)
	}
	if got := c.Revoke("/p/.claude/settings.json", nil); !slices.Equal(got, []string{"Bash(ls:*)"}) {
		t.Fatalf("Revoke removed %v", got)
	}
	if bash("ls") == Allow || bash("git status") != Allow {
		t.Fatalf("after revoking: ls %s, git %s", bash("ls"), bash("git status"))
	}
	if c.HasAllow("Bash(ls:*)") || !c.HasAllow("Bash(git:*)") {
		t.Fatal("HasAllow does not follow the rules in effect")
	}
	if !c.AddRestriction(mustRule("Bash(git push:*)", "/p/.claude/settings.json"), true) {
		t.Fatal("a new deny rule was not added")
	}
	if c.AddRestriction(mustRule("Bash(git push:*)", "/p/.claude/settings.json"), true) {
		t.Fatal("the same deny rule was added twice")
	}
	if bash("git push") != Deny || bash("git status") != Allow {
		t.Fatalf("after a deny rule: push %s, status %s", bash("git push"), bash("git status"))
	}
	c.AddRestriction(mustRule("Bash(git status)", "x"), false)
	if bash("git status") != Ask {
		t.Fatalf("an ask rule: git status %s", bash("git status"))
	}
}

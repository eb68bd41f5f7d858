package permission

import (
	"encoding/json"
	"testing"
)

// fakeBox is a sandbox that confines every command and lets calls leave it.
type fakeBox struct{ auto bool }

func (f fakeBox) AutoAllow(_ string, outside bool) bool { return f.auto && !outside }
func (f fakeBox) AsksOutside(outside bool) bool         { return outside }

func TestSandboxDecisions(t *testing.T) {
	bash := func(in map[string]any) Call {
		raw, _ := json.Marshal(in)
		return Call{Tool: "Bash", Class: ClassExecute, Input: raw}
	}
	deny, _ := ParseRule("Bash(rm:*)", "test")
	allow, _ := ParseRule("Bash(make:*)", "test")
	c := &Checker{Mode: ModeDefault, Dirs: []string{"/p"}, Sandbox: fakeBox{auto: true},
		DenyRules: []Rule{deny}, AllowRules: []Rule{allow}}
	cases := []struct {
		name string
		in   map[string]any
		want Behavior
	}{
		{"sandboxed command is auto-allowed", map[string]any{"command": "curl example.com"}, Allow},
		{"deny rules still win", map[string]any{"command": "rm -rf x"}, Deny},
		{"leaving the sandbox asks even when a rule allows", map[string]any{"command": "make", "dangerouslyDisableSandbox": true}, Ask},
	}
	for _, tc := range cases {
		if d := c.Check(bash(tc.in)); d.Behavior != tc.want {
			t.Errorf("%s: got %v (%s), want %v", tc.name, d.Behavior, d.Reason, tc.want)
		}
	}
	c.Sandbox = fakeBox{auto: false}
	if d := c.Check(bash(map[string]any{"command": "curl example.com"})); d.Behavior != Ask {
		t.Errorf("without autoAllowBashIfSandboxed the command asks as before: %v", d.Behavior)
	}
	c.SetMode(ModeBypass)
	if d := c.Check(bash(map[string]any{"command": "make", "dangerouslyDisableSandbox": true})); d.Behavior != Allow {
		t.Errorf("bypassPermissions does not ask to leave the sandbox: %v", d.Behavior)
	}
}

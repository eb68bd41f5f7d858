package commands

import (
	"context"
	"strings"
	"testing"
)

// noRunner fails the test if an expansion runs or reads anything.
type noRunner struct{ t *testing.T }

func (n noRunner) Shell(context.Context, string, []string) (string, error) {
	n.t.Error("a bundled command ran a command at expansion")
	return "", nil
}

func (n noRunner) ReadFile(string, []string) (string, error) {
	n.t.Error("a bundled command read a file at expansion")
	return "", nil
}

// TestBundledCommandsExpandWithoutRunningAnything: /review and /security-review are
// prompts with descriptions, their arguments land in the prompt, and expanding them starts
// nothing; a user's command of the same name wins.
func TestBundledCommandsExpandWithoutRunningAnything(t *testing.T) {
	list := Bundled()
	want := map[string]string{"review": "gh pr diff", "security-review": "exploit", "statusline": "statusLine"}
	for _, c := range list {
		frag, ok := want[c.Name]
		if !ok {
			t.Errorf("unexpected bundled command %s", c.Name)
			continue
		}
		delete(want, c.Name)
		if c.Description == "" || c.Scope != ScopeBundled {
			t.Errorf("%s: %+v", c.Name, c)
		}
		got, err := c.Expand(context.Background(), "123", noRunner{t})
		if err != nil || !strings.Contains(got, frag) || !strings.Contains(got, "123") || strings.Contains(got, "$ARGUMENTS") {
			t.Errorf("%s expanded to %q (%v)", c.Name, got, err)
		}
	}
	if len(want) > 0 {
		t.Errorf("missing bundled commands: %v", want)
	}
	mine := Command{Name: "review", Body: "my review", Scope: ScopeProject}
	merged := Merge(Bundled(), []Command{mine})
	if c, _, ok := Find(merged, "/review 7"); !ok || c.Body != "my review" {
		t.Errorf("a project's /review did not replace the bundled one: %+v", c)
	}
}

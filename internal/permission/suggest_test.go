package permission

import (
	"fmt"
	"strings"
	"testing"
)

func TestSuggestBashRulesOnePerCommand(t *testing.T) {
	cases := []struct {
		command string
		want    []string
	}{
		{"npm test", []string{"Bash(npm test)"}},
		{"npm test -- --watch=false", []string{"Bash(npm test:*)"}},
		{"npm ci && npm test | tee out.txt", []string{"Bash(npm ci)", "Bash(npm test)", "Bash(tee out.txt)"}},
		{"go vet ./... ; go test ./... && go vet ./...", []string{"Bash(go vet:*)", "Bash(go test:*)"}},
		{"make build && rm -rf ./IMPORTANT", []string{"Bash(make build)", "Bash(rm -rf ./IMPORTANT)"}},
		{"sudo apt-get install -y jq", []string{"Bash(sudo apt-get install -y jq)"}},
		{"/usr/bin/rm -r x", []string{"Bash(/usr/bin/rm -r x)"}},
		{"git status && echo $(date)", nil},
		{"ls && rm -rf $DIR", nil},
		{"echo 'unterminated", nil},
	}
	c := &Checker{Dirs: []string{t.TempDir()}}
	for _, tc := range cases {
		got := SuggestBashRules(tc.command)
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%q: %q, want %q", tc.command, got, tc.want)
			continue
		}
		if len(got) == 0 {
			continue
		}
		// Together the rules allow the line they came from.
		rc := &Checker{Dirs: c.Dirs}
		for _, r := range got {
			if err := rc.AllowAlways(r); err != nil {
				t.Fatalf("%q: rule %q: %v", tc.command, r, err)
			}
		}
		if d := rc.Check(bashCall(tc.command)); d.Behavior != Allow {
			t.Errorf("%q: the suggested rules %q leave it %s", tc.command, got, d.Behavior)
		}
	}
}

// A prefix rule for a destructive command would allow far more than was approved.
func TestDestructiveCommandsGetAnExactRule(t *testing.T) {
	c := &Checker{Dirs: []string{t.TempDir()}}
	if got := c.SuggestRule(bashCall("rm -rf ./build")); got != "Bash(rm -rf ./build)" {
		t.Fatalf("suggestion %q", got)
	}
	if err := c.AllowAlways("Bash(rm -rf ./build)"); err != nil {
		t.Fatal(err)
	}
	if d := c.Check(bashCall("rm -rf ./IMPORTANT")); d.Behavior == Allow {
		t.Error("the rule for one rm allows another")
	}
}

func TestBashCommandsListsEachCommandAsWritten(t *testing.T) {
	cases := []struct {
		command string
		want    []string
	}{
		{"npm test", []string{"npm test"}},
		{"a && b | c", []string{"a", "b", "c"}},
		{"make > build.log 2>&1; (cd x && ls) || echo 'no, really'", []string{"make > build.log 2>&1", "cd x", "ls", "echo 'no, really'"}},
		{"echo $(rm -rf /) && true &", []string{"echo $(rm -rf /)", "true"}},
		{"for f in *.go; do gofmt -l $f; done", []string{"gofmt -l $f"}},
		{"echo 'unterminated", []string{"echo 'unterminated"}},
	}
	for _, tc := range cases {
		if got := BashCommands(tc.command); fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%q: %q, want %q", tc.command, got, tc.want)
		}
	}
}

// SuggestRules offers one rule per command of a compound line, and none when the line
// writes a protected path: the dialog must not promise a rule AllowAlways refuses.
func TestSuggestRulesForCompoundLines(t *testing.T) {
	c := &Checker{Mode: ModeDefault, Dirs: []string{"/p"}, Cwd: "/p"}
	bash := func(cmd string) Call {
		return Call{Tool: "Bash", Input: input(map[string]string{"command": cmd})}
	}
	if got := c.SuggestRules(bash("npm ci && npm test -- --ci")); strings.Join(got, " ") != "Bash(npm ci) Bash(npm test:*)" {
		t.Errorf("compound line: %q", got)
	}
	if got := c.SuggestRules(bash("npm test")); got != nil {
		t.Errorf("a single command has its Suggestion, not Suggestions: %q", got)
	}
	if got := c.SuggestRules(bash("npm ci && echo x > .git/config")); got != nil {
		t.Errorf("a line writing a protected path offers %q", got)
	}
}

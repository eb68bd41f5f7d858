package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/redact"
)

func TestShellRunsInTheDirectoryWithTheScrubbedEnvironment(t *testing.T) {
	h := testHost(t)
	h.st.childEnv = []string{"PATH=/usr/bin:/bin", "GREETING=hello from the shell"}
	res := h.Shell(context.Background(), "echo $GREETING; pwd; echo oops >&2; exit 3")
	want := "hello from the shell\n" + h.a.env.Cwd + "\noops\n"
	if res.Output != want || res.ExitCode != 3 || res.Err != nil {
		t.Errorf("result %+v, want output %q and exit status 3", res, want)
	}
	if res := h.Shell(context.Background(), "true"); res.ExitCode != 0 || res.Err != nil || res.Output != "" {
		t.Errorf("true: %+v", res)
	}
}

func TestShellOutputIsRedacted(t *testing.T) {
	h := testHost(t)
	h.st.redactor = redact.New()
	h.st.redactor.Add("hunter2-secret-value")
	h.st.childEnv = []string{"PATH=/usr/bin:/bin", "SECRET_VALUE=hunter2-secret-value"}
	res := h.Shell(context.Background(), "echo token=$SECRET_VALUE")
	if strings.Contains(res.Output, "hunter2") || !strings.Contains(res.Output, "token=") {
		t.Fatalf("a secret printed by a !command came back: %q", res.Output)
	}
}

func TestNotesAndMemoryFiles(t *testing.T) {
	h := testHost(t)
	if err := h.AddNote("always run   gofmt"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(h.a.env.Cwd, "CLAUDE.md")
	if data, err := os.ReadFile(path); err != nil || string(data) != "- always run gofmt\n" {
		t.Fatalf("CLAUDE.md: %q, %v", data, err)
	}
	if err := h.AddNote("second"); err != nil {
		t.Fatal(err)
	}
	files, err := h.MemoryFiles()
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, f := range files {
		if f.Path == path {
			found = f.Lines == 2 && f.Scope != ""
		}
	}
	if !found {
		t.Errorf("memory files %+v lack %s with 2 lines", files, path)
	}
}

func TestListFilesHonoursIgnoreFiles(t *testing.T) {
	h := testHost(t)
	for _, f := range []string{"main.go", "internal/map.go", "build/out.bin", ".ignore"} {
		p := filepath.Join(h.a.env.Cwd, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("build/\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got := strings.Join(h.ListFiles(context.Background()), " ")
	for _, want := range []string{"main.go", "internal/", "internal/map.go"} {
		if !strings.Contains(got, want) {
			t.Errorf("listing %q lacks %s", got, want)
		}
	}
	if strings.Contains(got, "build") {
		t.Errorf("listing %q has an ignored directory", got)
	}
}

// @ completion never offers what a Read rule hides from the model.
func TestListFilesHidesReadDenied(t *testing.T) {
	h := testHost(t)
	for _, f := range []string{"main.go", "secrets/key.txt"} {
		p := filepath.Join(h.a.env.Cwd, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rules, err := permission.ParseRule("Read(./secrets/**)", "test")
	if err != nil {
		t.Fatal(err)
	}
	h.st.checker.DenyRules = append(h.st.checker.DenyRules, rules)
	got := strings.Join(h.ListFiles(context.Background()), " ")
	if !strings.Contains(got, "main.go") || strings.Contains(got, "key.txt") {
		t.Errorf("listing %q: want main.go and not the denied key", got)
	}
}

func TestModelInfoAndSavedSessions(t *testing.T) {
	h := testHost(t)
	info := h.ModelInfo("us.anthropic.claude-sonnet-4-5-20250929-v1:0")
	if info.Name != "Claude Sonnet 4.5" || info.ContextWindow != 200_000 {
		t.Errorf("info %+v", info)
	}
	if info := h.ModelInfo("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/x"); info.Name != "" {
		t.Errorf("an unknown ARN has a name: %+v", info)
	}
	if infos, err := h.SavedSessions(); err != nil || len(infos) != 0 {
		t.Errorf("sessions %+v, %v", infos, err)
	}
}

func TestAllowAlwaysKeepsEachRuleForTheSessionAndTheProject(t *testing.T) {
	h := testHost(t)
	if err := h.AllowAlways([]string{"Bash(npm ci)", "Bash(npm test:*)"}); err != nil {
		t.Fatal(err)
	}
	call := permission.Call{Tool: "Bash", Input: []byte(`{"command":"npm ci && npm test -- --ci"}`)}
	if d := h.st.checker.Check(call); d.Behavior != permission.Allow {
		t.Errorf("the session still says %s", d.Behavior)
	}
	data, err := os.ReadFile(filepath.Join(h.a.env.Cwd, ".claude", "settings.local.json"))
	if err != nil || !strings.Contains(string(data), "Bash(npm ci)") || !strings.Contains(string(data), "Bash(npm test:*)") {
		t.Errorf("settings.local.json: %s, %v", data, err)
	}
	if err := h.AllowAlways([]string{"Bash(a && b)"}); err == nil {
		t.Error("a broken rule was kept")
	}
}

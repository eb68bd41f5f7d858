package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/bedrock"
	"github.com/strata-agent/strata/internal/hooks"
	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/settings"
	"github.com/strata-agent/strata/internal/tui"
)

func TestInteractiveWithoutATerminalSaysUsePrintMode(t *testing.T) {
	for _, args := range [][]string{nil, {"fix the bug"}} {
		code, stdout, stderr := run(t, testEnv(t, nil), "", args...)
		if code != ExitUsage || stdout != "" || !strings.Contains(stderr, "needs a terminal") || !strings.Contains(stderr, "strata -p") {
			t.Errorf("strata %q: code %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
}

func TestCompactAtIs85PercentOfTheWindow(t *testing.T) {
	env := map[string]string{"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1", "CLAUDE_CODE_SKIP_BEDROCK_AUTH": "1",
		"ANTHROPIC_MODEL_BASE": "anthropic.claude-haiku-4-5-20251001-v1:0",
		"ANTHROPIC_MODEL":      "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/team"}
	cfg, err := bedrock.LoadConfig(func(k string) string { return env[k] }, bedrock.SettingsView{})
	if err != nil {
		t.Fatal(err)
	}
	client, err := bedrock.New(context.Background(), cfg, bedrock.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st := &stack{client: client}
	tests := []struct {
		model string
		want  int
	}{
		{"us.anthropic.claude-sonnet-4-5-20250929-v1:0", 170_000},
		{"us.anthropic.claude-sonnet-4-5-20250929-v1:0[1m]", 850_000},
		// An ARN counts as the base model the user stated for it (ANTHROPIC_MODEL_BASE).
		{"arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/team", 170_000},
		{"arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/x7q2", 0},
	}
	for _, tt := range tests {
		if got := st.compactAt(tt.model); got != tt.want {
			t.Errorf("compactAt(%q) = %d, want %d", tt.model, got, tt.want)
		}
	}
}

func testHost(t *testing.T) *host {
	t.Helper()
	env := testEnv(t, nil)
	st := &stack{bedrock: &bedrock.Config{Region: "us-east-1", Model: "us.anthropic.claude-sonnet-4-5-20250929-v1:0"},
		checker: &permission.Checker{Mode: permission.ModeDefault, Dirs: []string{env.Cwd}},
		cwd:     env.Cwd, mode: permission.ModeDefault}
	return newHost(&app{ctx: context.Background(), env: env}, st)
}

func TestResolveModel(t *testing.T) {
	h := testHost(t)
	tests := []struct {
		name, want string
		ok         bool
	}{
		{"opus", "us.anthropic.claude-opus", true},
		{"haiku", "us.anthropic.claude-haiku", true},
		{"us.anthropic.claude-sonnet-4-5-20250929-v1:0", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", true},
		{"arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/x", "arn:aws:bedrock:", true},
		{"gpt-5", "", false},
	}
	for _, tt := range tests {
		got, err := h.ResolveModel(tt.name)
		if (err == nil) != tt.ok || !strings.HasPrefix(got, tt.want) {
			t.Errorf("ResolveModel(%q) = %q, %v", tt.name, got, err)
		}
	}
	choices := h.ModelChoices()
	byLabel := map[string]string{}
	for _, c := range choices {
		byLabel[c.Label] = c.Value
	}
	if choices[0].Label != "sonnet" || !strings.Contains(byLabel["sonnet"], "(Claude Sonnet 4.5)") ||
		!strings.Contains(byLabel["opusplan"], "in plan mode") || byLabel["best"] == "" {
		t.Errorf("choices %+v", choices)
	}
}

func TestAlwaysAnswerIsSaved(t *testing.T) {
	h := testHost(t)
	if err := h.st.onAlways("Bash(make test:*)"); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(h.a.env.Cwd, ".claude", "settings.local.json"))
	if err != nil || !strings.Contains(string(data), "Bash(make test:*)") {
		t.Errorf("settings.local.json: %s, %v", data, err)
	}
	if r := h.Rules(); len(r.Allow) != 1 || !strings.Contains(r.Allow[0], "Bash(make test:*)") {
		t.Errorf("/permissions would show %+v", r)
	}
}

func TestHostSetModeAndHelpers(t *testing.T) {
	h := testHost(t)
	h.SetMode(permission.ModeAcceptEdits)
	if h.st.checker.CurrentMode() != permission.ModeAcceptEdits {
		t.Errorf("checker mode %q", h.st.checker.Mode)
	}
	if got := cycleModes(&stack{mode: permission.ModeBypass}); got[len(got)-1] != permission.ModeBypass {
		t.Errorf("a bypass session cannot cycle back to bypass: %v", got)
	}
	if got := cycleModes(&stack{mode: permission.ModeDefault}); len(got) != 3 {
		t.Errorf("modes %v", got)
	}
	if got := startupWarnings("strata: warning: the model is retired\n\n"); len(got) != 1 || got[0] != "the model is retired" {
		t.Errorf("warnings %q", got)
	}
	env := testEnv(t, nil)
	if p := historyPath(env); !strings.HasPrefix(p, filepath.Join(env.Home, "state", "strata", "history")) {
		t.Errorf("history path %s", p)
	}
	var _ tui.Host = h
}

func TestPermissionDialogFiresNotificationHook(t *testing.T) {
	dir := t.TempDir()
	marker := filepath.Join(dir, "notified")
	runner, err := hooks.New(hooks.Options{ProjectDir: dir, Env: []string{"PATH=/usr/bin:/bin"},
		Hooks: map[string][]settings.HookMatcher{"Notification": {{Hooks: []settings.HookCommand{
			{Type: "command", Command: "cat > " + marker}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	st := &stack{hooks: runner, checker: &permission.Checker{Mode: permission.ModeDefault}}
	ap := notifyingApprover{ui: permission.DenyApprover{}, st: st}
	if _, err := ap.Approve(context.Background(), permission.Request{Call: permission.Call{Tool: "Bash"}}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(marker)
	if err != nil || !strings.Contains(string(data), `"hook_event_name":"Notification"`) ||
		!strings.Contains(string(data), "permission to use Bash") {
		t.Fatalf("Notification hook input: %s, %v", data, err)
	}
}

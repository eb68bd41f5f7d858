package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/iostreams"
	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/settings"
	"github.com/strata-agent/strata/internal/tool"
)

// TestChildrenNeverSeeSecrets builds a real session stack and runs `env` through the Bash
// tool and a SessionStart hook: neither sees the AWS secrets strata was started with nor
// the values of the settings' env block, except what strataPassEnv names (B15).
func TestChildrenNeverSeeSecrets(t *testing.T) {
	vars := map[string]string{"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1",
		"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI-secret-key",
		"AWS_SESSION_TOKEN": "session-token-value", "AWS_BEARER_TOKEN_BEDROCK": "bearer-token-value",
		"PATH": os.Getenv("PATH"), "KEEP_ME": "kept"}
	env := testEnv(t, nil)
	for _, k := range []string{"AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_EC2_METADATA_DISABLED", "XDG_STATE_HOME"} {
		vars[k] = env.Getenv(k)
	}
	// One live environment, as in a real process: the env block's values land in it.
	env.Getenv = func(k string) string { return vars[k] }
	env.Setenv = func(k, v string) error { vars[k] = v; return nil }
	env.Environ = func() []string {
		var out []string
		for k, v := range vars {
			out = append(out, k+"="+v)
		}
		sort.Strings(out)
		return out
	}
	writeSettings(t, env.Cwd, `{
  "env": {"FROM_SETTINGS": "settings-only-value", "MY_TOOL_HOME": "/opt/tool"},
  "strataPassEnv": ["MY_TOOL_HOME"],
  "hooks": {"SessionStart": [{"hooks": [{"type": "command", "command": "env > hook-env.txt"}]}]}
}`)
	ios, _, _, errOut := iostreams.Test()
	a := &app{ctx: context.Background(), io: ios, env: env}
	st, err := a.build(context.Background(), &Options{})
	if err != nil {
		t.Fatalf("build: %v (%s)", err, errOut)
	}
	defer st.close()

	var bashOut string
	for _, tl := range st.tools {
		if tl.Name() == "Bash" {
			env := tool.NewEnv(st.cwd)
			env.Environ = st.childEnv
			res, err := tl.Run(context.Background(), env, json.RawMessage(`{"command":"env"}`))
			if err != nil {
				t.Fatal(err)
			}
			bashOut = res.Text
		}
	}
	st.sessionStart(a.ctx, st.transcript, nil, "startup", func(m string) { t.Errorf("hook message: %s", m) })
	hookOut, err := os.ReadFile(filepath.Join(env.Cwd, "hook-env.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string]string{"Bash": bashOut, "hook": string(hookOut)} {
		for _, secret := range []string{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI-secret-key", "session-token-value", "bearer-token-value", "settings-only-value"} {
			if strings.Contains(got, secret) {
				t.Errorf("%s environment contains %q", name, secret)
			}
		}
		for _, want := range []string{"KEEP_ME=kept", "MY_TOOL_HOME=/opt/tool", "AWS_REGION=us-east-1"} {
			if !strings.Contains(got, want) {
				t.Errorf("%s environment lacks %q:\n%s", name, want, got)
			}
		}
	}
	if vars["FROM_SETTINGS"] != "settings-only-value" {
		t.Error("the env block did not reach strata's own process")
	}
}

func writeSettings(t *testing.T, dir, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, ".claude"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".claude", "settings.json"), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestPassThroughEnvMustBeNames(t *testing.T) {
	for _, raw := range []string{`"AWS_PROFILE"`, `[1]`, `["A=B"]`} {
		s := &settings.Settings{Extra: map[string]json.RawMessage{passEnvKey: json.RawMessage(raw)},
			ExtraSource: map[string]settings.Source{passEnvKey: {Path: "/p/.claude/settings.json"}}}
		if _, err := passThroughEnv(s); err == nil || !strings.Contains(err.Error(), "/p/.claude/settings.json") {
			t.Errorf("%s: %v", raw, err)
		}
	}
}

// TestRulesFromSettingsAnchorAndValidate: a /pattern rule in the project's settings is
// relative to the project, and broken rules stop strata with their file named.
func TestRulesFromSettingsAnchorAndValidate(t *testing.T) {
	cwd := t.TempDir()
	st := &stack{settings: &settings.Settings{Permissions: settings.Permissions{
		Deny: []settings.Rule{{Text: "Edit(/generated/**)", Source: settings.Source{Scope: settings.ScopeProject, Path: cwd + "/.claude/settings.json"}}},
	}}}
	if err := st.permissions(&Options{}, cwd, "/home/u", noEnv); err != nil {
		t.Fatal(err)
	}
	call := permission.Call{Tool: "Write", Class: permission.ClassEdit, Input: json.RawMessage(`{"file_path":"` + cwd + `/generated/x.go"}`)}
	if d := st.checker.Check(call); d.Behavior != permission.Deny {
		t.Errorf("project-relative deny rule: %s", d.Behavior)
	}
	st.settings.Permissions.Allow = []settings.Rule{{Text: "Bash(a && b)", Source: settings.Source{Scope: settings.ScopeUser, Path: "/home/u/.claude/settings.json"}}}
	if err := st.permissions(&Options{}, cwd, "/home/u", noEnv); err == nil || !strings.Contains(err.Error(), "/home/u/.claude/settings.json") {
		t.Errorf("broken rule: %v", err)
	}
	if got := ruleBase(settings.Source{Scope: settings.ScopeUser, Path: "/home/u/.claude/settings.json"}, cwd); got != "/home/u/.claude" {
		t.Errorf("user rule base %s", got)
	}
}

// noEnv is an empty environment.
func noEnv(string) string { return "" }

// TestBuiltInReadDenyAndProtection: whatever the settings say, reading tools cannot see AWS
// credentials, caches or strata's state, even in bypass mode, and strata's settings files
// and state directory (the folder trust store) are protected.
func TestBuiltInReadDenyAndProtection(t *testing.T) {
	cwd, home := t.TempDir(), t.TempDir()
	vars := map[string]string{"XDG_STATE_HOME": filepath.Join(home, "xdg"), "AWS_SHARED_CREDENTIALS_FILE": "/opt/creds",
		"CLAUDE_CONFIG_DIR": "/opt/claude", "CLAUDE_ENV_FILE": cwd + "/env.sh"}
	st := &stack{settings: &settings.Settings{Permissions: settings.Permissions{Allow: []settings.Rule{{Text: "Read"}, {Text: "Edit"}}}}}
	if err := st.permissions(&Options{SkipPerms: true}, cwd, home, func(k string) string { return vars[k] }); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{home + "/.aws/credentials", home + "/.aws/config", home + "/.aws/sso/cache/x.json",
		home + "/.aws/cli/cache/y.json", "/opt/creds", home + "/xdg/strata/projects/p/s.jsonl", "/opt/claude/projects/-w/s.jsonl"} {
		call := permission.Call{Tool: "Grep", Class: permission.ClassRead, Input: json.RawMessage(`{"path":"` + p + `"}`)}
		if d := st.checker.Check(call); d.Behavior != permission.Deny || st.checker.CanRead(p) {
			t.Errorf("%s: got %s, readable %v", p, d.Behavior, st.checker.CanRead(p))
		}
	}
	if !st.checker.CanRead(home+"/.aws/other") || !st.checker.CanRead(cwd+"/main.go") {
		t.Error("an ordinary file is hidden")
	}
	for _, p := range []string{"/opt/claude/settings.json", "/opt/claude/CLAUDE.md", home + "/.claude/settings.json",
		home + "/xdg/strata/trusted-folders.json", cwd + "/env.sh"} { // the env file runs before every Bash command
		call := permission.Call{Tool: "Write", Class: permission.ClassEdit, Input: json.RawMessage(`{"file_path":"` + p + `"}`)}
		if d := st.checker.Check(call); d.Behavior != permission.Ask || !d.Protected {
			t.Errorf("%s: got %s (%s)", p, d.Behavior, d.Reason)
		}
	}
}

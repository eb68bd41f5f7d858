package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/iostreams"
	"github.com/strata-agent/strata/internal/tui"
)

func TestAWSProfilesFromTheConfigFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config")
	os.WriteFile(path, []byte(`[default]
region = us-east-1
[profile dev]
role_arn = arn:aws:iam::1:role/x
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
[profile corp-admin]
sso_session = corp
`), 0o600)
	got, err := awsProfiles(path)
	want := []tui.AWSProfile{{Name: "default"}, {Name: "dev"}, {Name: "corp-admin", SSO: true}}
	if err != nil || len(got) != len(want) {
		t.Fatalf("%v %v", got, err)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("profile %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	if ps, err := awsProfiles(filepath.Join(t.TempDir(), "none")); ps != nil || err != nil {
		t.Errorf("missing file: %v %v", ps, err)
	}
}

// TestSetupBedrockWritesTheUserSettings: /setup-bedrock's host side against the emulator
// with a temporary HOME: it lists the Claude inference profiles the choice reaches (the
// region's geography first), saves region, profile and model pin into ~/.claude/settings.json
// keeping what else the file says and dropping the credentials of the method not chosen,
// and refuses to touch a file that does not load.
func TestSetupBedrockWritesTheUserSettings(t *testing.T) {
	env, _ := simEnv(t)
	awsConfig := filepath.Join(env.Home, "aws-config")
	os.WriteFile(awsConfig, []byte("[profile dev]\nregion = eu-west-1\n"), 0o600)
	env.Setenv("AWS_CONFIG_FILE", awsConfig)
	ios, _, _, errOut := iostreams.Test()
	a := &app{ctx: context.Background(), io: ios, env: env, trusted: true}
	st, err := a.build(a.ctx, &Options{})
	if err != nil {
		t.Fatalf("build: %v (%s)", err, errOut)
	}
	defer st.close()
	h := newHost(a, st)

	start := h.BedrockSetupStart()
	if start.Region != "us-east-1" || !start.EnvKeys || start.BearerToken || len(start.Profiles) != 1 || start.Profiles[0].Name != "dev" {
		t.Errorf("start: %+v", start)
	}
	ids, err := h.BedrockModels(a.ctx, tui.BedrockChoice{Region: "us-east-1", Auth: tui.AuthEnv})
	if err != nil || len(ids) == 0 || !strings.HasPrefix(ids[0], "us.anthropic.") {
		t.Fatalf("models: %v %v", ids, err)
	}
	for _, id := range ids {
		if strings.HasPrefix(id, "eu.") || strings.HasPrefix(id, "apac.") {
			t.Errorf("a profile of another geography offered: %s", id)
		}
	}

	path := filepath.Join(env.Home, ".claude", "settings.json")
	if start.SettingsPath != path {
		t.Errorf("settings path %s", start.SettingsPath)
	}
	os.MkdirAll(filepath.Dir(path), 0o700)
	os.WriteFile(path, []byte(`{"model": "sonnet", "env": {"KEEP": "1", "AWS_BEARER_TOKEN_BEDROCK": "old-token", "CLAUDE_CODE_USE_VERTEX": "1"}}`), 0o600)
	got, err := h.SaveBedrockSetup(tui.BedrockChoice{Region: "eu-west-1", Auth: tui.AuthProfile, Profile: "dev",
		Model: "eu.anthropic.claude-sonnet-4-5-20250929-v1:0"})
	if err != nil || got != path {
		t.Fatalf("save: %v %s", err, got)
	}
	var saved struct {
		Model string            `json:"model"`
		Env   map[string]string `json:"env"`
	}
	data, _ := os.ReadFile(path)
	if err := json.Unmarshal(data, &saved); err != nil {
		t.Fatalf("%s: %v", data, err)
	}
	want := map[string]string{"KEEP": "1", "CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "eu-west-1", "AWS_PROFILE": "dev",
		"ANTHROPIC_DEFAULT_SONNET_MODEL": "eu.anthropic.claude-sonnet-4-5-20250929-v1:0"}
	if saved.Model != "sonnet" || len(saved.Env) != len(want) {
		t.Errorf("saved %s", data)
	}
	for k, v := range want {
		if saved.Env[k] != v {
			t.Errorf("env %s = %q, want %q", k, saved.Env[k], v)
		}
	}

	bad := "{\"env\": {\n  \"A\": \"1\",\n}}"
	os.WriteFile(path, []byte(bad), 0o600)
	if _, err := h.SaveBedrockSetup(tui.BedrockChoice{Region: "eu-west-1", Auth: tui.AuthEnv}); err == nil || !strings.Contains(err.Error(), path+":2:") {
		t.Errorf("broken settings: %v", err)
	}
	if data, _ := os.ReadFile(path); string(data) != bad {
		t.Errorf("a broken settings file was rewritten: %s", data)
	}
}

package bedrock

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/models"
)

// mapEnv is an environment lookup for LoadConfig tests that need no AWS files.
func mapEnv(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

var fixedNow = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

func TestLoadConfigRegion(t *testing.T) {
	tests := []struct {
		name       string
		env        []string
		wantRegion string
		wantSource string
	}{
		{"AWS_REGION", []string{"AWS_REGION", "eu-west-1", "AWS_DEFAULT_REGION", "us-west-2"}, "eu-west-1", "AWS_REGION"},
		{"AWS_DEFAULT_REGION", []string{"AWS_DEFAULT_REGION", "us-west-2"}, "us-west-2", "AWS_DEFAULT_REGION"},
		{"off needs none", []string{"CLAUDE_CODE_USE_BEDROCK", "0"}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := append([]string{"CLAUDE_CODE_USE_BEDROCK", "1", "HOME", t.TempDir()}, tt.env...)
			cfg, err := LoadConfig(mapEnv(env...), SettingsView{Now: fixedNow})
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Region != tt.wantRegion || cfg.RegionSource != tt.wantSource {
				t.Errorf("region %q from %q, want %q from %q", cfg.Region, cfg.RegionSource, tt.wantRegion, tt.wantSource)
			}
		})
	}
}

func TestLoadConfigRegionFromSettingsEnvBlock(t *testing.T) {
	cfg, err := LoadConfig(mapEnv("CLAUDE_CODE_USE_BEDROCK", "1", "AWS_REGION", "eu-central-1", "HOME", t.TempDir()),
		SettingsView{EnvSources: map[string]string{"AWS_REGION": "/home/u/.claude/settings.json"}, Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, "region source", cfg.RegionSource, "AWS_REGION", "/home/u/.claude/settings.json")
}

// B2: no region → an error naming AWS_REGION, with the export line when the profile has one.
func TestLoadConfigMissingRegion(t *testing.T) {
	dir := t.TempDir()
	e := &testEnv{t: t, dir: dir}
	conf := e.write("config", "[profile work]\nregion = eu-north-1\n[default]\n")
	tests := []struct {
		name    string
		profile string
		want    []string
	}{
		{"profile with region", "work", []string{"AWS_REGION", "export AWS_REGION=eu-north-1", `"work"`}},
		{"profile without region", "", []string{"AWS_REGION", "export AWS_REGION=us-east-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadConfig(mapEnv("CLAUDE_CODE_USE_BEDROCK", "true", "AWS_PROFILE", tt.profile,
				"AWS_CONFIG_FILE", conf, "AWS_SHARED_CREDENTIALS_FILE", dir+"/none", "HOME", dir), SettingsView{})
			if llm.KindOf(err) != llm.ErrConfig {
				t.Fatalf("error %v, want ErrConfig", err)
			}
			mustContain(t, "error", err.Error(), tt.want...)
		})
	}
}

func TestParseBool(t *testing.T) {
	for _, tt := range []struct {
		in     string
		on, ok bool
	}{{"1", true, true}, {"TRUE", true, true}, {" yes ", true, true}, {"On", true, true},
		{"", false, true}, {"0", false, true}, {"False", false, true}, {"no", false, true}, {"off", false, true},
		{"maybe", false, false}, {"2", false, false}} {
		on, ok := parseBool(tt.in)
		if on != tt.on || ok != tt.ok {
			t.Errorf("parseBool(%q) = %v,%v want %v,%v", tt.in, on, ok, tt.on, tt.ok)
		}
	}
}

func TestLoadConfigValues(t *testing.T) {
	base := []string{"CLAUDE_CODE_USE_BEDROCK", "1", "AWS_REGION", "us-east-1", "HOME", "/nonexistent"}
	tests := []struct {
		name  string
		env   []string
		check func(t *testing.T, c *Config)
	}{
		{"defaults", nil, func(t *testing.T, c *Config) {
			if c.MaxRetries != 10 || c.StreamIdleTimeout != 120*time.Second || c.MaxThinkingTokens != -1 ||
				c.MaxOutputTokens != 0 || c.DisablePromptCaching || c.SkipAuth || c.BaseURL != "" {
				t.Errorf("defaults: %+v", *c)
			}
		}},
		{"limits", []string{"CLAUDE_CODE_MAX_OUTPUT_TOKENS", "4096", "MAX_THINKING_TOKENS", "0",
			"CLAUDE_CODE_MAX_RETRIES", "3", "CLAUDE_STREAM_IDLE_TIMEOUT_MS", "1500", "DISABLE_PROMPT_CACHING", "1"},
			func(t *testing.T, c *Config) {
				if c.MaxOutputTokens != 4096 || c.MaxThinkingTokens != 0 || c.MaxRetries != 3 ||
					c.StreamIdleTimeout != 1500*time.Millisecond || !c.DisablePromptCaching {
					t.Errorf("limits: %+v", *c)
				}
			}},
		{"base URL keeps its prefix", []string{"ANTHROPIC_BEDROCK_BASE_URL", "https://gw.example.com/x/"},
			func(t *testing.T, c *Config) {
				if c.BaseURL != "https://gw.example.com/x" {
					t.Errorf("base URL %q", c.BaseURL)
				}
			}},
		{"skip auth and headers", []string{"CLAUDE_CODE_SKIP_BEDROCK_AUTH", "1",
			"ANTHROPIC_CUSTOM_HEADERS", "X-Gateway-Key: k-123456789\nX-Team:  core \n\n"},
			func(t *testing.T, c *Config) {
				if !c.SkipAuth || c.CustomHeaders.Get("X-Gateway-Key") != "k-123456789" || c.CustomHeaders.Get("X-Team") != "core" {
					t.Errorf("got %v %v", c.SkipAuth, c.CustomHeaders)
				}
			}},
		{"bearer", []string{"AWS_BEARER_TOKEN_BEDROCK", "  "}, func(t *testing.T, c *Config) {
			if c.BearerToken != "" {
				t.Errorf("a blank token counts as unset (B11)")
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := LoadConfig(mapEnv(append(base, tt.env...)...), SettingsView{Now: fixedNow})
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, cfg)
		})
	}
}

func TestLoadConfigErrors(t *testing.T) {
	base := []string{"CLAUDE_CODE_USE_BEDROCK", "1", "AWS_REGION", "us-east-1", "HOME", "/nonexistent"}
	tests := []struct {
		name string
		env  []string
		want []string
		not  string
	}{
		{"bad number", []string{"CLAUDE_CODE_MAX_RETRIES", "many"}, []string{"CLAUDE_CODE_MAX_RETRIES", "many"}, ""},
		{"negative tokens", []string{"CLAUDE_CODE_MAX_OUTPUT_TOKENS", "-5"}, []string{"CLAUDE_CODE_MAX_OUTPUT_TOKENS"}, ""},
		{"bad URL", []string{"ANTHROPIC_BEDROCK_BASE_URL", "gw.example.com"}, []string{"ANTHROPIC_BEDROCK_BASE_URL"}, ""},
		{"bad header, value not shown", []string{"ANTHROPIC_CUSTOM_HEADERS", "X-Ok: 1\nsecret-value-no-colon"},
			[]string{"ANTHROPIC_CUSTOM_HEADERS", "line 2"}, "secret-value-no-colon"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadConfig(mapEnv(append(base, tt.env...)...), SettingsView{Now: fixedNow})
			if llm.KindOf(err) != llm.ErrConfig {
				t.Fatalf("error %v, want ErrConfig", err)
			}
			mustContain(t, "error", err.Error(), tt.want...)
			mustNotContain(t, "error", err.Error(), tt.not)
		})
	}
}

// B22: --model > ANTHROPIC_MODEL > settings model > default; aliases resolve.
func TestLoadConfigModelPrecedence(t *testing.T) {
	def := models.Default(models.RoleMain, "us-east-1", fixedNow)
	sonnet, _ := models.ResolveAlias("sonnet", "eu-west-1", fixedNow)
	tests := []struct {
		name       string
		env        []string
		s          SettingsView
		wantModel  string
		wantSource string
	}{
		{"default", nil, SettingsView{}, def, "default for us-east-1"},
		{"settings", nil, SettingsView{Model: "us.anthropic.claude-opus-4-1-20250805-v1:0", ModelSource: "/p/settings.json"},
			"us.anthropic.claude-opus-4-1-20250805-v1:0", "/p/settings.json"},
		{"env over settings", []string{"ANTHROPIC_MODEL", "anthropic.claude-haiku-4-5-20251001-v1:0"},
			SettingsView{Model: "x"}, "anthropic.claude-haiku-4-5-20251001-v1:0", "ANTHROPIC_MODEL"},
		{"flag over env", []string{"ANTHROPIC_MODEL", "x"}, SettingsView{FlagModel: "arn:aws:bedrock:us-east-2:123456789012:application-inference-profile/abc"},
			"arn:aws:bedrock:us-east-2:123456789012:application-inference-profile/abc", "--model"},
		{"alias in region", []string{"AWS_REGION", "eu-west-1", "ANTHROPIC_MODEL", "Sonnet"}, SettingsView{}, sonnet, "alias"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := append([]string{"CLAUDE_CODE_USE_BEDROCK", "1", "AWS_REGION", "us-east-1", "HOME", "/nonexistent"}, tt.env...)
			tt.s.Now = fixedNow
			cfg, err := LoadConfig(mapEnv(env...), tt.s)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Model != tt.wantModel {
				t.Errorf("model %q, want %q", cfg.Model, tt.wantModel)
			}
			mustContain(t, "model source", cfg.ModelSource, tt.wantSource)
			if cfg.SmallFastModel == "" {
				t.Errorf("no small/fast model")
			}
		})
	}
}

func TestLoadConfigSmallFastModelUsesItsRegion(t *testing.T) {
	cfg, err := LoadConfig(mapEnv("CLAUDE_CODE_USE_BEDROCK", "1", "AWS_REGION", "us-east-1",
		"ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION", "eu-west-1", "HOME", "/nonexistent"), SettingsView{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	if want := models.Default(models.RoleSmallFast, "eu-west-1", fixedNow); cfg.SmallFastModel != want {
		t.Errorf("small/fast model %q, want %q", cfg.SmallFastModel, want)
	}
	if !strings.HasPrefix(cfg.SmallFastModel, "eu.") && !strings.HasPrefix(cfg.SmallFastModel, "global.") {
		t.Errorf("small/fast default %q is not derived for eu-west-1", cfg.SmallFastModel)
	}
}

// B21: an explicit retired model is sent as given, with a warning naming its successor.
func TestLoadConfigRetiredModelWarns(t *testing.T) {
	const retired = "us.anthropic.claude-3-7-sonnet-20250219-v1:0"
	cfg, err := LoadConfig(mapEnv("CLAUDE_CODE_USE_BEDROCK", "1", "AWS_REGION", "us-east-1", "HOME", "/nonexistent",
		"ANTHROPIC_MODEL", retired), SettingsView{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Model != retired {
		t.Errorf("model %q, want it kept as %q", cfg.Model, retired)
	}
	m, _ := models.Lookup(retired)
	next, ok := models.Successor(m, fixedNow)
	if !ok {
		t.Fatal("catalog has no successor for 3.7 Sonnet")
	}
	if len(cfg.Warnings) != 1 {
		t.Fatalf("warnings %q", cfg.Warnings)
	}
	mustContain(t, "warning", cfg.Warnings[0], retired, "retired", next.BaseID)
}

// The bearer token and header values never print, whatever the verb.
func TestConfigFormatMasksSecrets(t *testing.T) {
	const token, key = "bearer-secret-token-123456", "gateway-key-987654321"
	cfg, err := LoadConfig(mapEnv("CLAUDE_CODE_USE_BEDROCK", "1", "AWS_REGION", "us-east-1", "HOME", "/nonexistent",
		"AWS_BEARER_TOKEN_BEDROCK", token, "ANTHROPIC_CUSTOM_HEADERS", "X-Key: "+key), SettingsView{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		for _, v := range []any{cfg, *cfg} {
			out := fmt.Sprintf(verb, v)
			mustNotContain(t, verb, out, token, key)
			mustContain(t, verb, out, "Bedrock API key", "X-Key")
		}
	}
	var all strings.Builder
	for _, f := range cfg.Describe() {
		all.WriteString(f.Label + ": " + f.Value + "\n")
	}
	mustNotContain(t, "Describe", all.String(), token, key)
	mustContain(t, "Describe", all.String(), "us-east-1 (from AWS_REGION)", "Bedrock API key (AWS_BEARER_TOKEN_BEDROCK)")
}

func TestDescribeCredentialSource(t *testing.T) {
	dir := t.TempDir()
	e := &testEnv{t: t, dir: dir}
	conf := e.write("config", "[profile sso]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = r\n"+
		"[sso-session corp]\nsso_start_url = https://x\nsso_region = us-east-1\n"+
		"[profile proc]\ncredential_process = /bin/creds\n")
	tests := []struct {
		env  []string
		s    SettingsView
		want string
	}{
		{[]string{"AWS_PROFILE", "sso"}, SettingsView{}, `AWS profile "sso" (sso)`},
		{[]string{"AWS_PROFILE", "proc"}, SettingsView{}, `AWS profile "proc" (credential_process)`},
		{[]string{"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"}, SettingsView{}, "access keys from the environment"},
		{nil, SettingsView{AWSCredentialExport: "x", AWSCredentialExportSource: "/s.json"}, "awsCredentialExport command (from /s.json)"},
		{[]string{"CLAUDE_CODE_SKIP_BEDROCK_AUTH", "1"}, SettingsView{}, "not signed"},
		{nil, SettingsView{}, "AWS default chain"},
	}
	for _, tt := range tests {
		env := append([]string{"CLAUDE_CODE_USE_BEDROCK", "1", "AWS_REGION", "us-east-1", "HOME", dir,
			"AWS_CONFIG_FILE", conf}, tt.env...)
		tt.s.Now = fixedNow
		cfg, err := LoadConfig(mapEnv(env...), tt.s)
		if err != nil {
			t.Fatal(err)
		}
		mustContain(t, "credential source", cfg.CredentialSource(), tt.want)
	}
}

func TestLoadConfigARNInAnotherRegionWarns(t *testing.T) {
	cfg, err := LoadConfig(mapEnv("CLAUDE_CODE_USE_BEDROCK", "1", "AWS_REGION", "us-east-1", "HOME", "/nonexistent",
		"ANTHROPIC_MODEL", "arn:aws:bedrock:us-east-2:123456789012:application-inference-profile/abc"), SettingsView{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Warnings) != 1 {
		t.Fatalf("warnings %q", cfg.Warnings)
	}
	mustContain(t, "warning", cfg.Warnings[0], "us-east-2", "ANTHROPIC_MODEL", "export AWS_REGION=us-east-2")
}

// ANTHROPIC_DEFAULT_<FAMILY>_MODEL pins what an alias means and the role defaults that follow
// the alias (sonnet for the main model, haiku for small/fast), wherever the alias is named.
func TestLoadConfigPins(t *testing.T) {
	const opus45 = "us.anthropic.claude-opus-4-5-20251101-v1:0"
	const arn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc"
	tests := []struct {
		name            string
		env             []string
		flag            string
		wantMain        string
		wantSmall       string
		wantMainChoice  Choice
		wantSourcePiece string
	}{
		{"opus pin with --model opus", []string{"ANTHROPIC_DEFAULT_OPUS_MODEL", opus45}, "opus",
			opus45, "us.anthropic.claude-haiku-4-5-20251001-v1:0", ChoiceAlias, `alias "opus"`},
		{"opus[1m] keeps the suffix on the pin", []string{"ANTHROPIC_DEFAULT_OPUS_MODEL", opus45}, "opus[1m]",
			opus45 + "[1m]", "us.anthropic.claude-haiku-4-5-20251001-v1:0", ChoiceAlias, "--model"},
		{"sonnet pin is the default", []string{"ANTHROPIC_DEFAULT_SONNET_MODEL", arn}, "",
			arn, "us.anthropic.claude-haiku-4-5-20251001-v1:0", ChoiceExplicit, "ANTHROPIC_DEFAULT_SONNET_MODEL"},
		{"haiku pin is the small/fast default", []string{"ANTHROPIC_DEFAULT_HAIKU_MODEL", "  global.anthropic.claude-haiku-4-5-20251001-v1:0 "}, "sonnet",
			"us.anthropic.claude-sonnet-4-5-20250929-v1:0", "global.anthropic.claude-haiku-4-5-20251001-v1:0", ChoiceAlias, "sonnet"},
		{"unpinned alias", nil, "opus", "us.anthropic.claude-opus-4-6-v1", "us.anthropic.claude-haiku-4-5-20251001-v1:0", ChoiceAlias, "opus"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := append([]string{"CLAUDE_CODE_USE_BEDROCK", "1", "AWS_REGION", "us-east-1", "HOME", t.TempDir()}, tt.env...)
			cfg, err := LoadConfig(mapEnv(env...), SettingsView{FlagModel: tt.flag, Now: fixedNow})
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Model != tt.wantMain || cfg.SmallFastModel != tt.wantSmall {
				t.Errorf("models %q, %q; want %q, %q", cfg.Model, cfg.SmallFastModel, tt.wantMain, tt.wantSmall)
			}
			if cfg.ModelChoice != tt.wantMainChoice || !strings.Contains(cfg.ModelSource, tt.wantSourcePiece) {
				t.Errorf("choice %v from %q; want %v from something naming %q", cfg.ModelChoice, cfg.ModelSource, tt.wantMainChoice, tt.wantSourcePiece)
			}
			// The client resolves an alias named later (a sub-agent, /model) with the same pins.
			if id, _, _ := cfg.Resolver("us-east-1", fixedNow).Alias("opus"); len(tt.env) > 0 && tt.env[0] == "ANTHROPIC_DEFAULT_OPUS_MODEL" && id != opus45 {
				t.Errorf("Resolver ignores the opus pin: %q", id)
			}
		})
	}
}

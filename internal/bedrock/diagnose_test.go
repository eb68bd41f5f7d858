package bedrock

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/llm"
)

const ssoConfig = "[profile corp]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n" +
	"[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n"

// writeSSOToken caches a token for SSO session name under home, as `aws sso login` does.
func writeSSOToken(t *testing.T, home, name, expiresAt string) string {
	t.Helper()
	sum := sha1.Sum([]byte(name))
	p := filepath.Join(home, ".aws", "sso", "cache", hex.EncodeToString(sum[:])+".json")
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(`{"accessToken":"sso-secret-token","expiresAt":"`+expiresAt+`","region":"us-east-1"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Credentials are checked without a request to Bedrock and without awsAuthRefresh; failures
// carry the fix, never a secret.
func TestCheckCredentials(t *testing.T) {
	past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	future := time.Now().Add(2 * time.Hour).UTC().Truncate(time.Second)
	tests := []struct {
		name       string
		setup      func(t *testing.T, e *testEnv) SettingsView
		loaded     bool
		expires    time.Time
		wantErr    []string
		wantSource string
	}{
		{"environment keys", func(t *testing.T, e *testEnv) SettingsView {
			e.keys(envKey, envSecret, "")
			return SettingsView{}
		}, true, time.Time{}, nil, "AWS_ACCESS_KEY_ID"},
		{"export with expiry", func(t *testing.T, e *testEnv) SettingsView {
			return SettingsView{AWSCredentialExport: script(t, e.dir, "export.sh",
				`echo '`+exportJSONFor(envKey, envSecret, future.Format(time.RFC3339))+`'`)}
		}, true, future, nil, "awsCredentialExport"},
		{"export fails", func(t *testing.T, e *testEnv) SettingsView {
			return SettingsView{AWSCredentialExport: script(t, e.dir, "export.sh", "echo 'no session' >&2\nexit 3\n"),
				AWSCredentialExportSource: "/home/u/.claude/settings.json"}
		}, false, time.Time{}, []string{"awsCredentialExport", "exit status 3", "no session", "/home/u/.claude/settings.json"}, "awsCredentialExport"},
		{"export expired", func(t *testing.T, e *testEnv) SettingsView {
			return SettingsView{AWSCredentialExport: script(t, e.dir, "export.sh", `echo '`+exportJSONFor(envKey, envSecret, past)+`'`)}
		}, true, time.Time{}, []string{"expired at"}, "awsCredentialExport"},
		{"expired SSO session", func(t *testing.T, e *testEnv) SettingsView {
			e.set("AWS_PROFILE", "corp")
			e.write("aws-config", ssoConfig)
			writeSSOToken(t, e.dir, "corp", past)
			return SettingsView{}
		}, false, time.Time{}, []string{"aws sso login --profile corp"}, `AWS profile "corp" (sso)`},
		{"API key", func(t *testing.T, e *testEnv) SettingsView {
			e.set("AWS_BEARER_TOKEN_BEDROCK", bearerTok)
			return SettingsView{}
		}, false, time.Time{}, nil, "AWS_BEARER_TOKEN_BEDROCK"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t)
			s := tt.setup(t, e)
			c, err := New(context.Background(), e.config(s), fastOptions(nil))
			if err != nil {
				t.Fatal(err)
			}
			cs := c.CheckCredentials(context.Background())
			if cs.Loaded != tt.loaded && tt.wantErr == nil {
				t.Errorf("Loaded %v, want %v", cs.Loaded, tt.loaded)
			}
			if !tt.expires.IsZero() && !cs.Expires.Equal(tt.expires) {
				t.Errorf("Expires %v, want %v", cs.Expires, tt.expires)
			}
			mustContain(t, "source", cs.Source, tt.wantSource)
			if tt.wantErr == nil {
				if cs.Err != nil {
					t.Fatalf("error %v", cs.Err)
				}
				return
			}
			if llm.KindOf(cs.Err) != llm.ErrCredentials {
				t.Fatalf("error %v, want ErrCredentials", cs.Err)
			}
			mustContain(t, "error", cs.Err.Error(), tt.wantErr...)
			mustNotContain(t, "error", cs.Err.Error(), envSecret, bearerTok, "sso-secret-token")
		})
	}
}

func TestSSOExpiry(t *testing.T) {
	e := newTestEnv(t)
	e.set("AWS_PROFILE", "corp")
	e.write("aws-config", ssoConfig)
	cfg := e.config(SettingsView{})
	if cfg.SSOSession != "corp" {
		t.Fatalf("SSOSession %q", cfg.SSOSession)
	}
	if _, err := cfg.SSOExpiry(); err == nil || !strings.Contains(err.Error(), "no sign-in for SSO session \"corp\"") {
		t.Errorf("without a token: %v", err)
	}
	p := writeSSOToken(t, e.dir, "corp", "2026-11-24T18:30:00Z")
	if p != cfg.SSOTokenFile {
		t.Errorf("token file %s, want %s", cfg.SSOTokenFile, p)
	}
	got, err := cfg.SSOExpiry()
	if err != nil || !got.Equal(time.Date(2026, 11, 24, 18, 30, 0, 0, time.UTC)) {
		t.Errorf("SSOExpiry = %v, %v", got, err)
	}
	if err := os.WriteFile(p, []byte(`{"accessToken":"x"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := cfg.SSOExpiry(); err == nil || strings.Contains(err.Error(), `"x"`) {
		t.Errorf("token without expiry: %v", err)
	}
	plain := &Config{Profile: "default"}
	if _, err := plain.SSOExpiry(); err == nil {
		t.Error("a profile without SSO has an expiry")
	}
}

// InspectConfig reads everything it can around a broken part.
func TestInspectConfig(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "config")
	if err := os.WriteFile(conf, []byte("[profile dev]\nregion = eu-west-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, problems := InspectConfig(mapEnv("CLAUDE_CODE_USE_BEDROCK", "1", "AWS_PROFILE", "dev", "AWS_CONFIG_FILE", conf,
		"HOME", dir, "CLAUDE_CODE_MAX_OUTPUT_TOKENS", "lots"), SettingsView{AWSAuthRefresh: "aws sso login", Now: fixedNow})
	if len(problems) != 2 || problems[PartRegion] == nil || problems[PartLimits] == nil {
		t.Fatalf("problems %v", problems)
	}
	mustContain(t, "region problem", problems[PartRegion].Error(), "export AWS_REGION=eu-west-1")
	if !cfg.Enabled || cfg.ProfileRegion != "eu-west-1" || cfg.AuthRefresh != "aws sso login" || cfg.Model == "" ||
		cfg.RequestTimeout != DefaultRequestTimeout || cfg.StreamIdleTimeout != DefaultStreamIdleTimeout {
		t.Errorf("config not read around the problems: %+v", cfg)
	}
	if _, err := LoadConfig(mapEnv("CLAUDE_CODE_USE_BEDROCK", "1", "HOME", dir), SettingsView{}); llm.KindOf(err) != llm.ErrConfig {
		t.Errorf("LoadConfig without a region: %v", err)
	}
}

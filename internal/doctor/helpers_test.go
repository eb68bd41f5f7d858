package doctor

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/bedrock"
	"github.com/strata-agent/strata/internal/bedrocksim"
)

// Test credentials the emulator accepts. They are not real.
const (
	testKey    = "AKIADOCTORTEST000001"
	testSecret = "doctor-test-secret-0123456789"
)

// awsVars are cleared for every test, so the developer's environment cannot leak in.
var awsVars = []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
	"AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_BEARER_TOKEN_BEDROCK",
	"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
	"AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_BEDROCK_RUNTIME",
	"AWS_ENDPOINT_URL_BEDROCK", "CLAUDE_CODE_USE_BEDROCK", "ANTHROPIC_MODEL", "ANTHROPIC_SMALL_FAST_MODEL",
	"ANTHROPIC_MODEL_BASE", "ANTHROPIC_SMALL_FAST_MODEL_BASE", "ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION",
	"ANTHROPIC_BEDROCK_BASE_URL", "CLAUDE_CODE_SKIP_BEDROCK_AUTH", "ANTHROPIC_CUSTOM_HEADERS",
	"DISABLE_PROMPT_CACHING", "CLAUDE_CODE_MAX_OUTPUT_TOKENS", "MAX_THINKING_TOKENS", "CLAUDE_CODE_MAX_RETRIES",
	"CLAUDE_STREAM_IDLE_TIMEOUT_MS", "API_TIMEOUT_MS"}

// testEnv is a process environment for one test (the AWS SDK reads the real one, so tests
// using it do not run in parallel): a temporary home, empty AWS files, Bedrock on in
// us-east-1 with the test keys.
type testEnv struct {
	t   testing.TB
	dir string
}

func newTestEnv(t testing.TB) *testEnv {
	t.Helper()
	e := &testEnv{t: t, dir: t.TempDir()}
	for _, v := range awsVars {
		e.set(v, "")
	}
	e.set("HOME", e.dir)
	e.set("AWS_EC2_METADATA_DISABLED", "true")
	e.set("AWS_CONFIG_FILE", e.write("aws-config", ""))
	e.set("AWS_SHARED_CREDENTIALS_FILE", e.write("aws-credentials", ""))
	e.set("CLAUDE_CODE_USE_BEDROCK", "1")
	e.set("AWS_REGION", "us-east-1")
	e.set("AWS_ACCESS_KEY_ID", testKey)
	e.set("AWS_SECRET_ACCESS_KEY", testSecret)
	return e
}

// set sets or (with "") unsets a variable for the rest of the test.
func (e *testEnv) set(name, value string) {
	if tt, ok := e.t.(interface{ Setenv(string, string) }); ok {
		tt.Setenv(name, value)
	}
	if value == "" {
		os.Unsetenv(name)
	}
}

func (e *testEnv) write(name, content string) string {
	e.t.Helper()
	p := filepath.Join(e.dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o755); err != nil {
		e.t.Fatal(err)
	}
	return p
}

// sim starts an emulator that accepts the test keys and points the environment at it.
func (e *testEnv) sim(cfg bedrocksim.Config, script string) *bedrocksim.Server {
	e.t.Helper()
	cfg.Keys = append(cfg.Keys, bedrocksim.Credential{AccessKeyID: testKey, SecretAccessKey: testSecret})
	if script != "" {
		sc, err := bedrocksim.ParseScript([]byte(script), "script.json")
		if err != nil {
			e.t.Fatal(err)
		}
		cfg.Script = sc
	}
	srv, err := bedrocksim.Start(cfg)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { srv.Close() })
	e.set("ANTHROPIC_BEDROCK_BASE_URL", srv.URL())
	return srv
}

// onPath is a LookPath that knows only the listed programs.
func onPath(programs ...string) func(string) (string, error) {
	return func(file string) (string, error) {
		for _, p := range programs {
			if p == file {
				return "/usr/local/bin/" + file, nil
			}
		}
		if strings.Contains(file, "/") {
			if _, err := os.Stat(file); err == nil {
				return file, nil
			}
		}
		return "", errors.New("not found")
	}
}

// deps are the doctor's dependencies in the test environment.
func (e *testEnv) deps(s bedrock.SettingsView) Deps {
	return Deps{Getenv: os.Getenv, Settings: s, LookPath: onPath("aws"), Timeout: 20 * time.Second}
}

func (e *testEnv) run(s bedrock.SettingsView, adjust func(*Deps)) Report {
	d := e.deps(s)
	if adjust != nil {
		adjust(&d)
	}
	return Run(context.Background(), d)
}

// writeSSOToken caches a token for an SSO session, as `aws sso login` does.
func (e *testEnv) writeSSOToken(session, expiresAt string) {
	sum := sha1.Sum([]byte(session))
	e.write(filepath.Join(".aws", "sso", "cache", hex.EncodeToString(sum[:])+".json"),
		`{"accessToken":"sso-secret-token","expiresAt":"`+expiresAt+`","region":"us-east-1"}`)
}

// script writes an executable shell script and returns its path.
func (e *testEnv) script(name, body string) string {
	return e.write(name, "#!/bin/sh\n"+body)
}

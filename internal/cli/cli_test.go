package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/iostreams"
	"github.com/strata-agent/strata/internal/redact"
)

// testEnv is an environment with nothing from the real process: a temp home, and only the
// variables given.
func testEnv(t *testing.T, vars map[string]string) Env {
	t.Helper()
	home := t.TempDir()
	empty := filepath.Join(home, "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	all := map[string]string{"AWS_CONFIG_FILE": empty, "AWS_SHARED_CREDENTIALS_FILE": empty,
		"AWS_EC2_METADATA_DISABLED": "true", "XDG_STATE_HOME": filepath.Join(home, "state")}
	for k, v := range vars {
		all[k] = v
	}
	return Env{
		Getenv:  func(k string) string { return all[k] },
		Setenv:  func(k, v string) error { all[k] = v; return nil },
		Environ: func() []string { return nil },
		Home:    home, Cwd: t.TempDir(),
		Euid: 1000, // not root: tests of root's refusals set 0
	}
}

func run(t *testing.T, env Env, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	io, in, out, errOut := iostreams.Test()
	in.WriteString(stdin)
	code = Run(context.Background(), args, io, env)
	return code, out.String(), errOut.String()
}

func TestUsageErrorsExit2(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--bogus"}, "unknown flag"},
		{[]string{"-p", "--output-format", "xml", "hi"}, "--output-format must be"},
		{[]string{"-p", "--input-format", "stream-json", "hi"}, "needs --output-format stream-json"},
		{[]string{"-p", "--include-partial-messages", "hi"}, "needs --output-format stream-json"},
		{[]string{"-p", "--max-turns", "-1", "hi"}, "--max-turns"},
		{[]string{"-p", "-c", "-r", "11111111-2222-3333-4444-555555555555", "hi"}, "either --continue or --resume"},
		{[]string{"-p", "--session-id", "nope", "hi"}, "must be a UUID"},
		{[]string{"-r", "-p", "hi"}, "--resume needs a session ID"},
		{[]string{"-p", "hi", "-r"}, "--resume needs a session ID"},
		{[]string{"-p", "--strict-mcp-config", "hi"}, "--strict-mcp-config needs --mcp-config"},
		{[]string{"-p", "mcp", "add", "x", "y"}, "strata mcp is a command of its own, not a prompt"},
		{[]string{"-p", "plugin", "install", "x"}, `"plugin" is a Claude Code subcommand that strata does not have`},
		{[]string{"-p"}, "no prompt"},
		{[]string{"hello"}, "use print mode"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, stdout, stderr := run(t, testEnv(t, nil), "", tc.args...)
			if code != ExitUsage || !strings.Contains(stderr, tc.want) || stdout != "" {
				t.Fatalf("code %d, stdout %q, stderr %q; want exit 2 and %q", code, stdout, stderr, tc.want)
			}
		})
	}
}

func TestConfigurationErrorsExit1(t *testing.T) {
	cases := []struct {
		name string
		vars map[string]string
		want string
	}{
		{"bedrock off", map[string]string{"AWS_REGION": "us-east-1"}, "CLAUDE_CODE_USE_BEDROCK=1"},
		{"no region", map[string]string{"CLAUDE_CODE_USE_BEDROCK": "1"}, "AWS_REGION"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := run(t, testEnv(t, tc.vars), "", "-p", "hi")
			if code != ExitError || !strings.Contains(stderr, tc.want) || stdout != "" {
				t.Fatalf("code %d, stdout %q, stderr %q; want exit 1 naming %q", code, stdout, stderr, tc.want)
			}
		})
	}
}

func TestBrokenSettingsFileStopsWithPosition(t *testing.T) {
	env := testEnv(t, map[string]string{"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1"})
	dir := filepath.Join(env.Cwd, ".claude")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "settings.json"), []byte("{\n  \"model\": \"x\",\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, env, "", "-p", "hi")
	if code != ExitError || !strings.Contains(stderr, filepath.Join(dir, "settings.json")+":2:15: trailing comma") {
		t.Fatalf("code %d stderr %q", code, stderr)
	}
}

func TestSettingsEnvBlockTurnsBedrockOn(t *testing.T) {
	env := testEnv(t, nil)
	cfgDir := filepath.Join(env.Home, ".claude")
	if err := os.MkdirAll(cfgDir, 0o755); err != nil {
		t.Fatal(err)
	}
	// With Bedrock on from the env block but no region, strata must get as far as the region
	// check: proof that the block was applied before the AWS configuration loaded (B20).
	if err := os.WriteFile(filepath.Join(cfgDir, "settings.json"), []byte(`{"env":{"CLAUDE_CODE_USE_BEDROCK":"1"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, env, "", "-p", "hi")
	if code != ExitError || !strings.Contains(stderr, "AWS_REGION") {
		t.Fatalf("code %d stderr %q", code, stderr)
	}
}

func TestReadPrompt(t *testing.T) {
	cases := []struct{ arg, stdin, want string }{
		{"explain", "", "explain"},
		{"", "piped only\n", "piped only"},
		{"explain", "log line\n", "explain\n\nlog line"},
	}
	for _, tc := range cases {
		io, in, _, _ := iostreams.Test()
		in.WriteString(tc.stdin)
		got, err := readPrompt(&app{io: io}, tc.arg)
		if err != nil || got != tc.want {
			t.Errorf("readPrompt(%q, %q) = %q, %v; want %q", tc.arg, tc.stdin, got, err, tc.want)
		}
	}
}

func TestLooksLikeSessionID(t *testing.T) {
	for s, want := range map[string]bool{
		"11111111-2222-3333-4444-555555555555":  true,
		"11111111-2222-3333-4444-55555555555":   false,
		"1111111122223333444455555555555555555": false,
		"hello":                                 false,
	} {
		if got := looksLikeSessionID(s); got != want {
			t.Errorf("looksLikeSessionID(%q) = %v", s, got)
		}
	}
}

func TestHelpAndVersionTouchNothing(t *testing.T) {
	env := testEnv(t, nil)
	env.Getenv = func(k string) string { t.Errorf("--help read %s from the environment", k); return "" }
	for _, args := range [][]string{{"--help"}, {"--version"}, {"demo", "--help"}, {"sessions", "--help"}} {
		code, stdout, _ := run(t, env, "", args...)
		if code != ExitOK || stdout == "" {
			t.Errorf("%v: code %d, stdout %q", args, code, stdout)
		}
	}
}

// TestBareVersionAnswersAsTheFlagDoes: `strata --version` skips building the command tree;
// what it prints is what the flag prints among others.
func TestBareVersionAnswersAsTheFlagDoes(t *testing.T) {
	env := testEnv(t, nil)
	_, viaCobra, _ := run(t, env, "", "--version", "--verbose")
	for _, arg := range []string{"--version", "-v"} {
		if code, out, _ := run(t, env, "", arg); code != ExitOK || out != viaCobra || out == "" {
			t.Errorf("%s: code %d, %q; the flag among others prints %q", arg, code, out, viaCobra)
		}
	}
}

// TestResumeArgs: -r takes the word after it as its value, as the reference's command line
// does, so that `-r ID -p PROMPT` never drops the prompt.
func TestResumeArgs(t *testing.T) {
	cases := []struct{ in, want string }{
		{"-r abc -p hi", "--resume=abc -p hi"},
		{"-p --resume abc hi", "-p --resume=abc hi"},
		{"-r -p hi", "-r -p hi"},
		{"-r", "-r"},
		{"-r=abc hi", "-r=abc hi"},
		{"-p -- -r abc", "-p -- -r abc"},
	}
	for _, tc := range cases {
		if got := strings.Join(resumeArgs(strings.Fields(tc.in)), " "); got != tc.want {
			t.Errorf("resumeArgs(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

// brokenAWSProfile points the AWS SDK (which reads the process environment) at a profile that
// does not exist, so loading the AWS configuration fails.
func brokenAWSProfile(t *testing.T, env Env) {
	t.Setenv("AWS_CONFIG_FILE", env.Getenv("AWS_CONFIG_FILE"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", env.Getenv("AWS_SHARED_CREDENTIALS_FILE"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_PROFILE", "no-such-profile")
}

func transcriptsIn(t *testing.T, env Env) []string {
	t.Helper()
	found, err := filepath.Glob(filepath.Join(env.Home, ".claude", "projects", "*", "*.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// TestBrokenAWSConfigStopsBeforeAnySession: the AWS configuration loads while the rest of
// the start-up goes on, yet its failure is still the error reported, even when a step taken
// meanwhile fails too (here --plugin-dir, a usage error); no step that acts runs before it
// (the folder's sandbox settings would say something and start a probe), and the start
// leaves no transcript.
func TestBrokenAWSConfigStopsBeforeAnySession(t *testing.T) {
	for _, args := range [][]string{{"-p", "hi"}, {"-p", "--plugin-dir", "/no/such/plugin", "hi"}} {
		env := testEnv(t, map[string]string{"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1"})
		brokenAWSProfile(t, env)
		if err := os.MkdirAll(filepath.Join(env.Cwd, ".claude"), 0o700); err != nil {
			t.Fatal(err)
		}
		box := `{"sandbox": {"enabled": true, "failIfUnavailable": true}}`
		if err := os.WriteFile(filepath.Join(env.Cwd, ".claude", "settings.json"), []byte(box), 0o600); err != nil {
			t.Fatal(err)
		}
		code, stdout, stderr := run(t, env, "", args...)
		if code != ExitError || !strings.Contains(stderr, "Loading the AWS configuration failed") || stdout != "" {
			t.Fatalf("%v: code %d, stdout %q, stderr %q; want exit 1 naming the AWS configuration", args, code, stdout, stderr)
		}
		if strings.Contains(stderr, "sandbox") {
			t.Fatalf("%v: the sandbox was set up before the AWS configuration failed: %q", args, stderr)
		}
		if left := transcriptsIn(t, env); len(left) != 0 {
			t.Fatalf("%v: transcripts left behind: %v", args, left)
		}
	}
}

// TestFailedStartRemovesOnlyTheTranscriptItCreated: a start that fails after opening its
// transcript (an unknown --agent) removes a new one, and keeps a resumed one, empty or not.
func TestFailedStartRemovesOnlyTheTranscriptItCreated(t *testing.T) {
	env := testEnv(t, map[string]string{"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1"})
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_CONFIG_FILE", env.Getenv("AWS_CONFIG_FILE"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", env.Getenv("AWS_SHARED_CREDENTIALS_FILE"))
	if code, _, stderr := run(t, env, "", "-p", "--agent", "nosuch", "hi"); code == ExitOK || !strings.Contains(stderr, "nosuch") {
		t.Fatalf("code %d, stderr %q; want a failure naming the agent", code, stderr)
	}
	if left := transcriptsIn(t, env); len(left) != 0 {
		t.Fatalf("a new transcript was left behind: %v", left)
	}
	const id = "11111111-2222-3333-4444-555555555555"
	tr, err := sessionStore(env).Create(id, env.Cwd, redact.New())
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Close(); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run(t, env, "", "-p", "--resume", id, "--agent", "nosuch", "hi"); code == ExitOK {
		t.Fatalf("resume with an unknown agent succeeded: %s", stderr)
	}
	if _, err := os.Stat(tr.Path()); err != nil {
		t.Fatalf("the resumed transcript is gone: %v", err)
	}
}

// TestInterruptedRunSaysSo: a run whose context ends (Ctrl-C, SIGTERM) reports that it was
// interrupted, with exit 1, not the Go error text "context canceled".
func TestInterruptedRunSaysSo(t *testing.T) {
	env := testEnv(t, map[string]string{"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1",
		"ANTHROPIC_BEDROCK_BASE_URL": "http://127.0.0.1:1"})
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_CONFIG_FILE", env.Getenv("AWS_CONFIG_FILE"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", env.Getenv("AWS_SHARED_CREDENTIALS_FILE"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	io, _, out, errOut := iostreams.Test()
	code := Run(ctx, []string{"-p", "hi"}, io, env)
	if code != ExitError || strings.TrimSpace(errOut.String()) != "strata: interrupted" || out.Len() != 0 {
		t.Fatalf("code %d, stdout %q, stderr %q; want exit 1 and \"strata: interrupted\"", code, out, errOut)
	}
}

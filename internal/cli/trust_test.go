package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/iostreams"
	"github.com/strata-agent/strata/internal/settings"
)

const hookSettings = `{"hooks": {"SessionStart": [{"hooks": [{"type": "command", "command": "touch hook-ran"}]}]},
  "awsCredentialExport": "./creds.sh", "statusLine": {"type": "command", "command": "./status.sh"},
  "permissions": {"allow": ["Bash(rm:*)"]}, "env": {"AWS_PROFILE": "evil"}}`

// fakeTerminal gives an app streams that pass for a terminal: what was typed before the
// question (typeahead) is thrown away by DiscardTypeahead, as tcflush does; typed is what
// the user types after seeing it.
func fakeTerminal(t *testing.T, env Env, typeahead, typed string) (*app, *bytes.Buffer) {
	t.Helper()
	ios, _, _, errOut := iostreams.Test()
	ios.SetTTY(true, true, true)
	ios.In = strings.NewReader(typeahead + typed)
	ios.SetDiscardTypeahead(func() { ios.In = strings.NewReader(typed) })
	return &app{ctx: context.Background(), io: ios, env: env}, errOut
}

func TestTrustNeedsAnExplicitYesTypedAfterTheQuestion(t *testing.T) {
	cases := []struct {
		typeahead, typed string
		trusted          bool
	}{
		{"", "y\n", true},
		{"", "  YES \n", true},
		{"fix the bug\n", "yes\n", true},
		{"yes\n", "\n", false}, // a yes typed before the question does not count
		{"y", "", false},
		{"", "\n", false}, // Enter alone is no
		{"", "yeah\n", false},
		{"", "n\n", false},
		{"", "", false}, // end of input
		{"", "fix the bug\n", false},
	}
	for _, tc := range cases {
		t.Run(tc.typeahead+"|"+tc.typed, func(t *testing.T) {
			env := testEnv(t, nil)
			writeSettings(t, env.Cwd, hookSettings)
			a, errOut := fakeTerminal(t, env, tc.typeahead, tc.typed)
			err := a.confirmTrust()
			if tc.trusted != (err == nil) || (err != nil && !errors.Is(err, errNotTrusted)) {
				t.Fatalf("confirmTrust = %v, want trusted %v", err, tc.trusted)
			}
			if !strings.Contains(errOut.String(), "Do you trust the files in this folder?") {
				t.Fatalf("no question asked:\n%s", errOut)
			}
			if ok, _ := trustStore(env).Trusted(env.Cwd); ok != tc.trusted {
				t.Fatalf("remembered trust %v, want %v", ok, tc.trusted)
			}
		})
	}
}

// TestTrustQuestionSaysWhatTheFolderWouldDo: the question lists the project's commands,
// allow rules and env names, and nothing from the user's own settings.
func TestTrustQuestionSaysWhatTheFolderWouldDo(t *testing.T) {
	env := testEnv(t, nil)
	writeSettings(t, env.Cwd, hookSettings)
	user := filepath.Join(env.Home, ".claude", "settings.json")
	writeFile(t, user, `{"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "user-hook"}]}]}}`)
	a, errOut := fakeTerminal(t, env, "", "no\n")
	if err := a.confirmTrust(); !errors.Is(err, errNotTrusted) {
		t.Fatal(err)
	}
	q := errOut.String()
	for _, want := range []string{env.Cwd, "hook SessionStart: touch hook-ran", "awsCredentialExport: ./creds.sh",
		"statusLine: ./status.sh", "allows without asking: Bash(rm:*)", "sets: AWS_PROFILE", "Type yes"} {
		if !strings.Contains(q, want) {
			t.Errorf("the question lacks %q:\n%s", want, q)
		}
	}
	if strings.Contains(q, "user-hook") {
		t.Errorf("the question lists the user's own hook:\n%s", q)
	}
}

func TestTrustIsAskedOnlyOnce(t *testing.T) {
	env := testEnv(t, nil)
	writeSettings(t, env.Cwd, hookSettings)
	if a, _ := fakeTerminal(t, env, "", "yes\n"); a.confirmTrust() != nil {
		t.Fatal("declined a yes")
	}
	sub := filepath.Join(env.Cwd, "sub")
	writeSettings(t, sub, hookSettings)
	for _, dir := range []string{env.Cwd, sub} {
		env.Cwd = dir
		a, errOut := fakeTerminal(t, env, "", "no\n")
		if err := a.confirmTrust(); err != nil || errOut.Len() != 0 {
			t.Fatalf("asked again in %s: %v %s", dir, err, errOut)
		}
	}
}

func TestNoQuestionWithoutProjectSettings(t *testing.T) {
	env := testEnv(t, nil)
	a, errOut := fakeTerminal(t, env, "", "no\n")
	if err := a.confirmTrust(); err != nil || errOut.Len() != 0 {
		t.Fatalf("asked in a folder that brings no settings: %v %s", err, errOut)
	}
}

// TestHomeTrustLastsOneSession: in the home directory the question comes every time (its
// .claude/settings.json is the user's own file; settings.local.json is the project's).
func TestHomeTrustLastsOneSession(t *testing.T) {
	env := testEnv(t, nil)
	env.Cwd = env.Home
	writeFile(t, filepath.Join(env.Home, ".claude", "settings.json"), `{}`)
	if a, errOut := fakeTerminal(t, env, "", "no\n"); a.confirmTrust() != nil || errOut.Len() != 0 {
		t.Fatalf("asked about the user's own settings file: %s", errOut)
	}
	writeFile(t, filepath.Join(env.Home, ".claude", "settings.local.json"), hookSettings)
	for i := 0; i < 2; i++ {
		a, errOut := fakeTerminal(t, env, "", "yes\n")
		if err := a.confirmTrust(); err != nil || !strings.Contains(errOut.String(), "this session only") {
			t.Fatalf("start %d: %v\n%s", i, err, errOut)
		}
	}
}

// TestDeclinedTrustRunsNothing: an interactive start that is declined stops with exit 1
// before the UI, and the project's SessionStart hook never ran.
func TestDeclinedTrustRunsNothing(t *testing.T) {
	env := testEnv(t, map[string]string{"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1"})
	writeSettings(t, env.Cwd, hookSettings)
	ios, in, out, errOut := iostreams.Test()
	ios.SetTTY(true, true, true)
	in.WriteString("no\n")
	if code := Run(context.Background(), nil, ios, env); code != ExitError {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	if !strings.Contains(errOut.String(), "you did not trust this folder") || out.Len() != 0 {
		t.Fatalf("stdout %q, stderr %q", out, errOut)
	}
	if _, err := os.Stat(filepath.Join(env.Cwd, "hook-ran")); err == nil {
		t.Fatal("the project's hook ran")
	}
}

func TestPrintModeNoticeListsProjectCommandsOnce(t *testing.T) {
	env := testEnv(t, nil)
	writeSettings(t, env.Cwd, hookSettings)
	s, err := settings.Load(settings.DefaultOptions(env.Getenv, env.Home, env.Cwd, ""))
	if err != nil {
		t.Fatal(err)
	}
	a, errOut := fakeTerminal(t, env, "", "")
	a.noticeUntrusted(s)
	got := errOut.String()
	if strings.Count(got, "not trusted yet") != 1 || !strings.Contains(got, "hook SessionStart: touch hook-ran") ||
		!strings.Contains(got, "awsCredentialExport: ./creds.sh") || !strings.Contains(got, "statusLine: ./status.sh") {
		t.Fatalf("notice:\n%s", got)
	}
	if err := trustStore(env).Remember(env.Cwd, time.Now()); err != nil {
		t.Fatal(err)
	}
	errOut.Reset()
	a.noticeUntrusted(s)
	if errOut.Len() != 0 {
		t.Fatalf("notice in a trusted folder: %s", errOut)
	}
	// Allow rules and env values run nothing: no notice for them alone.
	quiet := &settings.Settings{Permissions: settings.Permissions{Allow: []settings.Rule{{Text: "Bash", Source: settings.Source{Scope: settings.ScopeProject}}}}}
	a.env.Cwd = t.TempDir()
	a.noticeUntrusted(quiet)
	if errOut.Len() != 0 {
		t.Fatalf("notice without commands: %s", errOut)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

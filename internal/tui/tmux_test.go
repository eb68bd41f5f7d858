package tui_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/bedrocksim"
)

// TestRealBinaryInTmux drives the real strata binary in a tmux pane against the emulator: a
// prompt, a Read, an Edit approved in the permission dialog and shown as a diff, /cost, and
// Ctrl-D — asserting on what the terminal shows.
func TestRealBinaryInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and drives a terminal")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "strata")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/strata-agent/strata/cmd/strata").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	project := filepath.Join(dir, "project")
	greeting := filepath.Join(project, "greeting.txt")
	mkdir(t, project)
	write(t, greeting, "Hello, world!\n")

	script := strings.ReplaceAll(`{"turns": [
	  {"when": {"user_text_contains": "greeting"}, "content": [
	    {"type": "text", "text": "I will read the file first."},
	    {"type": "tool_use", "name": "Read", "input": {"file_path": "FILE"}}]},
	  {"when": {"tool_result_contains": "Hello, world!"}, "content": [
	    {"type": "text", "text": "Now I change **world** to strata."},
	    {"type": "tool_use", "name": "Edit", "input": {"file_path": "FILE", "old_string": "world", "new_string": "strata"}}]},
	  {"when": {"tool_result_contains": "Hello, strata!"}, "content": "Done: the greeting now says *Hello, strata!*"}
	]}`, "FILE", greeting)
	sc, err := bedrocksim.ParseScript([]byte(script), "tmux.json")
	if err != nil {
		t.Fatal(err)
	}
	const keyID, secret = "AKIDTMUXTEST00000001", "tmux-test-secret"
	srv, err := bedrocksim.Start(bedrocksim.Config{Script: sc,
		Keys: []bedrocksim.Credential{{AccessKeyID: keyID, SecretAccessKey: secret}}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()

	empty := filepath.Join(dir, "empty")
	write(t, empty, "")
	env := []string{"PATH=/usr/bin:/bin", "TERM=xterm-256color", "HOME=" + filepath.Join(dir, "home"),
		"XDG_STATE_HOME=" + filepath.Join(dir, "state"), "CLAUDE_CONFIG_DIR=" + filepath.Join(dir, "claude"),
		"CLAUDE_CODE_USE_BEDROCK=1", "AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID=" + keyID,
		"AWS_SECRET_ACCESS_KEY=" + secret, "ANTHROPIC_BEDROCK_BASE_URL=" + srv.URL(),
		"AWS_EC2_METADATA_DISABLED=true", "AWS_CONFIG_FILE=" + empty, "AWS_SHARED_CREDENTIALS_FILE=" + empty}
	tm := &tmux{t: t, socket: filepath.Join(dir, "tmux.sock")}
	// The shell stays after strata exits, so the pane (and what strata left in it) can be read.
	command := "cd " + project + " && env -i " + strings.Join(env, " ") + " " + bin + "; echo STRATA-EXIT=$?; sleep 600"
	tm.run("new-session", "-d", "-s", "strata", "-x", "100", "-y", "40", command)
	defer tm.run("kill-server")

	tm.waitFor("the input box", "/help for commands")
	tm.run("send-keys", "-t", "strata", "fix the greeting", "Enter")
	screen := tm.waitFor("the permission dialog", "Edit a file?")
	for _, want := range []string{"> fix the greeting", "I will read the file first.", "Read(" + greeting + ")", "Read 1 line",
		"Now I change world to strata.", "1. Yes", "No, and tell the model", "Waiting for your answer"} {
		if !strings.Contains(screen, want) {
			t.Errorf("dialog screen lacks %q:\n%s", want, screen)
		}
	}
	// A new dialog ignores answers for a moment (keys typed ahead must not approve it), as a
	// person reading it would take that long anyway.
	time.Sleep(600 * time.Millisecond)
	tm.run("send-keys", "-t", "strata", "Enter")
	screen = tm.waitFor("the answer after the edit", "Done: the greeting now says Hello, strata!")
	for _, want := range []string{"● Edit(" + greeting + ")", "@@ -1 +1 @@", "-Hello, world!", "+Hello, strata!"} {
		if !strings.Contains(screen, want) {
			t.Errorf("screen lacks %q:\n%s", want, screen)
		}
	}
	if data, _ := os.ReadFile(greeting); string(data) != "Hello, strata!\n" {
		t.Errorf("greeting.txt is %q", data)
	}
	tm.run("send-keys", "-t", "strata", "/cost", "Enter")
	screen = tm.waitFor("the cost", "Total: $")
	for _, want := range []string{"Session cost", "estimate", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "cache read"} {
		if !strings.Contains(screen, want) {
			t.Errorf("/cost lacks %q:\n%s", want, screen)
		}
	}
	tm.run("send-keys", "-t", "strata", "C-d")
	screen = tm.waitFor("the exit", "STRATA-EXIT=0")
	if !strings.Contains(screen, "Resume this session with: strata -r ") || !strings.Contains(screen, "+Hello, strata!") {
		t.Errorf("after exit the scrollback lacks the session or the resume hint:\n%s", screen)
	}
}

type tmux struct {
	t      *testing.T
	socket string
}

func (tm *tmux) run(args ...string) string {
	tm.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", tm.socket}, args...)...).CombinedOutput()
	if err != nil && args[0] != "kill-server" {
		tm.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// waitFor polls the pane, scrollback included, until it shows want.
func (tm *tmux) waitFor(what, want string) string {
	tm.t.Helper()
	deadline := time.Now().Add(30 * time.Second) // a guard against a hang, not a timing assertion
	for {
		screen := tm.run("capture-pane", "-p", "-t", "strata", "-S", "-200")
		if strings.Contains(screen, want) {
			return screen
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("gave up waiting for %s (%q); the pane shows:\n%s", what, want, screen)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func mkdir(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

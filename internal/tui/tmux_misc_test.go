package tui_test

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestEndpointDiesMidTurn: the endpoint stops while a tool runs. The retries that follow show
// the host that refuses and a countdown in the status line (not `Post "htt…`), and when they
// run out the advice is about the local server, not AWS's health dashboard.
func TestEndpointDiesMidTurn(t *testing.T) {
	dir := t.TempDir()
	project := filepath.Join(dir, "project")
	mkdir(t, project)
	mkdir(t, filepath.Join(dir, "claude"))
	write(t, filepath.Join(dir, "claude", "settings.json"), `{"env": {"CLAUDE_CODE_MAX_RETRIES": "3"}}`)
	script := `{"turns": [{"when": {"user_text_contains": "nap"}, "content": [
	  {"type": "tool_use", "name": "Bash", "input": {"command": "sleep 1", "description": "nap"}}]}]}`
	tm := startStrata(t, dir, project, script, 100, `--allowedTools 'Bash(sleep:*)'`)
	tm.waitFor("the input box", "/help for commands")
	tm.run("send-keys", "-t", "strata", "take a nap", "Enter")
	tm.waitFor("the tool running", "sleep 1")
	host := strings.TrimPrefix(tm.sim.URL(), "http://")
	tm.sim.Close()

	status := regexp.MustCompile(regexp.QuoteMeta(host) + `: connection refused, retrying in \d+(\.\d)?s \(\d/3\)`)
	screen := tm.waitScreen("the retry status", func(s string) bool { return status.MatchString(s) })
	if strings.Contains(screen, `Post "`) {
		t.Errorf("the status shows the SDK's request line:\n%s", screen)
	}
	screen = tm.waitFor("the final error", "is the local server")
	words := strings.Join(strings.Fields(screen), " ") // the error wraps at words
	for _, want := range []string{"at the local endpoint " + host, host + ": connection refused", "after 4 attempts"} {
		if !strings.Contains(words, want) {
			t.Errorf("the final error lacks %q:\n%s", want, screen)
		}
	}
	if strings.Contains(screen, "Health Dashboard") {
		t.Errorf("the advice for a local endpoint names AWS's dashboard:\n%s", screen)
	}
	tm.run("send-keys", "-t", "strata", "C-d")
	tm.waitFor("the exit", "STRATA-EXIT=0")
}

// TestContinueRestoresThePermissionMode: a session switched to accept-edits with Shift+Tab
// continues in it with -c; a mode on the command line wins over the saved one; a session
// that ran with bypassPermissions continues in the default mode, since bypassing needs the
// flag again.
func TestContinueRestoresThePermissionMode(t *testing.T) {
	dir := t.TempDir()
	project := filepath.Join(dir, "project")
	mkdir(t, project)
	script := `{"turns": [{"when": {"user_text_contains": "hello"}, "content": "Hello back."}]}`
	tm := startStrata(t, dir, project, script, 100)
	tm.waitFor("the input box", "/help for commands")
	tm.run("send-keys", "-t", "strata", "BTab")
	tm.waitScreen("accept edits", func(s string) bool { return strings.Contains(s, "accept edits") })
	tm.run("send-keys", "-t", "strata", "hello", "Enter")
	tm.waitFor("the answer", "Hello back.")
	tm.run("send-keys", "-t", "strata", "C-d")
	tm.waitFor("the exit", "STRATA-EXIT=0")

	for _, run := range []struct {
		args []string
		want string
	}{
		{[]string{"-c"}, "⏵⏵ accept edits"},
		{[]string{"-c", "--permission-mode", "plan"}, "plan mode"},
		// IS_SANDBOX: the tests may run as root, where bypassing is refused otherwise.
		{[]string{"-c", "--permission-mode", "bypassPermissions"}, "bypass permissions"},
		{[]string{"-c"}, "default mode"},
	} {
		tm.run("clear-history", "-t", "strata")
		start := strings.Replace(tm.strata, "env -i ", "env -i IS_SANDBOX=1 ", 1)
		tm.run("respawn-pane", "-k", "-t", "strata", start+" "+strings.Join(run.args, " ")+"; echo STRATA-EXIT=$?; sleep 600")
		screen := tm.waitScreen("the footer after "+strings.Join(run.args, " "), func(s string) bool {
			return strings.Contains(s, " estimated") && !strings.Contains(s, "STRATA-EXIT")
		})
		footer := screen[strings.LastIndex(screen, "────"):]
		if !strings.Contains(footer, run.want) {
			t.Errorf("after strata %s the footer lacks %q:\n%s", strings.Join(run.args, " "), run.want, screen)
		}
		if restored := strings.Contains(screen, "restored from the session"); restored != (run.want == "⏵⏵ accept edits") {
			t.Errorf("after strata %s the note on restoring is wrong:\n%s", strings.Join(run.args, " "), screen)
		}
		tm.run("send-keys", "-t", "strata", "C-d")
		tm.waitFor("the exit", "STRATA-EXIT=0")
	}
}

// TestEnterTypedDuringASlowStartSends: keys typed while strata starts (here a SessionStart
// hook that takes a second) keep Enter an Enter: the prompt is sent, not given a newline.
// After strata exits the terminal has its modes back.
func TestEnterTypedDuringASlowStartSends(t *testing.T) {
	dir := t.TempDir()
	project := filepath.Join(dir, "project")
	mkdir(t, project)
	mkdir(t, filepath.Join(dir, "claude"))
	write(t, filepath.Join(dir, "claude", "settings.json"),
		`{"hooks": {"SessionStart": [{"hooks": [{"type": "command", "command": "sleep 1"}]}]}}`)
	script := `{"turns": [{"when": {"user_text_contains": "early bird"}, "content": "Got it early."}]}`
	tm := startStrata(t, dir, project, script, 100)
	tty := strings.TrimSpace(tm.run("display-message", "-p", "-t", "strata", "#{pane_tty}"))
	modes := func() string {
		out, err := exec.Command("stty", "-a", "-F", tty).CombinedOutput()
		if err != nil {
			t.Skipf("stty cannot read the pane's terminal: %v\n%s", err, out)
		}
		return string(out)
	}
	// Type once strata is starting (it holds the keys) and before its UI reads them.
	tm.waitUntil("strata holding the keys", func(string) bool { return strings.Contains(modes(), "-icrnl") })
	tm.run("send-keys", "-t", "strata", "the early bird", "Enter")
	screen := tm.waitFor("the answer", "Got it early.")
	if !strings.Contains(screen, "> the early bird") {
		t.Errorf("the prompt is not shown as sent:\n%s", screen)
	}
	tm.run("send-keys", "-t", "strata", "C-d")
	tm.waitFor("the exit", "STRATA-EXIT=0")
	after := " " + strings.Join(strings.Fields(modes()), " ") + " "
	for _, want := range []string{" icrnl ", " echo ", " icanon "} {
		if !strings.Contains(after, want) {
			t.Errorf("after strata the terminal lacks %q: %s", want, after)
		}
	}
}

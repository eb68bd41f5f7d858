package tui_test

import (
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

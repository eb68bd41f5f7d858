package tui_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/bedrocksim"
	"github.com/strata-agent/strata/internal/proc/proctest"
)

// TestRealBinaryInTmux drives the real strata binary in a tmux pane against the emulator: a
// prompt, a Read, an Edit approved in the permission dialog and shown as a diff, /cost, and
// Ctrl-D — asserting on what the terminal shows.
func TestRealBinaryInTmux(t *testing.T) {
	dir := t.TempDir()
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
	tm := startStrata(t, dir, project, script, 100)

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

// TestLongCommandShowsWholeInTheDialog: a permission dialog for a 200-character command
// line whose last part deletes something shows all of it — wrapped, and each of its commands
// listed — at 80 columns and, after the terminal narrows, at 60.
func TestLongCommandShowsWholeInTheDialog(t *testing.T) {
	const long = "cd ./build && npm ci --no-audit --prefer-offline && npm run lint -- --fix && " +
		"npm test -- --coverage --runInBand && tar -czf dist.tgz ./dist ./docs ./README.md && " +
		"cp dist.tgz /tmp && rm -rf ./IMPORTANT"
	if len(long) != 200 {
		t.Fatalf("the command is %d characters", len(long))
	}
	dir := t.TempDir()
	project := filepath.Join(dir, "project")
	mkdir(t, filepath.Join(project, "IMPORTANT"))
	input, _ := json.Marshal(map[string]string{"command": long})
	script := `{"turns": [{"when": {"user_text_contains": "clean up"}, "content": [
	  {"type": "text", "text": "I will build, test and clean up."},
	  {"type": "tool_use", "name": "Bash", "input": ` + string(input) + `}]}]}`
	tm := startStrata(t, dir, project, script, 80)

	tm.waitFor("the input box", "/help for commands")
	tm.run("send-keys", "-t", "strata", "build and clean up", "Enter")
	for _, width := range []int{80, 60} {
		if width != 80 {
			tm.run("resize-window", "-t", "strata", "-x", strconv.Itoa(width))
		}
		screen := tm.waitUntil("the whole command at "+strconv.Itoa(width)+" columns", func(screen string) bool {
			return dialogCommand(screen, width) == long
		})
		for _, want := range []string{"It runs 7 commands:", "7. rm -rf ./IMPORTANT", "Bash(rm -rf ./IMPORTANT)", "settings.local.json"} {
			if !strings.Contains(screen, want) {
				t.Errorf("at %d columns the dialog lacks %q:\n%s", width, want, screen)
			}
		}
	}
	tm.run("send-keys", "-t", "strata", "Escape")
	tm.waitFor("the interruption", "Interrupted")
	if _, err := os.Stat(filepath.Join(project, "IMPORTANT")); err != nil {
		t.Errorf("the command ran without being approved: %v", err)
	}
	tm.run("send-keys", "-t", "strata", "C-d")
	tm.waitFor("the exit", "STRATA-EXIT=0")
}

// TestEscStopsAShellCommandWholly: `!sleep 100 & sleep 100` in the real binary, interrupted
// with Esc, leaves no process behind — neither bash, nor the sleep in the foreground, nor the
// one it sent to the background.
func TestEscStopsAShellCommandWholly(t *testing.T) {
	dir := t.TempDir()
	project := filepath.Join(dir, "project")
	mkdir(t, project)
	pids := filepath.Join(dir, "pids")
	tm := startStrata(t, dir, project, `{"turns": []}`, 100)
	tm.waitFor("the input box", "/help for commands")
	tm.run("send-keys", "-t", "strata", "!sleep 100 & echo $! $$ > "+pids+"; sleep 100", "Enter")
	tm.waitFor("the command running", "Running sleep 100")
	tm.waitUntil("the pids written", func(string) bool {
		data, _ := os.ReadFile(pids)
		return len(strings.Fields(string(data))) == 2
	})
	tm.run("send-keys", "-t", "strata", "Escape")
	tm.waitFor("the interruption", "interrupted")
	data, _ := os.ReadFile(pids)
	for _, f := range strings.Fields(string(data)) {
		pid, err := strconv.Atoi(f)
		if err != nil {
			t.Fatalf("pids file %q", data)
		}
		proctest.WaitGone(t, pid) // Esc's result is shown once the group is gone; this is a guard
	}
	tm.run("send-keys", "-t", "strata", "C-d")
	tm.waitFor("the exit", "STRATA-EXIT=0")
}

// dialogCommand reads the command of the last permission dialog on screen: the lines after
// its title up to the first empty one, each no wider than width, joined as they were wrapped
// (at spaces). "" when there is no such dialog.
func dialogCommand(screen string, width int) string {
	lines := strings.Split(screen, "\n")
	start := -1
	for i, l := range lines {
		if strings.Contains(l, "╭─ Run a command?") {
			start = i + 1
		}
	}
	if start < 0 {
		return ""
	}
	var words []string
	for _, l := range lines[start:] {
		l = strings.TrimRight(l, " ")
		if len([]rune(l)) > width || !strings.HasPrefix(l, "│") {
			return ""
		}
		text := strings.TrimSpace(strings.TrimPrefix(l, "│"))
		if text == "" {
			break
		}
		words = append(words, text)
	}
	return strings.Join(words, " ")
}

// startStrata builds strata and runs it in a tmux pane width columns wide, in project, against
// an emulator that follows script. The pane stays after strata exits, so that what it left
// behind can be read.
func startStrata(t *testing.T, dir, project, script string, width int) *tmux {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary and drives a terminal")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed")
	}
	bin := filepath.Join(dir, "strata")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/strata-agent/strata/cmd/strata").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
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
	t.Cleanup(func() { srv.Close() })

	empty := filepath.Join(dir, "empty")
	write(t, empty, "")
	env := []string{"PATH=/usr/bin:/bin", "TERM=xterm-256color", "HOME=" + filepath.Join(dir, "home"),
		"XDG_STATE_HOME=" + filepath.Join(dir, "state"), "CLAUDE_CONFIG_DIR=" + filepath.Join(dir, "claude"),
		"CLAUDE_CODE_USE_BEDROCK=1", "AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID=" + keyID,
		"AWS_SECRET_ACCESS_KEY=" + secret, "ANTHROPIC_BEDROCK_BASE_URL=" + srv.URL(),
		"AWS_EC2_METADATA_DISABLED=true", "AWS_CONFIG_FILE=" + empty, "AWS_SHARED_CREDENTIALS_FILE=" + empty}
	tm := &tmux{t: t, socket: filepath.Join(dir, "tmux.sock")}
	command := "cd " + project + " && env -i " + strings.Join(env, " ") + " " + bin + "; echo STRATA-EXIT=$?; sleep 600"
	tm.run("new-session", "-d", "-s", "strata", "-x", strconv.Itoa(width), "-y", "40", command)
	t.Cleanup(func() { tm.run("kill-server") })
	return tm
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
	return tm.waitUntil(what+" ("+strconv.Quote(want)+")", func(screen string) bool { return strings.Contains(screen, want) })
}

// waitUntil polls the pane, scrollback included, until ok accepts what it shows.
func (tm *tmux) waitUntil(what string, ok func(screen string) bool) string {
	tm.t.Helper()
	deadline := time.Now().Add(30 * time.Second) // a guard against a hang, not a timing assertion
	for {
		screen := tm.run("capture-pane", "-p", "-t", "strata", "-S", "-200")
		if ok(screen) {
			return screen
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("gave up waiting for %s; the pane shows:\n%s", what, screen)
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

// TestStatusLineAndOutputStyleInTmux: the user's statusLine command, fed the session's JSON,
// shows its first line in the footer of the real binary; after /output-style and a turn the
// line shows the new style.
func TestStatusLineAndOutputStyleInTmux(t *testing.T) {
	dir := t.TempDir()
	project := filepath.Join(dir, "project")
	mkdir(t, project)
	mkdir(t, filepath.Join(dir, "claude"))
	status := `grep -o '"output_style":{"name":"[^"]*"' | sed 's/.*"name":"/MY-STATUS style=/; s/"$//'`
	settings, _ := json.Marshal(map[string]any{"statusLine": map[string]any{"type": "command", "command": status}})
	write(t, filepath.Join(dir, "claude", "settings.json"), string(settings))
	script := `{"turns": [{"when": {"system_contains": "# Output style: Explanatory"}, "content": "Styled answer."},
	  {"content": "Plain answer."}]}`
	tm := startStrata(t, dir, project, script, 100)

	tm.waitFor("the status line", "MY-STATUS style=default")
	tm.run("send-keys", "-t", "strata", "/output-style Explanatory", "Enter")
	tm.waitFor("the switch", "Output style: Explanatory")
	tm.run("send-keys", "-t", "strata", "hello", "Enter")
	tm.waitFor("the styled answer", "Styled answer.")
	tm.waitFor("the refreshed status line", "MY-STATUS style=Explanatory")
	tm.run("send-keys", "-t", "strata", "C-d")
	tm.waitFor("the exit", "STRATA-EXIT=0")
}

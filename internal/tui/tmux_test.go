package tui_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
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
	  {"type": "tool_use", "name": "Bash", "input": ` + string(input) + `}]},
	  {"when": {"user_text_contains": "what now"}, "content": "I will wait."}]}`
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
	// The model learns that the user interrupted, not that a wait was cancelled.
	tm.run("send-keys", "-t", "strata", "what now", "Enter")
	tm.waitFor("the next answer", "I will wait.")
	reqs := tm.sim.Requests()
	body := string(reqs[len(reqs)-1].Body)
	if !strings.Contains(body, "The user interrupted the turn") || strings.Contains(body, "context canceled") {
		t.Errorf("the tool result does not say the user interrupted:\n%s", body)
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
func startStrata(t *testing.T, dir, project, script string, width int, args ...string) *tmux {
	t.Helper()
	return startStrataSized(t, dir, project, script, width, 40, args...)
}

// startStrataSized is startStrata in a pane of width×height, with strata's arguments args.
func startStrataSized(t *testing.T, dir, project, script string, width, height int, args ...string) *tmux {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary and drives a terminal")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed")
	}
	bin := strataBinary(t)
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
	tm.strata = "cd " + project + " && env -i " + strings.Join(env, " ") + " " + bin
	command := tm.strata + " " + strings.Join(args, " ") + "; echo STRATA-EXIT=$?; sleep 600"
	tm.run("new-session", "-d", "-s", "strata", "-x", strconv.Itoa(width), "-y", strconv.Itoa(height), command)
	tm.sim = srv
	t.Cleanup(func() { tm.run("kill-server") })
	return tm
}

// built is the strata binary the tmux tests share, built by the first that needs it.
var built struct {
	once sync.Once
	dir  string
	err  error
	out  []byte
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// strataBinary builds strata once for all the tmux tests of this run.
func strataBinary(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "strata-tmux-")
		if built.err == nil {
			built.out, built.err = exec.Command("go", "build", "-o", filepath.Join(built.dir, "strata"),
				"github.com/strata-agent/strata/cmd/strata").CombinedOutput()
		}
	})
	if built.err != nil {
		t.Fatalf("go build: %v\n%s", built.err, built.out)
	}
	return filepath.Join(built.dir, "strata")
}

type tmux struct {
	t      *testing.T
	socket string
	sim    *bedrocksim.Server
	strata string // the shell command that starts strata in the project, without arguments
}

// restart runs strata again in the pane, with args, once the last run has exited.
func (tm *tmux) restart(args ...string) {
	tm.t.Helper()
	tm.run("respawn-pane", "-k", "-t", "strata", tm.strata+" "+strings.Join(args, " ")+"; echo STRATA-EXIT=$?; sleep 600")
}

// paneHeight is the number of rows of the pane.
func (tm *tmux) paneHeight() int {
	n, err := strconv.Atoi(strings.TrimSpace(tm.run("display-message", "-p", "-t", "strata", "#{pane_height}")))
	if err != nil {
		tm.t.Fatal(err)
	}
	return n
}

// screen is what the pane shows now, without the scrollback.
func (tm *tmux) screen() string { return tm.run("capture-pane", "-p", "-t", "strata") }

// waitScreen polls the pane, without the scrollback, until ok accepts what it shows.
func (tm *tmux) waitScreen(what string, ok func(screen string) bool) string {
	tm.t.Helper()
	deadline := time.Now().Add(30 * time.Second) // a guard against a hang, not a timing assertion
	for {
		screen := tm.screen()
		if ok(screen) {
			return screen
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("gave up waiting for %s; the screen shows:\n%s", what, screen)
		}
		time.Sleep(50 * time.Millisecond)
	}
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

// TestLongOutputKeepsTheInputVisible: after /help, taller than the window, at 60x20 and —
// resized while strata runs — at 40x12, the input box and the footer are still at the
// bottom of the screen and what is typed shows in the box; all of /help reached the
// scrollback, in order.
func TestLongOutputKeepsTheInputVisible(t *testing.T) {
	dir := t.TempDir()
	project := filepath.Join(dir, "project")
	mkdir(t, project)
	tm := startStrataSized(t, dir, project, `{"turns": []}`, 60, 20)
	tm.waitFor("the input box", "/help for commands")
	for i, size := range [][2]int{{60, 20}, {40, 12}} {
		if i > 0 {
			tm.run("resize-window", "-t", "strata", "-x", strconv.Itoa(size[0]), "-y", strconv.Itoa(size[1]))
		}
		tm.run("send-keys", "-t", "strata", "/help", "Enter")
		typed := "typed after help " + strconv.Itoa(i)
		tm.run("send-keys", "-t", "strata", "-l", typed)
		screen := tm.waitScreen("the input box under /help at "+strconv.Itoa(size[0])+"x"+strconv.Itoa(size[1]),
			func(screen string) bool {
				// The input box and the footer under it, on the screen.
				lines := strings.Split(strings.TrimRight(screen, "\n "), "\n")
				n := len(lines)
				return n >= 4 && strings.HasPrefix(lines[n-3], "> "+typed) &&
					strings.HasPrefix(lines[n-1], "  Claude Sonnet") && strings.HasPrefix(lines[n-4], "────") &&
					strings.Contains(screen, "exits")
			})
		for _, l := range strings.Split(screen, "\n") {
			if w := len([]rune(strings.TrimRight(l, " "))); w > size[0] {
				t.Errorf("a line is %d wide at %d columns: %q", w, size[0], l)
			}
		}
		tm.run("send-keys", "-t", "strata", "C-u")
	}
	all := tm.run("capture-pane", "-p", "-t", "strata", "-S", "-400")
	for _, want := range []string{"⎿ Commands", "/compact [focus]", "/exit", "Keys", "exits"} {
		if strings.Count(all, want) != 2 {
			t.Errorf("the scrollback lacks %q of a /help:\n%s", want, all)
		}
	}
	if strings.Count(all, "shell · #note") != 1 || strings.Count(all, "#note adds a line") != 2 {
		t.Errorf("the scrollback lacks a line of /help:\n%s", all)
	}
	tm.run("send-keys", "-t", "strata", "C-d")
	tm.waitFor("the exit", "STRATA-EXIT=0")
}

// TestSlashMenu: typing / opens the menu of commands with their descriptions; what follows
// filters it fuzzily ("dpc" finds the project's /deploy-check, marked as the project's), and
// Enter runs the one selected — here a custom command, whose prompt reaches the model.
func TestSlashMenu(t *testing.T) {
	dir := t.TempDir()
	project := filepath.Join(dir, "project")
	mkdir(t, filepath.Join(project, ".claude", "commands"))
	write(t, filepath.Join(project, ".claude", "commands", "deploy-check.md"),
		"---\ndescription: check the deploy settings\n---\nPlease check the deploy settings of this project.\n")
	script := `{"turns": [{"when": {"user_text_contains": "check the deploy settings of this"}, "content": "The deploy settings look right."}]}`
	tm := startStrataSized(t, dir, project, script, 70, 20)
	tm.waitFor("the input box", "/help for commands")

	tm.run("send-keys", "-t", "strata", "/")
	screen := tm.waitScreen("the menu", func(s string) bool { return strings.Contains(s, "❯ /help") })
	for _, want := range []string{"these commands and the keys", "/compact [focus]", "summarise the conversation"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the menu lacks %q:\n%s", want, screen)
		}
	}
	tm.run("send-keys", "-t", "strata", "-l", "rsm")
	tm.waitScreen("/resume for rsm", func(s string) bool { return strings.Contains(s, "❯ /resume [id]") })
	tm.run("send-keys", "-t", "strata", "BSpace", "BSpace", "BSpace")
	tm.run("send-keys", "-t", "strata", "-l", "dpc")
	screen = tm.waitScreen("/deploy-check for dpc", func(s string) bool { return strings.Contains(s, "❯ /deploy-check") })
	if !strings.Contains(screen, "check the deploy settings (project)") {
		t.Errorf("the custom command lacks its description and source:\n%s", screen)
	}
	tm.run("send-keys", "-t", "strata", "Enter")
	tm.waitFor("the model's answer", "The deploy settings look right.")
	tm.run("send-keys", "-t", "strata", "C-d")
	tm.waitFor("the exit", "STRATA-EXIT=0")
}

// TestMentionAttachesTheFile: "@notes.txt" in a prompt sends the file with it, as a Read the
// user made — seen in the emulator's request log — while "@private.txt", which a deny rule
// hides from Read, is not attached and strata says why.
func TestMentionAttachesTheFile(t *testing.T) {
	dir := t.TempDir()
	project := filepath.Join(dir, "project")
	mkdir(t, filepath.Join(project, ".claude"))
	write(t, filepath.Join(project, "notes.txt"), "the password hint is pineapple\nsecond line\n")
	write(t, filepath.Join(project, "private.txt"), "launch code 4711\n")
	write(t, filepath.Join(project, ".claude", "settings.json"), `{"permissions": {"deny": ["Read(./private.txt)"]}}`)
	script := `{"turns": [{"when": {"user_text_contains": "pineapple"}, "content": "The hint is a fruit."}]}`
	tm := startStrata(t, dir, project, script, 100)
	tm.waitFor("the trust question", "Trust this folder?")
	tm.run("send-keys", "-t", "strata", "yes", "Enter")
	tm.waitFor("the input box", "/help for commands")
	tm.run("send-keys", "-t", "strata", "-l", "what do @notes.txt and @private.txt say?")
	tm.run("send-keys", "-t", "strata", "Enter")
	screen := tm.waitFor("the answer", "The hint is a fruit.")
	for _, want := range []string{"Read 2 lines from notes.txt", "@private.txt not attached: Denied by the permission rule Read(./private.txt)"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the screen lacks %q:\n%s", want, screen)
		}
	}
	var body string
	for _, r := range tm.sim.Requests() {
		body = string(r.Body)
	}
	for _, want := range []string{`Called the Read tool with the following input: {\"file_path\":\"` + filepath.Join(project, "notes.txt"),
		"Result of calling the Read tool:", "the password hint is pineapple"} {
		if !strings.Contains(body, want) {
			t.Errorf("the request lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "4711") {
		t.Errorf("the denied file reached the model:\n%s", body)
	}
	tm.run("send-keys", "-t", "strata", "C-d")
	tm.waitFor("the exit", "STRATA-EXIT=0")
}

// TestContinueReplaysTheConversation: `strata -c` shows the conversation it continues — the
// prompt, the tool call and the answer — before the input box, its cost goes on from where it
// stopped, and the model gets it all.
func TestContinueReplaysTheConversation(t *testing.T) {
	dir := t.TempDir()
	project := filepath.Join(dir, "project")
	greeting := filepath.Join(project, "greeting.txt")
	mkdir(t, project)
	write(t, greeting, "Hello, world!\n")
	script := strings.ReplaceAll(`{"turns": [
	  {"when": {"user_text_contains": "and now"}, "content": "Still a greeting."},
	  {"when": {"user_text_contains": "read the greeting"}, "content": [
	    {"type": "tool_use", "name": "Read", "input": {"file_path": "FILE"}}]},
	  {"when": {"tool_result_contains": "Hello, world!"}, "content": "It says **hello** to the world."}
	]}`, "FILE", greeting)
	tm := startStrata(t, dir, project, script, 100)
	tm.waitFor("the input box", "/help for commands")
	tm.run("send-keys", "-t", "strata", "please read the greeting", "Enter")
	tm.waitFor("the answer", "It says hello to the world.")
	tm.run("send-keys", "-t", "strata", "/cost", "Enter")
	cost := lastTotal(t, tm.waitFor("the cost", "Total: $"))
	tm.run("send-keys", "-t", "strata", "C-d")
	tm.waitFor("the exit", "STRATA-EXIT=0")

	tm.restart("-c")
	screen := tm.waitFor("the replay", "resumed here")
	footer := tm.waitScreen("the footer", func(s string) bool { return strings.Contains(s, " estimated") })
	if got := footerCost(t, footer); got != cost || cost == "$0.0000" {
		t.Errorf("the footer says %s after -c; the session had cost %s", got, cost)
	}
	tm.run("send-keys", "-t", "strata", "/cost", "Enter")
	if got := lastTotal(t, tm.waitScreen("the cost", func(s string) bool { return strings.Contains(s, "Total: $") })); got != cost {
		t.Errorf("/cost says %s after -c; the session had cost %s", got, cost)
	}
	_, screen, _ = strings.Cut(screen, "Continuing session") // the first run is still in the scrollback
	for _, want := range []string{"> please read the greeting", "● Read(" + greeting + ")", "Read 1 line",
		"It says hello to the world."} {
		if !strings.Contains(screen, want) {
			t.Errorf("the replay lacks %q:\n%s", want, screen)
		}
	}
	tm.run("send-keys", "-t", "strata", "and now?", "Enter")
	tm.waitFor("the next answer", "Still a greeting.")
	reqs := tm.sim.Requests()
	if body := string(reqs[len(reqs)-1].Body); !strings.Contains(body, "please read the greeting") || !strings.Contains(body, "It says **hello**") {
		t.Errorf("the continued request lacks the conversation:\n%s", body)
	}
	tm.run("send-keys", "-t", "strata", "C-d")
	tm.waitFor("the exit", "STRATA-EXIT=0")
}

// TestPickers: /resume offers the other saved sessions by their first prompt, age and size,
// narrowed by typing, and Enter switches to one and replays it; /model offers the aliases
// with what each resolves to, and Enter switches.
func TestPickers(t *testing.T) {
	dir := t.TempDir()
	project := filepath.Join(dir, "project")
	mkdir(t, project)
	script := `{"turns": [{"when": {"user_text_contains": "first task"}, "content": "Done with the first."}]}`
	tm := startStrataSized(t, dir, project, script, 100, 30)
	tm.waitFor("the input box", "/help for commands")
	tm.run("send-keys", "-t", "strata", "the first task", "Enter")
	tm.waitFor("the answer", "Done with the first.")
	tm.run("send-keys", "-t", "strata", "/clear", "Enter")
	tm.waitFor("the new conversation", "Started a new conversation")

	tm.run("send-keys", "-t", "strata", "/resume", "Enter")
	screen := tm.waitScreen("the resume picker", func(s string) bool { return strings.Contains(s, "❯ the first task") })
	for _, want := range []string{"Resume a session of this directory", "just now · 2 messages · ", "Enter chooses"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the resume picker lacks %q:\n%s", want, screen)
		}
	}
	tm.run("send-keys", "-t", "strata", "-l", "first")
	tm.run("send-keys", "-t", "strata", "Enter")
	screen = tm.waitFor("the resumed session", "resumed here")
	_, replay, _ := strings.Cut(screen, "Resumed session")
	if !strings.Contains(replay, "> the first task") || !strings.Contains(replay, "Done with the first.") {
		t.Errorf("the resumed session is not replayed:\n%s", screen)
	}

	tm.run("send-keys", "-t", "strata", "/model", "Enter")
	screen = tm.waitScreen("the model picker", func(s string) bool { return strings.Contains(s, "❯ sonnet") })
	if !strings.Contains(screen, "haiku  us.anthropic.claude-haiku") || !strings.Contains(screen, "(Claude Haiku") {
		t.Errorf("the model picker does not say what the aliases resolve to:\n%s", screen)
	}
	tm.run("send-keys", "-t", "strata", "-l", "haiku")
	tm.run("send-keys", "-t", "strata", "Enter")
	tm.waitFor("the switch", "Model set to us.anthropic.claude-haiku")
	tm.run("send-keys", "-t", "strata", "C-d")
	tm.waitFor("the exit", "STRATA-EXIT=0")
}

// TestColoursInToolOutput: a command's red stays red on the screen, while its other control
// sequences (a window title here) are shown as text, not obeyed; the answer's markdown table
// is drawn as a table.
func TestColoursInToolOutput(t *testing.T) {
	dir := t.TempDir()
	project := filepath.Join(dir, "project")
	mkdir(t, project)
	input, _ := json.Marshal(map[string]string{"command": `printf '\033[31mred text\033[0m plain \033]0;evil\007\n'`})
	script := `{"turns": [
	  {"when": {"user_text_contains": "colours"}, "content": [{"type": "tool_use", "name": "Bash", "input": ` + string(input) + `}]},
	  {"when": {"tool_result_contains": "red text"}, "content": "Printed.\n\n| Check | Result |\n|---|---|\n| colour | **red** |\n"}]}`
	tm := startStrata(t, dir, project, script, 100, "--allowedTools", "Bash")
	tm.waitFor("the input box", "/help for commands")
	tm.run("send-keys", "-t", "strata", "show colours", "Enter")
	tm.waitFor("the answer", "Printed.")
	screen := tm.run("capture-pane", "-p", "-e", "-t", "strata", "-S", "-100")
	if !regexp.MustCompile(`\x1b\[31m(\x1b\[[0-9;]*m)*red text`).MatchString(screen) {
		t.Errorf("the red is gone:\n%q", screen)
	}
	if !strings.Contains(screen, "␛]0;evil^G") {
		t.Errorf("the title sequence is not shown as text:\n%q", screen)
	}
	// The answer's markdown table is drawn as a table.
	plain := tm.run("capture-pane", "-p", "-t", "strata", "-S", "-100")
	for _, want := range []string{"┌────────┬────────┐", "│ Check  │ Result │", "│ colour │ red    │", "└────────┴────────┘"} {
		if !strings.Contains(plain, want) {
			t.Errorf("the table lacks %q:\n%s", want, plain)
		}
	}
	tm.run("send-keys", "-t", "strata", "C-d")
	tm.waitFor("the exit", "STRATA-EXIT=0")
}

// footerCost is the cost the footer shows ("$0.0123").
func footerCost(t *testing.T, screen string) string {
	t.Helper()
	m := regexp.MustCompile(`\$[0-9.]+ estimated`).FindAllString(screen, -1)
	if len(m) == 0 {
		t.Fatalf("no cost in the footer:\n%s", screen)
	}
	return strings.TrimSuffix(m[len(m)-1], " estimated")
}

// lastTotal is the total of the last /cost on screen.
func lastTotal(t *testing.T, screen string) string {
	t.Helper()
	m := regexp.MustCompile(`Total: (\$[0-9.]+)`).FindAllStringSubmatch(screen, -1)
	if len(m) == 0 {
		t.Fatalf("no /cost total:\n%s", screen)
	}
	return m[len(m)-1][1]
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

package tui_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestSessionCommandsInTmux drives the real binary through /context, /rename, /fork,
// /resume's list and /add-dir, checking the screen and the files each leaves behind.
func TestSessionCommandsInTmux(t *testing.T) {
	dir := t.TempDir()
	project, shared := filepath.Join(dir, "project"), filepath.Join(dir, "shared")
	mkdir(t, project)
	mkdir(t, shared)
	notes := filepath.Join(shared, "notes.txt")
	write(t, notes, "shared notes here\n")
	script := strings.ReplaceAll(`{"turns": [
	  {"when": {"user_text_contains": "hello"}, "content": "Hi there."},
	  {"when": {"user_text_contains": "read the notes"}, "content": [
	    {"type": "tool_use", "name": "Read", "input": {"file_path": "NOTES"}}]},
	  {"when": {"tool_result_contains": "shared notes here"}, "content": "The notes say hello."}
	]}`, "NOTES", notes)
	tm := startStrataSized(t, dir, project, script, 110, 40)
	tm.waitFor("the input box", "/help for commands")
	tm.run("send-keys", "-t", "strata", "hello", "Enter")
	tm.waitFor("the answer", "Hi there.")

	tm.run("send-keys", "-t", "strata", "/context", "Enter")
	screen := tm.waitFor("the context grid", "Autocompact buffer:")
	for _, want := range []string{"Context usage", "/200k tokens", "System prompt:", "System tools:", "Free space:", "⛁", "⛶", "⛝",
		"input Bedrock reported for the last request"} {
		if !strings.Contains(screen, want) {
			t.Errorf("/context lacks %q:\n%s", want, screen)
		}
	}

	tm.run("send-keys", "-t", "strata", "/rename payments work", "Enter")
	tm.waitFor("the rename", "Session renamed to payments work")
	sessions := func() []string {
		files, _ := filepath.Glob(filepath.Join(dir, "claude", "projects", "*", "*.jsonl"))
		return files
	}
	if len(sessions()) != 1 {
		t.Fatalf("session files before the fork: %v", sessions())
	}
	original := sessions()[0]
	before, _ := os.ReadFile(original)
	if !strings.Contains(string(before), `"type":"custom-title","customTitle":"payments work"`) {
		t.Errorf("the transcript has no title line:\n%s", before)
	}

	tm.run("send-keys", "-t", "strata", "/fork", "Enter")
	screen = tm.waitFor("the fork", "it continues here")
	id := regexp.MustCompile(`into session ([0-9a-f-]{36})`).FindStringSubmatch(screen)
	if id == nil {
		t.Fatalf("no new session ID:\n%s", screen)
	}
	fork := filepath.Join(filepath.Dir(original), id[1]+".jsonl")
	data, err := os.ReadFile(fork)
	if err != nil || !strings.Contains(string(data), `"customTitle":"payments work (fork)"`) || !strings.Contains(string(data), "Hi there.") {
		t.Errorf("the fork's transcript (%v):\n%s", err, data)
	}
	if after, _ := os.ReadFile(original); string(after) != string(before) {
		t.Error("the original transcript changed with the fork")
	}

	tm.run("send-keys", "-t", "strata", "/resume", "Enter")
	screen = tm.waitScreen("the resume picker", func(s string) bool { return strings.Contains(s, "Resume a session") })
	if !strings.Contains(screen, "❯ payments work") {
		t.Errorf("the resume picker does not show the name:\n%s", screen)
	}
	tm.run("send-keys", "-t", "strata", "Escape")
	// Keys sent right after Esc would be read as Alt+key: the picker closes first.
	tm.waitScreen("the picker to close", func(s string) bool { return !strings.Contains(s, "Resume a session") })

	tm.run("send-keys", "-t", "strata", "/add-dir ../nowhere", "Enter")
	tm.waitFor("the refusal", "nowhere was not found")
	tm.run("send-keys", "-t", "strata", "/add-dir ../shared", "Enter")
	tm.waitScreen("the add-dir question", func(s string) bool { return strings.Contains(s, "❯ Yes, for this session") })
	tm.run("send-keys", "-t", "strata", "Enter")
	tm.waitFor("the directory added", "Added "+shared+" as a working directory for this session")
	// A Read there is now allowed without asking: had it asked, the dialog would wait.
	tm.run("send-keys", "-t", "strata", "read the notes", "Enter")
	screen = tm.waitFor("the answer from the notes", "The notes say hello.")
	if strings.Contains(screen, "Read a file?") {
		t.Errorf("the Read in the added directory asked:\n%s", screen)
	}
	tm.run("send-keys", "-t", "strata", "C-d")
	tm.waitFor("the exit", "STRATA-EXIT=0")
}

// TestPermissionsPickerInTmux adds a rule to the project settings, moves it to the user
// settings and removes it, all from the /permissions picker, checking the files each time;
// then /config changes a setting.
func TestPermissionsPickerInTmux(t *testing.T) {
	dir := t.TempDir()
	project := filepath.Join(dir, "project")
	mkdir(t, project)
	tm := startStrataSized(t, dir, project, `{"turns": []}`, 110, 30)
	projectFile := filepath.Join(project, ".claude", "settings.json")
	userFile := filepath.Join(dir, "claude", "settings.json")
	has := func(path string) bool {
		data, _ := os.ReadFile(path)
		return strings.Contains(string(data), `"Bash(rm:*)"`)
	}
	keys := func(text ...string) {
		for _, k := range text {
			if k == "Enter" {
				tm.run("send-keys", "-t", "strata", "Enter")
			} else {
				tm.run("send-keys", "-t", "strata", "-l", k)
			}
		}
	}
	tm.waitFor("the input box", "/help for commands")

	keys("/permissions", "Enter")
	tm.waitScreen("the picker", func(s string) bool { return strings.Contains(s, "❯ + Add a rule") })
	keys("Enter")
	tm.waitScreen("the list question", func(s string) bool { return strings.Contains(s, "what should it do?") })
	keys("deny", "Enter")
	tm.waitScreen("the rule question", func(s string) bool { return strings.Contains(s, "Rule to deny") })
	keys("Bash(rm:*)", "Enter")
	tm.waitScreen("the scope question", func(s string) bool { return strings.Contains(s, "Where should deny Bash(rm:*) be kept?") })
	keys("shared", "Enter")
	tm.waitFor("the rule added", "Added deny Bash(rm:*) to the project settings.")
	if !has(projectFile) {
		t.Fatal("the rule is not in .claude/settings.json")
	}

	keys("/permissions", "Enter")
	screen := tm.waitScreen("the picker with the rule", func(s string) bool { return strings.Contains(s, "deny  Bash(rm:*)") })
	if !strings.Contains(screen, "project · "+projectFile) {
		t.Errorf("the rule's scope is not shown:\n%s", screen)
	}
	keys("rm:", "Enter")
	tm.waitScreen("the rule's actions", func(s string) bool { return strings.Contains(s, "Move to user settings") })
	keys("user", "Enter")
	tm.waitFor("the move", "Moved deny Bash(rm:*) to the user settings.")
	if has(projectFile) || !has(userFile) {
		t.Fatal("the rule did not move from the project to the user settings")
	}

	keys("/permissions", "Enter")
	tm.waitScreen("the picker", func(s string) bool { return strings.Contains(s, "user · "+userFile) })
	keys("rm:", "Enter")
	tm.waitScreen("the rule's actions", func(s string) bool { return strings.Contains(s, "❯ Remove") })
	keys("Enter")
	tm.waitFor("the removal", "Removed deny Bash(rm:*) from the user settings.")
	if has(userFile) || has(projectFile) {
		t.Fatal("the rule is still in a settings file")
	}
	keys("/permissions", "Enter")
	keys("+", "Enter", "allow", "Enter", "Bash(npm", "Enter")
	tm.waitScreen("the scope question", func(s string) bool { return strings.Contains(s, "be kept?") })
	keys("Enter")
	tm.waitFor("the refusal", `Not added: "Bash(npm" is not a permission rule`)

	// /config flips auto-compact in the user settings.
	keys("/config", "Enter")
	tm.waitScreen("the settings", func(s string) bool { return strings.Contains(s, "Auto-compact: true") })
	keys("auto", "Enter")
	tm.waitFor("the change", "Auto-compact set to false in")
	if data, _ := os.ReadFile(userFile); !strings.Contains(string(data), `"autoCompactEnabled": false`) {
		t.Errorf("the user settings after /config:\n%s", data)
	}
	tm.run("send-keys", "-t", "strata", "C-d")
	tm.waitFor("the exit", "STRATA-EXIT=0")
}

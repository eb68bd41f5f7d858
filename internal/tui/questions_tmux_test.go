package tui_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// answerKey sends one key to the question form after a pause: a form ignores keys that come
// within its grace of the last one (typing that began elsewhere).
func (tm *tmux) answerKey(keys ...string) {
	time.Sleep(550 * time.Millisecond)
	tm.run(append([]string{"send-keys", "-t", "strata"}, keys...)...)
}

// TestAskUserQuestionInTmux: the model asks two questions; the user picks "Blue" with the
// arrows, ticks "lint" and types "fuzz" for the multi-select one, submits on the review
// tab, and the next request carries the answers in the reference's words.
func TestAskUserQuestionInTmux(t *testing.T) {
	dir := t.TempDir()
	project := filepath.Join(dir, "project")
	mkdir(t, project)
	script := `{"turns": [
	  {"when": {"user_text_contains": "choose"}, "content": [
	    {"type": "text", "text": "Two questions first."},
	    {"type": "tool_use", "name": "AskUserQuestion", "input": {"questions": [
	      {"question": "Which colour?", "header": "Colour", "multiSelect": false, "options": [
	        {"label": "Red", "description": "warm and loud"}, {"label": "Blue", "description": "cool and calm"}]},
	      {"question": "Which checks?", "header": "Checks", "multiSelect": true, "options": [
	        {"label": "lint", "description": "style"}, {"label": "test", "description": "unit tests"}]}]}}]},
	  {"when": {"tool_result_contains": "answered"}, "content": "Noted your choices."}
	]}`
	tm := startStrata(t, dir, project, script, 100)
	tm.waitFor("the input box", "/help for commands")
	tm.run("send-keys", "-t", "strata", "choose for me", "Enter")
	screen := tm.waitFor("the first question", "Which colour?")
	for _, want := range []string{"☐ Colour", "☐ Checks", "✔ Submit", "1. Red", "warm and loud", "2. Blue", "3. Type something."} {
		if !strings.Contains(screen, want) {
			t.Errorf("question screen lacks %q:\n%s", want, screen)
		}
	}
	tm.answerKey("Down")
	tm.answerKey("Enter")
	tm.waitFor("the second question", "Which checks?")
	tm.answerKey("1") // tick lint
	tm.waitFor("lint ticked", "[✔] lint")
	tm.answerKey("3") // Type something.
	tm.run("send-keys", "-t", "strata", "-l", "fuzz")
	tm.run("send-keys", "-t", "strata", "Enter")
	tm.waitFor("the typed answer", "Type something: fuzz")
	tm.answerKey("4") // Submit
	screen = tm.waitFor("the review", "Review your answers")
	if !strings.Contains(screen, "Which colour? → Blue") || !strings.Contains(screen, "Which checks? → lint, fuzz") {
		t.Errorf("review lacks the answers:\n%s", screen)
	}
	tm.answerKey("Enter")
	tm.waitFor("the answer", "Noted your choices.")
	reqs := tm.sim.Requests()
	body := string(reqs[len(reqs)-1].Body)
	want := `Your questions have been answered: \"Which colour?\"=\"Blue\", \"Which checks?\"=\"lint, fuzz\". You can now continue with these answers in mind.`
	if !strings.Contains(body, want) {
		t.Errorf("the last request lacks %s:\n%s", want, body)
	}
	tm.run("send-keys", "-t", "strata", "C-d")
	tm.waitFor("the exit", "STRATA-EXIT=0")
}

// TestExitPlanModeInTmux: in plan mode the model presents its plan; the plan is printed as
// markdown, "Yes, auto-accept edits" switches the footer to accept edits, and the edit the
// model then makes runs without a dialog; the model read the approved plan.
func TestExitPlanModeInTmux(t *testing.T) {
	dir := t.TempDir()
	project := filepath.Join(dir, "project")
	mkdir(t, project)
	notes := filepath.Join(project, "notes.txt")
	write(t, notes, "draft\n")
	script := strings.ReplaceAll(`{"turns": [
	  {"when": {"user_text_contains": "plan"}, "content": [
	    {"type": "tool_use", "name": "Read", "input": {"file_path": "FILE"}}]},
	  {"when": {"tool_result_contains": "draft"}, "content": [
	    {"type": "tool_use", "name": "ExitPlanMode", "input": {"plan": "## Steps\n1. Replace **draft** with final\n2. Check the file"}}]},
	  {"when": {"tool_result_contains": "User has approved your plan"}, "content": [
	    {"type": "tool_use", "name": "Edit", "input": {"file_path": "FILE", "old_string": "draft", "new_string": "final"}}]},
	  {"when": {"tool_result_contains": "final"}, "content": "Plan carried out."}
	]}`, "FILE", notes)
	tm := startStrata(t, dir, project, script, 100, "--permission-mode", "plan")
	tm.waitFor("the input box", "plan mode")
	tm.run("send-keys", "-t", "strata", "plan the change", "Enter")
	screen := tm.waitFor("the plan dialog", "Ready to code?")
	for _, want := range []string{"Here is the plan:", "Steps", "1. Replace draft with final", "1. Yes, auto-accept edits",
		"2. Yes, manually approve edits", "3. No, keep planning"} {
		if !strings.Contains(screen, want) {
			t.Errorf("plan screen lacks %q:\n%s", want, screen)
		}
	}
	tm.answerKey("1")
	screen = tm.waitFor("the end of the turn", "Plan carried out.")
	if !strings.Contains(screen, "accept edits") {
		t.Errorf("the footer does not show accept edits:\n%s", screen)
	}
	if data, _ := os.ReadFile(notes); string(data) != "final\n" {
		t.Errorf("notes.txt is %q", data)
	}
	reqs := tm.sim.Requests()
	first, third := string(reqs[0].Body), string(reqs[2].Body)
	if !strings.Contains(first, "Plan mode is on") {
		t.Error("the first request lacks the plan-mode reminder")
	}
	if !strings.Contains(third, `## Approved Plan:\n## Steps`) {
		t.Errorf("the model did not read the approved plan:\n%s", third)
	}
	tm.run("send-keys", "-t", "strata", "C-d")
	tm.waitFor("the exit", "STRATA-EXIT=0")
}

// TestSetupBedrockInTmux: /setup-bedrock in the real binary against the emulator: the
// current region, credentials from the environment, a model from the inference profiles
// Bedrock lists; the choice lands in the user settings (CLAUDE_CONFIG_DIR here) and doctor's
// checks run on it.
func TestSetupBedrockInTmux(t *testing.T) {
	dir := t.TempDir()
	project := filepath.Join(dir, "project")
	mkdir(t, project)
	tm := startStrata(t, dir, project, `{"turns": []}`, 120)
	tm.waitFor("the input box", "/help for commands")
	tm.run("send-keys", "-t", "strata", "/setup-bedrock", "Enter")
	screen := tm.waitFor("the region question", "Which AWS region")
	if !strings.Contains(screen, "1. us-east-1") || !strings.Contains(screen, "the region strata uses now") {
		t.Errorf("region question:\n%s", screen)
	}
	tm.answerKey("1")
	tm.waitFor("the credentials question", "How does strata get AWS credentials?")
	tm.answerKey("3") // access keys in the environment
	screen = tm.waitFor("the model question", "Which model should strata use?")
	if !strings.Contains(screen, "2. us.anthropic.") {
		t.Errorf("no inference profile offered:\n%s", screen)
	}
	tm.answerKey("2")
	screen = tm.waitFor("the doctor's report", "strata doctor also probes")
	if !strings.Contains(screen, "Bedrock configuration saved to") {
		t.Errorf("screen:\n%s", screen)
	}
	data, err := os.ReadFile(filepath.Join(dir, "claude", "settings.json"))
	if err != nil || !strings.Contains(string(data), `"AWS_REGION": "us-east-1"`) ||
		!strings.Contains(string(data), `"CLAUDE_CODE_USE_BEDROCK": "1"`) || !strings.Contains(string(data), `_MODEL": "us.anthropic.`) {
		t.Errorf("settings: %s %v", data, err)
	}
	if strings.Contains(string(data), "tmux-test-secret") {
		t.Error("a secret was written into the settings")
	}
	tm.run("send-keys", "-t", "strata", "C-d")
	tm.waitFor("the exit", "STRATA-EXIT=0")
}

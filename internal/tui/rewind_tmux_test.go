package tui_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// rewindScript: the first prompt reads notes.txt and changes alpha to beta, the second
// changes beta to gamma and creates new.txt, the third only answers; a prompt sent after a
// rewind answers "A fresh answer."
func rewindScript(notes, created string) string {
	r := strings.NewReplacer("NOTES", notes, "CREATED", created)
	return r.Replace(`{"turns": [
	  {"when": {"user_text_contains": "first change"}, "content": [
	    {"type": "tool_use", "name": "Read", "input": {"file_path": "NOTES"}}]},
	  {"when": {"tool_result_contains": "alpha"}, "content": [
	    {"type": "tool_use", "name": "Edit", "input": {"file_path": "NOTES", "old_string": "alpha", "new_string": "beta"}}]},
	  {"when": {"tool_result_contains": "beta"}, "content": "First done."},
	  {"when": {"user_text_contains": "second change"}, "content": [
	    {"type": "tool_use", "id": "toolu_edit2", "name": "Edit", "input": {"file_path": "NOTES", "old_string": "beta", "new_string": "gamma"}},
	    {"type": "tool_use", "id": "toolu_write2", "name": "Write", "input": {"file_path": "CREATED", "content": "created\n"}}]},
	  {"when": {"tool_result_contains": "gamma"}, "content": "Second done."},
	  {"when": {"user_text_contains": "third question"}, "content": "Third answer."},
	  {"when": {"user_text_contains": "another idea"}, "content": "A fresh answer."},
	  {"when": {"user_text_contains": "what do you remember"}, "content": "I remember."}
	]}`)
}

// rewindTo opens /rewind, picks the prompt that contains search and restores code and
// conversation, checking what the pickers say on the way.
func rewindTo(t *testing.T, tm *tmux, search, latest string) {
	t.Helper()
	tm.run("send-keys", "-t", "strata", "/rewind", "Enter")
	screen := tm.waitScreen("the rewind picker", func(s string) bool { return strings.Contains(s, "❯ "+latest) })
	if !strings.Contains(screen, "Rewind: restore the code and/or conversation to the point before") {
		t.Errorf("the rewind picker lacks its title:\n%s", screen)
	}
	tm.run("send-keys", "-t", "strata", "-l", search)
	tm.waitScreen("the prompt found", func(s string) bool {
		return strings.Contains(s, "❯ "+search) && strings.Contains(s, "2 files changed +1 -2")
	})
	tm.run("send-keys", "-t", "strata", "Enter")
	screen = tm.waitScreen("the restore options", func(s string) bool { return strings.Contains(s, "❯ Restore code and conversation") })
	for _, want := range []string{"Restore conversation", "Restore code", "Never mind", "changed only by Bash commands", "are not restored."} {
		if !strings.Contains(screen, want) {
			t.Errorf("the restore options lack %q:\n%s", want, screen)
		}
	}
	tm.run("send-keys", "-t", "strata", "Enter")
	tm.waitFor("the rewind's report", "that prompt is back in the input")
}

func wantFile(t *testing.T, path, content string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if content == "" {
		if err == nil {
			t.Errorf("%s still exists (%q)", path, data)
		}
		return
	}
	if string(data) != content {
		t.Errorf("%s holds %q (%v), want %q", path, data, err, content)
	}
}

// lastBody is the body of the last request the emulator got.
func lastBody(tm *tmux) string {
	reqs := tm.sim.Requests()
	return string(reqs[len(reqs)-1].Body)
}

// TestRewindInTmux: three prompts in the real binary — the first edits notes.txt, the
// second edits it again and creates new.txt, the third only asks — then /rewind to the
// second prompt puts notes.txt back as the first prompt left it, removes new.txt, puts the
// second prompt back in the input box, and the next request starts from the first prompt's
// conversation. Esc Esc on the empty input opens the same picker.
func TestRewindInTmux(t *testing.T) {
	dir := t.TempDir()
	project := filepath.Join(dir, "project")
	notes, created := filepath.Join(project, "notes.txt"), filepath.Join(project, "new.txt")
	mkdir(t, project)
	write(t, notes, "alpha\n")
	tm := startStrataSized(t, dir, project, rewindScript(notes, created), 100, 30, "--permission-mode", "acceptEdits")
	tm.waitFor("the input box", "/help for commands")
	for _, step := range [][2]string{{"first change", "First done."}, {"second change", "Second done."}, {"third question", "Third answer."}} {
		tm.run("send-keys", "-t", "strata", step[0], "Enter")
		tm.waitFor("the answer to "+step[0], step[1])
	}
	wantFile(t, notes, "gamma\n")
	wantFile(t, created, "created\n")

	rewindTo(t, tm, "second change", "third question")
	wantFile(t, notes, "beta\n")
	wantFile(t, created, "")
	screen := tm.waitScreen("the prompt back in the input", func(s string) bool { return strings.Contains(s, "> second change") })
	if !strings.Contains(screen, "Restored 2 files: notes.txt, new.txt") {
		t.Errorf("the report does not name the files:\n%s", screen)
	}
	tm.run("send-keys", "-t", "strata", "C-u")
	tm.run("send-keys", "-t", "strata", "another idea", "Enter")
	tm.waitFor("the answer after the rewind", "A fresh answer.")
	body := lastBody(tm)
	if !strings.Contains(body, "first change") || !strings.Contains(body, "First done.") ||
		strings.Contains(body, "second change") || strings.Contains(body, "third question") {
		t.Errorf("the request after the rewind does not start from the first prompt's conversation:\n%s", body)
	}

	// Esc Esc on an empty input opens the picker too; Esc closes it.
	tm.run("send-keys", "-t", "strata", "Escape")
	tm.run("send-keys", "-t", "strata", "Escape")
	tm.waitScreen("the picker from Esc Esc", func(s string) bool { return strings.Contains(s, "❯ another idea") })
	tm.run("send-keys", "-t", "strata", "Escape")
	// An Esc and a key right after it read as one Alt key: wait for the picker to close.
	tm.waitScreen("the picker closed", func(s string) bool { return !strings.Contains(s, "❯ another idea") })
	tm.run("send-keys", "-t", "strata", "C-d")
	tm.waitFor("the exit", "STRATA-EXIT=0")
}

// TestRewindAcrossContinue: the checkpoints and the cut survive `strata -c`. Two prompts,
// then exit; continued, /rewind to the second prompt restores the files the second prompt
// changed (from the backups beside the transcript); continued once more, the conversation
// still ends before the second prompt.
func TestRewindAcrossContinue(t *testing.T) {
	dir := t.TempDir()
	project := filepath.Join(dir, "project")
	notes, created := filepath.Join(project, "notes.txt"), filepath.Join(project, "new.txt")
	mkdir(t, project)
	write(t, notes, "alpha\n")
	tm := startStrataSized(t, dir, project, rewindScript(notes, created), 100, 30, "--permission-mode", "acceptEdits")
	tm.waitFor("the input box", "/help for commands")
	for _, step := range [][2]string{{"first change", "First done."}, {"second change", "Second done."}} {
		tm.run("send-keys", "-t", "strata", step[0], "Enter")
		tm.waitFor("the answer to "+step[0], step[1])
	}
	tm.run("send-keys", "-t", "strata", "C-d")
	tm.waitFor("the exit", "STRATA-EXIT=0")
	backups, _ := filepath.Glob(filepath.Join(dir, "claude", "file-history", "*", "*@v*"))
	if len(backups) == 0 {
		t.Errorf("no backups in the config directory's file-history")
	}

	tm.restart("-c", "--permission-mode", "acceptEdits")
	tm.waitFor("the replay", "resumed here")
	rewindTo(t, tm, "second change", "second change")
	wantFile(t, notes, "beta\n")
	wantFile(t, created, "")
	tm.run("send-keys", "-t", "strata", "C-u")
	tm.run("send-keys", "-t", "strata", "C-d")
	tm.waitScreen("the second exit", func(s string) bool { return strings.Contains(s, "STRATA-EXIT=0") })

	tm.restart("-c")
	tm.waitScreen("the second replay", func(s string) bool { return strings.Contains(s, "resumed here") })
	tm.run("send-keys", "-t", "strata", "what do you remember", "Enter")
	tm.waitFor("the answer", "I remember.")
	body := lastBody(tm)
	if !strings.Contains(body, "first change") || strings.Contains(body, "second change") {
		t.Errorf("continued after the rewind, the request is not cut before the second prompt:\n%s", body)
	}
	tm.run("send-keys", "-t", "strata", "C-d")
	tm.waitScreen("the third exit", func(s string) bool { return strings.Contains(s, "STRATA-EXIT=0") })
}

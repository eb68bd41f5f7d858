package tui_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"image"
	"image/png"
	"os"
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
	script := `{"turns": [{"when": {"user_text_contains": "hello"}, "content": "Hello back."},
	  {"when": {"user_text_contains": "hi again"}, "content": "Hi again."}]}`
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

	// /resume in the UI restores the mode too: a second session left in accept-edits,
	// resumed from a third that runs in the default mode.
	tm.run("clear-history", "-t", "strata")
	tm.restart()
	tm.waitScreen("the input box", func(s string) bool { return strings.Contains(s, "/help for commands") })
	tm.run("send-keys", "-t", "strata", "BTab")
	tm.waitScreen("accept edits", func(s string) bool { return strings.Contains(s, "accept edits") })
	tm.run("send-keys", "-t", "strata", "hi again", "Enter")
	tm.waitFor("the answer", "Hi again.")
	tm.run("send-keys", "-t", "strata", "C-d")
	m := regexp.MustCompile(`strata -r ([0-9a-f-]{36})`).FindStringSubmatch(tm.waitFor("the exit", "STRATA-EXIT=0"))
	if m == nil {
		t.Fatal("no session ID printed at exit")
	}
	tm.run("clear-history", "-t", "strata")
	tm.restart()
	tm.waitScreen("the input box", func(s string) bool { return strings.Contains(s, "default mode") })
	tm.run("send-keys", "-t", "strata", "/resume "+m[1], "Enter")
	screen := tm.waitScreen("the resumed mode", func(s string) bool { return strings.Contains(s, "Permission mode acceptEdits restored") })
	if footer := screen[strings.LastIndex(screen, "────"):]; !strings.Contains(footer, "accept edits") {
		t.Errorf("after /resume the footer does not show the restored mode:\n%s", screen)
	}
	tm.run("send-keys", "-t", "strata", "C-d")
	tm.waitFor("the exit", "STRATA-EXIT=0")
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

// TestPastedImagesReachTheModel: Ctrl+V takes the clipboard's image (through xclip, here a
// stand-in script on PATH) and pasting an image's path takes that file, fitted to Bedrock's
// limits; each shows as a label in the prompt and reaches the model as an image block, as
// does an image mentioned with @file.
func TestPastedImagesReachTheModel(t *testing.T) {
	dir := t.TempDir()
	project := filepath.Join(dir, "project")
	bin := filepath.Join(dir, "bin")
	mkdir(t, project)
	mkdir(t, bin)
	clip := pngOf(t, 3, 2)
	write(t, filepath.Join(dir, "clip.png"), string(clip))
	write(t, filepath.Join(project, "wide photo.png"), string(pngOf(t, 2100, 21)))
	mentioned := pngOf(t, 4, 4)
	write(t, filepath.Join(project, "pic.png"), string(mentioned))
	write(t, filepath.Join(bin, "xclip"), "#!/bin/sh\ncase \"$*\" in\n*TARGETS*) printf 'TARGETS\\nimage/png\\n' ;;\n"+
		"*image/png*) cat "+filepath.Join(dir, "clip.png")+" ;;\nesac\n")
	if err := os.Chmod(filepath.Join(bin, "xclip"), 0o755); err != nil {
		t.Fatal(err)
	}
	script := `{"turns": [{"when": {"user_text_contains": "what are these"}, "content": "Two pictures."}]}`
	tm := startStrata(t, dir, project, script, 100)
	tm.strata = strings.Replace(tm.strata, "PATH=/usr/bin:/bin", "DISPLAY=:0 PATH="+bin+":/usr/bin:/bin", 1)
	tm.restart()
	tm.waitScreen("the input box", func(s string) bool { return strings.Contains(s, "/help for commands") })
	tm.run("send-keys", "-t", "strata", "C-v")
	tm.waitScreen("the clipboard's image", func(s string) bool { return strings.Contains(s, "> [Image #1]") })
	tm.run("set-buffer", "-b", "img", `'`+filepath.Join(project, "wide photo.png")+`'`)
	tm.run("paste-buffer", "-p", "-b", "img", "-t", "strata")
	tm.waitScreen("the pasted path's image", func(s string) bool { return strings.Contains(s, "[Image #2]") })
	tm.run("send-keys", "-t", "strata", "-l", "what are these, @pic.png and the rest?")
	tm.run("send-keys", "-t", "strata", "Enter")
	tm.waitFor("the answer", "Two pictures.")

	reqs := tm.sim.Requests()
	var body struct {
		Messages []struct {
			Content []struct {
				Type   string `json:"type"`
				Source *struct {
					MediaType string `json:"media_type"`
					Data      string `json:"data"`
				} `json:"source"`
			} `json:"content"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(reqs[len(reqs)-1].Body, &body); err != nil {
		t.Fatal(err)
	}
	var images [][]byte
	for _, b := range body.Messages[len(body.Messages)-1].Content {
		if b.Type == "image" && b.Source != nil && b.Source.MediaType == "image/png" {
			data, _ := base64.StdEncoding.DecodeString(b.Source.Data)
			images = append(images, data)
		}
	}
	if len(images) != 3 {
		t.Fatalf("the prompt carries %d PNG images, want 3:\n%s", len(images), reqs[len(reqs)-1].Body)
	}
	if !bytes.Equal(images[2], mentioned) {
		t.Errorf("the @file image is not the one sent")
	}
	if !bytes.Equal(images[0], clip) {
		t.Errorf("the clipboard's image is not the one sent")
	}
	if cfg, err := png.DecodeConfig(bytes.NewReader(images[1])); err != nil || cfg.Width != 2000 || cfg.Height != 20 {
		t.Errorf("the pasted file was not scaled to 2000 pixels: %+v %v", cfg, err)
	}
	tm.run("send-keys", "-t", "strata", "C-d")
	tm.waitFor("the exit", "STRATA-EXIT=0")
}

// pngOf is a w×h PNG.
func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

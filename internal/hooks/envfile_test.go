package hooks

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestFileChangedInputAndMatching(t *testing.T) {
	dir := t.TempDir()
	r := newRunner(t, dir, hooksFor("FileChanged",
		".envrc|package.json", "cat > input.json",
		"sub/config.yml", "echo sub >> log",
		"/elsewhere/abs.txt", "echo abs >> log",
	))
	want := []string{filepath.Join(dir, ".envrc"), filepath.Join(dir, "package.json"), filepath.Join(dir, "sub/config.yml"), "/elsewhere/abs.txt"}
	if got := r.WatchedFiles(dir); !slices.Equal(got, want) {
		t.Fatalf("WatchedFiles = %v, want %v", got, want)
	}
	r.Run(context.Background(), Input{Event: FileChanged, FilePath: filepath.Join(dir, ".envrc"), FileEvent: "add"})
	var in map[string]any
	data, err := os.ReadFile(filepath.Join(dir, "input.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &in); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]any{"hook_event_name": "FileChanged", "file_path": filepath.Join(dir, ".envrc"),
		"event": "add", "session_id": "sess-1", "transcript_path": "/t/sess-1.jsonl", "cwd": dir} {
		if in[k] != v {
			t.Errorf("input %s = %v, want %v", k, in[k], v)
		}
	}
	// A matcher written as a path matches the file it names; neither matches another file.
	r.Run(context.Background(), Input{Event: FileChanged, FilePath: filepath.Join(dir, "sub/config.yml"), FileEvent: "change"})
	r.Run(context.Background(), Input{Event: FileChanged, FilePath: "/elsewhere/abs.txt", FileEvent: "unlink"})
	r.Run(context.Background(), Input{Event: FileChanged, FilePath: filepath.Join(dir, "other"), FileEvent: "change"})
	if got := readLines(t, filepath.Join(dir, "log")); !slices.Equal(got, []string{"abs", "sub"}) {
		t.Fatalf("hooks that ran: %v", got)
	}
}

func TestWatchPathsFromHooks(t *testing.T) {
	dir := t.TempDir()
	answer := `echo '{"hookSpecificOutput":{"hookEventName":"X","watchPaths":["/a/b","/c"]}}'`
	for _, ev := range []Event{SessionStart, CwdChanged, FileChanged, UserPromptSubmit} {
		r := newRunner(t, dir, hooksFor(string(ev), "", answer))
		out := r.Run(context.Background(), Input{Event: ev, FilePath: "/x"})
		want := []string{"/a/b", "/c"}
		if ev == UserPromptSubmit {
			want = nil // not an event whose hooks choose what is watched
		}
		if !slices.Equal(out.WatchPaths, want) {
			t.Errorf("%s: WatchPaths = %v, want %v", ev, out.WatchPaths, want)
		}
	}
}

func TestEnvFileReachesSessionEnv(t *testing.T) {
	dir, envDir := t.TempDir(), t.TempDir()
	own := filepath.Join(t.TempDir(), "own.sh")
	if err := os.WriteFile(own, []byte("export OWN=1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	hk := hooksFor("SessionStart", "", `echo "export FROM=start" >> "$CLAUDE_ENV_FILE"`, "", `echo "export SECOND=yes" >> "$CLAUDE_ENV_FILE"`)
	hk["FileChanged"] = hooksFor("FileChanged", "f", `echo "export FROM=file" >> "$CLAUDE_ENV_FILE"`)["FileChanged"]
	hk["CwdChanged"] = hooksFor("CwdChanged", "", `echo "export CWD=$(jq -r .new_cwd 2>/dev/null || echo moved)" >> "$CLAUDE_ENV_FILE"`)["CwdChanged"]
	hk["UserPromptSubmit"] = hooksFor("UserPromptSubmit", "", `echo "${CLAUDE_ENV_FILE:-unset}" > prompt-env`)["UserPromptSubmit"]
	r := newRunner(t, dir, hk, func(o *Options) { o.EnvDir, o.EnvFile = envDir, own })
	ctx := context.Background()

	r.Run(ctx, Input{Event: FileChanged, FilePath: filepath.Join(dir, "f"), FileEvent: "change"})
	r.Run(ctx, Input{Event: SessionStart, Source: "startup"})
	got := r.SessionEnv("sess-1")
	want := "export OWN=1\nexport FROM=start\nexport SECOND=yes\nexport FROM=file"
	if got != want {
		t.Fatalf("SessionEnv =\n%s\nwant\n%s", got, want)
	}
	// A new directory: what CwdChanged and FileChanged hooks wrote before is dropped.
	r.Run(ctx, Input{Event: CwdChanged, OldCwd: dir, NewCwd: "/tmp"})
	if got := r.SessionEnv("sess-1"); strings.Contains(got, "FROM=file") || !strings.Contains(got, "FROM=start") || !strings.Contains(got, "export CWD=") {
		t.Fatalf("after CwdChanged SessionEnv =\n%s", got)
	}
	if fi, err := os.Stat(filepath.Join(envDir, "sess-1")); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("session env folder: %v %v", fi, err)
	}
	// Other events get no file; other sessions see none of this one's.
	r.Run(ctx, Input{Event: UserPromptSubmit, Prompt: "p"})
	if data, _ := os.ReadFile(filepath.Join(dir, "prompt-env")); strings.TrimSpace(string(data)) != "unset" {
		t.Fatalf("UserPromptSubmit hook saw CLAUDE_ENV_FILE=%s", data)
	}
	if got := r.SessionEnv("sess-2"); got != "export OWN=1" {
		t.Fatalf("another session's env: %q", got)
	}
	if got := r.SessionEnv("../sess-1"); got != "export OWN=1" {
		t.Fatalf("a session ID with a path in it reached: %q", got)
	}
}

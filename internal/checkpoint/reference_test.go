package checkpoint_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/checkpoint"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/redact"
	"github.com/strata-agent/strata/internal/session"
)

// TestReferenceRewindsOurCheckpoints: the reference CLI 2.1.197 (the binary named by
// STRATA_REFERENCE_CLI; `make interop-sim` sets it) restores files from the checkpoints
// strata wrote — transcript lines and saved versions — with its own --rewind-files: proof
// that the layout is the reference's. It makes no model request.
func TestReferenceRewindsOurCheckpoints(t *testing.T) {
	ref := os.Getenv("STRATA_REFERENCE_CLI")
	if ref == "" {
		t.Skip("set STRATA_REFERENCE_CLI to the reference CLI's binary (make interop-sim does)")
	}
	dir := t.TempDir()
	project, config := filepath.Join(dir, "project"), filepath.Join(dir, "claude")
	if err := os.MkdirAll(project, 0o755); err != nil {
		t.Fatal(err)
	}
	notes, created := filepath.Join(project, "notes.txt"), filepath.Join(project, "new.txt")
	os.WriteFile(notes, []byte("alpha\n"), 0o644)
	tr, err := session.Store{Dir: filepath.Join(config, "projects")}.Create("", project, redact.New())
	if err != nil {
		t.Fatal(err)
	}
	cp, err := checkpoint.New(checkpoint.Options{Root: filepath.Join(config, "file-history"), SessionID: tr.ID(), Cwd: project,
		Persist: func(l checkpoint.Line) error { return tr.AppendLine(l) }})
	if err != nil {
		t.Fatal(err)
	}
	// What the agent does for two prompts: a checkpoint under the prompt's uuid, the prompt,
	// the tools' tracking and writes, the answer.
	var prompts []string
	for i, next := range []string{"beta\n", "gamma\n"} {
		id := fmt.Sprintf("00000000-0000-4000-8000-00000000000%d", i+1)
		prompts = append(prompts, id)
		must(t, cp.Snapshot(id))
		must(t, tr.AppendUserAs(id, llm.Message{Role: llm.RoleUser, Content: []llm.ContentBlock{llm.TextBlock(fmt.Sprintf("change %d", i+1))}}))
		must(t, cp.Track(checkpoint.RealPath(notes)))
		os.WriteFile(notes, []byte(next), 0o644)
		if i == 1 {
			must(t, cp.Track(checkpoint.RealPath(created)))
			os.WriteFile(created, []byte("created\n"), 0o644)
		}
		must(t, tr.AppendAssistant(&llm.Response{ID: fmt.Sprintf("msg_%d", i), Type: "message", Role: llm.RoleAssistant,
			Model: "m", Content: []llm.ContentBlock{llm.TextBlock("done")}, StopReason: llm.StopEndTurn}, "m"))
	}
	must(t, tr.Close())

	for _, step := range []struct {
		i    int
		want string
	}{{1, "beta\n"}, {0, "alpha\n"}} { // the later prompt first
		i, want := step.i, step.want
		cmd := exec.Command(ref, "-p", "--resume", tr.ID(), "--rewind-files", prompts[i])
		cmd.Dir = project
		cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + filepath.Join(dir, "home"), "CLAUDE_CONFIG_DIR=" + config,
			"CLAUDE_CODE_USE_BEDROCK=1", "AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID=AKIDREWINDTEST000001",
			"AWS_SECRET_ACCESS_KEY=not-a-real-secret", "AWS_EC2_METADATA_DISABLED=true",
			"ANTHROPIC_BEDROCK_BASE_URL=http://127.0.0.1:9", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1",
			"CLAUDE_CODE_ENABLE_SDK_FILE_CHECKPOINTING=1"}
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "Files rewound to state at message "+prompts[i]) {
			t.Fatalf("the reference's --rewind-files %s: %v\n%s", prompts[i], err, out)
		}
		if data, _ := os.ReadFile(notes); string(data) != want {
			t.Errorf("after the reference's rewind to prompt %d notes.txt holds %q, want %q", i+1, data, want)
		}
		if _, err := os.Stat(created); err == nil {
			t.Errorf("after the reference's rewind to prompt %d new.txt still exists", i+1)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

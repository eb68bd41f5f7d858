package tui

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/llm"
)

// withMessages is a session that can tell its conversation, as the agent's can.
type withMessages struct {
	*fakeSession
	msgs []llm.Message
}

func (w withMessages) Messages() []llm.Message { return w.msgs }

func TestExportMarkdownAndClipboard(t *testing.T) {
	h := newHarness(t, nil)
	long := strings.Repeat("line\n", 30)
	h.m.sess = withMessages{h.sess, []llm.Message{
		{Role: llm.RoleUser, Content: []llm.ContentBlock{{Type: llm.TypeText, Text: "fix the \x1b[31mbug"}}},
		{Role: llm.RoleAssistant, Content: []llm.ContentBlock{
			{Type: llm.TypeText, Text: "Reading **main.go** first."},
			{Type: llm.TypeToolUse, ID: "t1", Name: "Read", Input: json.RawMessage(`{"file_path":"main.go"}`)},
		}},
		{Role: llm.RoleUser, Content: []llm.ContentBlock{{Type: llm.TypeToolResult, ToolUseID: "t1",
			Content: []llm.ContentBlock{{Type: llm.TypeText, Text: long}}}}},
	}}
	h.enterLine("/export talk.md")
	h.settle()
	data, err := os.ReadFile(filepath.Join(h.m.opts.Cwd, "talk.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, want := range []string{"## You\n\nfix the ␛[31mbug", "Reading **main.go** first.", "**Read** `{\"file_path\":\"main.go\"}`", "… 10 lines more"} {
		if !strings.Contains(text, want) {
			t.Errorf("the markdown export lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "\x1b") {
		t.Errorf("a control sequence reached the export:\n%q", text)
	}
	h.mustShow(h.out(), "as markdown to")

	cmd := h.m.cmdExport("clipboard")
	if cmd == nil {
		t.Fatal("/export clipboard sets nothing")
	}
	if got := fmt.Sprint(cmd()); got != text {
		t.Errorf("the clipboard gets %q, want the markdown export", got)
	}
}

package session

import (
	"os"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/redact"
)

func texts(msgs []llm.Message) string {
	var out []string
	for _, m := range msgs {
		for _, b := range m.Content {
			switch b.Type {
			case llm.TypeText:
				out = append(out, b.Text)
			case llm.TypeToolUse:
				out = append(out, "use:"+b.ID)
			case llm.TypeToolResult:
				out = append(out, "result:"+b.ToolUseID)
			}
		}
	}
	return strings.Join(out, " ")
}

// TestRewindCutsTheConversation: RewindTo a prompt leaves the conversation as it was before
// it — in memory, and for a resume of the file, which records the cut as the reference does
// (an explicit last-prompt entry) and stays whole; what is written next continues from the
// cut; a rewind to the first prompt leaves nothing, and the next prompt starts a new root.
func TestRewindCutsTheConversation(t *testing.T) {
	s := testStore(t)
	red := redact.New()
	tr, err := s.Create("", cwd, red)
	if err != nil {
		t.Fatal(err)
	}
	write(t, tr, "u:one", "tool:t1", "result:t1", "a:first done", "u:two", "a:second done", "u:three", "a:third done")
	prompts, err := tr.Prompts()
	if err != nil || len(prompts) != 3 || texts([]llm.Message{{Content: prompts[1].Content}}) != "two" {
		t.Fatalf("prompts = %+v, %v", prompts, err)
	}
	msgs, err := tr.RewindTo(prompts[1].UUID)
	if err != nil {
		t.Fatal(err)
	}
	if got := texts(msgs); got != "one use:t1 result:t1 first done" {
		t.Errorf("after the rewind the conversation is %q", got)
	}
	if p, _ := tr.Prompts(); len(p) != 1 {
		t.Errorf("after the rewind %d prompts are offered", len(p))
	}
	tr.Close()
	tr, history, err := s.Resume(tr.ID(), cwd, red)
	if err != nil {
		t.Fatal(err)
	}
	if got := texts(history); got != "one use:t1 result:t1 first done" {
		t.Errorf("resumed after the rewind: %q", got)
	}
	write(t, tr, "u:two again", "a:redone")
	tr.Close()
	tr, history, err = s.Resume(tr.ID(), cwd, red)
	if err != nil {
		t.Fatal(err)
	}
	if got := texts(history); got != "one use:t1 result:t1 first done two again redone" {
		t.Errorf("resumed after the new prompt: %q", got)
	}
	first, _ := tr.Prompts()
	if msgs, err := tr.RewindTo(first[0].UUID); err != nil || len(msgs) != 0 {
		t.Fatalf("rewind to the first prompt: %v, %v", msgs, err)
	}
	tr.Close()
	tr, history, err = s.Resume(tr.ID(), cwd, red)
	if err != nil || len(history) != 0 {
		t.Fatalf("resumed after a rewind to the start: %v, %v", history, err)
	}
	write(t, tr, "u:fresh", "a:fresh answer")
	tr.Close()
	_, history, _ = s.Resume(tr.ID(), cwd, red)
	if got := texts(history); got != "fresh fresh answer" {
		t.Errorf("after a new start: %q", got)
	}
	data, _ := os.ReadFile(tr.Path())
	if !strings.Contains(string(data), `{"type":"last-prompt","leafUuid":null,"explicit":true,"rewound":true,"sessionId":"`+tr.ID()+`"}`) ||
		!strings.Contains(string(data), `"third done"`) {
		t.Errorf("the transcript lacks the rewind or lost what it cut:\n%s", data)
	}
	if _, err := tr.RewindTo("no-such-prompt"); err == nil {
		t.Error("a rewind to an unknown prompt succeeded")
	}
}

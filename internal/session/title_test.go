package session

import (
	"os"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/redact"
)

func TestTitleNamesTheSessionAndKeepsTheChain(t *testing.T) {
	s := testStore(t)
	cwd := t.TempDir()
	tr, err := s.Create("", cwd, redact.New())
	if err != nil {
		t.Fatal(err)
	}
	user := func(text string) {
		if err := tr.AppendUser(llm.Message{Content: []llm.ContentBlock{llm.TextBlock(text)}}); err != nil {
			t.Fatal(err)
		}
	}
	user("first prompt")
	if err := tr.AppendAssistant(&llm.Response{Content: []llm.ContentBlock{llm.TextBlock("answer")}}, "m"); err != nil {
		t.Fatal(err)
	}
	if err := tr.AppendTitle("  "); err == nil {
		t.Fatal("an empty name was accepted")
	}
	for _, name := range []string{"old name", "payments refactor"} {
		if err := tr.AppendTitle(name); err != nil {
			t.Fatal(err)
		}
	}
	user("second prompt")
	if err := tr.Close(); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(tr.Path())
	if !strings.Contains(string(data), `{"type":"custom-title","customTitle":"payments refactor","sessionId":"`+tr.ID()+`"}`+"\n") {
		t.Fatalf("the title line is not the reference's:\n%s", data)
	}
	infos, err := s.List(cwd)
	if err != nil || len(infos) != 1 || infos[0].Title != "payments refactor" || infos[0].FirstPrompt != "first prompt" {
		t.Fatalf("listing: %+v %v", infos, err)
	}
	_, history, err := s.Resume(tr.ID(), cwd, redact.New())
	if err != nil || len(history) != 3 {
		t.Fatalf("resumed %d messages (%v): the title broke the chain", len(history), err)
	}
}

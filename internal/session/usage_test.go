package session

import (
	"testing"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/redact"
)

func TestUsageSumsTheAnswersPerModel(t *testing.T) {
	s := testStore(t)
	cwd := t.TempDir()
	tr, err := s.Create("", cwd, redact.New())
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(tr.AppendUser(userText("hi")))
	must(tr.AppendAssistant(response("r1", llm.TextBlock("a")), "sonnet-id"))
	must(tr.AppendSummary("summary"))
	must(tr.AppendUser(userText("again")))
	must(tr.AppendAssistant(response("r2", llm.TextBlock("b")), "sonnet-id"))
	must(tr.AppendAssistant(response("r3", llm.TextBlock("c")), "haiku-id"))
	must(tr.Close())
	got, err := s.Usage(tr.ID(), cwd)
	if err != nil {
		t.Fatal(err)
	}
	if u := got["sonnet-id"]; u.InputTokens != 20 || u.OutputTokens != 10 || u.CacheReadInputTokens != 6 || got["haiku-id"].InputTokens != 10 || len(got) != 2 {
		t.Errorf("usage %+v", got)
	}
	if _, err := s.Usage("../x", cwd); err == nil {
		t.Error("a bad ID was read")
	}
}

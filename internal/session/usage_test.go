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
	// The response's own model names it, as in the reference's transcripts.
	answer := func(id, text, model string) *llm.Response {
		r := response(id, llm.TextBlock(text))
		r.Model = model
		return r
	}
	must(tr.AppendAssistant(answer("r1", "a", "sonnet-id"), "requested-id"))
	must(tr.AppendSummary("summary"))
	must(tr.AppendUser(userText("again")))
	must(tr.AppendAssistant(answer("r2", "b", "sonnet-id"), "requested-id"))
	must(tr.AppendAssistant(answer("r3", "c", "haiku-id"), "requested-id"))
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

package session

import (
	"bytes"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/llm"

	"github.com/strata-agent/strata/internal/redact"
)

// checkSendable fails unless msgs could be sent: roles alternate, every tool call is answered
// first thing in the next message, and every result answers a call of the message before.
func checkSendable(t *testing.T, msgs []llm.Message) {
	t.Helper()
	var open []string
	for i, m := range msgs {
		if len(m.Content) == 0 {
			t.Fatalf("message %d is empty", i)
		}
		if i > 0 && msgs[i-1].Role == m.Role {
			t.Fatalf("messages %d and %d are both %s", i-1, i, m.Role)
		}
		if m.Role == llm.RoleAssistant {
			open = toolUseIDs(m)
			continue
		}
		for j, b := range m.Content {
			isResult := b.Type == llm.TypeToolResult
			if j < len(open) && (!isResult || b.ToolUseID != open[j]) {
				t.Fatalf("message %d block %d does not answer call %s", i, j, open[j])
			}
			if j >= len(open) && isResult {
				t.Fatalf("message %d block %d answers no call", i, j)
			}
		}
		open = nil
	}
	if len(open) > 0 {
		t.Fatalf("calls %v never answered", open)
	}
}

// FuzzParseTranscript feeds arbitrary transcripts (strata's, the reference's, cyclic parent
// chains) to the reader Resume uses. It must either
// fail naming file:line, or give a conversation that can be sent (once Resume answers the open
// calls) and a repair after which an appended line reads back.
func FuzzParseTranscript(f *testing.F) {
	s := testStore(f)
	tr, err := s.Create("", cwd, redact.New())
	if err != nil {
		f.Fatal(err)
	}
	write(f, tr, "u:go", "tool:t1", "result:t1", "summary:sum", "u:next", "tool:t2", "u:stray", "a:end", "tool:t3")
	tr.Close()
	data := readFile(f, tr.Path())
	f.Add(data)
	f.Add(data[:len(data)-7])
	f.Add([]byte(`{"type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"x","content":"a"}]}}` + "\n"))
	f.Add(readFile(f, "testdata/claude-session.jsonl"))
	f.Add([]byte(`{"type":"user","uuid":"a","parentUuid":"b","message":{"role":"user","content":"x"}}` + "\n" +
		`{"type":"assistant","uuid":"b","parentUuid":"a","message":{"id":"m","role":"assistant","content":[{"type":"tool_use","id":"t","name":"Bash","input":{}}]}}` + "\n"))
	const name = "/state/p/s.jsonl"
	next := []byte(`{"type":"user","message":{"role":"user","content":"again"}}` + "\n")
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := parseTranscript(bytes.NewReader(data), name)
		if err != nil {
			if !strings.Contains(err.Error(), name+":") {
				t.Fatalf("error does not name the line: %v", err)
			}
			return
		}
		chain, _ := mainChain(p.entries)
		msgs, open := conversation(chain)
		if len(open) > 0 {
			msgs = append(msgs, interruptedResults(open))
		}
		checkSendable(t, msgs)
		repaired := append([]byte(nil), data[:p.keep]...)
		if p.newline {
			repaired = append(repaired, '\n')
		}
		again, err := parseTranscript(bytes.NewReader(append(repaired, next...)), name)
		if err != nil || len(again.entries) != len(p.entries)+1 {
			t.Fatalf("after repair and append: %d entries (want %d), %v", len(again.entries), len(p.entries)+1, err)
		}
	})
}

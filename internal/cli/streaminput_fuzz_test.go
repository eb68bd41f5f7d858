package cli

import (
	"encoding/json"
	"testing"

	"github.com/strata-agent/strata/internal/llm"
)

// FuzzStreamTurn: a stream-json input line is a user turn or an error, never a panic; a turn
// it accepts has content, and written back as a line it reads the same again.
func FuzzStreamTurn(f *testing.F) {
	for _, s := range []string{
		`{"type":"user","message":{"role":"user","content":"hello"}}`,
		`{"type":"user","message":{"role":"user","content":[{"type":"text","text":"hi"}]}}`,
		`{"type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"ok"}]}}`,
		`{"type":"user","message":{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AA=="}}]}}`,
		`{"type":"assistant","message":{"role":"assistant","content":"no"}}`,
		`{"type":"user","message":{"role":"user","content":[]}}`,
		`{"type":"user"}`, `[]`, `null`, `{"type":"user","message":{"role":"user","content":[{"type":"nope"}]}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		content, err := parseStreamTurn(line)
		if err != nil {
			return
		}
		if len(content) == 0 {
			t.Fatalf("accepted a turn without content: %s", line)
		}
		again, err := json.Marshal(map[string]any{"type": "user",
			"message": llm.Message{Role: llm.RoleUser, Content: content}})
		if err != nil {
			t.Fatalf("accepted content does not write back: %v: %s", err, line)
		}
		back, err := parseStreamTurn(again)
		if err != nil {
			t.Fatalf("written back, the turn no longer reads: %v\n%s\n%s", err, line, again)
		}
		a, _ := json.Marshal(content)
		b, _ := json.Marshal(back)
		if string(a) != string(b) {
			t.Fatalf("the turn changed on a round trip:\n%s\n%s", a, b)
		}
	})
}

package llm

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// compactJSON normalises JSON text so tests compare meaning, not spacing.
func compactJSON(t testing.TB, s string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Compact(&buf, []byte(s)); err != nil {
		t.Fatalf("compact %q: %v", s, err)
	}
	return buf.String()
}

func TestContentBlockRoundTrip(t *testing.T) {
	cases := []struct{ name, in string }{
		{"text", `{"type":"text","text":"hello"}`},
		{"empty text keeps key", `{"type":"text","text":""}`},
		{"text with cache", `{"type":"text","text":"x","cache_control":{"type":"ephemeral"}}`},
		{"image", `{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}}`},
		{"tool_use", `{"type":"tool_use","id":"toolu_1","name":"Bash","input":{"command":"ls"}}`},
		{"tool_use empty input", `{"type":"tool_use","id":"toolu_1","name":"LS","input":{}}`},
		{"tool_result", `{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"ok"}]}`},
		{"tool_result error", `{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"no"}],"is_error":true}`},
		{"thinking", `{"type":"thinking","thinking":"hmm","signature":"c2ln"}`},
		{"redacted", `{"type":"redacted_thinking","data":"ZW5j"}`},
		{"unknown kept verbatim", `{"type":"server_tool_use","id":"s1","name":"web_search","input":{"q":"x"}}`},
		{"document kept", `{"type":"document","source":{"type":"text","media_type":"text/plain","data":"d"},"citations":{"enabled":true}}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var b ContentBlock
			if err := json.Unmarshal([]byte(tc.in), &b); err != nil {
				t.Fatal(err)
			}
			out, err := json.Marshal(b)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := string(out), compactJSON(t, tc.in); got != want {
				t.Errorf("round trip\n got %s\nwant %s", got, want)
			}
		})
	}
}

func TestToolResultStringContent(t *testing.T) {
	var b ContentBlock
	if err := json.Unmarshal([]byte(`{"type":"tool_result","tool_use_id":"t","content":"plain"}`), &b); err != nil {
		t.Fatal(err)
	}
	if len(b.Content) != 1 || b.Content[0].Text != "plain" {
		t.Fatalf("content = %+v", b.Content)
	}
}

func TestMessageStringContent(t *testing.T) {
	var m Message
	if err := json.Unmarshal([]byte(`{"role":"user","content":"hi"}`), &m); err != nil {
		t.Fatal(err)
	}
	if m.Role != RoleUser || m.Text() != "hi" {
		t.Fatalf("message = %+v", m)
	}
}

func TestCacheControlOnUnknownBlock(t *testing.T) {
	var b ContentBlock
	if err := json.Unmarshal([]byte(`{"type":"document","x":1}`), &b); err != nil {
		t.Fatal(err)
	}
	b.CacheControl = Ephemeral()
	out, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"cache_control":{"type":"ephemeral"},"type":"document","x":1}`; string(out) != want {
		t.Fatalf("got %s want %s", out, want)
	}
}

func TestThinkingNeverCarriesCacheControl(t *testing.T) {
	b := ContentBlock{Type: TypeThinking, Thinking: "t", Signature: "s", CacheControl: Ephemeral()}
	out, _ := json.Marshal(b)
	if strings.Contains(string(out), "cache_control") {
		t.Fatalf("thinking block written with cache_control: %s", out)
	}
}

func TestRequestHasNoModelOrStream(t *testing.T) {
	temp := 0.5
	req := Request{Model: "us.anthropic.x", Betas: []string{"b"}, MaxTokens: 10, Temperature: &temp,
		System:   []ContentBlock{TextBlock("sys")},
		Messages: []Message{{Role: RoleUser, Content: []ContentBlock{TextBlock("hi")}}}}
	out, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"max_tokens":10,"system":[{"type":"text","text":"sys"}],"messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}],"temperature":0.5}`
	if string(out) != want {
		t.Fatalf("got  %s\nwant %s", out, want)
	}
}

func TestRequestRoundTrip(t *testing.T) {
	in := `{"max_tokens":4096,"system":[{"type":"text","text":"s","cache_control":{"type":"ephemeral"}}],` +
		`"messages":[{"role":"user","content":[{"type":"text","text":"q"}]},` +
		`{"role":"assistant","content":[{"type":"thinking","thinking":"t","signature":"sig"},{"type":"tool_use","id":"a","name":"Read","input":{"file_path":"/x"}}]},` +
		`{"role":"user","content":[{"type":"tool_result","tool_use_id":"a","content":[{"type":"text","text":"1\tx"}]}]}],` +
		`"tools":[{"name":"Read","description":"d","input_schema":{"type":"object"}}],` +
		`"thinking":{"type":"enabled","budget_tokens":1024}}`
	var req Request
	if err := json.Unmarshal([]byte(in), &req); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != in {
		t.Fatalf("got  %s\nwant %s", out, in)
	}
}

func FuzzContentBlockRoundTrip(f *testing.F) {
	for _, s := range []string{
		`{"type":"text","text":"a"}`,
		`{"type":"tool_use","id":"i","name":"n","input":{"a":[1,2]}}`,
		`{"type":"tool_result","tool_use_id":"i","content":"s","is_error":true}`,
		`{"type":"weird","nested":{"k":"v"}}`,
		`{"type":"thinking","thinking":"x","signature":"y"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var b ContentBlock
		if err := json.Unmarshal(data, &b); err != nil {
			return
		}
		once, err := json.Marshal(b)
		if err != nil {
			return // e.g. a block of unknown type that is not an object cannot be written
		}
		var b2 ContentBlock
		if err := json.Unmarshal(once, &b2); err != nil {
			t.Fatalf("re-decode %s: %v", once, err)
		}
		twice, err := json.Marshal(b2)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		if !bytes.Equal(once, twice) {
			t.Fatalf("not stable:\n%s\n%s", once, twice)
		}
	})
}

func TestRemovedBreakpointLeavesUnknownBlock(t *testing.T) {
	var b ContentBlock
	if err := json.Unmarshal([]byte(`{"type":"document","x":1,"cache_control":{"type":"ephemeral"}}`), &b); err != nil {
		t.Fatal(err)
	}
	b.CacheControl = nil // DISABLE_PROMPT_CACHING, or a breakpoint moved elsewhere
	out, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "cache_control") {
		t.Fatalf("breakpoint kept: %s", out)
	}
}

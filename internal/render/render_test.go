package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/agent"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/tool"
)

func sampleResult() *agent.Result {
	return &agent.Result{Subtype: agent.SubtypeSuccess, Text: "All tests pass.", NumTurns: 3,
		Duration: 1234 * time.Millisecond, APIDuration: 800 * time.Millisecond, CostUSD: 0.0123456789,
		Usage: llm.Usage{InputTokens: 10, OutputTokens: 20, CacheCreationInputTokens: 30, CacheReadInputTokens: 40}}
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestJSONResultHasExactlyTheA5Fields(t *testing.T) {
	var out, errOut bytes.Buffer
	p := New(Options{Format: FormatJSON, SessionID: "sid"}, &out, &errOut)
	if err := p.Finish(sampleResult()); err != nil {
		t.Fatal(err)
	}
	var obj map[string]any
	if err := json.Unmarshal(out.Bytes(), &obj); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	want := goldenKeys["result/success"]
	if got := keys(obj); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("keys = %v", got)
	}
	if obj["type"] != "result" || obj["subtype"] != "success" || obj["result"] != "All tests pass." ||
		obj["duration_ms"] != 1234.0 || obj["duration_api_ms"] != 800.0 || obj["total_cost_usd"] != 0.012346 {
		t.Fatalf("obj = %v", obj)
	}
	usage := obj["usage"].(map[string]any)
	if usage["cache_read_input_tokens"] != 40.0 || usage["cache_creation_input_tokens"] != 30.0 {
		t.Fatalf("usage = %v", usage)
	}
	if d, ok := obj["permission_denials"].([]any); !ok || len(d) != 0 {
		t.Fatalf("permission_denials = %#v", obj["permission_denials"])
	}
	if strings.Count(out.String(), "\n") != 1 || errOut.Len() != 0 {
		t.Fatalf("out %q err %q", out.String(), errOut.String())
	}
}

func TestStreamJSONSequence(t *testing.T) {
	var out, errOut bytes.Buffer
	p := New(Options{Format: FormatStreamJSON, SessionID: "sid", IncludePartial: true}, &out, &errOut)
	p.Start(Init{SessionID: "sid", Cwd: "/w", Model: "us.anthropic.m", Tools: []string{"Read", "Bash"}, PermissionMode: "default"})
	p.Event(agent.Event{Kind: agent.EventStream, Stream: &llm.Event{Type: llm.EventContentBlockDelta, Delta: &llm.Delta{Type: llm.DeltaText, Text: "hi"}}})
	p.Event(agent.Event{Kind: agent.EventNotice, Notice: &llm.Notice{Kind: llm.NoticeRetry, Attempt: 1, MaxAttempts: 11,
		Delay: 1500 * time.Millisecond, Err: &llm.Error{Kind: llm.ErrThrottled, Message: "Too many requests"}}})
	resp := &llm.Response{ID: "msg_1", Type: "message", Role: "assistant", Model: "us.anthropic.m",
		Content: []llm.ContentBlock{llm.TextBlock("hi")}, StopReason: "tool_use"}
	p.Event(agent.Event{Kind: agent.EventAssistant, Assistant: resp})
	p.Event(agent.Event{Kind: agent.EventUser, User: &llm.Message{Role: "user", Content: []llm.ContentBlock{llm.ToolResultBlock("t", "ok", false)}}})
	res := sampleResult()
	res.Denials = []agent.Denial{{ToolName: "Bash", ToolUseID: "t2", ToolInput: json.RawMessage(`{"command":"rm"}`)}}
	if err := p.Finish(res); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var objs []map[string]any
	for _, l := range lines {
		if !strings.HasPrefix(l, `{"type":`) {
			t.Errorf("line does not lead with its type: %s", l)
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		objs = append(objs, m)
	}
	kinds := []string{}
	for _, o := range objs {
		k := o["type"].(string)
		if st, ok := o["subtype"].(string); ok {
			k += "/" + st
		}
		kinds = append(kinds, k)
	}
	want := "system/init,stream_event,system/api_retry,assistant,user,result/success"
	if strings.Join(kinds, ",") != want {
		t.Fatalf("sequence = %v", kinds)
	}
	init := objs[0]
	if strings.Join(keys(init), ",") != strings.Join(goldenKeys["system/init"], ",") {
		t.Errorf("init keys = %v", keys(init))
	}
	retry := objs[2]
	if retry["attempt"] != 1.0 || retry["max_retries"] != 10.0 || retry["retry_delay_ms"] != 1500.0 || retry["error"] != "Too many requests" {
		t.Errorf("api_retry = %v", retry)
	}
	msg := objs[3]["message"].(map[string]any)
	if cm, ok := msg["context_management"]; !ok || cm != nil {
		t.Errorf("assistant message context_management = %v (present %v), want null", cm, ok)
	}
	if msg["id"] != "msg_1" || msg["stop_reason"] != "tool_use" || objs[3]["session_id"] != "sid" {
		t.Errorf("assistant = %v", objs[3])
	}
	if d := objs[5]["permission_denials"].([]any); len(d) != 1 || d[0].(map[string]any)["tool_name"] != "Bash" {
		t.Errorf("denials = %v", objs[5]["permission_denials"])
	}
	if errOut.Len() != 0 {
		t.Errorf("stream-json wrote to stderr: %q", errOut.String())
	}
}

func TestTextModePrintsOnlyTheAnswer(t *testing.T) {
	var out, errOut bytes.Buffer
	p := New(Options{Format: FormatText}, &out, &errOut)
	p.Event(agent.Event{Kind: agent.EventNotice, Notice: &llm.Notice{Kind: llm.NoticeRetry, Attempt: 2, MaxAttempts: 11,
		Delay: 4 * time.Second, Err: &llm.Error{Kind: llm.ErrThrottled}}})
	p.Event(agent.Event{Kind: agent.EventAssistant, Assistant: &llm.Response{Content: []llm.ContentBlock{llm.TextBlock("thinking aloud")}}})
	if err := p.Finish(sampleResult()); err != nil {
		t.Fatal(err)
	}
	if out.String() != "All tests pass.\n" {
		t.Fatalf("stdout = %q", out.String())
	}
	if !strings.Contains(errOut.String(), "throttled by Bedrock, retrying in 4.0s (attempt 2/10)") {
		t.Fatalf("stderr = %q", errOut.String())
	}
}

func TestErrorResult(t *testing.T) {
	var out bytes.Buffer
	p := New(Options{Format: FormatJSON, SessionID: "s"}, &out, &bytes.Buffer{})
	res := &agent.Result{Subtype: agent.SubtypeError, IsError: true, Err: errors.New("access denied to model X")}
	if err := p.Finish(res); err != nil {
		t.Fatal(err)
	}
	var obj map[string]any
	_ = json.Unmarshal(out.Bytes(), &obj)
	errs, _ := obj["errors"].([]any)
	if obj["subtype"] != "error_during_execution" || obj["is_error"] != true || len(errs) != 1 || errs[0] != "access denied to model X" {
		t.Fatalf("obj = %v", obj)
	}
	if _, ok := obj["result"]; ok {
		t.Fatalf("an error subtype has a result field: %v", obj)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

func TestWriteErrorIsReturned(t *testing.T) {
	p := New(Options{Format: FormatText}, failWriter{}, &bytes.Buffer{})
	if err := p.Finish(sampleResult()); err == nil {
		t.Fatal("write error lost")
	}
}

func TestLiveShowsCallsResultsAndDiffs(t *testing.T) {
	var buf bytes.Buffer
	l := NewLive(&buf, false)
	use := &llm.ContentBlock{Type: llm.TypeToolUse, ID: "t", Name: "Bash", Input: json.RawMessage(`{"command":"go test ./..."}`)}
	l.Event(agent.Event{Kind: agent.EventAssistant, Assistant: &llm.Response{Content: []llm.ContentBlock{llm.TextBlock("Running the tests.")}}})
	l.Event(agent.Event{Kind: agent.EventToolStart, ToolUse: use})
	var long []string
	for i := 0; i < 20; i++ {
		long = append(long, fmt.Sprintf("line %d", i))
	}
	l.Event(agent.Event{Kind: agent.EventToolResult, ToolUse: use, Result: &tool.Result{Text: strings.Join(long, "\n")}})
	l.Event(agent.Event{Kind: agent.EventToolResult, ToolUse: use, Result: &tool.Result{Text: "edited", Display: "--- a\n+++ b\n-old\n+new"}})
	got := buf.String()
	for _, want := range []string{"Running the tests.", "● Bash(go test ./...)", "  ⎿ line 0", "    line 11", "… 8 more lines", "-old", "+new"} {
		if !strings.Contains(got, want) {
			t.Errorf("live view lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "line 12") {
		t.Errorf("live view shows more than %d lines", liveResultLines)
	}
}

// A Bash call's result carries the reference's display record in stream-json; other tools'
// carry their text, and a failed call's "Error: …".
func TestStreamJSONToolUseResult(t *testing.T) {
	var out, errOut bytes.Buffer
	p := New(Options{Format: FormatStreamJSON, SessionID: "sid"}, &out, &errOut)
	p.Event(agent.Event{Kind: agent.EventAssistant, Assistant: &llm.Response{ID: "m", Type: "message", Role: "assistant",
		Content: []llm.ContentBlock{{Type: llm.TypeToolUse, ID: "b1", Name: "Bash"}, {Type: llm.TypeToolUse, ID: "r1", Name: "Read"}}}})
	for _, r := range []llm.ContentBlock{llm.ToolResultBlock("b1", "out", false), llm.ToolResultBlock("r1", "text", false),
		llm.ToolResultBlock("b1", "boom", true)} {
		p.Event(agent.Event{Kind: agent.EventUser, User: &llm.Message{Role: "user", Content: []llm.ContentBlock{r}}})
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	want := []string{`"tool_use_result":{"stdout":"out","stderr":"","interrupted":false,"isImage":false,"noOutputExpected":false}`,
		`"tool_use_result":"text"`, `"tool_use_result":"Error: boom"`}
	if len(lines) != 4 {
		t.Fatalf("lines: %q", lines)
	}
	for i, w := range want {
		if !strings.Contains(lines[i+1], w) {
			t.Errorf("line %d = %s, want %s", i+1, lines[i+1], w)
		}
	}
}

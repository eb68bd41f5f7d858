package sdkproto

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
)

// lines collects what the Conn writes, one decoded JSON object per line.
type lines struct {
	mu  sync.Mutex
	buf strings.Builder
	got chan map[string]any
}

func newLines() *lines { return &lines{got: make(chan map[string]any, 64)} }

func (l *lines) Write(p []byte) (int, error) {
	var m map[string]any
	if err := json.Unmarshal(p, &m); err != nil || !strings.HasSuffix(string(p), "\n") || strings.Count(string(p), "\n") != 1 {
		panic("not one JSON line: " + string(p))
	}
	l.got <- m
	return len(p), nil
}

func (l *lines) next(t *testing.T) map[string]any {
	t.Helper()
	return <-l.got
}

func TestInitializeIsHandledBeforeTheTurnThatFollows(t *testing.T) {
	out := newLines()
	applied := false
	c := New(out, func(_ context.Context, subtype string, _ json.RawMessage) (any, error) {
		if subtype == "initialize" {
			applied = true
			return map[string]any{"pid": 1}, nil
		}
		return nil, errors.New("unexpected")
	}, "initialize")
	in := `{"type":"control_request","request_id":"r1","request":{"subtype":"initialize","systemPrompt":[""]}}
{"type":"user","session_id":"","message":{"role":"user","content":"hi"},"parent_tool_use_id":null}
`
	if err := c.Serve(context.Background(), strings.NewReader(in)); err != nil {
		t.Fatal(err)
	}
	turn, ok := <-c.Turns()
	if !ok || !applied || !strings.Contains(string(turn.Message), `"hi"`) {
		t.Fatalf("turn %s, initialize applied %v", turn.Message, applied)
	}
	resp := out.next(t)["response"].(map[string]any)
	if resp["subtype"] != "success" || resp["request_id"] != "r1" || resp["response"].(map[string]any)["pid"] != 1.0 {
		t.Fatalf("response = %v", resp)
	}
}

func TestUnknownSubtypeIsAnsweredWithAnError(t *testing.T) {
	out := newLines()
	c := New(out, func(_ context.Context, subtype string, _ json.RawMessage) (any, error) {
		return nil, errors.New("Unsupported control request subtype: " + subtype)
	})
	in := `{"type":"control_request","request_id":"r2","request":{"subtype":"bogus_subtype"}}` + "\n"
	if err := c.Serve(context.Background(), strings.NewReader(in)); err != nil {
		t.Fatal(err)
	}
	resp := out.next(t)["response"].(map[string]any)
	if resp["subtype"] != "error" || resp["error"] != "Unsupported control request subtype: bogus_subtype" {
		t.Fatalf("response = %v", resp)
	}
}

func TestNonJSONLineStopsServe(t *testing.T) {
	c := New(newLines(), nil)
	err := c.Serve(context.Background(), strings.NewReader("{\"type\":\"keep_alive\"}\nnot json\n"))
	if err == nil || !strings.Contains(err.Error(), "stdin line 2") {
		t.Fatalf("err = %v", err)
	}
}

// A request strata sends is answered by a control_response read while the caller waits:
// stdin is served concurrently with the turn.
func TestRequestGetsTheAnswerReadConcurrently(t *testing.T) {
	out := newLines()
	c := New(out, nil)
	pr, pw := io.Pipe()
	go func() { _ = c.Serve(context.Background(), pr) }()
	done := make(chan json.RawMessage)
	go func() {
		body, err := c.Request(context.Background(), map[string]any{"subtype": "can_use_tool", "tool_name": "Bash"})
		if err != nil {
			t.Error(err)
		}
		done <- body
	}()
	req := out.next(t)
	if req["type"] != "control_request" || req["request"].(map[string]any)["subtype"] != "can_use_tool" {
		t.Fatalf("request = %v", req)
	}
	id := req["request_id"].(string)
	_, _ = io.WriteString(pw, `{"type":"control_response","response":{"subtype":"success","request_id":"`+id+`","response":{"behavior":"allow"}}}`+"\n")
	if body := <-done; !strings.Contains(string(body), "allow") {
		t.Fatalf("body = %s", body)
	}
	pw.Close()
}

func TestCancelPendingTellsTheSDKAndTheWaiter(t *testing.T) {
	out := newLines()
	c := New(out, nil)
	errc := make(chan error)
	go func() {
		_, err := c.Request(context.Background(), map[string]any{"subtype": "can_use_tool"})
		errc <- err
	}()
	id := out.next(t)["request_id"]
	c.CancelPending()
	cancel := out.next(t)
	if cancel["type"] != "control_cancel_request" || cancel["request_id"] != id {
		t.Fatalf("cancel = %v", cancel)
	}
	if err := <-errc; !errors.Is(err, ErrCanceled) {
		t.Fatalf("err = %v", err)
	}
	// A late answer to the cancelled request is ignored.
	c.complete(id.(string), "success", json.RawMessage(`{}`), "")
}

func TestErrorAnswerIsARemoteError(t *testing.T) {
	out := newLines()
	c := New(out, nil)
	errc := make(chan error)
	go func() {
		_, err := c.Request(context.Background(), map[string]any{"subtype": "hook_callback"})
		errc <- err
	}()
	id := out.next(t)["request_id"].(string)
	c.complete(id, "error", nil, "canUseTool callback is not provided.")
	var re *RemoteError
	if err := <-errc; !errors.As(err, &re) || re.Message != "canUseTool callback is not provided." {
		t.Fatalf("err = %v", err)
	}
}

func TestControlCancelRequestEndsTheHandler(t *testing.T) {
	out := newLines()
	started := make(chan struct{})
	c := New(out, func(ctx context.Context, _ string, _ json.RawMessage) (any, error) {
		close(started)
		<-ctx.Done()
		return nil, ctx.Err()
	})
	pr, pw := io.Pipe()
	served := make(chan error)
	go func() { served <- c.Serve(context.Background(), pr) }()
	w := bufio.NewWriter(pw)
	_, _ = w.WriteString(`{"type":"control_request","request_id":"slow","request":{"subtype":"side_question"}}` + "\n")
	_ = w.Flush()
	<-started
	_, _ = w.WriteString(`{"type":"control_cancel_request","request_id":"slow"}` + "\n")
	_ = w.Flush()
	pw.Close()
	if err := <-served; err != nil {
		t.Fatal(err)
	}
}

func TestParsePermissionAnswer(t *testing.T) {
	a, err := ParsePermissionAnswer(json.RawMessage(`{"behavior":"allow","updatedInput":{"command":"ls"},"toolUseID":"toolu_1"}`))
	if err != nil || a.Behavior != "allow" || string(a.UpdatedInput) != `{"command":"ls"}` {
		t.Fatalf("%+v %v", a, err)
	}
	if _, err := ParsePermissionAnswer(json.RawMessage(`{"behavior":"maybe"}`)); err == nil {
		t.Fatal("behavior maybe accepted")
	}
	if _, err := ParsePermissionAnswer(json.RawMessage(`{"behavior":"allow","updatedInput":"rm -rf /"}`)); err == nil {
		t.Fatal("a string updatedInput accepted")
	}
}

func TestSystemPromptText(t *testing.T) {
	if _, ok := (Initialize{}).SystemPromptText(); ok {
		t.Fatal("no systemPrompt asked for one")
	}
	empty := []string{""}
	text, ok := Initialize{SystemPrompt: &empty}.SystemPromptText()
	if !ok || text != sdkIdentity {
		t.Fatalf("[\"\"] gave %q", text)
	}
	custom := []string{"X marks"}
	if text, _ := (Initialize{SystemPrompt: &custom}).SystemPromptText(); !strings.HasSuffix(text, "\n\nX marks") {
		t.Fatalf("custom gave %q", text)
	}
}

func FuzzServe(f *testing.F) {
	f.Add(`{"type":"user","message":{"role":"user","content":"hi"}}`)
	f.Add(`{"type":"control_request","request_id":"1","request":{"subtype":"interrupt"}}`)
	f.Add(`{"type":"control_response","response":{"subtype":"success","request_id":"x"}}`)
	f.Fuzz(func(t *testing.T, line string) {
		c := New(io.Discard, func(context.Context, string, json.RawMessage) (any, error) { return nil, nil }, "interrupt")
		go func() {
			for range c.Turns() {
			}
		}()
		_ = c.Serve(context.Background(), strings.NewReader(line+"\n"))
	})
}

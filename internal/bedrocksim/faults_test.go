package bedrocksim_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/strata-agent/strata/internal/bedrocksim"
	"github.com/strata-agent/strata/internal/llm"
)

// TestToolRoundTrip drives a scripted model that reacts to tool output.
func TestToolRoundTrip(t *testing.T) {
	sc := mustScript(t, `{"turns": [
	  {"when": {"user_text_contains": "list"}, "content": [
	     {"type": "text", "text": "Let me look."},
	     {"type": "tool_use", "name": "bash", "input": {"command": "ls"}}]},
	  {"when": {"tool_result_contains": "No such file"}, "content": "There is nothing there."},
	  {"when": {"tool_result_contains": "main.go"}, "content": "I found main.go."},
	  {"repeat": true, "content": "fallback"}
	]}`)
	srv := start(t, bedrocksim.Config{Script: sc})
	rt := runtimeClient(srv, clientOpts{})
	tools := []any{map[string]any{"name": "bash", "input_schema": map[string]any{"type": "object"}}}
	first := []any{user("list the files")}
	evs, err := stream(rt, sonnet45, body(map[string]any{"messages": first, "tools": tools}))
	if err != nil {
		t.Fatal(err)
	}
	resp := accumulate(t, evs)
	uses := resp.Message().ToolUses()
	if resp.StopReason != llm.StopToolUse || len(uses) != 1 || string(uses[0].Input) != `{"command":"ls"}` || !strings.HasPrefix(uses[0].ID, "toolu_bdrk_") {
		t.Fatalf("first answer = %+v", resp)
	}
	inputDeltas := 0
	for _, e := range evs {
		if e.Delta != nil && e.Delta.Type == llm.DeltaInputJSON {
			inputDeltas++
		}
	}
	if inputDeltas < 2 {
		t.Errorf("tool input came in %d deltas, want several", inputDeltas)
	}
	second := append(first, resp.Message(), user([]any{toolResult(uses[0].ID, "go.mod\nmain.go\n")}))
	r2, err := invoke(rt, sonnet45, body(map[string]any{"messages": second, "tools": tools}))
	if err != nil {
		t.Fatal(err)
	}
	if textOf(r2) != "I found main.go." {
		t.Errorf("second answer = %q", textOf(r2))
	}
	for range 2 {
		r3, err := invoke(rt, sonnet45, body(nil))
		if err != nil || textOf(r3) != "fallback" {
			t.Errorf("repeat turn = %v, %v", r3, err)
		}
	}
}

func TestScriptExhausted(t *testing.T) {
	srv := start(t, bedrocksim.Config{Script: mustScript(t, `{"turns": [{"content": "only once"}]}`)})
	rt := runtimeClient(srv, clientOpts{})
	if r, err := invoke(rt, sonnet45, body(nil)); err != nil || textOf(r) != "only once" {
		t.Fatalf("first = %v, %v", r, err)
	}
	_, err := invoke(rt, sonnet45, body(nil))
	wantAPIError(t, err, "ValidationException", 400, `bedrocksim: the script has no unused turn that matches this request (1 of 1 turns used; last user text "hello there")`)

	srv.SetScript(mustScript(t, `{"on_exhausted": "echo", "turns": [{"content": "once"}]}`))
	for _, want := range []string{"once", "echo: hello there"} {
		if r, err := invoke(rt, sonnet45, body(nil)); err != nil || textOf(r) != want {
			t.Errorf("got %v, %v; want %q", r, err, want)
		}
	}
}

// TestImmediateFaults: faults that replace the answer with an error, one request each; the
// request after them gets the answer.
func TestImmediateFaults(t *testing.T) {
	tests := []struct {
		fault  string
		code   string
		status int
		msg    string
	}{
		{`{"fault": "throttle"}`, "ThrottlingException", 429, "Too many requests, please wait before trying again."},
		{`{"fault": "throttle", "message": "Too many tokens, please wait before trying again."}`, "ThrottlingException", 429, "Too many tokens, please wait before trying again."},
		{`{"fault": "server_error"}`, "InternalServerException", 500, "The server encountered an internal error while processing the request."},
		{`{"fault": "server_error", "status": 503}`, "ServiceUnavailableException", 503, "Bedrock is unable to process your request."},
		{`{"fault": "server_error", "status": 408}`, "ModelTimeoutException", 408, "Model has timed out in processing the request. Try your request again."},
		{`{"fault": "error", "status": 400, "code": "ServiceQuotaExceededException", "message": "quota"}`, "ServiceQuotaExceededException", 400, "quota"},
		{`{"fault": "validation", "message": "Input is too long for requested model."}`, "ValidationException", 400, "Input is too long for requested model."},
		{`{"fault": "expire_credentials"}`, "ExpiredTokenException", 403, "The security token included in the request is expired"},
	}
	for _, tt := range tests {
		t.Run(tt.code+" "+tt.msg, func(t *testing.T) {
			sc := mustScript(t, `{"turns": [{"content": "done", "faults": [`+tt.fault+`]}]}`)
			srv := start(t, bedrocksim.Config{Script: sc})
			rt := runtimeClient(srv, clientOpts{})
			_, err := stream(rt, sonnet45, body(nil))
			wantAPIError(t, err, tt.code, tt.status, tt.msg)
			if tt.code == "ExpiredTokenException" {
				// The key stays expired until it is refreshed.
				_, err = invoke(rt, sonnet45, body(nil))
				wantAPIError(t, err, tt.code, tt.status, tt.msg)
				srv.AddKey(testKey())
			}
			if r, err := invoke(rt, sonnet45, body(nil)); err != nil || textOf(r) != "done" {
				t.Errorf("after the fault: %v, %v", r, err)
			}
		})
	}
}

// TestSDKRetriesThrottling: the SDK's own retries consume the throttles.
func TestSDKRetriesThrottling(t *testing.T) {
	sc := mustScript(t, `{"turns": [{"content": "finally", "faults": [{"fault": "throttle", "times": 2}]}]}`)
	srv := start(t, bedrocksim.Config{Script: sc})
	r, err := invoke(runtimeClient(srv, clientOpts{attempts: 3}), sonnet45, body(nil))
	if err != nil || textOf(r) != "finally" {
		t.Fatalf("%v, %v", r, err)
	}
	var statuses []int
	for _, q := range srv.Requests() {
		statuses = append(statuses, q.Status)
	}
	if len(statuses) != 3 || statuses[0] != 429 || statuses[1] != 429 || statuses[2] != 200 {
		t.Errorf("statuses = %v", statuses)
	}
}

func TestStreamFaults(t *testing.T) {
	tests := []struct {
		name      string
		fault     string
		wantCount int    // events received before the fault
		wantErr   string // substring of the stream error; "" for none
		exception bool
	}{
		// The SDK reports a connection closed mid-stream as a normal end of the events:
		// only the missing message_stop shows the cut.
		{name: "cut after 3 events", fault: `{"fault": "cut", "after_events": 3}`, wantCount: 3},
		{name: "reset after 3 events", fault: `{"fault": "cut", "after_events": 3, "reset": true}`, wantCount: 3, wantErr: "connection reset by peer"},
		{name: "exception frame", fault: `{"fault": "exception", "after_events": 2, "exception": "modelStreamErrorException", "message": "stream broke"}`,
			wantCount: 2, wantErr: "stream broke", exception: true},
		{name: "throttling frame", fault: `{"fault": "exception", "after_events": 4, "exception": "throttlingException"}`,
			wantCount: 4, wantErr: "Too many requests, please wait before trying again."},
		{name: "stall then cut", fault: `{"fault": "stall", "ms": 5, "after_events": 2}`, wantCount: 2},
		{name: "stall then resume", fault: `{"fault": "stall", "ms": 5, "after_events": 2, "resume": true}`, wantCount: -1},
		{name: "stall before the first byte, resumed", fault: `{"fault": "stall", "ms": 5, "resume": true}`, wantCount: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := mustScript(t, `{"turns": [{"content": "one two three four five", "faults": [`+tt.fault+`]}]}`)
			srv := start(t, bedrocksim.Config{Script: sc})
			rt := runtimeClient(srv, clientOpts{})
			evs, err := stream(rt, sonnet45, body(nil))
			if tt.wantCount < 0 {
				if err != nil || textOf(accumulate(t, evs)) != "one two three four five" {
					t.Fatalf("resumed stream: %v", err)
				}
				if len(srv.Requests()) != 1 {
					t.Errorf("a resumed stall must deliver the answer in one request")
				}
				return
			}
			if len(evs) != tt.wantCount {
				t.Errorf("received %d events, want %d", len(evs), tt.wantCount)
			}
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("stream error = %v, want %q", err, tt.wantErr)
			}
			for _, e := range evs {
				if e.Type == llm.EventMessageStop {
					t.Error("a broken stream delivered message_stop")
				}
			}
			var mse *types.ModelStreamErrorException
			if tt.exception && !errors.As(err, &mse) {
				t.Errorf("error %T is not a ModelStreamErrorException", err)
			}
			evs, err = stream(rt, sonnet45, body(nil))
			if err != nil || textOf(accumulate(t, evs)) != "one two three four five" {
				t.Errorf("the retry did not get the answer: %v", err)
			}
		})
	}
}

// TestFaultsWithoutStream: stream faults on InvokeModel become what they are without a stream.
func TestFaultsWithoutStream(t *testing.T) {
	sc := mustScript(t, `{"turns": [{"content": "ok", "faults": [
	  {"fault": "exception", "exception": "modelStreamErrorException"},
	  {"fault": "cut"}]}]}`)
	srv := start(t, bedrocksim.Config{Script: sc})
	rt := runtimeClient(srv, clientOpts{})
	_, err := invoke(rt, sonnet45, body(nil))
	wantAPIError(t, err, "ModelStreamErrorException", 424, "The model stream was interrupted. Try your request again.")
	if _, err = invoke(rt, sonnet45, body(nil)); err == nil || !strings.Contains(err.Error(), "EOF") {
		t.Errorf("cut: %v", err)
	}
	if r, err := invoke(rt, sonnet45, body(nil)); err != nil || textOf(r) != "ok" {
		t.Errorf("answer: %v %v", r, err)
	}
}

// TestGatewayContentType: a gateway that turned the stream into a JSON body.
func TestGatewayContentType(t *testing.T) {
	sc := mustScript(t, `{"turns": [{"content": "plain", "faults": [{"fault": "content_type"}, {"fault": "content_type"}]}]}`)
	srv := start(t, bedrocksim.Config{Script: sc})
	if _, err := stream(runtimeClient(srv, clientOpts{}), sonnet45, body(nil)); err == nil {
		t.Error("the SDK accepted a JSON body as an event stream")
	}
	req := signedRequestTo(t, srv, "/model/"+sonnet45+"/invoke-with-response-stream", "bedrock", "us-east-1", body(nil))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var msg llm.Response
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" || json.Unmarshal(data, &msg) != nil || textOf(&msg) != "plain" {
		t.Errorf("got %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), data)
	}
}

func TestMaxTokensInToolCall(t *testing.T) {
	sc := mustScript(t, `{"turns": [{"stop_reason": "max_tokens", "content": [
	  {"type": "text", "text": "Writing the file."},
	  {"type": "tool_use", "name": "write", "input": {"path": "a.txt", "content": "a long text that will not fit"}}]}]}`)
	srv := start(t, bedrocksim.Config{Script: sc})
	evs, err := stream(runtimeClient(srv, clientOpts{}), sonnet45, body(nil))
	if err != nil {
		t.Fatal(err)
	}
	stops := map[int]bool{}
	for _, e := range evs {
		if e.Type == llm.EventContentBlockStop {
			stops[e.Index] = true
		}
	}
	if !stops[0] || stops[1] {
		t.Errorf("content_block_stop for blocks %v, want only the text block", stops)
	}
	resp := accumulate(t, evs)
	if resp.StopReason != llm.StopMaxTokens || len(resp.Content) != 1 || textOf(resp) != "Writing the file." {
		t.Errorf("truncated response = %+v", resp)
	}
}

// TestEchoLimits: the echo model stops at stop sequences and at max_tokens like a model.
func TestEchoLimits(t *testing.T) {
	srv := start(t, bedrocksim.Config{})
	rt := runtimeClient(srv, clientOpts{})
	r, err := invoke(rt, sonnet45, body(map[string]any{"stop_sequences": []any{"there"}}))
	if err != nil || textOf(r) != "echo: hello " || r.StopReason != llm.StopSequence || r.StopSequence == nil || *r.StopSequence != "there" {
		t.Errorf("stop sequence: %+v %v", r, err)
	}
	r, err = invoke(rt, sonnet45, body(map[string]any{"max_tokens": 2}))
	if err != nil || textOf(r) != "echo: he" || r.StopReason != llm.StopMaxTokens || r.Usage.OutputTokens != 2 {
		t.Errorf("max_tokens: %+v %v", r, err)
	}
}

func TestUsageOverrideAndLatency(t *testing.T) {
	sc := mustScript(t, `{"turns": [{"content": "a b c", "usage": {"output_tokens": 42, "input_tokens": 7}}]}`)
	srv := start(t, bedrocksim.Config{Script: sc, Latency: bedrocksim.Latency{FirstByte: time.Millisecond, PerToken: time.Microsecond}})
	evs, err := stream(runtimeClient(srv, clientOpts{}), sonnet45, body(nil))
	if err != nil {
		t.Fatal(err)
	}
	resp := accumulate(t, evs)
	if resp.Usage.OutputTokens != 42 || resp.Usage.InputTokens != 7 {
		t.Errorf("usage = %+v", resp.Usage)
	}
	if m := evs[len(evs)-1].Metrics; m == nil || m.OutputTokenCount != 42 || m.InputTokenCount != 7 {
		t.Errorf("metrics = %+v", m)
	}
}

// TestSystemAndToolListConditions routes requests by their system prompt and by the exact
// list of tools they offer, as the sub-agent tests do.
func TestSystemAndToolListConditions(t *testing.T) {
	sc := mustScript(t, `{"turns": [
	  {"when": {"system_contains": "reviewer", "tools": ["Read", "Grep"]}, "content": "reviewer with its tools"},
	  {"when": {"tools": []}, "content": "no tools"},
	  {"repeat": true, "content": "other"}
	]}`)
	srv := start(t, bedrocksim.Config{Script: sc})
	rt := runtimeClient(srv, clientOpts{})
	tool := func(name string) any {
		return map[string]any{"name": name, "input_schema": map[string]any{"type": "object"}}
	}
	ask := func(extra map[string]any) string {
		r, err := invoke(rt, sonnet45, body(extra))
		if err != nil {
			t.Fatal(err)
		}
		return textOf(r)
	}
	if got := ask(map[string]any{"system": "you are the reviewer", "tools": []any{tool("Grep"), tool("Read")}}); got != "other" {
		t.Errorf("tools in another order matched: %q", got)
	}
	if got := ask(map[string]any{"system": "you are a writer", "tools": []any{tool("Read"), tool("Grep")}}); got != "other" {
		t.Errorf("another system prompt matched: %q", got)
	}
	if got := ask(map[string]any{"system": "you are the reviewer", "tools": []any{tool("Read"), tool("Grep")}}); got != "reviewer with its tools" {
		t.Errorf("matching request got %q", got)
	}
	if got := ask(nil); got != "no tools" {
		t.Errorf("request without tools got %q", got)
	}
}

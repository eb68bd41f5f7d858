package hooks

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/permission"
)

func TestCallbackHooksAnswerLikeCommandHooks(t *testing.T) {
	r := newRunner(t, t.TempDir(), nil)
	var mu sync.Mutex
	var calls []string
	call := func(_ context.Context, id string, input json.RawMessage, toolUseID string) (json.RawMessage, error) {
		mu.Lock()
		defer mu.Unlock()
		calls = append(calls, id+" "+toolUseID)
		var in map[string]any
		if err := json.Unmarshal(input, &in); err != nil || in["hook_event_name"] != "PreToolUse" || in["tool_name"] != "Bash" {
			t.Errorf("input %s", input)
		}
		return json.RawMessage(`{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"deny","permissionDecisionReason":"HOOK-DENIED"}}`), nil
	}
	if err := r.AddCallbacks(call, "PreToolUse", "Bash", []string{"hook_0"}, 0); err != nil {
		t.Fatal(err)
	}
	out := r.Run(context.Background(), Input{Event: PreToolUse, ToolName: "Bash", ToolUseID: "toolu_1", ToolInput: json.RawMessage(`{"command":"ls"}`)})
	if !out.Block || out.Decision != permission.Deny || out.Reason != "HOOK-DENIED" {
		t.Fatalf("outcome %+v", out)
	}
	if out := r.Run(context.Background(), Input{Event: PreToolUse, ToolName: "Read"}); out.Block || len(calls) != 1 {
		t.Fatalf("a Read call reached the Bash callback: %+v %v", out, calls)
	}
	if calls[0] != "hook_0 toolu_1" {
		t.Fatalf("calls %v", calls)
	}
}

func TestCallbackFailuresAndTimeoutsAreReported(t *testing.T) {
	r := newRunner(t, t.TempDir(), nil)
	fail := func(context.Context, string, json.RawMessage, string) (json.RawMessage, error) {
		return nil, errors.New("callback exploded")
	}
	hang := func(ctx context.Context, _ string, _ json.RawMessage, _ string) (json.RawMessage, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	_ = r.AddCallbacks(fail, "Stop", "", []string{"hook_0"}, 0)
	out := r.Run(context.Background(), Input{Event: Stop})
	if len(out.Messages) != 1 || !strings.Contains(out.Messages[0], "callback exploded") || out.Block {
		t.Fatalf("failure: %+v", out)
	}
	r = newRunner(t, t.TempDir(), nil)
	_ = r.AddCallbacks(hang, "Stop", "", []string{"hook_1"}, 10*time.Millisecond)
	out = r.Run(context.Background(), Input{Event: Stop})
	if len(out.Messages) != 1 || !strings.Contains(out.Messages[0], "did not finish") {
		t.Fatalf("timeout: %+v", out)
	}
	if err := r.AddCallbacks(hang, "PreToolUse", "(", []string{"x"}, 0); err == nil {
		t.Fatal("a broken matcher was accepted")
	}
}

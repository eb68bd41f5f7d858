package render

import (
	"bytes"
	"context"
	"encoding/json"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/agent"
	"github.com/strata-agent/strata/internal/llm"
)

// goldenKeys are the key sets of the reference 2.1.197's stream-json messages, as traced
// under the Agent SDK (../shared/spec/AGENT-SDK.md §5.1), sorted. memory_paths is there with
// an empty object: strata keeps no automatic memory.
var goldenKeys = map[string][]string{
	"system/init": sorted("type", "subtype", "cwd", "session_id", "tools", "mcp_servers", "model", "permissionMode",
		"slash_commands", "apiKeySource", "claude_code_version", "output_style", "agents", "skills", "plugins",
		"analytics_disabled", "product_feedback_disabled", "uuid", "memory_paths", "fast_mode_state"),
	"assistant":    sorted("type", "message", "parent_tool_use_id", "session_id", "uuid"),
	"user/tool":    sorted("type", "message", "parent_tool_use_id", "session_id", "uuid", "timestamp", "tool_use_result"),
	"stream_event": sorted("type", "event", "session_id", "parent_tool_use_id", "uuid"),
	"system/api_retry": sorted("type", "subtype", "attempt", "max_retries", "retry_delay_ms", "error_status", "error",
		"session_id", "uuid"),
	"result/success": sorted("type", "subtype", "is_error", "api_error_status", "duration_ms", "duration_api_ms",
		"num_turns", "result", "stop_reason", "session_id", "total_cost_usd", "usage", "modelUsage",
		"permission_denials", "terminal_reason", "fast_mode_state", "uuid"),
	"result/error_max_turns": sorted("type", "subtype", "duration_ms", "duration_api_ms", "is_error", "num_turns",
		"stop_reason", "session_id", "total_cost_usd", "usage", "modelUsage", "permission_denials", "terminal_reason",
		"uuid", "errors"),
	// hook_started and hook_response as the reference 2.1.197 writes them (its binary's
	// strings; exit_code only when the hook exited by itself).
	"system/hook_started": sorted("type", "subtype", "hook_id", "hook_name", "hook_event", "uuid", "session_id"),
	"system/hook_response": sorted("type", "subtype", "hook_id", "hook_name", "hook_event", "output", "stdout", "stderr",
		"exit_code", "outcome", "uuid", "session_id"),
	"system/status": sorted("type", "subtype", "status", "permissionMode", "uuid", "session_id"),
	"usage": sorted("input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens",
		"server_tool_use", "service_tier", "cache_creation", "inference_geo", "iterations", "speed"),
	"modelUsage": sorted("inputTokens", "outputTokens", "cacheReadInputTokens", "cacheCreationInputTokens",
		"webSearchRequests", "costUSD", "contextWindow", "maxOutputTokens"), // maxOutputTokens: the Agent SDK's ModelUsage type
}

func sorted(k ...string) []string {
	sort.Strings(k)
	return k
}

// streamLines runs f on a stream-json printer and returns its lines, decoded.
func streamLines(t *testing.T, f func(p *Printer)) []map[string]any {
	t.Helper()
	var out bytes.Buffer
	p := New(Options{Format: FormatStreamJSON, SessionID: "sid", IncludePartial: true}, &out, &bytes.Buffer{})
	f(p)
	var objs []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		objs = append(objs, m)
	}
	return objs
}

func TestMessageKeySetsMatchTheReference(t *testing.T) {
	maxTurns := &agent.Result{Subtype: agent.SubtypeMaxTurns, IsError: true, NumTurns: 1, StopReason: "tool_use"}
	success := sampleResult()
	success.ModelUsage = map[string]agent.ModelUsage{"us.anthropic.m": {Usage: llm.Usage{OutputTokens: 5}, CostUSD: 0.1}}
	objs := streamLines(t, func(p *Printer) {
		p.Start(Init{SessionID: "sid", Cwd: "/w", Model: "m", Tools: []string{"Bash"}, PermissionMode: "default"})
		p.Event(agent.Event{Kind: agent.EventAssistant, Assistant: &llm.Response{ID: "msg_1", Content: []llm.ContentBlock{llm.TextBlock("hi")}}})
		p.Event(agent.Event{Kind: agent.EventUser, User: &llm.Message{Role: "user", Content: []llm.ContentBlock{llm.ToolResultBlock("t", "ok", false)}}})
		p.Event(agent.Event{Kind: agent.EventStream, Stream: &llm.Event{Type: llm.EventMessageStop}})
		p.Event(agent.Event{Kind: agent.EventNotice, Notice: &llm.Notice{Kind: llm.NoticeRetry, Attempt: 1, MaxAttempts: 3,
			Delay: time.Second, Err: &llm.Error{Kind: llm.ErrThrottled, Status: 429, Message: "slow down"}}})
		code := 0
		p.Hook(HookActivity{ID: "h1", Name: "SessionStart:startup", Event: "SessionStart"})
		p.Hook(HookActivity{ID: "h1", Name: "SessionStart:startup", Event: "SessionStart", Done: true, ExitCode: &code, Outcome: "success"})
		p.PermissionMode("acceptEdits")
		_ = p.Finish(success)
		_ = p.Finish(maxTurns)
	})
	names := []string{"system/init", "assistant", "user/tool", "stream_event", "system/api_retry",
		"system/hook_started", "system/hook_response", "system/status", "result/success", "result/error_max_turns"}
	if len(objs) != len(names) {
		t.Fatalf("got %d lines, want %d", len(objs), len(names))
	}
	for i, name := range names {
		if got, want := strings.Join(keys(objs[i]), ","), strings.Join(goldenKeys[name], ","); got != want {
			t.Errorf("%s keys:\n got %s\nwant %s", name, got, want)
		}
	}
	for _, i := range []int{8, 9} {
		u := objs[i]["usage"].(map[string]any)
		if got, want := strings.Join(keys(u), ","), strings.Join(goldenKeys["usage"], ","); got != want {
			t.Errorf("%s usage keys:\n got %s\nwant %s", names[i], got, want)
		}
	}
	mu := objs[8]["modelUsage"].(map[string]any)["us.anthropic.m"].(map[string]any)
	if got, want := strings.Join(keys(mu), ","), strings.Join(goldenKeys["modelUsage"], ","); got != want {
		t.Errorf("modelUsage keys:\n got %s\nwant %s", got, want)
	}
	if objs[1]["parent_tool_use_id"] != nil || objs[4]["error_status"] != 429.0 {
		t.Errorf("assistant %v, api_retry %v", objs[1], objs[4])
	}
	if errs := objs[9]["errors"].([]any); len(errs) != 1 || errs[0] != "Reached maximum number of turns (1)" {
		t.Errorf("max-turns errors = %v", errs)
	}
}

func TestEveryLineHasAFreshUUID(t *testing.T) {
	objs := streamLines(t, func(p *Printer) {
		p.Start(Init{SessionID: "sid"})
		p.Start(Init{SessionID: "sid"})
		_ = p.Finish(sampleResult())
	})
	seen := map[any]bool{}
	for _, o := range objs {
		if id, _ := o["uuid"].(string); len(id) != 36 || seen[id] {
			t.Fatalf("uuid %v missing or repeated", o["uuid"])
		}
		seen[o["uuid"]] = true
	}
}

func TestAPIFailureIsASuccessSubtypeMarkedError(t *testing.T) {
	res := &agent.Result{Subtype: agent.SubtypeError, IsError: true,
		Err: &llm.Error{Kind: llm.ErrConfig, Status: 400, Message: "bad model"}}
	objs := streamLines(t, func(p *Printer) { _ = p.Finish(res) })
	o := objs[0]
	if o["subtype"] != "success" || o["is_error"] != true || o["api_error_status"] != 400.0 || o["result"] != "API Error: bad model" {
		t.Fatalf("result = %v", o)
	}
}

func TestToolResultOfARefusedCallSaysError(t *testing.T) {
	objs := streamLines(t, func(p *Printer) {
		p.Event(agent.Event{Kind: agent.EventUser, User: &llm.Message{Role: "user",
			Content: []llm.ContentBlock{llm.ToolResultBlock("t", "DENIED", true)}}})
	})
	if objs[0]["tool_use_result"] != "Error: DENIED" {
		t.Fatalf("tool_use_result = %v", objs[0]["tool_use_result"])
	}
}

func TestInterruptedTurnResult(t *testing.T) {
	res := &agent.Result{Subtype: agent.SubtypeError, IsError: true, Err: context.Canceled}
	o := streamLines(t, func(p *Printer) { _ = p.Finish(res) })[0]
	if errs := o["errors"].([]any); o["terminal_reason"] != "aborted_tools" || len(errs) != 1 || errs[0] != "Interrupted by the user" {
		t.Fatalf("result = %v", o)
	}
}

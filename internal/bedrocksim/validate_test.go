package bedrocksim_test

import (
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/bedrocksim"
)

const (
	claude3Opus   = "us.anthropic.claude-3-opus-20240229-v1:0"
	wrapped       = "The model returned the following errors: "
	malformedTail = ", please reformat your input and try again."
)

func user(content any) map[string]any { return map[string]any{"role": "user", "content": content} }
func assistant(content any) map[string]any {
	return map[string]any{"role": "assistant", "content": content}
}
func text(s string) map[string]any { return map[string]any{"type": "text", "text": s} }
func cached(b map[string]any) map[string]any {
	b["cache_control"] = map[string]any{"type": "ephemeral"}
	return b
}
func toolUse(id string) map[string]any {
	return map[string]any{"type": "tool_use", "id": id, "name": "bash", "input": map[string]any{"command": "ls"}}
}
func toolResult(id, s string) map[string]any {
	return map[string]any{"type": "tool_result", "tool_use_id": id, "content": s}
}
func msgs(m ...map[string]any) []any {
	out := make([]any, len(m))
	for i, x := range m {
		out[i] = x
	}
	return out
}

func TestValidation(t *testing.T) {
	bigText := strings.Repeat("word ", 200_000) // ≈ 250k tokens: over a 200k window
	tests := []struct {
		name  string
		model string
		raw   string         // used when set
		extra map[string]any // merged into the default body otherwise
		code  string
		msg   string
	}{
		{name: "not JSON", raw: "{not json", msg: "Malformed input request: the request body is not valid JSON" + malformedTail},
		{name: "not an object", raw: `[1]`, msg: "Malformed input request: #: expected type: JSONObject, found: JSONArray" + malformedTail},
		{name: "model key", extra: map[string]any{"model": "x"}, msg: "Malformed input request: #: extraneous key [model] is not permitted" + malformedTail},
		{name: "stream key", extra: map[string]any{"stream": true}, msg: "Malformed input request: #: extraneous key [stream] is not permitted" + malformedTail},
		{name: "unknown key", extra: map[string]any{"max_tokens_to_sample": 5}, msg: "Malformed input request: #: extraneous key [max_tokens_to_sample] is not permitted" + malformedTail},
		{name: "two violations", extra: map[string]any{"model": "x", "stream": true}, msg: "Malformed input request: 2 schema violations found" + malformedTail},
		{name: "version missing", extra: map[string]any{"anthropic_version": nil}, msg: "Malformed input request: #: required key [anthropic_version] not found" + malformedTail},
		{name: "wrong version", extra: map[string]any{"anthropic_version": "2023-06-01"}, msg: "Invalid API version: 2023-06-01"},
		{name: "max_tokens missing", extra: map[string]any{"max_tokens": nil}, msg: "Malformed input request: #: required key [max_tokens] not found" + malformedTail},
		{name: "max_tokens zero", extra: map[string]any{"max_tokens": 0}, msg: "Malformed input request: #/max_tokens: 0 is not greater or equal to 1" + malformedTail},
		{name: "max_tokens not a number", extra: map[string]any{"max_tokens": "9"}, msg: "Malformed input request: #/max_tokens: expected type: Integer, found: String" + malformedTail},
		{name: "max_tokens over the model limit", model: haiku45, extra: map[string]any{"max_tokens": 64001},
			msg: "The maximum tokens you requested exceeds the model limit of 64000. Try again with a maximum tokens value that is lower than 64000."},
		{name: "no messages", extra: map[string]any{"messages": []any{}}, msg: "Malformed input request: #/messages: expected minimum item count: 1, found: 0" + malformedTail},
		{name: "bad role", extra: map[string]any{"messages": msgs(map[string]any{"role": "system", "content": "x"})},
			msg: "Malformed input request: #/messages/0/role: system is not a valid enum value" + malformedTail},
		{name: "starts with assistant", extra: map[string]any{"messages": msgs(assistant("hi"), user("hello"))},
			msg: wrapped + `messages: first message must use the "user" role`},
		{name: "roles do not alternate", extra: map[string]any{"messages": msgs(user("a"), user("b"))},
			msg: wrapped + `messages: roles must alternate between "user" and "assistant", but found multiple "user" roles in a row`},
		{name: "empty text block", extra: map[string]any{"messages": msgs(user([]any{text("")}))},
			msg: wrapped + "messages: text content blocks must be non-empty"},
		{name: "unknown block type", extra: map[string]any{"messages": msgs(user([]any{map[string]any{"type": "video"}}))},
			msg: wrapped + "messages.0.content.0: Input tag 'video' found using 'type' does not match any of the expected tags: 'text', 'image', 'document', 'tool_use', 'tool_result', 'thinking', 'redacted_thinking'"},
		{name: "extra key in a block", extra: map[string]any{"messages": msgs(user([]any{map[string]any{"type": "text", "text": "x", "foo": 1}}))},
			msg: wrapped + "messages.0.content.0.foo: Extra inputs are not permitted"},
		{name: "tool_result without its tool_use", extra: map[string]any{"messages": msgs(user("go"), assistant("ok"), user([]any{toolResult("toolu_1", "out")}))},
			msg: wrapped + "messages.2.content.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_1. Each `tool_result` block must have a corresponding `tool_use` block in the previous message."},
		{name: "tool_use never answered", extra: map[string]any{"messages": msgs(user("go"), assistant([]any{toolUse("toolu_1")}), user("next"))},
			msg: wrapped + "messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_1. Each `tool_use` block must have a corresponding `tool_result` block in the next message."},
		{name: "five cache breakpoints", extra: map[string]any{
			"system":   []any{cached(text("a")), cached(text("b"))},
			"messages": msgs(user([]any{cached(text("c")), cached(text("d")), cached(text("e"))}))},
			msg: wrapped + "A maximum of 4 blocks with cache_control may be provided. Found 5."},
		{name: "1h breakpoint after a 5m one", extra: map[string]any{
			"system":   []any{cached(text("a"))},
			"messages": msgs(user([]any{map[string]any{"type": "text", "text": "b", "cache_control": map[string]any{"type": "ephemeral", "ttl": "1h"}}}))},
			msg: wrapped + "messages.0.content.0.cache_control.ttl: a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block. Note that blocks are processed in the following order: `tools`, `system`, `messages`."},
		{name: "cache_control on a model without caching", model: claude3Opus, extra: map[string]any{"system": []any{cached(text("a"))}},
			code: "AccessDeniedException", msg: "You invoked an unsupported model or your request did not allow prompt caching"},
		{name: "thinking budget below 1024", extra: map[string]any{"thinking": map[string]any{"type": "enabled", "budget_tokens": 512}},
			msg: "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024"},
		{name: "thinking budget not below max_tokens", extra: map[string]any{"max_tokens": 2000, "thinking": map[string]any{"type": "enabled", "budget_tokens": 2000}},
			msg: wrapped + "`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size"},
		{name: "temperature with thinking", extra: map[string]any{"max_tokens": 4000, "temperature": 0.5, "thinking": map[string]any{"type": "enabled", "budget_tokens": 1024}},
			msg: wrapped + "`temperature` may only be set to 1 when thinking is enabled. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#feature-compatibility"},
		{name: "forced tool use with thinking", extra: map[string]any{"max_tokens": 4000, "thinking": map[string]any{"type": "enabled", "budget_tokens": 1024},
			"tools": []any{map[string]any{"name": "bash", "input_schema": map[string]any{"type": "object"}}}, "tool_choice": map[string]any{"type": "any"}},
			msg: wrapped + "Thinking may not be enabled when tool_choice forces tool use."},
		{name: "beta the model does not take", extra: map[string]any{"anthropic_beta": []any{"claude-code-20250219"}}, msg: "invalid beta flag"},
		{name: "enabled thinking on an adaptive-only model", model: opus47, extra: map[string]any{"max_tokens": 4000, "thinking": map[string]any{"type": "enabled", "budget_tokens": 1024}},
			msg: wrapped + `"thinking.type.enabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.`},
		{name: "thinking off on an always-thinking model", model: opus47, extra: map[string]any{"thinking": map[string]any{"type": "disabled"}},
			msg: wrapped + `"thinking.type.disabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.`},
		{name: "adaptive thinking on a budget model", extra: map[string]any{"thinking": map[string]any{"type": "adaptive"}},
			msg: wrapped + "thinking: Input tag 'adaptive' found using 'type' does not match any of the expected tags: 'disabled', 'enabled'"},
		{name: "thinking on a model without thinking", model: claude3Opus, extra: map[string]any{"thinking": map[string]any{"type": "enabled", "budget_tokens": 1024}},
			msg: "Malformed input request: #: extraneous key [thinking] is not permitted" + malformedTail},
		{name: "effort on a budget model", model: haiku45, extra: map[string]any{"output_config": map[string]any{"effort": "high"}},
			msg: "output_config.effort: Extra inputs are not permitted"},
		{name: "duplicate tool names", extra: map[string]any{"tools": []any{
			map[string]any{"name": "bash", "input_schema": map[string]any{"type": "object"}},
			map[string]any{"name": "bash", "input_schema": map[string]any{"type": "object"}}}},
			msg: wrapped + "tools: Tool names must be unique."},
		{name: "tool-level custom object", extra: map[string]any{"tools": []any{
			map[string]any{"name": "bash", "input_schema": map[string]any{"type": "object"}, "custom": map[string]any{}}}},
			msg: wrapped + "tools.0.custom: Extra inputs are not permitted"},
		{name: "input too long", model: haiku45, extra: map[string]any{"messages": msgs(user(bigText))},
			msg: "Input is too long for requested model."},
	}
	srv := start(t, bedrocksim.Config{})
	rt := runtimeClient(srv, clientOpts{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			model := tt.model
			if model == "" {
				model = sonnet45
			}
			b := []byte(tt.raw)
			if tt.raw == "" {
				b = body(tt.extra)
			}
			code := tt.code
			if code == "" {
				code = "ValidationException"
			}
			status := 400
			if code == "AccessDeniedException" {
				status = 403
			}
			_, err := invoke(rt, model, b)
			wantAPIError(t, err, code, status, tt.msg)
			if len(b) < 1<<16 { // the streaming route validates the same way; spare the race detector 1 MB twice
				_, err = stream(rt, model, b)
				wantAPIError(t, err, code, status, tt.msg)
			}
		})
	}
}

func TestModelIDs(t *testing.T) {
	tests := []struct {
		name    string
		regions []string
		region  string
		model   string
		code    string
		status  int
		msg     string
	}{
		{name: "geo profile", model: sonnet45},
		{name: "global profile", model: "global.anthropic.claude-sonnet-4-5-20250929-v1:0"},
		{name: "base ID of an on-demand model", model: "anthropic.claude-3-opus-20240229-v1:0"},
		{name: "profile ARN", model: "arn:aws:bedrock:us-east-1:123456789012:inference-profile/" + sonnet45},
		{name: "foundation-model ARN", model: "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-opus-20240229-v1:0"},
		{name: "application profile ARN", model: appARN},
		{name: "eu profile in eu-west-1", regions: []string{"eu-west-1"}, region: "eu-west-1", model: "eu.anthropic.claude-sonnet-4-5-20250929-v1:0"},
		{name: "jp profile in Tokyo", regions: []string{"ap-northeast-1"}, region: "ap-northeast-1", model: "jp.anthropic.claude-sonnet-4-5-20250929-v1:0"},
		{name: "base ID that needs a profile", model: "anthropic.claude-sonnet-4-5-20250929-v1:0", code: "ValidationException", status: 400,
			msg: "Invocation of model ID anthropic.claude-sonnet-4-5-20250929-v1:0 with on-demand throughput isn\u2019t supported. Retry your request with the ID or ARN of an inference profile that contains this model."},
		{name: "us profile in eu-west-1", regions: []string{"eu-west-1"}, region: "eu-west-1", model: sonnet45, code: "ValidationException", status: 400, msg: "The provided model identifier is invalid."},
		{name: "retired model", model: "us.anthropic.claude-3-7-sonnet-20250219-v1:0", code: "ValidationException", status: 400, msg: "The provided model identifier is invalid."},
		{name: "guessed ID", model: "us.anthropic.claude-opus-4-7-v1", code: "ValidationException", status: 400, msg: "The provided model identifier is invalid."},
		{name: "1m suffix", model: sonnet45 + "[1m]", code: "ValidationException", status: 400, msg: "The provided model identifier is invalid."},
		{name: "profile ARN of another region", model: "arn:aws:bedrock:us-west-2:123456789012:inference-profile/" + sonnet45, code: "ValidationException", status: 400, msg: "The provided model identifier is invalid."},
		{name: "unknown application profile", model: "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/nope", code: "ResourceNotFoundException", status: 404,
			msg: "Could not resolve the foundation model from the provided model identifier."},
		{name: "model not granted", model: haiku45, code: "AccessDeniedException", status: 403, msg: "You don't have access to the model with the specified model ID."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := start(t, bedrocksim.Config{Regions: tt.regions, Denied: []string{"anthropic.claude-haiku-4-5-20251001-v1:0"},
				AppProfiles: map[string]string{appARN: sonnet45}})
			rt := runtimeClient(srv, clientOpts{region: tt.region})
			resp, err := invoke(rt, tt.model, body(nil))
			if tt.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				if resp.Model != tt.model {
					t.Errorf("message.model = %q, want the requested ID", resp.Model)
				}
				return
			}
			wantAPIError(t, err, tt.code, tt.status, tt.msg)
		})
	}
}

// TestARNRouting: an ARN's "/" travels as %2F and must not split the path.
func TestARNRouting(t *testing.T) {
	srv := start(t, bedrocksim.Config{AppProfiles: map[string]string{appARN: "anthropic.claude-sonnet-4-5-20250929-v1:0"}})
	rt := runtimeClient(srv, clientOpts{})
	if _, err := stream(rt, appARN, body(nil)); err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	r := reqs[0]
	if !strings.Contains(r.Path, "%2F") || r.Model != appARN || r.Operation != bedrocksim.OpInvokeStream {
		t.Errorf("recorded path %q model %q operation %q", r.Path, r.Model, r.Operation)
	}
}

package bedrocksim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	bedrocktypes "github.com/aws/aws-sdk-go-v2/service/bedrock/types"

	"github.com/strata-agent/strata/internal/bedrocksim"
	"github.com/strata-agent/strata/internal/llm"
)

func listAll(t *testing.T, cp *bedrock.Client, in *bedrock.ListInferenceProfilesInput) []bedrocktypes.InferenceProfileSummary {
	t.Helper()
	var out []bedrocktypes.InferenceProfileSummary
	p := bedrock.NewListInferenceProfilesPaginator(cp, in)
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.InferenceProfileSummaries...)
	}
	return out
}

func TestListInferenceProfiles(t *testing.T) {
	srv := start(t, bedrocksim.Config{AppProfiles: map[string]string{appARN: sonnet45}})
	cp := controlClient(srv, clientOpts{})
	all := listAll(t, cp, &bedrock.ListInferenceProfilesInput{})
	pages := len(srv.Requests())
	if pages < 3 {
		t.Errorf("%d profiles came in %d pages; the default page should be small", len(all), pages)
	}
	var ids []string
	for _, p := range all {
		ids = append(ids, aws.ToString(p.InferenceProfileId))
		if p.Status != bedrocktypes.InferenceProfileStatusActive || p.Type != bedrocktypes.InferenceProfileTypeSystemDefined || len(p.Models) == 0 {
			t.Errorf("profile %+v", p)
		}
	}
	for _, want := range []string{sonnet45, "global.anthropic.claude-sonnet-4-5-20250929-v1:0", haiku45} {
		if !slices.Contains(ids, want) {
			t.Errorf("%s is not listed", want)
		}
	}
	for _, absent := range []string{"eu.anthropic.claude-sonnet-4-5-20250929-v1:0", "us.anthropic.claude-3-7-sonnet-20250219-v1:0"} {
		if slices.Contains(ids, absent) {
			t.Errorf("%s is listed in us-east-1", absent)
		}
	}
	if !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != len(ids) {
		t.Errorf("profiles not sorted or repeated: %v", ids)
	}
	big, err := cp.ListInferenceProfiles(context.Background(), &bedrock.ListInferenceProfilesInput{MaxResults: aws.Int32(1000)})
	if err != nil || len(big.InferenceProfileSummaries) != len(all) || big.NextToken != nil {
		t.Errorf("one big page: %d profiles, %v", len(big.InferenceProfileSummaries), err)
	}

	apps := listAll(t, cp, &bedrock.ListInferenceProfilesInput{TypeEquals: bedrocktypes.InferenceProfileTypeApplication})
	if len(apps) != 1 || aws.ToString(apps[0].InferenceProfileArn) != appARN || apps[0].Type != bedrocktypes.InferenceProfileTypeApplication {
		t.Errorf("application profiles = %+v", apps)
	}

	_, err = cp.ListInferenceProfiles(context.Background(), &bedrock.ListInferenceProfilesInput{MaxResults: aws.Int32(0)})
	wantAPIError(t, err, "ValidationException", 400, "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 1000")
	_, err = cp.ListInferenceProfiles(context.Background(), &bedrock.ListInferenceProfilesInput{NextToken: aws.String("garbage")})
	wantAPIError(t, err, "ValidationException", 400, "The provided nextToken is invalid.")
}

func TestGetInferenceProfile(t *testing.T) {
	srv := start(t, bedrocksim.Config{AppProfiles: map[string]string{appARN: sonnet45}})
	cp := controlClient(srv, clientOpts{})
	ctx := context.Background()
	for _, ident := range []string{sonnet45, "arn:aws:bedrock:us-east-1:123456789012:inference-profile/" + sonnet45, appARN} {
		out, err := cp.GetInferenceProfile(ctx, &bedrock.GetInferenceProfileInput{InferenceProfileIdentifier: aws.String(ident)})
		if err != nil {
			t.Fatalf("%s: %v", ident, err)
		}
		if len(out.Models) == 0 || !strings.Contains(aws.ToString(out.Models[0].ModelArn), "anthropic.claude-sonnet-4-5-20250929-v1:0") {
			t.Errorf("%s: models %+v", ident, out.Models)
		}
	}
	if got := srv.Requests()[2]; !strings.Contains(got.Path, "%2F") || got.Model != appARN {
		t.Errorf("ARN path %q, model %q", got.Path, got.Model)
	}
	_, err := cp.GetInferenceProfile(ctx, &bedrock.GetInferenceProfileInput{InferenceProfileIdentifier: aws.String("eu.anthropic.claude-sonnet-4-5-20250929-v1:0")})
	wantAPIError(t, err, "ResourceNotFoundException", 404, "The specified inference profile was not found in this region.")
}

// TestPathPrefix: a gateway base URL with a path; the client puts the prefix before every route.
func TestPathPrefix(t *testing.T) {
	srv := start(t, bedrocksim.Config{PathPrefix: "/gw/bedrock"})
	_, err := invoke(runtimeClient(srv, clientOpts{}), sonnet45, body(nil))
	wantAPIError(t, err, "UnknownOperationException", 404, "")
	srv.Reset()
	for op, err := range callAll(srv, clientOpts{base: srv.URL() + "/gw/bedrock"}) {
		if err != nil {
			t.Errorf("%s under the prefix: %v", op, err)
		}
	}
	for _, r := range srv.Requests() {
		if !strings.HasPrefix(r.Path, "/gw/bedrock/") {
			t.Errorf("recorded path %q", r.Path)
		}
	}
}

func TestRequestLog(t *testing.T) {
	var log bytes.Buffer
	srv := start(t, bedrocksim.Config{TLS: true, Log: &log, BearerTokens: []string{testBearer},
		Keys: []bedrocksim.Credential{{AccessKeyID: testAKID, SecretAccessKey: testSecret, SessionToken: testToken}}})
	if _, err := invoke(runtimeClient(srv, clientOpts{token: testToken}), sonnet45, body(nil)); err != nil {
		t.Fatal(err)
	}
	if _, err := stream(runtimeClient(srv, clientOpts{bearer: testBearer}), sonnet45, body(nil)); err != nil {
		t.Fatal(err)
	}
	_, _ = invoke(runtimeClient(srv, clientOpts{bearer: "ABSKleakedwrongtoken"}), sonnet45, body(nil))
	reqs := srv.Requests()
	for _, secret := range []string{testSecret, testToken, testBearer, "ABSKleakedwrongtoken", testAKID} {
		if strings.Contains(log.String(), secret) {
			t.Errorf("the log contains the secret %q", secret)
		}
	}
	for _, r := range reqs {
		h := r.Header.Get("Authorization")
		if strings.Contains(h, testBearer) || strings.Contains(h, "ABSKleaked") || r.Header.Get("X-Amz-Security-Token") == testToken {
			t.Errorf("Requests() leaks a secret: %v", r.Header)
		}
	}
	if len(reqs) != 3 || reqs[0].AccessKeyID != testAKID || reqs[0].Auth != "sigv4" || reqs[1].Auth != "bearer" || reqs[2].ErrorCode != "AccessDeniedException" || reqs[2].Status != 403 {
		t.Errorf("requests = %+v", reqs)
	}
	if !strings.Contains(reqs[0].Header.Get("Authorization"), "SignedHeaders=") || !strings.Contains(reqs[0].Header.Get("Authorization"), "Signature=****") {
		t.Errorf("masked SigV4 header = %q", reqs[0].Header.Get("Authorization"))
	}
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d log lines", len(lines))
	}
	var line struct {
		Operation string          `json:"operation"`
		Status    int             `json:"status"`
		Auth      string          `json:"auth"`
		Body      json.RawMessage `json:"body"`
	}
	if err := json.Unmarshal([]byte(lines[1]), &line); err != nil || line.Operation != bedrocksim.OpInvokeStream || line.Status != 200 || line.Auth != "bearer" || !bytes.Contains(line.Body, []byte("hello there")) {
		t.Errorf("log line %s: %v", lines[1], err)
	}
	srv.Reset()
	if len(srv.Requests()) != 0 {
		t.Error("Reset kept requests")
	}
}

// TestThinkingRoundTrip: thinking blocks must come back unchanged (B34).
func TestThinkingRoundTrip(t *testing.T) {
	sc := mustScript(t, `{"turns": [
	  {"content": [{"type": "thinking", "thinking": "Run it."}, {"type": "tool_use", "name": "bash", "input": {"command": "ls"}}]},
	  {"repeat": true, "content": "done"}]}`)
	srv := start(t, bedrocksim.Config{Script: sc})
	rt := runtimeClient(srv, clientOpts{})
	thinking := map[string]any{"type": "enabled", "budget_tokens": 1024}
	tools := []any{map[string]any{"name": "bash", "input_schema": map[string]any{"type": "object"}}}
	first := []any{user("go")}
	evs, err := stream(rt, sonnet45, body(map[string]any{"max_tokens": 4000, "thinking": thinking, "tools": tools, "messages": first}))
	if err != nil {
		t.Fatal(err)
	}
	resp := accumulate(t, evs)
	if len(resp.Content) != 2 || resp.Content[0].Type != llm.TypeThinking || resp.Content[0].Signature == "" {
		t.Fatalf("answer = %+v", resp.Content)
	}
	id := resp.Content[1].ID
	next := func(m llm.Message) []byte {
		return body(map[string]any{"max_tokens": 4000, "thinking": thinking, "tools": tools,
			"messages": append(slices.Clone(first), m, user([]any{toolResult(id, "a.txt")}))})
	}
	if _, err := invoke(rt, sonnet45, next(resp.Message())); err != nil {
		t.Errorf("unchanged thinking rejected: %v", err)
	}
	changed := resp.Message()
	changed.Content = slices.Clone(changed.Content)
	changed.Content[0].Thinking += " (edited)"
	_, err = invoke(rt, sonnet45, next(changed))
	wantAPIError(t, err, "ValidationException", 400, "The model returned the following errors: messages.1.content.0: Invalid `signature` in `thinking` block")
	dropped := llm.Message{Role: llm.RoleAssistant, Content: resp.Content[1:]}
	_, err = invoke(rt, sonnet45, next(dropped))
	wantAPIError(t, err, "ValidationException", 400, "The model returned the following errors: messages.1.content.0.type: Expected `thinking` or `redacted_thinking`, but found `tool_use`. When `thinking` is enabled, a final `assistant` message must start with a thinking block…")

	// Without thinking in the request, the scripted thinking block is not sent.
	srv.SetScript(sc)
	r, err := invoke(rt, sonnet45, body(map[string]any{"tools": tools}))
	if err != nil || r.Content[0].Type != llm.TypeToolUse {
		t.Errorf("thinking off: %+v %v", r, err)
	}
}

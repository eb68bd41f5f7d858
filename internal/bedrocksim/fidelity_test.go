package bedrocksim_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	bedrocktypes "github.com/aws/aws-sdk-go-v2/service/bedrock/types"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/strata-agent/strata/internal/bedrocksim"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/models"
)

const (
	opus46  = "us.anthropic.claude-opus-4-6-v1"
	opus48  = "us.anthropic.claude-opus-4-8"
	opus41  = "us.anthropic.claude-opus-4-1-20250805-v1:0"
	sonnet5 = "us.anthropic.claude-sonnet-5"
)

// TestBetasPerModel: what the reference CLI 2.1.197 sends by default is accepted, and the
// rejections observed on Bedrock stay rejections on the models they were seen on.
func TestBetasPerModel(t *testing.T) {
	tests := []struct {
		model string
		betas []string
		ok    bool
	}{
		{sonnet45, []string{"interleaved-thinking-2025-05-14", "tool-search-tool-2025-10-19"}, true}, // reference default
		{haiku45, []string{"tool-search-tool-2025-10-19"}, true},                                     // reference --model haiku
		{opus46, []string{"interleaved-thinking-2025-05-14", "tool-search-tool-2025-10-19"}, true},   // reference --model opus
		{opus46, []string{"effort-2025-11-24", "context-1m-2025-08-07"}, true},
		{sonnet45, []string{"context-1m-2025-08-07", "context-management-2025-06-27", "fine-grained-tool-streaming-2025-05-14"}, true},
		{opus41, []string{"context-management-2025-06-27", "interleaved-thinking-2025-05-14"}, true},
		{opus41, []string{"context-1m-2025-08-07"}, false},
		{sonnet45, []string{"compact-2026-01-12", "computer-use-2025-11-24", "token-efficient-tools-2025-02-19"}, true},
		{opus48, []string{"thinking-binding-controls-2026-08-01", "thinking-display-updates-2026-08-18"}, false}, // Opus 4.8 is before generation 5
		{sonnet5, []string{"thinking-binding-controls-2026-08-01", "mid-conversation-tool-changes-2026-07-01"}, true},
		{opus47, []string{"interleaved-thinking-2025-05-14"}, true},
		{opus47, []string{"effort-2025-11-24"}, false},           // [I-cc49370]
		{opus47, []string{"tool-search-tool-2025-10-19"}, false}, // [I-cc49370]
		{sonnet45, []string{"thinking-binding-controls-2026-08-01"}, false},
		{sonnet45, []string{"claude-code-20250219"}, false},
		{sonnet45, []string{"extended-cache-ttl-2025-04-11"}, false},
		{sonnet45, []string{"made-up-beta-2099-01-01"}, false},
		{claude3Opus, []string{"interleaved-thinking-2025-05-14"}, false},
	}
	srv := start(t, bedrocksim.Config{})
	rt := runtimeClient(srv, clientOpts{})
	for _, tt := range tests {
		t.Run(tt.model+" "+strings.Join(tt.betas, ","), func(t *testing.T) {
			_, err := invoke(rt, tt.model, body(map[string]any{"anthropic_beta": tt.betas}))
			if tt.ok && err != nil {
				t.Fatalf("refused: %v", err)
			}
			if !tt.ok {
				wantAPIError(t, err, "ValidationException", 400, "invalid beta flag")
			}
		})
	}
}

func TestBetasForListsTheTable(t *testing.T) {
	m, _ := models.Lookup("anthropic.claude-sonnet-4-5-20250929-v1:0")
	got := strings.Join(bedrocksim.BetasFor(m), " ")
	for _, want := range []string{"interleaved-thinking-2025-05-14", "tool-search-tool-2025-10-19", "context-1m-2025-08-07"} {
		if !strings.Contains(got, want) {
			t.Errorf("BetasFor(Sonnet 4.5) = %s, lacks %s", got, want)
		}
	}
	if strings.Contains(got, "thinking-binding-controls") {
		t.Errorf("BetasFor(Sonnet 4.5) = %s, has thinking-binding-controls (refused on Bedrock)", got)
	}
}

// TestNewerRequestShapes: mid-conversation system messages on the models that take them, and
// the top-level context_management key.
func TestNewerRequestShapes(t *testing.T) {
	system := map[string]any{"role": "system", "content": "Be brief from now on."}
	tests := []struct {
		name  string
		model string
		extra map[string]any
		msg   string // "" = accepted
	}{
		{name: "system message on Opus 4.8", model: opus48,
			extra: map[string]any{"messages": msgs(user("a"), assistant("b"), system, user("c"))}},
		{name: "system message between tool use and result", model: opus48,
			extra: map[string]any{"messages": msgs(user("a"), assistant([]any{toolUse("toolu_1")}), system, user([]any{toolResult("toolu_1", "out")}))}},
		{name: "system message on Sonnet 5", model: sonnet5,
			extra: map[string]any{"messages": msgs(user("a"), assistant("b"), system, user("c"))},
			msg:   "Malformed input request: #/messages/2/role: system is not a valid enum value" + malformedTail},
		{name: "system message with an image", model: opus48,
			extra: map[string]any{"messages": msgs(user("a"), map[string]any{"role": "system", "content": []any{map[string]any{"type": "image", "source": map[string]any{"type": "base64", "media_type": "image/png", "data": "AA=="}}}}, user("c"))},
			msg:   wrapped + "messages.1.content.0: Input tag 'image' found using 'type' does not match any of the expected tags: 'text'"},
		{name: "context_management", model: sonnet45,
			extra: map[string]any{"context_management": map[string]any{"edits": []any{map[string]any{"type": "clear_tool_uses_20250919"}}}}},
		{name: "context_management with an unknown edit", model: sonnet45,
			extra: map[string]any{"context_management": map[string]any{"edits": []any{map[string]any{"type": "forget_everything"}}}},
			msg:   wrapped + "context_management.edits.0: Input tag 'forget_everything' found using 'type' does not match any of the expected tags: 'clear_thinking_20251015', 'clear_tool_uses_20250919', 'compact_20260112'"},
	}
	srv := start(t, bedrocksim.Config{})
	rt := runtimeClient(srv, clientOpts{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := invoke(rt, tt.model, body(tt.extra))
			if tt.msg == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			wantAPIError(t, err, "ValidationException", 400, tt.msg)
		})
	}
}

// TestRefusesWhatBedrockRefuses: sampling out of range, URL sources and server tools.
func TestRefusesWhatBedrockRefuses(t *testing.T) {
	urlImage := map[string]any{"type": "image", "source": map[string]any{"type": "url", "url": "https://example.com/a.png"}}
	urlDoc := map[string]any{"type": "document", "source": map[string]any{"type": "url", "url": "https://example.com/a.pdf"}}
	b64Image := map[string]any{"type": "image", "source": map[string]any{"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}}
	tool := func(typ, name string) map[string]any { return map[string]any{"type": typ, "name": name} }
	tests := []struct {
		name  string
		extra map[string]any
		msg   string // "" = accepted
	}{
		{name: "temperature 1.5", extra: map[string]any{"temperature": 1.5}, msg: wrapped + "temperature: Input should be less than or equal to 1"},
		{name: "temperature 1", extra: map[string]any{"temperature": 1}},
		{name: "negative top_p", extra: map[string]any{"top_p": -0.1}, msg: wrapped + "top_p: Input should be greater than or equal to 0"},
		{name: "image from a URL", extra: map[string]any{"messages": msgs(user([]any{urlImage, text("what is this?")}))},
			msg: wrapped + "messages.0.content.0.source: Input tag 'url' found using 'type' does not match any of the expected tags: 'base64'"},
		{name: "document from a URL", extra: map[string]any{"messages": msgs(user([]any{urlDoc, text("summarise")}))},
			msg: wrapped + "messages.0.content.0.source: Input tag 'url' found using 'type' does not match any of the expected tags: 'base64', 'content', 'text'"},
		{name: "image as base64", extra: map[string]any{"messages": msgs(user([]any{b64Image, text("what is this?")}))}},
		{name: "web search server tool", extra: map[string]any{"tools": []any{tool("web_search_20250305", "web_search")}},
			msg: wrapped + "tools.0: Input tag 'web_search_20250305' found using 'type' does not match any of the expected tags: 'custom', 'bash_20241022', …"},
		{name: "code execution server tool", extra: map[string]any{"tools": []any{tool("code_execution_20250825", "code_execution")}},
			msg: wrapped + "tools.0: Input tag 'code_execution_20250825' found …"},
		{name: "client bash tool", extra: map[string]any{"tools": []any{tool("bash_20250124", "bash")}}},
		{name: "defer_loading without the tool-search beta", extra: map[string]any{"tools": []any{
			map[string]any{"name": "x", "input_schema": map[string]any{"type": "object"}, "defer_loading": true}}},
			msg: wrapped + "tools.0.defer_loading: Extra inputs are not permitted"},
		{name: "defer_loading with the tool-search beta", extra: map[string]any{"anthropic_beta": []any{"tool-search-tool-2025-10-19"}, "tools": []any{
			map[string]any{"name": "x", "input_schema": map[string]any{"type": "object"}, "defer_loading": true}}}},
	}
	srv := start(t, bedrocksim.Config{})
	rt := runtimeClient(srv, clientOpts{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := invoke(rt, sonnet45, body(tt.extra))
			if tt.msg == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			wantAPIError(t, err, "ValidationException", 400, tt.msg)
		})
	}
}

// TestCountTokens: the count equals the input tokens InvokeModel reports for the same body;
// the inner body is validated like InvokeModel's; the model must be a foundation model.
func TestCountTokens(t *testing.T) {
	srv := start(t, bedrocksim.Config{})
	rt := runtimeClient(srv, clientOpts{})
	b := body(map[string]any{"system": "You count.", "messages": msgs(user("one two three four five"))})
	count := func(model string, inner []byte) (int32, error) {
		out, err := rt.CountTokens(context.Background(), &bedrockruntime.CountTokensInput{
			ModelId: aws.String(model), Input: &types.CountTokensInputMemberInvokeModel{Value: types.InvokeModelTokensRequest{Body: inner}}})
		if err != nil {
			return 0, err
		}
		return aws.ToInt32(out.InputTokens), nil
	}
	n, err := count("anthropic.claude-sonnet-4-5-20250929-v1:0", b)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := invoke(rt, sonnet45, b)
	if err != nil {
		t.Fatal(err)
	}
	if int(n) != resp.Usage.InputTokens || n <= 0 {
		t.Errorf("CountTokens = %d, InvokeModel input_tokens = %d", n, resp.Usage.InputTokens)
	}
	_, err = count("anthropic.claude-sonnet-4-5-20250929-v1:0", body(map[string]any{"temperature": 3}))
	wantAPIError(t, err, "ValidationException", 400, wrapped+"temperature: Input should be less than or equal to 1")
	// The reference CLI's CountTokens bodies carry its header betas; InvokeModel refuses the
	// same body.
	withBeta := body(map[string]any{"max_tokens": 1, "anthropic_beta": []any{"claude-code-20250219"}})
	if _, err := count("anthropic.claude-sonnet-4-5-20250929-v1:0", withBeta); err != nil {
		t.Errorf("CountTokens with claude-code-20250219: %v", err)
	}
	_, err = invoke(rt, sonnet45, withBeta)
	wantAPIError(t, err, "ValidationException", 400, "invalid beta flag")
	_, err = count("anthropic.claude-sonnet-4-5-20250929-v1:0", body(map[string]any{"anthropic_beta": []any{"made-up-2099-01-01"}}))
	wantAPIError(t, err, "ValidationException", 400, "invalid beta flag")
	_, err = count(sonnet45, b)
	wantAPIError(t, err, "ValidationException", 400, "The provided model identifier is invalid.")
	if reqs := srv.Requests(); reqs[0].Operation != bedrocksim.OpCountTokens {
		t.Errorf("first request recorded as %q", reqs[0].Operation)
	}
}

func TestFoundationModels(t *testing.T) {
	srv := start(t, bedrocksim.Config{})
	cp := controlClient(srv, clientOpts{})
	ctx := context.Background()
	all, err := cp.ListFoundationModels(ctx, &bedrock.ListFoundationModelsInput{ByProvider: aws.String("anthropic")})
	if err != nil {
		t.Fatal(err)
	}
	var sonnet *bedrocktypes.FoundationModelSummary
	for i, m := range all.ModelSummaries {
		if aws.ToString(m.ModelId) == "anthropic.claude-sonnet-4-5-20250929-v1:0" {
			sonnet = &all.ModelSummaries[i]
		}
	}
	if sonnet == nil {
		t.Fatalf("Sonnet 4.5 not listed among %d models", len(all.ModelSummaries))
	}
	if got := sonnet.InferenceTypesSupported; len(got) != 1 || got[0] != "INFERENCE_PROFILE" {
		t.Errorf("Sonnet 4.5 inference types = %v, want [INFERENCE_PROFILE]", got)
	}
	if aws.ToString(sonnet.ProviderName) != "Anthropic" || !aws.ToBool(sonnet.ResponseStreamingSupported) {
		t.Errorf("summary = %+v", sonnet)
	}
	onDemand, err := cp.ListFoundationModels(ctx, &bedrock.ListFoundationModelsInput{ByInferenceType: bedrocktypes.InferenceTypeOnDemand})
	if err != nil {
		t.Fatal(err)
	}
	if len(onDemand.ModelSummaries) == 0 || len(onDemand.ModelSummaries) >= len(all.ModelSummaries) {
		t.Errorf("ON_DEMAND filter kept %d of %d models", len(onDemand.ModelSummaries), len(all.ModelSummaries))
	}
	got, err := cp.GetFoundationModel(ctx, &bedrock.GetFoundationModelInput{ModelIdentifier: aws.String("anthropic.claude-haiku-4-5-20251001-v1:0")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(got.ModelDetails.ModelName) != "Claude Haiku 4.5" {
		t.Errorf("GetFoundationModel name = %q", aws.ToString(got.ModelDetails.ModelName))
	}
	_, err = cp.GetFoundationModel(ctx, &bedrock.GetFoundationModelInput{ModelIdentifier: aws.String("anthropic.claude-nonesuch")})
	wantAPIError(t, err, "ResourceNotFoundException", 404, "")
	_, err = cp.ListFoundationModels(ctx, &bedrock.ListFoundationModelsInput{ByInferenceType: "SOMETIMES"})
	wantAPIError(t, err, "ValidationException", 400, "1 validation error detected: Value 'SOMETIMES' at 'byInferenceType' …")
}

// h2Client speaks HTTP/2 only: h2c with prior knowledge over http://, h2 by ALPN over TLS;
// with http1 it speaks HTTP/1.1 only.
func h2Client(pem []byte, http1 ...bool) *http.Client {
	tr := &http.Transport{Protocols: new(http.Protocols)}
	if len(http1) > 0 && http1[0] {
		tr.Protocols.SetHTTP1(true)
	} else {
		tr.Protocols.SetUnencryptedHTTP2(true)
		tr.Protocols.SetHTTP2(true)
	}
	if pem != nil {
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(pem)
		tr.TLSClientConfig = &tls.Config{RootCAs: pool}
	}
	return &http.Client{Transport: plainBodies{tr}}
}

// TestHTTP2: the SDK streams over h2c and h2, and HTTP/1.1 still works on the same port.
func TestHTTP2(t *testing.T) {
	for _, useTLS := range []bool{false, true} {
		srv := start(t, bedrocksim.Config{TLS: useTLS})
		rt := bedrockruntime.New(bedrockruntime.Options{
			BaseEndpoint: aws.String(srv.URL()), Region: "us-east-1",
			Credentials: credentials.NewStaticCredentialsProvider(testAKID, testSecret, ""),
			HTTPClient:  h2Client(srv.CertPEM()), Retryer: noDelayRetryer(1),
		})
		evs, err := stream(rt, sonnet45, body(nil))
		if err != nil {
			t.Fatalf("tls=%v: %v", useTLS, err)
		}
		if got := textOf(accumulate(t, evs)); got != "echo: hello there" {
			t.Errorf("tls=%v: streamed %q", useTLS, got)
		}
		rt1 := bedrockruntime.New(bedrockruntime.Options{
			BaseEndpoint: aws.String(srv.URL()), Region: "us-east-1",
			Credentials: credentials.NewStaticCredentialsProvider(testAKID, testSecret, ""),
			HTTPClient:  h2Client(srv.CertPEM(), true), Retryer: noDelayRetryer(1),
		})
		if _, err := invoke(rt1, sonnet45, body(nil)); err != nil {
			t.Fatalf("tls=%v: HTTP/1.1 on the same port: %v", useTLS, err)
		}
		reqs := srv.Requests()
		if reqs[0].Proto != "HTTP/2.0" || reqs[1].Proto != "HTTP/1.1" {
			t.Errorf("tls=%v: protocols = %s, %s", useTLS, reqs[0].Proto, reqs[1].Proto)
		}
	}
}

// jsSDKRequest is a request the AWS SDK for JavaScript v3 (client-bedrock-runtime 3.1177.0)
// signed and sent over h2c, captured verbatim: it signs ":authority" instead of "host".
var jsSDKRequest = struct {
	authority, path, date, authz, sha, body string
	headers                                 map[string]string
}{
	authority: "127.0.0.1:40829",
	path:      "/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke",
	date:      "20261204T005511Z",
	authz:     "AWS4-HMAC-SHA256 Credential=AKIDH2FIXTURE/20261204/us-east-1/bedrock/aws4_request, SignedHeaders=:authority;amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;x-amz-content-sha256;x-amz-date;x-amz-user-agent, Signature=8021e4fc8cc499c4e6138e3556992dd69c474577c208a24fdba55138be8ecf54",
	sha:       "82854ceb1fe99d41afa8d4ab79246d3d40fe98a23b40620b40d473e0c248b23c",
	body:      `{"anthropic_version":"bedrock-2023-05-31","max_tokens":50,"messages":[{"role":"user","content":"hello over h2"}]}`,
	headers: map[string]string{
		"Content-Type": "application/json", "X-Amz-User-Agent": "aws-sdk-js/3.1177.0",
		"Amz-Sdk-Invocation-Id": "a003889e-2aa2-4319-8e94-d195e7368dbb", "Amz-Sdk-Request": "attempt=1; max=3",
	},
}

// TestJSSDKAuthoritySignature replays the captured request: accepted as signed, refused when
// the body or the authority changes.
func TestJSSDKAuthoritySignature(t *testing.T) {
	signedAt, _ := time.Parse("20060102T150405Z", jsSDKRequest.date)
	srv := start(t, bedrocksim.Config{Now: func() time.Time { return signedAt.Add(time.Minute) },
		Keys: []bedrocksim.Credential{{AccessKeyID: "AKIDH2FIXTURE", SecretAccessKey: "secretH2FIXTURE"}}})
	send := func(authority, payload string) int {
		req, _ := http.NewRequest(http.MethodPost, srv.URL()+jsSDKRequest.path, strings.NewReader(payload))
		req.Host = authority
		for k, v := range jsSDKRequest.headers {
			req.Header.Set(k, v)
		}
		req.Header.Set("X-Amz-Date", jsSDKRequest.date)
		req.Header.Set("X-Amz-Content-Sha256", jsSDKRequest.sha)
		req.Header.Set("Authorization", jsSDKRequest.authz)
		resp, err := h2Client(nil).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 && !bytes.Contains(data, []byte("signature")) {
			t.Logf("answer %d: %s", resp.StatusCode, data)
		}
		return resp.StatusCode
	}
	if got := send(jsSDKRequest.authority, jsSDKRequest.body); got != http.StatusOK {
		t.Fatalf("captured JS SDK request answered %d, want 200", got)
	}
	if got := send(jsSDKRequest.authority, strings.Replace(jsSDKRequest.body, "50", "51", 1)); got != http.StatusForbidden {
		t.Errorf("changed body answered %d, want 403", got)
	}
	if got := send("127.0.0.1:40830", jsSDKRequest.body); got != http.StatusForbidden {
		t.Errorf("changed authority answered %d, want 403", got)
	}
}

// TestScriptSkipsSideRequests replays the shape of the reference CLI's traffic — model
// probes (InvokeModel, max_tokens 1, no tools), a title request (streamed, no tools, the
// user's text) and then the conversation — against the script shipped for the interop job:
// only the conversation consumes turns, the rest get the echo model.
func TestScriptSkipsSideRequests(t *testing.T) {
	sc, err := bedrocksim.LoadScript("../../testdata/interop/tool-roundtrip.json")
	if err != nil {
		t.Fatal(err)
	}
	srv := start(t, bedrocksim.Config{Script: sc})
	rt := runtimeClient(srv, clientOpts{})
	tools := []any{map[string]any{"name": "Bash", "input_schema": map[string]any{"type": "object"}}}
	for _, m := range []string{sonnet45, opus46, haiku45} {
		if r, err := invoke(rt, m, body(map[string]any{"max_tokens": 1, "messages": msgs(user("."))})); err != nil || r.StopReason != llm.StopMaxTokens {
			t.Fatalf("probe of %s = %v, %v", m, r, err)
		}
	}
	title, err := stream(rt, sonnet45, body(map[string]any{"system": "Write a title.", "messages": msgs(user("INTEROP-LIST the files"))}))
	if err != nil || !strings.HasPrefix(textOf(accumulate(t, title)), "echo: ") {
		t.Fatalf("title request = %v, %v", title, err)
	}
	// The same request without streaming does not match the script's operation either.
	if r, err := invoke(rt, sonnet45, body(map[string]any{"messages": msgs(user("INTEROP-LIST")), "tools": tools})); err != nil || !strings.HasPrefix(textOf(r), "echo: ") {
		t.Fatalf("non-streamed request = %v, %v", r, err)
	}
	first := msgs(user("INTEROP-LIST the files"))
	evs, err := stream(rt, sonnet45, body(map[string]any{"messages": first, "tools": tools}))
	if err != nil {
		t.Fatal(err)
	}
	resp := accumulate(t, evs)
	uses := resp.Message().ToolUses()
	if len(uses) != 1 || uses[0].Name != "Bash" {
		t.Fatalf("conversation's first answer = %+v", resp)
	}
	second := append(first, resp.Message(), user([]any{toolResult(uses[0].ID, "interop-marker.txt\n")}))
	evs, err = stream(rt, sonnet45, body(map[string]any{"messages": second, "tools": tools}))
	if err != nil {
		t.Fatal(err)
	}
	if got := textOf(accumulate(t, evs)); !strings.HasPrefix(got, "INTEROP-TOOL-OK") {
		t.Errorf("answer after the tool = %q", got)
	}
}

func TestWhenConditions(t *testing.T) {
	sc := mustScript(t, `{"when": {"has_tools": false}, "on_exhausted": "echo", "turns": [
	  {"when": {"system_contains": "reviewer"}, "content": "reviewed"},
	  {"when": {"operation": "InvokeModel"}, "content": "plain"},
	  {"content": "default when"}
	]}`)
	srv := start(t, bedrocksim.Config{Script: sc})
	rt := runtimeClient(srv, clientOpts{})
	tools := []any{map[string]any{"name": "x", "input_schema": map[string]any{"type": "object"}}}
	check := func(want string, r string, err error) {
		t.Helper()
		if err != nil || r != want {
			t.Errorf("got %q, %v; want %q", r, err, want)
		}
	}
	r, err := invoke(rt, sonnet45, body(map[string]any{"system": "You are a reviewer.", "tools": tools}))
	check("reviewed", textOf(r), err) // its own when replaces the script's
	evs, err := stream(rt, sonnet45, body(map[string]any{"tools": tools}))
	check("echo: hello there", textOf(accumulate(t, evs)), err) // has tools: the script's when fails
	evs, err = stream(rt, sonnet45, body(nil))
	check("default when", textOf(accumulate(t, evs)), err)
	r, err = invoke(rt, sonnet45, body(nil))
	check("plain", textOf(r), err)
	if _, err := bedrocksim.ParseScript([]byte(`{"when": {"operation": "Converse"}, "turns": []}`), "w.json"); err == nil ||
		!strings.Contains(err.Error(), `the script's when: operation must be one of InvokeModel, InvokeModelWithResponseStream, not "Converse"`) {
		t.Errorf("bad operation: %v", err)
	}
}

// TestCutOverHTTP2: a cut stream over HTTP/2 is a stream reset, which the SDK reports as an
// error (over HTTP/1.1 the same cut looks like a normal end; see TestStreamFaults).
func TestCutOverHTTP2(t *testing.T) {
	srv := start(t, bedrocksim.Config{Script: mustScript(t, `{"turns": [
	  {"faults": [{"fault": "cut", "after_events": 3}], "content": "one two three four five six"}]}`)})
	rt := bedrockruntime.New(bedrockruntime.Options{
		BaseEndpoint: aws.String(srv.URL()), Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider(testAKID, testSecret, ""),
		HTTPClient:  h2Client(nil), Retryer: noDelayRetryer(1),
	})
	evs, err := stream(rt, sonnet45, body(nil))
	if err == nil || !strings.Contains(err.Error(), "INTERNAL_ERROR") {
		t.Errorf("cut over HTTP/2: %d events, err %v; want a stream reset", len(evs), err)
	}
	if len(evs) != 3 {
		t.Errorf("got %d events before the cut, want 3", len(evs))
	}
}

func TestDenyNewOperations(t *testing.T) {
	srv := start(t, bedrocksim.Config{DenyOperations: []string{bedrocksim.OpCountTokens}, DenyControlPlane: true})
	_, err := runtimeClient(srv, clientOpts{}).CountTokens(context.Background(), &bedrockruntime.CountTokensInput{
		ModelId: aws.String("anthropic.claude-sonnet-4-5-20250929-v1:0"),
		Input:   &types.CountTokensInputMemberInvokeModel{Value: types.InvokeModelTokensRequest{Body: body(nil)}}})
	wantAPIError(t, err, "AccessDeniedException", 403, "User: arn:aws:iam::123456789012:user/bedrocksim is not authorized to perform: bedrock:CountTokens on resource: arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0 …")
	_, err = controlClient(srv, clientOpts{}).ListFoundationModels(context.Background(), &bedrock.ListFoundationModelsInput{})
	wantAPIError(t, err, "AccessDeniedException", 403, "User: arn:aws:iam::123456789012:user/bedrocksim is not authorized to perform: bedrock:ListFoundationModels on resource: * …")
	if r := srv.Requests()[0]; r.ErrorCode != "AccessDeniedException" || !strings.Contains(r.ErrorMessage, "bedrock:CountTokens") {
		t.Errorf("recorded error = %s: %q", r.ErrorCode, r.ErrorMessage)
	}
}

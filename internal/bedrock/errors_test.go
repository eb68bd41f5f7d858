package bedrock

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/strata-agent/strata/internal/llm"
)

// Every row of BEDROCK.md's error table, through the real SDK against the fake: the kind, how
// many attempts were made, and what the message and fix say.
func TestErrorTable(t *testing.T) {
	tests := []struct {
		name     string
		reply    reply
		kind     llm.ErrorKind
		attempts int // with CLAUDE_CODE_MAX_RETRIES=2
		want     []string
	}{
		{"throttling", errorReply(429, "ThrottlingException", "Too many tokens, please wait before trying again."),
			llm.ErrThrottled, 3, []string{"throttling", "Too many tokens", "3 attempts", "CLAUDE_CODE_MAX_RETRIES", "req-1234"}},
		{"throttling is never overflow", errorReply(429, "ThrottlingException", "Too many tokens: prompt is too long"),
			llm.ErrThrottled, 3, nil},
		{"internal server", errorReply(500, "InternalServerException", "boom"), llm.ErrTransient, 3,
			[]string{"InternalServerException", "3 attempts", "try again"}},
		{"service unavailable", errorReply(503, "ServiceUnavailableException", "later"), llm.ErrTransient, 3, nil},
		{"model timeout", errorReply(408, "ModelTimeoutException", "slow"), llm.ErrTransient, 3, nil},
		{"model stream error", errorReply(424, "ModelStreamErrorException", "oops"), llm.ErrTransient, 3, nil},
		{"gateway 502 without code", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(502) },
			llm.ErrTransient, 3, nil},
		{"connection reset", resetReply, llm.ErrTransient, 3, nil},
		{"access denied", errorReply(403, "AccessDeniedException", "You don't have access to the model with the specified model ID."),
			llm.ErrAccessDenied, 1, []string{"denied access to model", "us-east-1", "Model access",
				"bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream", "bedrock:ListInferenceProfiles"}},
		{"marketplace", errorReply(403, "AccessDeniedException", "Model access is denied due to IAM user or service role is not authorized to perform the required AWS Marketplace actions"),
			llm.ErrAccessDenied, 1, []string{"aws-marketplace:Subscribe"}},
		{"input too long", errorReply(400, "ValidationException", "Input is too long for requested model."),
			llm.ErrContextOverflow, 1, []string{"too long", "/compact"}},
		{"prompt too long", errorReply(400, "ValidationException", "prompt is too long: 250000 tokens > 200000 maximum"),
			llm.ErrContextOverflow, 1, nil},
		{"exceed context limit", errorReply(400, "ValidationException", "The model returned the following errors: input length and `max_tokens` exceed context limit: 196395 + 64000 > 204698, decrease input length or `max_tokens` and try again"),
			llm.ErrContextOverflow, 1, nil},
		{"other validation", errorReply(400, "ValidationException", "messages.0.content.2.type: Field required"),
			llm.ErrInvalidRequest, 1, []string{"rejected the request", "messages.0.content.2.type: Field required"}},
		{"invalid beta", errorReply(400, "ValidationException", "invalid beta flag"),
			llm.ErrInvalidRequest, 1, []string{"beta"}},
		{"not found", errorReply(404, "ResourceNotFoundException", "Model not found"),
			llm.ErrNotFound, 1, []string{"not available in us-east-1", "aws bedrock list-inference-profiles --region us-east-1", "export AWS_REGION=us-east-1"}},
		{"invalid model identifier", errorReply(400, "ValidationException", "The provided model identifier is invalid."),
			llm.ErrNotFound, 1, []string{"list-inference-profiles"}},
		{"quota", errorReply(400, "ServiceQuotaExceededException", "daily quota"), llm.ErrThrottled, 1, []string{"Service Quotas"}},
		{"expired token without refresh settings", errorReply(403, "ExpiredTokenException", "The security token included in the request is expired"),
			llm.ErrCredentials, 1, []string{"rejected the credentials", "awsAuthRefresh", "aws sts get-caller-identity --profile default"}},
		{"gateway rewrote the stream", jsonReply("text/event-stream", map[string]string{"x": "y"}),
			llm.ErrConfig, 1, []string{"did not come back as a Bedrock event stream", "text/event-stream", "ANTHROPIC_BEDROCK_BASE_URL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t)
			e.keys(envKey, envSecret, envToken)
			e.set("CLAUDE_CODE_MAX_RETRIES", "2")
			// An explicit model: a default one would fall back on 403 and 404 (TestDefaultModelFallback).
			e.set("ANTHROPIC_MODEL", "us."+baseSonnet)
			f := newFake(t, false, tt.reply)
			c := fakeClient(t, e, f, SettingsView{}, nil)
			n := &notices{}
			_, err := ask(t, n.ctx(context.Background()), c, "hi")
			if got := llm.KindOf(err); got != tt.kind {
				t.Fatalf("kind %v, want %v: %v", got, tt.kind, err)
			}
			if got := len(f.recorded()); got != tt.attempts {
				t.Errorf("%d attempts, want %d", got, tt.attempts)
			}
			t.Log(err)
			mustContain(t, "error", err.Error(), tt.want...)
			mustContain(t, "error", err.Error(), c.Model())
			retries := 0
			for _, k := range n.kinds() {
				if k == llm.NoticeRetry {
					retries++
				}
			}
			if retries != tt.attempts-1 {
				t.Errorf("%d retry notices, want %d", retries, tt.attempts-1)
			}
			mustNotContain(t, "error", err.Error()+n.text(), envSecret, envToken)
		})
	}
}

// resetReply drops the connection without an answer.
func resetReply(w http.ResponseWriter, r *http.Request) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

// A TLS endpoint whose certificate is not trusted is a configuration problem, not retried.
func TestUntrustedCertificate(t *testing.T) {
	e := newTestEnv(t)
	e.keys(envKey, envSecret, "")
	f := newFake(t, true)
	e.set("ANTHROPIC_BEDROCK_BASE_URL", f.srv.URL)
	cfg := e.config(SettingsView{})
	opts := fastOptions(nil)
	opts.HTTPClient = &http.Client{}
	c, err := New(context.Background(), cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	_, err = ask(t, context.Background(), c, "hi")
	if llm.KindOf(err) != llm.ErrConfig {
		t.Fatalf("error %v, want ErrConfig", err)
	}
	mustContain(t, "error", err.Error(), "AWS_CA_BUNDLE")
}

func TestClassifyCodes(t *testing.T) {
	tests := []struct {
		code   string
		status int
		msg    string
		want   class
	}{
		{"throttlingException", 0, "", classThrottled},
		{"ThrottlingException:http://internal.amazon.com/coral/x", 429, "", classThrottled},
		{"modelStreamErrorException", 0, "", classTransient},
		{"internalServerException", 0, "", classTransient},
		{"serviceUnavailableException", 0, "", classTransient},
		{"validationException", 0, "bad", classInvalid},
		{"ValidationException", 400, "Invocation of model ID anthropic.claude-sonnet-4-5-20250929-v1:0 with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.", classOnDemand},
		{"ValidationException", 400, "Invocation of model ID x with on-demand throughput isn't supported.", classOnDemand},
		{"UnrecognizedClientException", 403, "The security token included in the request is invalid.", classCredentials},
		{"InvalidSignatureException", 403, "The request signature we calculated does not match", classCredentials},
		{"AccessDeniedException", 403, "The security token included in the request is expired", classCredentials},
		{"AccessDeniedException", 403, "User: x is not authorized to perform: bedrock:InvokeModel", classDenied},
		{"overloaded_error", 0, "Overloaded", classTransient},
		{"invalid_request_error", 0, "prompt is too long: 1 > 0", classOverflow},
		{"SomethingNew", 503, "", classTransient},
		{"SomethingNew", 418, "", classUnknown},
	}
	for _, tt := range tests {
		f := classify(&eventError{code: tt.code, msg: tt.msg})
		if tt.status != 0 {
			f.class = classifyAPI(lower(normalizeCode(tt.code)), tt.status, tt.msg)
		}
		if f.class != tt.want {
			t.Errorf("%s %d %q: class %v, want %v", tt.code, tt.status, tt.msg, f.class, tt.want)
		}
	}
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// Errors keep their chain: the agent can test for cancellation and see the AWS code.
func TestErrorKeepsChain(t *testing.T) {
	e := newTestEnv(t)
	e.keys(envKey, envSecret, "")
	f := newFake(t, false, errorReply(403, "AccessDeniedException", "no"))
	c := fakeClient(t, e, f, SettingsView{}, nil)
	_, err := ask(t, context.Background(), c, "hi")
	var le *llm.Error
	if !errors.As(err, &le) || le.Code != "AccessDeniedException" || le.Status != 403 {
		t.Fatalf("error %#v", err)
	}
}

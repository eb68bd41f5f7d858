package bedrocksim_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	bedrocktypes "github.com/aws/aws-sdk-go-v2/service/bedrock/types"

	"github.com/strata-agent/strata/internal/bedrocksim"
)

// fakeClock is a Now hook the tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock { return &fakeClock{t: time.Now()} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// callAll calls every route once and returns the errors by operation.
func callAll(srv *bedrocksim.Server, o clientOpts) map[string]error {
	rt, cp := runtimeClient(srv, o), controlClient(srv, o)
	ctx := context.Background()
	errs := map[string]error{}
	_, errs[bedrocksim.OpInvoke] = invoke(rt, sonnet45, body(nil))
	_, errs[bedrocksim.OpInvokeStream] = stream(rt, sonnet45, body(nil))
	_, errs[bedrocksim.OpListProfiles] = cp.ListInferenceProfiles(ctx, &bedrock.ListInferenceProfilesInput{})
	_, errs[bedrocksim.OpGetProfile] = cp.GetInferenceProfile(ctx, &bedrock.GetInferenceProfileInput{InferenceProfileIdentifier: aws.String(sonnet45)})
	return errs
}

func TestAuthEveryRoute(t *testing.T) {
	sigKey := bedrocksim.Credential{AccessKeyID: testAKID, SecretAccessKey: testSecret, SessionToken: testToken}
	tests := []struct {
		name     string
		cfg      bedrocksim.Config
		client   clientOpts
		wantCode string
		wantMsg  string
		wantAuth string
	}{
		{name: "sigv4 with session token", cfg: bedrocksim.Config{Keys: []bedrocksim.Credential{sigKey}},
			client: clientOpts{token: testToken}, wantAuth: bedrocksim.AuthSigV4},
		{name: "bearer over TLS", cfg: bedrocksim.Config{TLS: true, BearerTokens: []string{testBearer}},
			client: clientOpts{bearer: testBearer}, wantAuth: bedrocksim.AuthBearer},
		{name: "no auth for skip-auth gateways", cfg: bedrocksim.Config{NoAuth: true},
			client: clientOpts{noAuth: true}, wantAuth: bedrocksim.AuthNone},
		{name: "sigv4 over TLS", cfg: bedrocksim.Config{TLS: true}, wantAuth: bedrocksim.AuthSigV4},
		{name: "missing auth", cfg: bedrocksim.Config{Keys: []bedrocksim.Credential{testKey()}},
			client: clientOpts{noAuth: true}, wantCode: "MissingAuthenticationTokenException", wantMsg: "Missing Authentication Token"},
		{name: "session token mismatch", cfg: bedrocksim.Config{Keys: []bedrocksim.Credential{sigKey}},
			client: clientOpts{token: "other"}, wantCode: "UnrecognizedClientException", wantMsg: "The security token included in the request is invalid."},
		{name: "session token missing", cfg: bedrocksim.Config{Keys: []bedrocksim.Credential{sigKey}},
			wantCode: "UnrecognizedClientException", wantMsg: "The security token included in the request is invalid."},
		{name: "unknown key", cfg: bedrocksim.Config{}, client: clientOpts{akid: "AKIDUNKNOWN000000000", secret: testSecret},
			wantCode: "UnrecognizedClientException", wantMsg: "The security token included in the request is invalid."},
		{name: "wrong secret", cfg: bedrocksim.Config{}, client: clientOpts{akid: testAKID, secret: "not-the-secret"},
			wantCode: "InvalidSignatureException", wantMsg: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."},
		{name: "region not served", cfg: bedrocksim.Config{}, client: clientOpts{region: "eu-west-1"},
			wantCode: "InvalidSignatureException", wantMsg: "Credential should be scoped to a valid region, not 'eu-west-1'. This endpoint serves: us-east-1."},
		{name: "wrong bearer token", cfg: bedrocksim.Config{TLS: true, BearerTokens: []string{testBearer}},
			client: clientOpts{bearer: "ABSKwrong"}, wantCode: "AccessDeniedException", wantMsg: "Authentication failed: Please make sure your API Key is valid."},
		{name: "no-auth server still verifies signatures", cfg: bedrocksim.Config{NoAuth: true, Keys: []bedrocksim.Credential{testKey()}},
			client: clientOpts{akid: testAKID, secret: "bad"}, wantCode: "InvalidSignatureException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := start(t, tt.cfg)
			for op, err := range callAll(srv, tt.client) {
				if tt.wantCode == "" {
					if err != nil {
						t.Errorf("%s: %v", op, err)
					}
					continue
				}
				wantAPIError(t, err, tt.wantCode, 0, tt.wantMsg)
			}
			for _, r := range srv.Requests() {
				if tt.wantAuth != "" && r.Auth != tt.wantAuth {
					t.Errorf("%s recorded auth %q, want %q", r.Operation, r.Auth, tt.wantAuth)
				}
			}
			if len(srv.Requests()) != 4 {
				t.Errorf("recorded %d requests, want 4", len(srv.Requests()))
			}
		})
	}
}

func TestCredentialExpiry(t *testing.T) {
	clock := newClock()
	base := clock.Now()
	srv := start(t, bedrocksim.Config{Now: clock.Now, Keys: []bedrocksim.Credential{
		{AccessKeyID: testAKID, SecretAccessKey: testSecret, SessionToken: testToken, ExpireAfterRequests: 2},
		{AccessKeyID: "AKIDTIMED00000000000", SecretAccessKey: testSecret, SessionToken: testToken, ExpiresAt: base.Add(time.Minute)},
	}})
	counted := runtimeClient(srv, clientOpts{token: testToken})
	for i := range 2 {
		if _, err := invoke(counted, sonnet45, body(nil)); err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
	}
	_, err := invoke(counted, sonnet45, body(nil))
	wantAPIError(t, err, "ExpiredTokenException", 403, "The security token included in the request is expired")

	timed := runtimeClient(srv, clientOpts{akid: "AKIDTIMED00000000000", secret: testSecret, token: testToken})
	if _, err := invoke(timed, sonnet45, body(nil)); err != nil {
		t.Fatalf("before expiry: %v", err)
	}
	clock.Add(2 * time.Minute)
	_, err = invoke(timed, sonnet45, body(nil))
	wantAPIError(t, err, "ExpiredTokenException", 403, "The security token included in the request is expired")

	// A refreshed key (same ID, new token) works again.
	srv.AddKey(bedrocksim.Credential{AccessKeyID: testAKID, SecretAccessKey: testSecret, SessionToken: "refreshed"})
	if _, err := invoke(runtimeClient(srv, clientOpts{token: "refreshed"}), sonnet45, body(nil)); err != nil {
		t.Errorf("after refresh: %v", err)
	}
}

func TestClockSkew(t *testing.T) {
	for _, tt := range []struct {
		shift time.Duration
		want  string
	}{
		{10 * time.Minute, "Signature expired: "},
		{-10 * time.Minute, "Signature not yet current: "},
	} {
		clock := newClock()
		clock.Add(tt.shift)
		srv := start(t, bedrocksim.Config{Now: clock.Now})
		_, err := invoke(runtimeClient(srv, clientOpts{}), sonnet45, body(nil))
		wantAPIError(t, err, "InvalidSignatureException", 403, tt.want+"…")
		if err != nil && !strings.Contains(err.Error(), "5 min.") {
			t.Errorf("skew error does not state the limit: %v", err)
		}
	}
	clock := newClock()
	clock.Add(4 * time.Minute)
	srv := start(t, bedrocksim.Config{Now: clock.Now})
	if _, err := invoke(runtimeClient(srv, clientOpts{}), sonnet45, body(nil)); err != nil {
		t.Errorf("4 minutes of skew should pass: %v", err)
	}
}

// signedRequest builds a raw request to the emulator and signs it with the SDK's signer.
func signedRequest(t *testing.T, srv *bedrocksim.Server, service, region string, payload []byte) *http.Request {
	t.Helper()
	return signedRequestTo(t, srv, "/model/"+sonnet45+"/invoke", service, region, payload)
}

func signedRequestTo(t *testing.T, srv *bedrocksim.Server, path, service, region string, payload []byte) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL()+path, bytes.NewReader(payload))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	sum := sha256.Sum256(payload)
	creds := aws.Credentials{AccessKeyID: testAKID, SecretAccessKey: testSecret}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), service, region, time.Now()); err != nil {
		t.Fatal(err)
	}
	return req
}

func send(t *testing.T, req *http.Request) (int, string, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var msg struct{ Message string }
	_ = json.Unmarshal(data, &msg)
	code, _, _ := strings.Cut(resp.Header.Get("X-Amzn-ErrorType"), ":")
	return resp.StatusCode, code, msg.Message
}

func TestSignatureCoversBodyAndSignedHeaders(t *testing.T) {
	srv := start(t, bedrocksim.Config{})
	original := body(nil)
	altered := bytes.Replace(original, []byte("hello there"), []byte("hello THERE"), 1)
	tests := []struct {
		name     string
		service  string
		mutate   func(*http.Request)
		wantCode string
		wantMsg  string
	}{
		{name: "untouched", service: "bedrock"},
		{name: "unsigned header added", service: "bedrock", mutate: func(r *http.Request) { r.Header.Set("X-Custom", "1") }},
		{name: "body altered after signing", service: "bedrock", wantCode: "InvalidSignatureException",
			mutate: func(r *http.Request) { r.Body = io.NopCloser(bytes.NewReader(altered)) }},
		{name: "signed header altered", service: "bedrock", wantCode: "InvalidSignatureException",
			mutate: func(r *http.Request) { r.Header.Set("Accept", "application/vnd.amazon.eventstream") }},
		{name: "wrong service in the scope", service: "s3", wantCode: "InvalidSignatureException",
			wantMsg: "Credential should be scoped to correct service: 'bedrock'. "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := signedRequest(t, srv, tt.service, "us-east-1", original)
			if tt.mutate != nil {
				tt.mutate(req)
			}
			status, code, msg := send(t, req)
			if tt.wantCode == "" {
				if status != 200 {
					t.Fatalf("status %d %s %s", status, code, msg)
				}
				return
			}
			if status != 403 || code != tt.wantCode {
				t.Errorf("got %d %s, want 403 %s", status, code, tt.wantCode)
			}
			if tt.wantMsg != "" && msg != tt.wantMsg {
				t.Errorf("message %q, want %q", msg, tt.wantMsg)
			}
		})
	}
}

func TestControlPlaneDenied(t *testing.T) {
	srv := start(t, bedrocksim.Config{DenyControlPlane: true})
	errs := callAll(srv, clientOpts{})
	for _, op := range []string{bedrocksim.OpInvoke, bedrocksim.OpInvokeStream} {
		if errs[op] != nil {
			t.Errorf("%s: %v", op, errs[op])
		}
	}
	wantAPIError(t, errs[bedrocksim.OpListProfiles], "AccessDeniedException", 403,
		"User: arn:aws:iam::123456789012:user/bedrocksim is not authorized to perform: bedrock:ListInferenceProfiles on resource: arn:aws:bedrock:us-east-1:123456789012:inference-profile/* because no identity-based policy allows the bedrock:ListInferenceProfiles action")
	wantAPIError(t, errs[bedrocksim.OpGetProfile], "AccessDeniedException", 403, "")
	var denied *bedrocktypes.AccessDeniedException
	if !errorsAs(errs[bedrocksim.OpListProfiles], &denied) {
		t.Errorf("the SDK did not decode a typed AccessDeniedException: %T", errs[bedrocksim.OpListProfiles])
	}
}

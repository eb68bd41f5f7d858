package bedrocksim_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/auth/bearer"

	"github.com/strata-agent/strata/internal/bedrocksim"
	"github.com/strata-agent/strata/internal/llm"
)

func TestMain(m *testing.M) {
	// The SDK clients are built by hand, but keep the environment from steering them: a
	// bearer token in the environment switches bedrockruntime to bearer auth, and instance
	// metadata must never be asked.
	os.Unsetenv("AWS_BEARER_TOKEN_BEDROCK")
	os.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	os.Exit(m.Run())
}

type typesChunk = types.ResponseStreamMemberChunk

const (
	testAKID   = "AKIDEXAMPLE000000001"
	testSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	testToken  = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN"
	testBearer = "ABSKbedrocksimtestkey0000000000000000"
	sonnet45   = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
	haiku45    = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
	opus47     = "us.anthropic.claude-opus-4-7"
	appARN     = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123"
)

func testKey() bedrocksim.Credential {
	return bedrocksim.Credential{AccessKeyID: testAKID, SecretAccessKey: testSecret}
}

// start runs an emulator for the test, with one static key unless the config has keys.
func start(t *testing.T, cfg bedrocksim.Config) *bedrocksim.Server {
	t.Helper()
	if cfg.Keys == nil && cfg.BearerTokens == nil && !cfg.NoAuth {
		cfg.Keys = []bedrocksim.Credential{testKey()}
	}
	srv, err := bedrocksim.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// clientOpts are the knobs the tests turn on SDK clients.
type clientOpts struct {
	region   string
	akid     string
	secret   string
	token    string
	bearer   string
	noAuth   bool
	attempts int    // 0: one attempt, no SDK retries
	base     string // base URL; default the server's
}

func (o clientOpts) withDefaults() clientOpts {
	if o.region == "" {
		o.region = "us-east-1"
	}
	if o.akid == "" {
		o.akid, o.secret = testAKID, testSecret
	}
	if o.attempts == 0 {
		o.attempts = 1
	}
	return o
}

func (o clientOpts) endpoint(srv *bedrocksim.Server) *string {
	if o.base != "" {
		return aws.String(o.base)
	}
	return aws.String(srv.URL())
}

// httpClient trusts the emulator's certificate when it has one, and works around a
// smithy-go race (see plainBody).
func httpClient(srv *bedrocksim.Server) *http.Client { return httpClientPEM(srv.CertPEM()) }

func httpClientPEM(pem []byte) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if pem != nil {
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(pem)
		tr.TLSClientConfig = &tls.Config{RootCAs: pool}
	}
	return &http.Client{Transport: plainBodies{tr}}
}

// plainBodies hides the request body's WriteTo. smithy-go closes the request body as soon as
// the response headers arrive, and its closed body answers WriteTo with io.EOF; when that
// happens before net/http's final "is there more body?" read, net/http takes the io.EOF as a
// write failure and closes the connection under the response stream ("use of closed network
// connection"). A server that answers at once — the emulator, a local gateway — hits it now
// and then. A body without WriteTo is read with Read, which returns a clean EOF.
type plainBodies struct{ next http.RoundTripper }

type plainBody struct{ io.ReadCloser }

func (p plainBodies) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil && r.Body != http.NoBody {
		r.Body = plainBody{r.Body}
	}
	return p.next.RoundTrip(r)
}

// noDelayRetryer retries like the SDK but without waiting, to keep tests fast.
func noDelayRetryer(attempts int) aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = attempts
		o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		o.RateLimiter = noRateLimit{}
	})
}

type noRateLimit struct{}

func (noRateLimit) GetToken(context.Context, uint) (func() error, error) {
	return func() error { return nil }, nil
}
func (noRateLimit) AddTokens(uint) error { return nil }

func runtimeClient(srv *bedrocksim.Server, o clientOpts) *bedrockruntime.Client {
	o = o.withDefaults()
	return bedrockruntime.New(bedrockruntime.Options{
		BaseEndpoint: o.endpoint(srv),
		Region:       o.region,
		Credentials:  credentials.NewStaticCredentialsProvider(o.akid, o.secret, o.token),
		HTTPClient:   httpClient(srv),
		Retryer:      noDelayRetryer(o.attempts),
	}, func(opts *bedrockruntime.Options) {
		switch {
		case o.bearer != "":
			opts.BearerAuthTokenProvider = bearer.StaticTokenProvider{Token: bearer.Token{Value: o.bearer}}
			opts.AuthSchemePreference = []string{"httpBearerAuth"}
		case o.noAuth:
			opts.Credentials = aws.AnonymousCredentials{}
			opts.AuthSchemePreference = []string{"noAuth"}
		}
	})
}

func controlClient(srv *bedrocksim.Server, o clientOpts) *bedrock.Client {
	o = o.withDefaults()
	return bedrock.New(bedrock.Options{
		BaseEndpoint: o.endpoint(srv),
		Region:       o.region,
		Credentials:  credentials.NewStaticCredentialsProvider(o.akid, o.secret, o.token),
		HTTPClient:   httpClient(srv),
		Retryer:      noDelayRetryer(o.attempts),
	}, func(opts *bedrock.Options) {
		switch {
		case o.bearer != "":
			opts.BearerAuthTokenProvider = bearer.StaticTokenProvider{Token: bearer.Token{Value: o.bearer}}
			opts.AuthSchemePreference = []string{"httpBearerAuth"}
		case o.noAuth:
			opts.Credentials = aws.AnonymousCredentials{}
			opts.AuthSchemePreference = []string{"noAuth"}
		}
	})
}

// body builds a request body; extra keys override the defaults, nil deletes one.
func body(extra map[string]any) []byte {
	b := map[string]any{
		"anthropic_version": "bedrock-2023-05-31",
		"max_tokens":        1000,
		"messages":          []any{map[string]any{"role": "user", "content": "hello there"}},
	}
	for k, v := range extra {
		if v == nil {
			delete(b, k)
		} else {
			b[k] = v
		}
	}
	data, _ := json.Marshal(b)
	return data
}

func invoke(rt *bedrockruntime.Client, model string, b []byte) (*llm.Response, error) {
	out, err := rt.InvokeModel(context.Background(), &bedrockruntime.InvokeModelInput{
		ModelId: aws.String(model), Body: b, ContentType: aws.String("application/json")})
	if err != nil {
		return nil, err
	}
	var resp llm.Response
	if err := json.Unmarshal(out.Body, &resp); err != nil {
		return nil, err
	}
	return &resp, nil
}

// stream invokes with a response stream and returns every event decoded, and the error the
// stream ended with.
func stream(rt *bedrockruntime.Client, model string, b []byte) ([]llm.Event, error) {
	out, err := rt.InvokeModelWithResponseStream(context.Background(), &bedrockruntime.InvokeModelWithResponseStreamInput{
		ModelId: aws.String(model), Body: b, ContentType: aws.String("application/json")})
	if err != nil {
		return nil, err
	}
	es := out.GetStream()
	defer es.Close()
	var evs []llm.Event
	for ev := range es.Events() {
		chunk, ok := ev.(*typesChunk)
		if !ok {
			continue
		}
		var e llm.Event
		if err := json.Unmarshal(chunk.Value.Bytes, &e); err != nil {
			return evs, err
		}
		evs = append(evs, e)
	}
	return evs, es.Err()
}

// accumulate feeds events to an llm.Accumulator.
func accumulate(t *testing.T, evs []llm.Event) *llm.Response {
	t.Helper()
	var acc llm.Accumulator
	for _, e := range evs {
		if err := acc.Add(e); err != nil {
			t.Fatalf("accumulate %s: %v", e.Type, err)
		}
	}
	return acc.Truncated()
}

// wantAPIError checks an SDK error's code, HTTP status and message.
func wantAPIError(t *testing.T, err error, code string, status int, msg string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want %s, got no error", code)
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("want API error %s, got %v", code, err)
	}
	if ae.ErrorCode() != code {
		t.Errorf("error code = %s, want %s (message %q)", ae.ErrorCode(), code, ae.ErrorMessage())
	}
	if msg != "" && ae.ErrorMessage() != msg && !(strings.HasSuffix(msg, "…") && strings.HasPrefix(ae.ErrorMessage(), strings.TrimSuffix(msg, "…"))) {
		t.Errorf("message = %q\n         want %q", ae.ErrorMessage(), msg)
	}
	var re *awshttp.ResponseError
	if status != 0 && errors.As(err, &re) && re.HTTPStatusCode() != status {
		t.Errorf("HTTP status = %d, want %d", re.HTTPStatusCode(), status)
	}
}

func textOf(r *llm.Response) string {
	var sb strings.Builder
	for _, b := range r.Content {
		if b.Type == llm.TypeText {
			sb.WriteString(b.Text)
		}
	}
	return sb.String()
}

func mustScript(t *testing.T, src string) *bedrocksim.Script {
	t.Helper()
	sc, err := bedrocksim.ParseScript([]byte(src), "test.json")
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }

package bedrock

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/smithy-go/auth/bearer"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/strata-agent/strata/internal/llm"
)

// expiryWindow is how long before their expiry credentials count as expired (B14), so a
// request is not signed with credentials that lapse while it is in flight.
const expiryWindow = time.Minute

const eventStreamType = "application/vnd.amazon.eventstream"

// awsState is one load of the AWS configuration and the service clients built from it.
// awsAuthRefresh replaces it as a whole (profiles and SSO caches may have changed).
type awsState struct {
	cache   *aws.CredentialsCache   // nil for bearer tokens and skip-auth
	marked  aws.CredentialsProvider // cache, with failures marked as credential errors
	runtime map[string]*bedrockruntime.Client
	control map[string]*bedrock.Client
}

// buildState loads the AWS configuration and builds a runtime and a control-plane client per
// region strata talks to.
func (s *shared) buildState(ctx context.Context) (*awsState, error) {
	cfg := s.cfg
	opts := []func(*config.LoadOptions) error{
		config.WithRegion(cfg.Region),
		config.WithCredentialsCacheOptions(func(o *aws.CredentialsCacheOptions) { o.ExpiryWindow = expiryWindow }),
	}
	if s.opts.AppID != "" {
		opts = append(opts, config.WithAppID(s.opts.AppID))
	}
	if s.opts.Version != "" {
		opts = append(opts, config.WithAPIOptions([]func(*middleware.Stack) error{
			awsmiddleware.AddUserAgentKeyValue("strata", s.opts.Version)}))
	}
	if cfg.CredentialExport != "" && s.signs() {
		p := &exportProvider{command: cfg.CredentialExport, source: cfg.CredentialExportSource,
			timeout: cfg.ExportTimeout, run: s.opts.RunCommand, secrets: s.secrets, failed: &s.exportFailed}
		opts = append(opts, config.WithCredentialsProvider(aws.NewCredentialsCache(p,
			func(o *aws.CredentialsCacheOptions) { o.ExpiryWindow = expiryWindow })))
	}
	awsCfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, &llm.Error{Kind: llm.ErrConfig, Err: s.secrets.wrap(err),
			Message: "Loading the AWS configuration failed: " + s.secrets.scrub(err.Error()),
			Fix:     "Check AWS_PROFILE, AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE and AWS_CA_BUNDLE."}
	}
	st := &awsState{runtime: map[string]*bedrockruntime.Client{}, control: map[string]*bedrock.Client{}}
	if s.signs() {
		cache, ok := awsCfg.Credentials.(*aws.CredentialsCache)
		if !ok {
			cache = aws.NewCredentialsCache(awsCfg.Credentials)
		}
		st.cache = cache
		st.marked = &markedProvider{p: cache, secrets: s.secrets}
	}
	for _, region := range []string{cfg.Region, cfg.SmallFastRegion} {
		if region == "" || st.runtime[region] != nil {
			continue
		}
		st.runtime[region] = bedrockruntime.NewFromConfig(awsCfg, func(o *bedrockruntime.Options) {
			s.runtimeOptions(o, st, region)
		})
		st.control[region] = bedrock.NewFromConfig(awsCfg, func(o *bedrock.Options) {
			s.controlOptions(o, st, region)
		})
	}
	return st, nil
}

// signs reports whether requests are signed with SigV4 (not a bearer token, not skip-auth).
func (s *shared) signs() bool { return !s.cfg.SkipAuth && s.cfg.BearerToken == "" }

// runtimeOptions sets the region, the endpoint (B5), the HTTP client, no SDK retries (the
// client owns them), the custom headers (B6) and the authentication.
func (s *shared) runtimeOptions(o *bedrockruntime.Options, st *awsState, region string) {
	o.Region = region
	if s.cfg.BaseURL != "" {
		o.BaseEndpoint = aws.String(s.cfg.BaseURL)
	}
	if s.opts.HTTPClient != nil {
		o.HTTPClient = s.opts.HTTPClient
	}
	o.HTTPClient = stableBodyClient{next: o.HTTPClient}
	o.Retryer, o.RetryMaxAttempts = aws.NopRetryer{}, 0
	o.APIOptions = append(o.APIOptions, s.apiOptions()...)
	o.Credentials, o.AuthSchemePreference, o.BearerAuthTokenProvider, o.BearerAuthSigner =
		s.auth(st, o.BearerAuthSigner)
}

// controlOptions is runtimeOptions for the control-plane client.
func (s *shared) controlOptions(o *bedrock.Options, st *awsState, region string) {
	o.Region = region
	if s.cfg.BaseURL != "" {
		o.BaseEndpoint = aws.String(s.cfg.BaseURL)
	}
	if s.opts.HTTPClient != nil {
		o.HTTPClient = s.opts.HTTPClient
	}
	o.HTTPClient = stableBodyClient{next: o.HTTPClient}
	o.Retryer, o.RetryMaxAttempts = aws.NopRetryer{}, 0
	o.APIOptions = append(o.APIOptions, s.apiOptions()...)
	o.Credentials, o.AuthSchemePreference, o.BearerAuthTokenProvider, o.BearerAuthSigner =
		s.auth(st, o.BearerAuthSigner)
}

func (s *shared) apiOptions() []func(*middleware.Stack) error {
	if len(s.cfg.CustomHeaders) == 0 {
		return nil
	}
	return []func(*middleware.Stack) error{addHeaders(s.cfg.CustomHeaders)}
}

// auth picks the authentication of every request, overriding whatever the SDK read from the
// environment: skip-auth sends nothing (B6), a bearer token replaces SigV4 (B11), else SigV4
// with the client's credentials. The SDK's anonymous mode needs the explicit "noAuth"
// preference or it panics; its bearer signer refuses http://, so gateways on plain HTTP get
// a signer that only sets the header.
func (s *shared) auth(st *awsState, signer bearer.Signer) (aws.CredentialsProvider, []string,
	bearer.TokenProvider, bearer.Signer) {
	switch {
	case s.cfg.SkipAuth:
		return aws.AnonymousCredentials{}, []string{"noAuth"}, nil, signer
	case s.cfg.BearerToken != "":
		token := s.cfg.BearerToken
		provider := bearer.TokenProviderFunc(func(context.Context) (bearer.Token, error) {
			return bearer.Token{Value: token}, nil
		})
		if u, err := url.Parse(s.cfg.BaseURL); err == nil && u.Scheme == "http" {
			signer = headerBearerSigner{}
		}
		return nil, []string{"httpBearerAuth"}, provider, signer
	}
	return st.credentialsProvider(), []string{"sigv4"}, nil, signer
}

// httpDoer is what the SDK's service clients call to send a request.
type httpDoer interface {
	Do(*http.Request) (*http.Response, error)
}

// stableBodyClient works around a race between the SDK and net/http. The SDK closes the
// request body as soon as the response headers arrive, while net/http's writer may still make
// its final "anything after Content-Length?" read; the SDK's closed body answers that read with
// an error, and net/http then closes the connection — in the middle of the response stream
// ("use of closed network connection"). Sending a copy the SDK cannot close avoids it.
type stableBodyClient struct{ next httpDoer }

func (c stableBodyClient) Do(r *http.Request) (*http.Response, error) {
	if r.Body != nil && r.Body != http.NoBody {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(b))
	}
	return c.next.Do(r)
}

// headerBearerSigner sets Authorization: Bearer on any request, http:// included.
type headerBearerSigner struct{}

func (headerBearerSigner) SignWithBearerToken(_ context.Context, tok bearer.Token, msg bearer.Message) (bearer.Message, error) {
	req, ok := msg.(*smithyhttp.Request)
	if !ok {
		return nil, fmt.Errorf("bearer signer: unexpected message type %T", msg)
	}
	req.Header.Set("Authorization", "Bearer "+tok.Value)
	return req, nil
}

// markedProvider marks credential-loading failures so that they are told apart from other
// request errors (an expired SSO session fails here, before any HTTP call), and registers
// the secrets it hands out for scrubbing.
type markedProvider struct {
	p       aws.CredentialsProvider
	secrets *secrets
}

func (m *markedProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	creds, err := m.p.Retrieve(ctx)
	if err != nil {
		return creds, &credentialsError{err: err}
	}
	m.secrets.add(creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken)
	return creds, nil
}

// addHeaders adds the custom headers after signing: they are not part of the signature, so a
// gateway that consumes and strips them does not break it.
func addHeaders(h http.Header) func(*middleware.Stack) error {
	mw := middleware.FinalizeMiddlewareFunc("StrataCustomHeaders",
		func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (
			middleware.FinalizeOutput, middleware.Metadata, error) {
			if req, ok := in.Request.(*smithyhttp.Request); ok {
				for name, values := range h {
					req.Header[http.CanonicalHeaderKey(name)] = values
				}
			}
			return next.HandleFinalize(ctx, in)
		})
	return func(stack *middleware.Stack) error {
		if err := stack.Finalize.Insert(mw, "Signing", middleware.After); err == nil {
			return nil
		}
		return stack.Finalize.Add(mw, middleware.After)
	}
}

// takeEventStream rejects a successful streaming answer that is not an event stream (B33):
// a gateway that rewrote it would otherwise surface as an obscure decoding error. An event
// stream's body goes to *body, for the stream's own frame reader; the SDK's reader gets an
// empty one.
func takeEventStream(body *io.ReadCloser) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Deserialize.Add(middleware.DeserializeMiddlewareFunc("StrataEventStreamBody",
			func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (
				middleware.DeserializeOutput, middleware.Metadata, error) {
				out, md, err := next.HandleDeserialize(ctx, in)
				if err != nil {
					return out, md, err
				}
				resp, ok := out.RawResponse.(*smithyhttp.Response)
				if !ok || resp.StatusCode < 200 || resp.StatusCode > 299 {
					return out, md, nil
				}
				ct := resp.Header.Get("Content-Type")
				if mt, _, _ := mime.ParseMediaType(ct); mt != eventStreamType {
					resp.Body.Close()
					return out, md, &contentTypeError{got: ct}
				}
				*body, resp.Body = resp.Body, http.NoBody
				return out, md, nil
			}), middleware.After)
	}
}

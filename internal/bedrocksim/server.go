package bedrocksim

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/strata-agent/strata/internal/lazyre"
)

// Config configures an emulator. The zero value serves us-east-1 over HTTP with the echo
// model and accepts no credentials at all, so set Keys, BearerTokens or NoAuth.
type Config struct {
	Regions      []string     // regions served; the SigV4 scope region must be one of them; default ["us-east-1"]
	TLS          bool         // HTTPS with a fresh self-signed certificate for 127.0.0.1 and localhost
	Keys         []Credential // accepted SigV4 key pairs
	BearerTokens []string     // accepted Bedrock API keys (Authorization: Bearer …)
	NoAuth       bool         // accept requests with no auth at all (for skip-auth gateways); signed requests are still verified
	Script       *Script      // nil → the built-in deterministic echo model
	Denied       []string     // model IDs / base IDs the account was not granted (403 AccessDeniedException)
	Latency      Latency      // FirstByte, PerToken
	Log          io.Writer    // request log as JSONL (secrets masked); nil → none
	Now          func() time.Time

	// PathPrefix is a path every request must start with (a gateway's prefix, e.g. "/gw");
	// it is removed before routing. Requests outside it get 404.
	PathPrefix string
	// AppProfiles maps application-inference-profile ARNs to the model they invoke (a base
	// ID or a system inference-profile ID). A script can add more.
	AppProfiles map[string]string
	// DenyControlPlane answers ListInferenceProfiles and GetInferenceProfile with 403
	// AccessDeniedException, as for a role that may only invoke models.
	DenyControlPlane bool
	// DenyOperations lists operations (InvokeModel, InvokeModelWithResponseStream,
	// ListInferenceProfiles, GetInferenceProfile) answered with 403 AccessDeniedException.
	DenyOperations []string
	// AccountID appears in profile ARNs; default 123456789012.
	AccountID string
	// PageSize is ListInferenceProfiles' page size when the request gives no maxResults;
	// default 5, small so that clients meet pagination.
	PageSize int
	// Addr is the listen address; it must be a loopback address. Default 127.0.0.1:0.
	Addr string
}

// Credential is an accepted SigV4 key pair, optionally temporary.
type Credential struct {
	AccessKeyID, SecretAccessKey, SessionToken string
	// ExpireAfterRequests > 0: after that many authenticated requests the key answers
	// ExpiredTokenException.
	ExpireAfterRequests int
	// ExpiresAt non-zero: from then on (by Config.Now) the key answers ExpiredTokenException.
	ExpiresAt time.Time
}

// Latency slows answers down like a real model.
type Latency struct {
	FirstByte time.Duration // before the response headers
	PerToken  time.Duration // per output token while streaming
}

// Server is a running emulator.
type Server struct {
	cfg     Config
	srv     *http.Server
	ln      net.Listener
	url     string
	certPEM []byte
	cache   *promptCache
	sigs    *signatureBook
	logMu   sync.Mutex
	done    chan struct{}

	mu            sync.Mutex // guards what follows
	keys          map[string]*keyState
	expiredBearer map[string]bool
	script        *scriptState
	reqs          []*Request
}

var regionPattern = lazyre.New(`^[a-z]{2}(-[a-z]+)+-\d+$`)

// Start checks the configuration, listens on a loopback port and serves until Close.
func Start(cfg Config) (*Server, error) {
	if err := cfg.fill(); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, cache: newPromptCache(), sigs: newSignatureBook(),
		keys: map[string]*keyState{}, expiredBearer: map[string]bool{}, done: make(chan struct{})}
	for _, k := range cfg.Keys {
		s.keys[k.AccessKeyID] = &keyState{cred: k}
	}
	s.SetScript(cfg.Script)
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("bedrocksim: listen on %s: %w", cfg.Addr, err)
	}
	s.ln = ln
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, Protocols: protocols()}
	scheme := "http"
	if cfg.TLS {
		cert, pemBytes, err := selfSignedCert()
		if err != nil {
			ln.Close()
			return nil, err
		}
		s.certPEM = pemBytes
		s.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		scheme = "https"
	}
	s.url = scheme + "://" + s.ln.Addr().String()
	go func() {
		defer close(s.done)
		if cfg.TLS {
			_ = s.srv.ServeTLS(ln, "", "") // ALPN offers h2 and http/1.1
			return
		}
		_ = s.srv.Serve(ln)
	}()
	return s, nil
}

// protocols serves HTTP/1.1 and HTTP/2 on the same port: h2 by ALPN over TLS, and h2c with
// prior knowledge over plain HTTP, as the AWS SDK for JavaScript v3 speaks by default.
func protocols() *http.Protocols {
	var p http.Protocols
	p.SetHTTP1(true)
	p.SetHTTP2(true)
	p.SetUnencryptedHTTP2(true)
	return &p
}

// fill applies defaults and rejects what cannot work.
func (c *Config) fill() error {
	if len(c.Regions) == 0 {
		c.Regions = []string{"us-east-1"}
	}
	for _, r := range c.Regions {
		if !regionPattern().MatchString(r) {
			return fmt.Errorf("bedrocksim: %q is not an AWS region name (like us-east-1)", r)
		}
	}
	seen := map[string]bool{}
	for i, k := range c.Keys {
		if k.AccessKeyID == "" || k.SecretAccessKey == "" {
			return fmt.Errorf("bedrocksim: key %d needs both an access key ID and a secret access key", i+1)
		}
		if seen[k.AccessKeyID] {
			return fmt.Errorf("bedrocksim: access key ID %s is configured twice", maskID(k.AccessKeyID))
		}
		seen[k.AccessKeyID] = true
	}
	for arn, model := range c.AppProfiles {
		if err := checkAppProfile(arn, model); err != nil {
			return fmt.Errorf("bedrocksim: %w", err)
		}
	}
	if c.PathPrefix != "" {
		c.PathPrefix = "/" + strings.Trim(c.PathPrefix, "/")
	}
	if c.AccountID == "" {
		c.AccountID = "123456789012"
	}
	if c.PageSize <= 0 {
		c.PageSize = 5
	}
	if c.Addr == "" {
		c.Addr = "127.0.0.1:0"
	}
	return checkLoopback(c.Addr)
}

// checkLoopback refuses to listen anywhere but on this machine: the emulator accepts any
// request its configuration allows and must not be reachable from the network.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("bedrocksim: listen address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("bedrocksim: listen address %q is not a loopback address; use 127.0.0.1, ::1 or localhost", addr)
}

func (s *Server) now() time.Time {
	if s.cfg.Now != nil {
		return s.cfg.Now()
	}
	return time.Now()
}

// URL is the base URL to give clients ("http://127.0.0.1:port" or "https://…"), without
// the path prefix.
func (s *Server) URL() string { return s.url }

// CertPEM is the PEM of the self-signed certificate (nil without TLS).
func (s *Server) CertPEM() []byte { return s.certPEM }

// WriteCert writes the certificate to path, for AWS_CA_BUNDLE.
func (s *Server) WriteCert(path string) error {
	if s.certPEM == nil {
		return errors.New("bedrocksim: no certificate to write: the server runs without TLS")
	}
	if err := os.WriteFile(path, s.certPEM, 0o644); err != nil {
		return fmt.Errorf("bedrocksim: write certificate: %w", err)
	}
	return nil
}

// SetScript replaces the script (nil: the echo model) and starts it from its first turn.
func (s *Server) SetScript(sc *Script) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sc == nil {
		s.script = nil
		return
	}
	s.script = newScriptState(sc)
	for _, t := range sc.turns {
		for _, b := range t.content {
			if b.typ == "thinking" && b.signature != "" {
				s.sigs.remember(b.thinking, b.signature)
			}
		}
	}
}

// AddKey accepts another key pair from now on, or resets one with the same access key ID
// (its use count and expiry), as when a client's credentials are refreshed.
func (s *Server) AddKey(c Credential) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys[c.AccessKeyID] = &keyState{cred: c}
}

// Requests returns every request so far, in the order they arrived.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.reqs))
	for i, r := range s.reqs {
		out[i] = r.clone()
	}
	return out
}

// Reset forgets the recorded requests.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs = nil
}

// Close stops the server at once, cutting open streams.
func (s *Server) Close() error {
	err := s.srv.Close()
	<-s.done
	return err
}

// Shutdown stops accepting requests and waits for those in flight until ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.srv.Shutdown(ctx)
	if err != nil {
		_ = s.srv.Close()
	}
	<-s.done
	return err
}

package bedrocksim

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Auth modes recorded in Request.Auth.
const (
	AuthSigV4  = "sigv4"
	AuthBearer = "bearer"
	AuthNone   = "none"
)

const (
	sigV4Algorithm = "AWS4-HMAC-SHA256"
	amzDateFormat  = "20060102T150405Z"
	maxClockSkew   = 5 * time.Minute
	signingService = "bedrock"
)

// identity is who a request authenticated as.
type identity struct {
	auth   string
	akid   string
	secret string // session token or bearer token: what an expire_credentials fault expires
	region string
}

// keyState is a configured key pair and what happened to it.
type keyState struct {
	cred    Credential
	uses    int  // requests it authenticated
	expired bool // by an expire_credentials fault
}

// authenticate checks a request's credentials the way Bedrock's front end does.
func (s *Server) authenticate(r *http.Request, path string, body []byte) (identity, *apiError) {
	authz := r.Header.Get("Authorization")
	id := identity{auth: AuthNone, region: s.regionFromHost(r.Host)}
	switch {
	case authz == "":
		if s.cfg.NoAuth {
			return id, nil
		}
		return id, authError(http.StatusForbidden, "MissingAuthenticationTokenException", msgMissingAuth)
	case strings.HasPrefix(authz, "Bearer "):
		id.auth = AuthBearer
		return s.checkBearer(id, strings.TrimPrefix(authz, "Bearer "))
	case strings.HasPrefix(authz, sigV4Algorithm+" "):
		id.auth = AuthSigV4
		return s.checkSigV4(r, path, body, authz)
	}
	return id, authError(http.StatusBadRequest, "IncompleteSignatureException",
		"Authorization header must be AWS4-HMAC-SHA256 (SigV4) or Bearer (a Bedrock API key).")
}

// regionFromHost takes the region from a Bedrock-style host name
// (bedrock-runtime.eu-west-1.amazonaws.com) when it is one the server serves; otherwise the
// first configured region.
func (s *Server) regionFromHost(host string) string {
	for _, part := range strings.Split(host, ".") {
		if slices.Contains(s.cfg.Regions, part) {
			return part
		}
	}
	return s.cfg.Regions[0]
}

func (s *Server) checkBearer(id identity, token string) (identity, *apiError) {
	id.secret = token
	valid := false
	for _, t := range s.cfg.BearerTokens {
		valid = valid || subtle.ConstantTimeCompare([]byte(t), []byte(token)) == 1
	}
	if !valid {
		e := authError(http.StatusForbidden, "AccessDeniedException", msgBearerInvalid)
		e.capitalKey = true
		return id, e
	}
	s.mu.Lock()
	expired := s.expiredBearer[token]
	s.mu.Unlock()
	if expired {
		return id, authError(http.StatusForbidden, "ExpiredTokenException", msgTokenExpired)
	}
	return id, nil
}

// sigV4Auth is a parsed SigV4 Authorization header.
type sigV4Auth struct {
	akid, date, region, service, terminator string
	signedHeaders                           string
	signature                               string
}

func parseSigV4(authz string) (sigV4Auth, *apiError) {
	var a sigV4Auth
	var missing []string
	params := map[string]string{}
	for _, part := range strings.Split(strings.TrimPrefix(authz, sigV4Algorithm+" "), ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		params[k] = v
	}
	for _, k := range []string{"Credential", "SignedHeaders", "Signature"} {
		if params[k] == "" {
			missing = append(missing, fmt.Sprintf("Authorization header requires '%s' parameter.", k))
		}
	}
	if len(missing) > 0 {
		return a, authError(http.StatusBadRequest, "IncompleteSignatureException", strings.Join(missing, " "))
	}
	scope := strings.Split(params["Credential"], "/")
	if len(scope) != 5 {
		return a, authError(http.StatusBadRequest, "IncompleteSignatureException",
			"Authorization header requires a Credential of the form AKID/date/region/service/aws4_request.")
	}
	a.akid, a.date, a.region, a.service, a.terminator = scope[0], scope[1], scope[2], scope[3], scope[4]
	a.signedHeaders, a.signature = params["SignedHeaders"], params["Signature"]
	return a, nil
}

func (s *Server) checkSigV4(r *http.Request, path string, body []byte, authz string) (identity, *apiError) {
	id := identity{auth: AuthSigV4, region: s.cfg.Regions[0]}
	a, err := parseSigV4(authz)
	if err != nil {
		return id, err
	}
	id.akid = a.akid
	if a.service != signingService || a.terminator != "aws4_request" {
		return id, authError(http.StatusForbidden, "InvalidSignatureException",
			fmt.Sprintf("Credential should be scoped to correct service: '%s'. ", signingService))
	}
	if !slices.Contains(s.cfg.Regions, a.region) {
		return id, authError(http.StatusForbidden, "InvalidSignatureException",
			fmt.Sprintf("Credential should be scoped to a valid region, not '%s'. This endpoint serves: %s.", a.region, strings.Join(s.cfg.Regions, ", ")))
	}
	id.region = a.region
	signedAt, err := s.checkDate(r)
	if err != nil {
		return id, err
	}
	token := r.Header.Get("X-Amz-Security-Token")
	id.secret = token
	s.mu.Lock()
	ks, known := s.keys[a.akid]
	var cred Credential
	if known {
		cred = ks.cred
	}
	s.mu.Unlock()
	if !known || subtle.ConstantTimeCompare([]byte(cred.SessionToken), []byte(token)) != 1 {
		return id, authError(http.StatusForbidden, "UnrecognizedClientException", msgTokenInvalid)
	}
	if !signatureMatches(r, path, body, a, cred, signedAt) {
		return id, authError(http.StatusForbidden, "InvalidSignatureException", msgBadSignature)
	}
	return id, s.useKey(a.akid)
}

// checkDate reads X-Amz-Date and rejects a clock more than five minutes off.
func (s *Server) checkDate(r *http.Request) (time.Time, *apiError) {
	raw := r.Header.Get("X-Amz-Date")
	if raw == "" {
		return time.Time{}, authError(http.StatusBadRequest, "IncompleteSignatureException",
			"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
	}
	t, perr := time.Parse(amzDateFormat, raw)
	if perr != nil {
		return t, authError(http.StatusBadRequest, "IncompleteSignatureException",
			fmt.Sprintf("X-Amz-Date must be in the ISO8601 basic format yyyyMMdd'T'HHmmss'Z', not %q.", raw))
	}
	now := s.now().UTC()
	stamp := func(t time.Time) string { return t.UTC().Format(amzDateFormat) }
	if t.Before(now.Add(-maxClockSkew)) {
		return t, authError(http.StatusForbidden, "InvalidSignatureException",
			fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - 5 min.)", raw, stamp(now.Add(-maxClockSkew)), stamp(now)))
	}
	if t.After(now.Add(maxClockSkew)) {
		return t, authError(http.StatusForbidden, "InvalidSignatureException",
			fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + 5 min.)", raw, stamp(now.Add(maxClockSkew)), stamp(now)))
	}
	return t, nil
}

// useKey counts a request against the key and answers ExpiredTokenException once the key has
// expired: by count, by time or by an injected fault.
func (s *Server) useKey(akid string) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	ks := s.keys[akid]
	c := ks.cred
	if ks.expired || (c.ExpireAfterRequests > 0 && ks.uses >= c.ExpireAfterRequests) ||
		(!c.ExpiresAt.IsZero() && !s.now().Before(c.ExpiresAt)) {
		return authError(http.StatusForbidden, "ExpiredTokenException", msgTokenExpired)
	}
	ks.uses++
	return nil
}

// signatureMatches rebuilds the request as the client signed it — same method, escaped path,
// query, host and signed headers, and the hash of the body actually received — signs it with
// the SDK's signer and compares the result with what the client sent.
func signatureMatches(r *http.Request, path string, body []byte, a sigV4Auth, cred Credential, signedAt time.Time) bool {
	if slices.Contains(strings.Split(a.signedHeaders, ";"), authorityHeader) {
		return signatureMatchesAuthority(r, path, body, a, cred, signedAt)
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	u := &url.URL{Scheme: scheme, Host: r.Host, Opaque: "//" + r.Host + path, RawQuery: r.URL.RawQuery}
	re := &http.Request{Method: r.Method, URL: u, Host: r.Host, Header: http.Header{}}
	signed := strings.Split(a.signedHeaders, ";")
	for _, name := range signed {
		switch name {
		case "host":
		case "content-length":
			re.ContentLength = int64(len(body))
		default:
			re.Header[textproto.CanonicalMIMEHeaderKey(name)] = r.Header.Values(name)
		}
	}
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: cred.AccessKeyID, SecretAccessKey: cred.SecretAccessKey, SessionToken: cred.SessionToken}
	signTokenToo := slices.Contains(signed, "x-amz-security-token")
	err := v4.NewSigner().SignHTTP(context.Background(), creds, re, hex.EncodeToString(sum[:]), a.service, a.region, signedAt,
		func(o *v4.SignerOptions) { o.DisableSessionToken = !signTokenToo })
	if err != nil {
		return false
	}
	want, perr := parseSigV4(re.Header.Get("Authorization"))
	if perr != nil {
		return false
	}
	return want.signedHeaders == a.signedHeaders && want.date == a.date &&
		subtle.ConstantTimeCompare([]byte(want.signature), []byte(a.signature)) == 1
}

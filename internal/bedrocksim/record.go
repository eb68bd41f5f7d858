package bedrocksim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/strata-agent/strata/internal/lazyre"
)

// Operations recorded in Request.Operation.
const (
	OpInvoke        = "InvokeModel"
	OpInvokeStream  = "InvokeModelWithResponseStream"
	OpListProfiles  = "ListInferenceProfiles"
	OpGetProfile    = "GetInferenceProfile"
	OpCountTokens   = "CountTokens"
	OpListModels    = "ListFoundationModels"
	OpGetModel      = "GetFoundationModel"
	opUnknown       = ""
	maskedValue     = "****"
	recordTimestamp = time.RFC3339Nano
)

// Request is one request as the emulator saw it, with secrets masked in Header.
type Request struct {
	Proto       string // "HTTP/1.1" or "HTTP/2.0"
	Method      string
	Path        string // escaped path as received
	Operation   string // one of the Op constants; "" if none
	Model       string // unescaped model ID (or inference-profile ID for GetInferenceProfile)
	Region      string
	Auth        string // "sigv4", "bearer" or "none"
	AccessKeyID string
	Header      http.Header // Authorization, X-Amz-Security-Token and other secrets masked
	Body        []byte
	Status      int
	ErrorCode   string
	// ErrorMessage is the message of an error answer (not of faults injected mid-stream).
	ErrorMessage string
	Time         time.Time
}

func (r *Request) clone() Request {
	c := *r
	c.Header = r.Header.Clone()
	c.Body = bytes.Clone(r.Body)
	return c
}

// secretHeader matches header names whose values are credentials: they are masked in
// Requests() and in the log. Custom gateway headers named like keys or tokens count too.
var secretHeader = lazyre.New(`(?i)^(authorization|proxy-authorization|cookie|set-cookie|x-amz-security-token)$|api-?key|token|secret|password`)

var sigv4Secrets = lazyre.New(`(Credential=)[^/,\s]*|(Signature=)[0-9a-fA-F]*`)

// maskHeaders copies h with every secret value replaced. A SigV4 Authorization keeps its
// scope and signed-header list, which help debugging and reveal nothing.
func maskHeaders(h http.Header) http.Header {
	out := http.Header{}
	for name, values := range h {
		if !secretHeader().MatchString(name) {
			out[name] = append([]string(nil), values...)
			continue
		}
		masked := make([]string, len(values))
		for i, v := range values {
			masked[i] = maskSecretValue(name, v)
		}
		out[name] = masked
	}
	return out
}

func maskSecretValue(name, v string) string {
	if !strings.EqualFold(name, "Authorization") {
		return maskedValue
	}
	switch {
	case strings.HasPrefix(v, sigV4Algorithm+" "):
		return sigv4Secrets().ReplaceAllString(v, "${1}${2}"+maskedValue)
	case strings.HasPrefix(v, "Bearer "):
		return "Bearer " + maskedValue
	}
	return maskedValue
}

// maskID shows only the ends of an access key ID, enough to tell keys apart.
func maskID(akid string) string {
	if len(akid) <= 8 {
		return maskedValue
	}
	return akid[:4] + maskedValue + akid[len(akid)-4:]
}

// begin records a request as it arrives.
func (s *Server) begin(r *http.Request, path string, body []byte) *Request {
	rec := &Request{Proto: r.Proto, Method: r.Method, Path: path, Header: maskHeaders(r.Header), Body: body,
		Time: s.now(), Auth: AuthNone}
	if r.Host != "" {
		rec.Header.Set("Host", r.Host)
	}
	s.mu.Lock()
	s.reqs = append(s.reqs, rec)
	s.mu.Unlock()
	return rec
}

// update changes a recorded request under the lock, since Requests may read it concurrently.
func (s *Server) update(rec *Request, f func(*Request)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(rec)
}

// logLine is one JSONL record of the request log.
type logLine struct {
	Time         string          `json:"time"`
	Proto        string          `json:"proto"`
	Method       string          `json:"method"`
	Path         string          `json:"path"`
	Operation    string          `json:"operation,omitempty"`
	Model        string          `json:"model,omitempty"`
	Region       string          `json:"region,omitempty"`
	Auth         string          `json:"auth"`
	AccessKeyID  string          `json:"access_key_id,omitempty"`
	Status       int             `json:"status"`
	ErrorCode    string          `json:"error_code,omitempty"`
	ErrorMessage string          `json:"error_message,omitempty"`
	Header       http.Header     `json:"header"`
	Body         json.RawMessage `json:"body,omitempty"`
	BodyText     string          `json:"body_text,omitempty"`
}

// writeLog appends the finished request to the JSONL log.
func (s *Server) writeLog(rec *Request) {
	if s.cfg.Log == nil {
		return
	}
	s.mu.Lock()
	line := logLine{Time: rec.Time.UTC().Format(recordTimestamp), Proto: rec.Proto, Method: rec.Method, Path: rec.Path,
		Operation: rec.Operation, Model: rec.Model, Region: rec.Region, Auth: rec.Auth,
		Status: rec.Status, ErrorCode: rec.ErrorCode, ErrorMessage: rec.ErrorMessage, Header: rec.Header.Clone()}
	if rec.AccessKeyID != "" {
		line.AccessKeyID = maskID(rec.AccessKeyID)
	}
	if compact := new(bytes.Buffer); len(rec.Body) > 0 && json.Compact(compact, rec.Body) == nil {
		line.Body = compact.Bytes()
	} else {
		line.BodyText = string(rec.Body)
	}
	s.mu.Unlock()
	data, err := json.Marshal(line)
	if err != nil {
		return
	}
	s.logMu.Lock()
	defer s.logMu.Unlock()
	_, _ = s.cfg.Log.Write(append(data, '\n'))
}

// maskKnownSecrets hides, in text the emulator records (an error message may echo what a
// script or a client sent), every secret it was configured with: secret keys, session
// tokens and bearer tokens.
func (s *Server) maskKnownSecrets(text string) string {
	var secrets []string
	for _, k := range s.cfg.Keys {
		secrets = append(secrets, k.SecretAccessKey, k.SessionToken)
	}
	secrets = append(secrets, s.cfg.BearerTokens...)
	for _, v := range secrets {
		if v != "" {
			text = strings.ReplaceAll(text, v, maskedValue)
		}
	}
	return text
}

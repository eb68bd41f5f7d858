package bedrocksim

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/google/uuid"

	"github.com/strata-agent/strata/internal/models"
)

// maxBody bounds what the emulator reads; Bedrock's own limit is 20 MB.
const maxBody = 20 << 20

// route is the operation a method and path name.
type route struct {
	op string
	id string // model ID or inference-profile identifier, unescaped
}

// ServeHTTP handles one request: record it, authenticate, route, answer.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := escapedPath(r)
	body, readErr := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	rec := s.begin(r, path, body)
	rw := &recorder{ResponseWriter: w, onStatus: func(status int, code string) {
		s.update(rec, func(q *Request) { q.Status, q.ErrorCode = status, code })
	}}
	rw.finish = sync.OnceFunc(func() {
		s.update(rec, func(q *Request) { q.Status, q.ErrorCode = rw.status, rw.code })
		s.writeLog(rec)
	})
	defer rw.finish()
	rw.Header().Set("X-Amzn-Requestid", uuid.NewString())
	if err := s.serve(rw, r, rec, path, body, readErr); err != nil {
		s.update(rec, func(q *Request) { q.ErrorMessage = s.maskKnownSecrets(err.message) })
		err.write(rw)
	}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request, rec *Request, path string, body []byte, readErr error) *apiError {
	rt, known := s.route(r.Method, path)
	s.update(rec, func(q *Request) { q.Operation, q.Model = rt.op, rt.id })
	id, err := s.authenticate(r, path, body)
	s.update(rec, func(q *Request) { q.Auth, q.AccessKeyID, q.Region = id.auth, id.akid, id.region })
	if err != nil {
		return err
	}
	if !known {
		return unknownOperation(r.Method, path)
	}
	if readErr != nil || len(body) > maxBody {
		return validationError("The request body could not be read or is larger than 20 MB.")
	}
	if s.operationDenied(rt.op) {
		return accessDenied(s.notAuthorized(rt, id.region))
	}
	switch rt.op {
	case OpInvoke, OpInvokeStream:
		return s.invoke(w, r, rt.op, id, rt.id, body)
	case OpCountTokens:
		return s.countTokens(w, rt.id, id.region, body)
	case OpListProfiles:
		return s.listProfiles(w, r, id.region)
	case OpListModels:
		return s.listFoundationModels(w, r, id.region)
	case OpGetModel:
		return s.getFoundationModel(w, rt.id, id.region)
	}
	return s.getProfile(w, rt.id, id.region)
}

// escapedPath is the path exactly as the client sent it: an ARN's "%2F" must not become a
// path separator before routing.
func escapedPath(r *http.Request) string {
	if r.RequestURI != "" && strings.HasPrefix(r.RequestURI, "/") {
		p, _, _ := strings.Cut(r.RequestURI, "?")
		return p
	}
	return r.URL.EscapedPath()
}

// route splits the escaped path on "/" and unescapes each segment afterwards.
func (s *Server) route(method, path string) (route, bool) {
	rest := path
	if p := s.cfg.PathPrefix; p != "" {
		if rest != p && !strings.HasPrefix(rest, p+"/") {
			return route{}, false
		}
		rest = strings.TrimPrefix(rest, p)
	}
	segs := strings.Split(strings.TrimPrefix(rest, "/"), "/")
	for i, seg := range segs {
		u, err := url.PathUnescape(seg)
		if err != nil {
			return route{}, false
		}
		segs[i] = u
	}
	switch {
	case method == http.MethodPost && len(segs) == 3 && segs[0] == "model" && segs[2] == "invoke":
		return route{op: OpInvoke, id: segs[1]}, true
	case method == http.MethodPost && len(segs) == 3 && segs[0] == "model" && segs[2] == "invoke-with-response-stream":
		return route{op: OpInvokeStream, id: segs[1]}, true
	case method == http.MethodPost && len(segs) == 3 && segs[0] == "model" && segs[2] == "count-tokens":
		return route{op: OpCountTokens, id: segs[1]}, true
	case method == http.MethodGet && len(segs) == 1 && segs[0] == "foundation-models":
		return route{op: OpListModels}, true
	case method == http.MethodGet && len(segs) == 2 && segs[0] == "foundation-models" && segs[1] != "":
		return route{op: OpGetModel, id: segs[1]}, true
	case method == http.MethodGet && len(segs) == 1 && segs[0] == "inference-profiles":
		return route{op: OpListProfiles}, true
	case method == http.MethodGet && len(segs) == 2 && segs[0] == "inference-profiles" && segs[1] != "":
		return route{op: OpGetProfile, id: segs[1]}, true
	}
	return route{}, false
}

func (s *Server) operationDenied(op string) bool {
	if s.cfg.DenyControlPlane && (op == OpListProfiles || op == OpGetProfile || op == OpListModels || op == OpGetModel) {
		return true
	}
	return slices.Contains(s.cfg.DenyOperations, op)
}

// notAuthorized is IAM's refusal, naming the action and the resource (notes §8.2d).
func (s *Server) notAuthorized(rt route, region string) string {
	acct := s.cfg.AccountID
	resource := fmt.Sprintf("arn:aws:bedrock:%s:%s:inference-profile/*", region, acct)
	switch {
	case strings.HasPrefix(rt.id, "arn:"):
		resource = rt.id
	case rt.op == OpGetProfile:
		resource = fmt.Sprintf("arn:aws:bedrock:%s:%s:inference-profile/%s", region, acct, rt.id)
	case rt.op == OpListModels || rt.op == OpGetModel:
		resource = "*"
	case rt.op == OpInvoke || rt.op == OpInvokeStream || rt.op == OpCountTokens:
		if geo, _, ok := models.SplitID(rt.id); ok && geo != "" {
			resource = fmt.Sprintf("arn:aws:bedrock:%s:%s:inference-profile/%s", region, acct, rt.id)
		} else {
			resource = fmt.Sprintf("arn:aws:bedrock:%s::foundation-model/%s", region, rt.id)
		}
	}
	action := "bedrock:" + rt.op
	return fmt.Sprintf("User: arn:aws:iam::%s:user/bedrocksim is not authorized to perform: %s on resource: %s because no identity-based policy allows the %s action",
		acct, action, resource, action)
}

// recorder remembers the status and error code of the response for the request record.
type recorder struct {
	http.ResponseWriter
	status int
	code   string
	// onStatus records the status as soon as it is known, before the client can read any of
	// the body: a test that has read a whole stream then finds its status in Requests().
	onStatus func(status int, code string)
	// finish writes the request to the log, once: when the handler returns, or before the
	// last frame of a stream, so that a client that has read the whole answer (and a test
	// that then reads the log) finds it there.
	finish func()
}

func (w *recorder) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
		code, _, _ := strings.Cut(w.Header().Get("X-Amzn-ErrorType"), ":")
		w.code = code
		if w.onStatus != nil {
			w.onStatus(status, code)
		}
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *recorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (for resets).
func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *recorder) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

package bedrock

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"

	"github.com/strata-agent/strata/internal/llm"
)

// fakeBedrock is a scripted stand-in for Bedrock used by the unit tests: each request takes
// the next reply from the queue (the last one repeats), and every request is recorded.
type fakeBedrock struct {
	t   testing.TB
	srv *httptest.Server

	mu       sync.Mutex
	replies  []reply
	requests []recorded
}

// reply answers one request.
type reply func(w http.ResponseWriter, r *http.Request)

type recorded struct {
	Method      string
	EscapedPath string
	Header      http.Header
	Body        []byte
}

func newFake(t testing.TB, tls bool, replies ...reply) *fakeBedrock {
	f := &fakeBedrock{t: t, replies: replies}
	h := http.HandlerFunc(f.serve)
	if tls {
		f.srv = httptest.NewTLSServer(h)
	} else {
		f.srv = httptest.NewServer(h)
	}
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeBedrock) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.requests = append(f.requests, recorded{r.Method, r.URL.EscapedPath(), r.Header.Clone(), body})
	var next reply
	switch len(f.replies) {
	case 0:
		next = streamReply(textEvents("ok")...)
	case 1:
		next = f.replies[0]
	default:
		next, f.replies = f.replies[0], f.replies[1:]
	}
	f.mu.Unlock()
	next(w, r)
}

func (f *fakeBedrock) push(replies ...reply) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.replies = append(f.replies, replies...)
}

func (f *fakeBedrock) recorded() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recorded(nil), f.requests...)
}

// paths returns the escaped paths requested, in order.
func (f *fakeBedrock) paths() []string {
	var out []string
	for _, r := range f.recorded() {
		out = append(out, r.EscapedPath)
	}
	return out
}

// textEvents is a complete Anthropic stream answering text.
func textEvents(text string) []string {
	return []string{
		`{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":1}}}`,
		`{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`,
		fmt.Sprintf(`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":%q}}`, text),
		`{"type":"content_block_stop","index":0}`,
		`{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":5}}`,
		`{"type":"message_stop","amazon-bedrock-invocationMetrics":{"inputTokenCount":10,"outputTokenCount":5,"invocationLatency":100,"firstByteLatency":50}}`,
	}
}

// chunkFrame encodes one event as Bedrock does: a chunk whose payload is {"bytes":base64}.
func chunkFrame(t testing.TB, event string) []byte {
	payload, _ := json.Marshal(map[string]string{"bytes": base64.StdEncoding.EncodeToString([]byte(event))})
	var hs eventstream.Headers
	hs.Set(":message-type", eventstream.StringValue("event"))
	hs.Set(":event-type", eventstream.StringValue("chunk"))
	hs.Set(":content-type", eventstream.StringValue("application/json"))
	return encodeFrame(t, hs, payload)
}

// exceptionFrame encodes an in-stream exception (B33).
func exceptionFrame(t testing.TB, typ, message string) []byte {
	payload, _ := json.Marshal(map[string]string{"message": message})
	var hs eventstream.Headers
	hs.Set(":message-type", eventstream.StringValue("exception"))
	hs.Set(":exception-type", eventstream.StringValue(typ))
	hs.Set(":content-type", eventstream.StringValue("application/json"))
	return encodeFrame(t, hs, payload)
}

func encodeFrame(t testing.TB, hs eventstream.Headers, payload []byte) []byte {
	var buf bytes.Buffer
	if err := eventstream.NewEncoder().Encode(&buf, eventstream.Message{Headers: hs, Payload: payload}); err != nil {
		panic(fmt.Sprintf("encoding a frame: %v", err))
	}
	return buf.Bytes()
}

func startStream(w http.ResponseWriter) {
	w.Header().Set("Content-Type", eventStreamType)
	w.Header().Set("X-Amzn-Bedrock-Content-Type", "application/json")
	w.WriteHeader(200)
}

// streamReply streams complete events.
func streamReply(events ...string) reply {
	return func(w http.ResponseWriter, r *http.Request) {
		startStream(w)
		for _, ev := range events {
			w.Write(chunkFrame(nil, ev))
			w.(http.Flusher).Flush()
		}
	}
}

// cutReply streams the first n events and then ends the body.
func cutReply(n int) reply {
	return streamReply(textEvents("cut")[:n]...)
}

// exceptionReply streams n events, then an exception frame.
func exceptionReply(n int, typ, message string) reply {
	return func(w http.ResponseWriter, r *http.Request) {
		streamReply(textEvents("x")[:n]...)(w, r)
		w.Write(exceptionFrame(nil, typ, message))
	}
}

// stallReply streams n events and then sends nothing until the client goes away.
func stallReply(n int) reply {
	return func(w http.ResponseWriter, r *http.Request) {
		streamReply(textEvents("stall")[:n]...)(w, r)
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(30 * time.Second):
		}
	}
}

// errorReply answers like Bedrock does for an API error.
func errorReply(status int, code, message string) reply {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amzn-ErrorType", code+":http://internal.amazon.com/coral/com.amazon.bedrock/")
		w.Header().Set("X-Amzn-RequestId", "req-1234")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]string{"message": message})
	}
}

// jsonReply answers a 200 with a JSON body (InvokeModel, control plane, or a rewritten stream).
func jsonReply(contentType string, v any) reply {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(200)
		json.NewEncoder(w).Encode(v)
	}
}

// testEnv is a clean AWS environment for one test: temp shared files, no instance metadata,
// and no variables from the machine that could change the result.
type testEnv struct {
	t    *testing.T
	dir  string
	vars map[string]string
}

// awsVars are cleared for every test so the developer's environment cannot leak in.
var awsVars = []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
	"AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_BEARER_TOKEN_BEDROCK",
	"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
	"AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_BEDROCK_RUNTIME",
	"AWS_ENDPOINT_URL_BEDROCK", "AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE", "AWS_AUTH_SCHEME_PREFERENCE",
	"CLAUDE_CODE_USE_BEDROCK", "ANTHROPIC_MODEL", "ANTHROPIC_SMALL_FAST_MODEL",
	"ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION", "ANTHROPIC_BEDROCK_BASE_URL", "CLAUDE_CODE_SKIP_BEDROCK_AUTH",
	"ANTHROPIC_CUSTOM_HEADERS", "DISABLE_PROMPT_CACHING", "CLAUDE_CODE_MAX_OUTPUT_TOKENS",
	"MAX_THINKING_TOKENS", "CLAUDE_CODE_MAX_RETRIES", "CLAUDE_STREAM_IDLE_TIMEOUT_MS", "API_TIMEOUT_MS"}

// newTestEnv sets the process environment for a test (the SDK reads it directly) and returns
// a lookup for LoadConfig. Not for parallel tests.
func newTestEnv(t *testing.T) *testEnv {
	dir := t.TempDir()
	e := &testEnv{t: t, dir: dir, vars: map[string]string{}}
	for _, v := range awsVars {
		e.set(v, "")
	}
	e.set("HOME", dir)
	e.set("AWS_EC2_METADATA_DISABLED", "true")
	e.set("AWS_CONFIG_FILE", e.write("aws-config", ""))
	e.set("AWS_SHARED_CREDENTIALS_FILE", e.write("aws-credentials", ""))
	e.set("CLAUDE_CODE_USE_BEDROCK", "1")
	e.set("AWS_REGION", "us-east-1")
	return e
}

func (e *testEnv) set(name, value string) {
	e.t.Setenv(name, value)
	if value == "" {
		os.Unsetenv(name)
		delete(e.vars, name)
		return
	}
	e.vars[name] = value
}

func (e *testEnv) get(name string) string { return e.vars[name] }

// write creates a file in the test's directory and returns its path.
func (e *testEnv) write(name, content string) string {
	p := filepath.Join(e.dir, name)
	if err := os.WriteFile(p, []byte(content), 0o700); err != nil {
		e.t.Fatal(err)
	}
	return p
}

// keys sets static environment credentials.
func (e *testEnv) keys(akid, secret, token string) {
	e.set("AWS_ACCESS_KEY_ID", akid)
	e.set("AWS_SECRET_ACCESS_KEY", secret)
	e.set("AWS_SESSION_TOKEN", token)
}

// config loads the Config for the current environment.
func (e *testEnv) config(s SettingsView) *Config {
	e.t.Helper()
	cfg, err := LoadConfig(e.get, s)
	if err != nil {
		e.t.Fatalf("LoadConfig: %v", err)
	}
	return cfg
}

// notices collects the notices of a context.
type notices struct {
	mu   sync.Mutex
	list []llm.Notice
}

func (n *notices) ctx(parent context.Context) context.Context {
	return llm.WithObserver(parent, func(x llm.Notice) {
		n.mu.Lock()
		defer n.mu.Unlock()
		n.list = append(n.list, x)
	})
}

func (n *notices) kinds() []llm.NoticeKind {
	n.mu.Lock()
	defer n.mu.Unlock()
	var out []llm.NoticeKind
	for _, x := range n.list {
		out = append(out, x.Kind)
	}
	return out
}

func (n *notices) text() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	var b strings.Builder
	for _, x := range n.list {
		fmt.Fprintf(&b, "%d %q", x.Kind, x.Text)
		if x.Err != nil {
			b.WriteString(" " + x.Err.Error())
		}
		b.WriteString("\n")
	}
	return b.String()
}

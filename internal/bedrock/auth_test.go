package bedrock

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

const (
	envKey    = "AKIAENVKEY0000000001"
	envSecret = "env-secret-key-00000000000000001"
	envToken  = "env-session-token-000000000000001"
	fileKey   = "AKIAFILEKEY000000001"
	fileSec   = "file-secret-key-0000000000000001"
	procKey   = "ASIAPROCKEY000000001"
	procSec   = "proc-secret-key-0000000000000001"
	bearerTok = "bedrock-api-key-ABSKexample0000000001"
)

// Every way of authenticating reaches the wire as it should (B6, B10–B12).
func TestAuthModes(t *testing.T) {
	tests := []struct {
		name  string
		tls   bool
		setup func(t *testing.T, e *testEnv) SettingsView
		check func(t *testing.T, h http.Header)
	}{
		{"static keys", false, func(t *testing.T, e *testEnv) SettingsView {
			e.keys(envKey, envSecret, "")
			return SettingsView{}
		}, sigv4(envKey, "")},
		{"session token", false, func(t *testing.T, e *testEnv) SettingsView {
			e.keys(envKey, envSecret, envToken)
			return SettingsView{}
		}, sigv4(envKey, envToken)},
		{"profile from shared files", false, func(t *testing.T, e *testEnv) SettingsView {
			e.set("AWS_PROFILE", "dev")
			e.write("aws-config", "[profile dev]\nregion = eu-west-1\n")
			e.write("aws-credentials", "[dev]\naws_access_key_id = "+fileKey+"\naws_secret_access_key = "+fileSec+"\n")
			return SettingsView{}
		}, sigv4(fileKey, "")},
		{"credential_process profile", false, func(t *testing.T, e *testEnv) SettingsView {
			cmd := script(t, e.dir, "creds.sh", `echo '{"Version":1,"AccessKeyId":"`+procKey+`","SecretAccessKey":"`+procSec+`","SessionToken":"proc-token-0000001"}'`)
			e.set("AWS_PROFILE", "proc")
			e.write("aws-config", "[profile proc]\ncredential_process = "+cmd+"\n")
			return SettingsView{}
		}, sigv4(procKey, "proc-token-0000001")},
		{"awsCredentialExport wins over the chain", false, func(t *testing.T, e *testEnv) SettingsView {
			e.keys(envKey, envSecret, "")
			cmd := script(t, e.dir, "export.sh", `echo '{"Credentials":{"AccessKeyId":"`+exportKey+`","SecretAccessKey":"`+exportSecret+`","SessionToken":"`+exportToken+`"}}'`)
			return SettingsView{AWSCredentialExport: cmd}
		}, sigv4(exportKey, exportToken)},
		{"bearer over TLS", true, func(t *testing.T, e *testEnv) SettingsView {
			e.keys(envKey, envSecret, "")
			e.set("AWS_BEARER_TOKEN_BEDROCK", bearerTok)
			return SettingsView{}
		}, bearerOnly},
		{"bearer over http gateway", false, func(t *testing.T, e *testEnv) SettingsView {
			e.set("AWS_BEARER_TOKEN_BEDROCK", bearerTok)
			return SettingsView{}
		}, bearerOnly},
		{"skip auth with custom headers", false, func(t *testing.T, e *testEnv) SettingsView {
			e.set("CLAUDE_CODE_SKIP_BEDROCK_AUTH", "1")
			e.set("ANTHROPIC_CUSTOM_HEADERS", "X-Gateway-Key: gw-key-000000001\nX-Team: core")
			return SettingsView{}
		}, func(t *testing.T, h http.Header) {
			for _, name := range []string{"Authorization", "X-Amz-Security-Token", "X-Amz-Date"} {
				if h.Get(name) != "" {
					t.Errorf("skip-auth sent %s", name)
				}
			}
			if h.Get("X-Gateway-Key") != "gw-key-000000001" || h.Get("X-Team") != "core" {
				t.Errorf("custom headers missing: %v", h)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t)
			s := tt.setup(t, e)
			f := newFake(t, tt.tls)
			c := fakeClient(t, e, f, s, nil)
			if text, err := ask(t, context.Background(), c, "hi"); err != nil || text != "ok" {
				t.Fatalf("text %q err %v", text, err)
			}
			// The control plane authenticates the same way.
			if _, err := c.ListInferenceProfiles(context.Background()); err == nil {
				t.Log("(the fake answered the profile list with a stream; only headers matter here)")
			}
			reqs := f.recorded()
			if len(reqs) != 2 {
				t.Fatalf("%d requests", len(reqs))
			}
			for _, r := range reqs {
				tt.check(t, r.Header)
			}
		})
	}
}

func sigv4(akid, token string) func(t *testing.T, h http.Header) {
	return func(t *testing.T, h http.Header) {
		t.Helper()
		auth := h.Get("Authorization")
		if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential="+akid+"/") || !strings.Contains(auth, "/us-east-1/bedrock/aws4_request") {
			t.Errorf("Authorization %q, want SigV4 for %s in us-east-1/bedrock", auth, akid)
		}
		if got := h.Get("X-Amz-Security-Token"); got != token {
			t.Errorf("X-Amz-Security-Token %q, want %q", got, token)
		}
	}
}

func bearerOnly(t *testing.T, h http.Header) {
	t.Helper()
	if got := h.Get("Authorization"); got != "Bearer "+bearerTok {
		t.Errorf("Authorization %q, want the bearer token", got)
	}
	if h.Get("X-Amz-Security-Token") != "" {
		t.Errorf("bearer requests must not carry SigV4 headers")
	}
}

// B5: the base URL's path prefix is kept for runtime and control-plane calls.
func TestBaseURLPrefixKept(t *testing.T) {
	e := newTestEnv(t)
	e.keys(envKey, envSecret, "")
	f := newFake(t, false, streamReply(textEvents("ok")...),
		jsonReply("application/json", map[string]any{"inferenceProfileSummaries": []any{}}))
	e.set("ANTHROPIC_BEDROCK_BASE_URL", f.srv.URL+"/gw/x/")
	cfg := e.config(SettingsView{})
	c, err := New(context.Background(), cfg, fastOptions(f))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ask(t, context.Background(), c, "hi"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListInferenceProfiles(context.Background()); err != nil {
		t.Fatal(err)
	}
	paths := f.paths()
	want := []string{"/gw/x/model/" + escapeID(cfg.Model) + "/invoke-with-response-stream", "/gw/x/inference-profiles"}
	if len(paths) != 2 || paths[0] != want[0] || paths[1] != want[1] {
		t.Errorf("paths %q, want %q", paths, want)
	}
}

// B30: an ARN model ID travels path-escaped, / as %2F.
func TestARNModelPath(t *testing.T) {
	e := newTestEnv(t)
	e.keys(envKey, envSecret, "")
	e.set("ANTHROPIC_MODEL", appARN)
	f := newFake(t, false,
		errorReply(403, "AccessDeniedException", "not allowed to GetInferenceProfile"), // model lookup degrades
		errorReply(403, "AccessDeniedException", "not allowed to ListInferenceProfiles"),
		streamReply(textEvents("ok")...))
	c := fakeClient(t, e, f, SettingsView{}, nil)
	n := &notices{}
	if _, err := ask(t, n.ctx(context.Background()), c, "hi"); err != nil {
		t.Fatal(err)
	}
	paths := f.paths()
	if len(paths) != 3 {
		t.Fatalf("paths %q", paths)
	}
	wantLookup := "/inference-profiles/arn%3Aaws%3Abedrock%3Aus-east-2%3A123456789012%3Aapplication-inference-profile%2Fabc123"
	wantInvoke := "/model/arn%3Aaws%3Abedrock%3Aus-east-2%3A123456789012%3Aapplication-inference-profile%2Fabc123/invoke-with-response-stream"
	if paths[0] != wantLookup || paths[1] != "/inference-profiles" || paths[2] != wantInvoke {
		t.Errorf("paths %q, want %q, the list and %q", paths, wantLookup, wantInvoke)
	}
	mustContain(t, "notices", n.text(), "bedrock:GetInferenceProfile is not allowed")
}

// B3: the small/fast role goes to its own region: endpoint and SigV4 scope.
func TestSmallFastRegion(t *testing.T) {
	e := newTestEnv(t)
	e.keys(envKey, envSecret, "")
	e.set("ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION", "eu-west-1")
	f := newFake(t, false)
	cfg := e.config(SettingsView{})
	hosts := &hostRecorder{to: f.srv.URL}
	opts := fastOptions(f)
	opts.HTTPClient = &http.Client{Transport: hosts}
	c, err := New(context.Background(), cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ask(t, context.Background(), c.Small(), "hi"); err != nil {
		t.Fatal(err)
	}
	if _, err := ask(t, context.Background(), c, "hi"); err != nil {
		t.Fatal(err)
	}
	want := []string{"bedrock-runtime.eu-west-1.amazonaws.com", "bedrock-runtime.us-east-1.amazonaws.com"}
	if strings.Join(hosts.hosts, ",") != strings.Join(want, ",") {
		t.Errorf("hosts %q, want %q", hosts.hosts, want)
	}
	reqs := f.recorded()
	mustContain(t, "small/fast scope", reqs[0].Header.Get("Authorization"), "/eu-west-1/bedrock/aws4_request")
	mustContain(t, "main scope", reqs[1].Header.Get("Authorization"), "/us-east-1/bedrock/aws4_request")
	mustContain(t, "small/fast path", reqs[0].EscapedPath, escapeID(cfg.SmallFastModel))
}

// hostRecorder records the host each request was meant for and sends it to the fake instead.
type hostRecorder struct {
	to    string
	hosts []string
}

func (h *hostRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	h.hosts = append(h.hosts, r.URL.Host)
	u, _ := url.Parse(h.to)
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host = u.Scheme, u.Host
	return http.DefaultTransport.RoundTrip(r)
}

// escapeID is how the SDK puts a model ID in the path: url.PathEscape, with ':' escaped too.
func escapeID(id string) string { return strings.ReplaceAll(url.PathEscape(id), ":", "%3A") }

package bedrock

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/bedrocksim"
	"github.com/strata-agent/strata/internal/llm"
)

// Integration tests: the client against the in-process emulator, which verifies SigV4
// signatures with the SDK's own signer, validates bodies like Bedrock, and answers with
// Bedrock's error shapes.

const (
	simKey1, simSecret1, simToken1 = "AKIASIMKEY0000000001", "sim-secret-0000000000000000001", "sim-token-000000000000000001"
	simKey2, simSecret2, simToken2 = "AKIASIMKEY0000000002", "sim-secret-0000000000000000002", "sim-token-000000000000000002"
	simBearer                      = "ABSK-sim-bearer-token-00000000001"
)

// startSim runs an emulator for the test.
func startSim(t *testing.T, cfg bedrocksim.Config) *bedrocksim.Server {
	t.Helper()
	srv, err := bedrocksim.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// simScript parses a script given inline.
func simScript(t *testing.T, js string) *bedrocksim.Script {
	t.Helper()
	sc, err := bedrocksim.ParseScript([]byte(js), t.Name()+".json")
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// simOptions are client options that reach srv (trusting its certificate when it has one).
func simOptions(srv *bedrocksim.Server) Options {
	o := fastOptions(nil)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if pem := srv.CertPEM(); pem != nil {
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(pem)
		tr.TLSClientConfig = &tls.Config{RootCAs: pool}
	}
	o.HTTPClient = &http.Client{Transport: tr}
	return o
}

// simClient builds a client for srv from the test environment.
func simClient(t *testing.T, e *testEnv, srv *bedrocksim.Server, prefix string, s SettingsView, opts *Options, adjust func(*Config)) *Client {
	t.Helper()
	e.set("ANTHROPIC_BEDROCK_BASE_URL", srv.URL()+prefix)
	cfg := e.config(s)
	if adjust != nil {
		adjust(cfg)
	}
	o := simOptions(srv)
	if opts != nil {
		o.Stderr, o.Redactor = opts.Stderr, opts.Redactor
	}
	c, err := New(context.Background(), cfg, o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSimAuthModes(t *testing.T) {
	keys := []bedrocksim.Credential{{AccessKeyID: simKey1, SecretAccessKey: simSecret1},
		{AccessKeyID: simKey2, SecretAccessKey: simSecret2, SessionToken: simToken2}}
	tests := []struct {
		name     string
		cfg      bedrocksim.Config
		setup    func(t *testing.T, e *testEnv) SettingsView
		wantAuth string
	}{
		{"static keys", bedrocksim.Config{Keys: keys}, func(t *testing.T, e *testEnv) SettingsView {
			e.keys(simKey1, simSecret1, "")
			return SettingsView{}
		}, "sigv4"},
		{"session token", bedrocksim.Config{Keys: keys}, func(t *testing.T, e *testEnv) SettingsView {
			e.keys(simKey2, simSecret2, simToken2)
			return SettingsView{}
		}, "sigv4"},
		{"profile files", bedrocksim.Config{Keys: keys}, func(t *testing.T, e *testEnv) SettingsView {
			e.set("AWS_PROFILE", "dev")
			e.write("aws-credentials", "[dev]\naws_access_key_id = "+simKey2+"\naws_secret_access_key = "+simSecret2+
				"\naws_session_token = "+simToken2+"\n")
			return SettingsView{}
		}, "sigv4"},
		{"credential_process", bedrocksim.Config{Keys: keys}, func(t *testing.T, e *testEnv) SettingsView {
			cmd := script(t, e.dir, "creds.sh", `echo '{"Version":1,"AccessKeyId":"`+simKey1+`","SecretAccessKey":"`+simSecret1+`"}'`)
			e.set("AWS_PROFILE", "proc")
			e.write("aws-config", "[profile proc]\ncredential_process = "+cmd+"\n")
			return SettingsView{}
		}, "sigv4"},
		{"awsCredentialExport", bedrocksim.Config{Keys: keys}, func(t *testing.T, e *testEnv) SettingsView {
			return SettingsView{AWSCredentialExport: script(t, e.dir, "export.sh",
				`echo '`+exportJSONFor(simKey2, simSecret2, "")+`' | sed 's/tok-`+simKey2+`/`+simToken2+`/'`)}
		}, "sigv4"},
		{"bearer over TLS", bedrocksim.Config{TLS: true, BearerTokens: []string{simBearer}}, func(t *testing.T, e *testEnv) SettingsView {
			e.set("AWS_BEARER_TOKEN_BEDROCK", simBearer)
			return SettingsView{}
		}, "bearer"},
		{"bearer over http", bedrocksim.Config{BearerTokens: []string{simBearer}}, func(t *testing.T, e *testEnv) SettingsView {
			e.set("AWS_BEARER_TOKEN_BEDROCK", simBearer)
			return SettingsView{}
		}, "bearer"},
		{"skip auth", bedrocksim.Config{NoAuth: true}, func(t *testing.T, e *testEnv) SettingsView {
			e.set("CLAUDE_CODE_SKIP_BEDROCK_AUTH", "1")
			return SettingsView{}
		}, "none"},
		{"TLS with SigV4", bedrocksim.Config{TLS: true, Keys: keys}, func(t *testing.T, e *testEnv) SettingsView {
			e.keys(simKey1, simSecret1, "")
			return SettingsView{}
		}, "sigv4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t)
			s := tt.setup(t, e)
			srv := startSim(t, tt.cfg)
			c := simClient(t, e, srv, "", s, nil, nil)
			text, err := ask(t, context.Background(), c, "hello sim")
			if err != nil {
				t.Fatal(err)
			}
			if text != "echo: hello sim" {
				t.Errorf("text %q", text)
			}
			if _, err := c.ListInferenceProfiles(context.Background()); err != nil {
				t.Errorf("ListInferenceProfiles: %v", err)
			}
			for _, r := range srv.Requests() {
				// Status is recorded when the handler returns, which may be after the client
				// has its answer; the error code is known from the start.
				if r.ErrorCode != "" || r.Auth != tt.wantAuth {
					t.Errorf("%s %s: error %q auth %q, want none and %q", r.Method, r.Path, r.ErrorCode, r.Auth, tt.wantAuth)
				}
			}
		})
	}
}

// B5 and B30 against the emulator: a gateway prefix is kept, an application-profile ARN is
// path-escaped and its SigV4 signature (over the escaped path) validates.
func TestSimPrefixAndARN(t *testing.T) {
	const arn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/team-sonnet"
	e := newTestEnv(t)
	e.keys(simKey1, simSecret1, "")
	e.set("ANTHROPIC_MODEL", arn)
	srv := startSim(t, bedrocksim.Config{Keys: []bedrocksim.Credential{{AccessKeyID: simKey1, SecretAccessKey: simSecret1}},
		PathPrefix: "/gw/x", AppProfiles: map[string]string{arn: "us.anthropic.claude-sonnet-4-5-20250929-v1:0"}})
	c := simClient(t, e, srv, "/gw/x", SettingsView{}, nil, nil)
	req := simpleRequest("via the profile")
	req.Betas = []string{"context-1m-2025-08-07"}
	s, err := c.Stream(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := drain(t, s); err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests", len(reqs))
	}
	if reqs[0].Operation != "GetInferenceProfile" || reqs[1].Operation != "InvokeModelWithResponseStream" {
		t.Errorf("operations %s, %s", reqs[0].Operation, reqs[1].Operation)
	}
	wantPath := "/gw/x/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aapplication-inference-profile%2Fteam-sonnet/invoke-with-response-stream"
	if reqs[1].Path != wantPath || reqs[1].Model != arn || reqs[1].Status != 200 {
		t.Errorf("invoke %s model %s status %d %s", reqs[1].Path, reqs[1].Model, reqs[1].Status, reqs[1].ErrorCode)
	}
	// The model behind the ARN was learned, so its beta went along and Bedrock accepted it.
	mustContain(t, "body", string(reqs[1].Body), "context-1m-2025-08-07")
}

// Each row of the error table, produced by the emulator's faults.
func TestSimErrorTable(t *testing.T) {
	tests := []struct {
		name     string
		faults   string
		model    string
		denied   bool
		kind     llm.ErrorKind // ErrUnknown: success expected
		attempts int
		notices  []llm.NoticeKind
	}{
		{"throttle then success", `[{"fault":"throttle","times":2}]`, "", false, llm.ErrUnknown, 3,
			[]llm.NoticeKind{llm.NoticeRetry, llm.NoticeRetry}},
		{"5xx then success", `[{"fault":"server_error"},{"fault":"server_error","status":503},{"fault":"server_error","status":408},{"fault":"server_error","status":424}]`,
			"", false, llm.ErrUnknown, 5, []llm.NoticeKind{llm.NoticeRetry, llm.NoticeRetry, llm.NoticeRetry, llm.NoticeRetry}},
		{"throttled out", `[{"fault":"throttle","times":5}]`, "", false, llm.ErrThrottled, 3,
			[]llm.NoticeKind{llm.NoticeRetry, llm.NoticeRetry}},
		{"overflow", `[{"fault":"validation","message":"Input is too long for requested model."}]`, "", false, llm.ErrContextOverflow, 1, nil},
		{"quota", `[{"fault":"error","status":400,"code":"ServiceQuotaExceededException","message":"quota"}]`, "", false, llm.ErrThrottled, 1, nil},
		{"cut", `[{"fault":"cut","after_events":3}]`, "", false, llm.ErrUnknown, 2, []llm.NoticeKind{llm.NoticeRestart}},
		{"reset", `[{"fault":"cut","after_events":2,"reset":true}]`, "", false, llm.ErrUnknown, 2, []llm.NoticeKind{llm.NoticeRestart}},
		{"exception frame", `[{"fault":"exception","after_events":2,"exception":"modelStreamErrorException"}]`, "", false, llm.ErrUnknown, 2,
			[]llm.NoticeKind{llm.NoticeRestart}},
		{"stall", `[{"fault":"stall","ms":5000,"after_events":2}]`, "", false, llm.ErrUnknown, 2, []llm.NoticeKind{llm.NoticeRestart}},
		{"stall before headers", `[{"fault":"stall","ms":5000}]`, "", false, llm.ErrUnknown, 2, []llm.NoticeKind{llm.NoticeRetry}},
		{"gateway rewrote the stream", `[{"fault":"content_type","content_type":"application/json"}]`, "", false, llm.ErrConfig, 1, nil},
		{"access denied", `[]`, "us." + baseSonnet, true, llm.ErrAccessDenied, 1, nil},
		{"unknown model", `[]`, "us.anthropic.claude-imaginary-v9", false, llm.ErrNotFound, 1, nil},
		{"on-demand base ID", `[]`, baseSonnet, false, llm.ErrUnknown, 2, []llm.NoticeKind{llm.NoticeWarning}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t)
			e.keys(simKey1, simSecret1, "")
			e.set("CLAUDE_CODE_MAX_RETRIES", "2")
			if tt.name == "5xx then success" {
				e.set("CLAUDE_CODE_MAX_RETRIES", "4")
			}
			if tt.model != "" {
				e.set("ANTHROPIC_MODEL", tt.model)
			}
			cfg := bedrocksim.Config{Keys: []bedrocksim.Credential{{AccessKeyID: simKey1, SecretAccessKey: simSecret1}},
				Script: simScript(t, `{"turns":[{"faults":`+tt.faults+`,"content":"finally"}],"on_exhausted":"echo"}`)}
			if tt.denied {
				cfg.Denied = []string{"anthropic.claude-sonnet-4-5-20250929-v1:0"}
			}
			srv := startSim(t, cfg)
			c := simClient(t, e, srv, "", SettingsView{}, nil, func(c *Config) {
				if strings.HasPrefix(tt.name, "stall") { // short only where they must fire
					c.StreamIdleTimeout = 150 * time.Millisecond
					c.RequestTimeout = 300 * time.Millisecond
				}
			})
			n := &notices{}
			var acc llm.Accumulator
			text, err := "", error(nil)
			if st, serr := c.Stream(n.ctx(context.Background()), simpleRequest("hi")); serr != nil {
				err = serr
			} else if resp, derr := drainInto(t, st, &acc); derr != nil {
				err = derr
			} else {
				text = resp.Message().Text()
			}
			if tt.kind == llm.ErrUnknown {
				if err != nil {
					t.Fatalf("%v\n%s", err, n.text())
				}
				if text != "finally" {
					t.Errorf("text %q", text)
				}
			} else if got := llm.KindOf(err); got != tt.kind {
				t.Fatalf("kind %v, want %v: %v", got, tt.kind, err)
			}
			invokes := 0
			for _, r := range srv.Requests() {
				if strings.HasPrefix(r.Operation, "Invoke") {
					invokes++
				}
			}
			if invokes != tt.attempts {
				t.Errorf("%d invocations, want %d", invokes, tt.attempts)
			}
			if got := n.kinds(); len(got) != len(tt.notices) || (len(got) > 0 && !equalKinds(got, tt.notices)) {
				t.Errorf("notices %v, want %v\n%s", got, tt.notices, n.text())
			}
			// A stream cut after message_start was billed: the restart event in the stream
			// carries the usage, so the reader counts both attempts.
			if tt.name == "cut" || tt.name == "exception frame" {
				final := acc.Response().Usage.TotalInput()
				if billed := acc.Billed().TotalInput(); final == 0 || billed != 2*final {
					t.Errorf("billed input %d, want both attempts' %d", billed, 2*final)
				}
			}
		})
	}
}

func equalKinds(a, b []llm.NoticeKind) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}

// Credentials that expire (the emulator refuses the key after N requests) are refreshed with
// awsCredentialExport, which hands out the second key; with a key that stays refused the
// client reports after one refresh instead of looping.
func TestSimExpiryAndExportRefresh(t *testing.T) {
	for _, stuck := range []bool{false, true} {
		name := map[bool]string{false: "refreshed", true: "still expired"}[stuck]
		t.Run(name, func(t *testing.T) {
			e := newTestEnv(t)
			second := exportJSONFor(simKey2, simSecret2, "")
			if stuck {
				second = exportJSONFor(simKey1, simSecret1, "")
			}
			cmd, counter := countingExport(t, e.dir, exportJSONFor(simKey1, simSecret1, ""), second)
			srv := startSim(t, bedrocksim.Config{Keys: exportedKeys()})
			c := simClient(t, e, srv, "", SettingsView{AWSCredentialExport: cmd}, nil, nil)
			if _, err := ask(t, context.Background(), c, "one"); err != nil {
				t.Fatal(err)
			}
			_, err := ask(t, context.Background(), c, "two")
			if stuck {
				if llm.KindOf(err) != llm.ErrCredentials {
					t.Fatalf("error %v", err)
				}
				mustContain(t, "error", err.Error(), "Even after refreshing them", "ExpiredTokenException")
				if runs(t, counter) != 2 || len(srv.Requests()) != 3 {
					t.Errorf("export runs %d, requests %d: want 2 and 3 (no loop)", runs(t, counter), len(srv.Requests()))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			reqs := srv.Requests()
			if len(reqs) != 3 || reqs[1].ErrorCode != "ExpiredTokenException" || reqs[2].AccessKeyID != simKey2 {
				t.Errorf("requests: %d, %q, %q", len(reqs), reqs[1].ErrorCode, reqs[2].AccessKeyID)
			}
		})
	}
}

// The script expires the credentials; awsAuthRefresh (showing its output) writes the other
// key pair into the credentials file and the configuration is loaded again.
func TestSimAuthRefreshReloadsProfile(t *testing.T) {
	e := newTestEnv(t)
	e.set("AWS_PROFILE", "work")
	credsFile := e.write("aws-credentials", "[work]\naws_access_key_id = "+simKey1+"\naws_secret_access_key = "+simSecret1+"\n")
	refresh := script(t, e.dir, "login.sh", "echo 'Open https://device.sso.example.com and enter ABCD-EFGH'\n"+
		"printf '[work]\\naws_access_key_id = "+simKey2+"\\naws_secret_access_key = "+simSecret2+"\\naws_session_token = "+simToken2+"\\n' > "+credsFile+"\n"+
		"echo 'Successfully logged in'\n")
	srv := startSim(t, bedrocksim.Config{
		Keys:   []bedrocksim.Credential{{AccessKeyID: simKey1, SecretAccessKey: simSecret1}, {AccessKeyID: simKey2, SecretAccessKey: simSecret2, SessionToken: simToken2}},
		Script: simScript(t, `{"turns":[{"content":"first"},{"faults":[{"fault":"expire_credentials"}],"content":"second"}]}`)})
	var stderr bytes.Buffer
	c := simClient(t, e, srv, "", SettingsView{AWSAuthRefresh: refresh}, &Options{Stderr: &stderr}, nil)
	for _, want := range []string{"first", "second"} {
		if text, err := ask(t, context.Background(), c, "q"); err != nil || text != want {
			t.Fatalf("text %q err %v", text, err)
		}
	}
	mustContain(t, "refresh output", stderr.String(), "ABCD-EFGH", "Successfully logged in")
	reqs := srv.Requests()
	if len(reqs) != 3 || reqs[2].AccessKeyID != simKey2 {
		t.Errorf("requests %d; the last must use the refreshed key", len(reqs))
	}
}

// Concurrent requests failing on expired credentials share one refresh (counted by the
// commands themselves).
func TestSimConcurrentRefresh(t *testing.T) {
	e := newTestEnv(t)
	cmd, counter := countingExport(t, e.dir, exportJSONFor(simKey1, simSecret1, ""), exportJSONFor(simKey2, simSecret2, ""))
	authRuns := filepath.Join(e.dir, "auth-runs")
	auth := script(t, e.dir, "auth.sh", "sleep 0.1\necho run >> "+authRuns+"\n")
	srv := startSim(t, bedrocksim.Config{Keys: exportedKeys()})
	c := simClient(t, e, srv, "", SettingsView{AWSCredentialExport: cmd, AWSAuthRefresh: auth}, nil, nil)
	if _, err := ask(t, context.Background(), c, "warm up"); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := ask(t, context.Background(), c, "together"); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := runs(t, counter); got != 2 {
		t.Errorf("awsCredentialExport ran %d times, want 2", got)
	}
	if b := readFile(t, authRuns); strings.Count(b, "run") != 1 {
		t.Errorf("awsAuthRefresh runs: %q", b)
	}
}

// exportedKeys are the emulator's side of exportJSONFor(simKey1…) and (simKey2…): the first
// expires after one request.
func exportedKeys() []bedrocksim.Credential {
	return []bedrocksim.Credential{
		{AccessKeyID: simKey1, SecretAccessKey: simSecret1, SessionToken: "tok-" + simKey1, ExpireAfterRequests: 1},
		{AccessKeyID: simKey2, SecretAccessKey: simSecret2, SessionToken: "tok-" + simKey2}}
}

func readFile(t *testing.T, path string) string {
	b, _ := os.ReadFile(path)
	return string(b)
}

// Thinking blocks come back unchanged in the next request (B34): the emulator checks their
// signatures. A cache breakpoint moved forward reads the previous turn's prefix.
func TestSimThinkingRoundTripAndCache(t *testing.T) {
	e := newTestEnv(t)
	e.keys(simKey1, simSecret1, "")
	srv := startSim(t, bedrocksim.Config{Keys: []bedrocksim.Credential{{AccessKeyID: simKey1, SecretAccessKey: simSecret1}},
		Script: simScript(t, `{"turns":[
			{"content":[{"type":"thinking","thinking":"I should list the files."},{"type":"tool_use","name":"Bash","input":{"command":"ls"}}]},
			{"when":{"tool_result_contains":"main.go"},"content":"There is a main.go."}]}`)})
	c := simClient(t, e, srv, "", SettingsView{}, nil, nil)
	long := strings.Repeat("Project rules: be careful and precise. ", 400)
	req := &llm.Request{MaxTokens: 4096, Thinking: &llm.Thinking{Type: "enabled", BudgetTokens: 2048},
		System:   []llm.ContentBlock{llm.TextBlock(long)},
		Tools:    []llm.Tool{{Name: "Bash", Description: "Run a command", InputSchema: json.RawMessage(`{"type":"object"}`)}},
		Messages: []llm.Message{{Role: llm.RoleUser, Content: []llm.ContentBlock{llm.TextBlock("list the files")}}}}
	s, err := c.Stream(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	first, err := drain(t, s)
	if err != nil {
		t.Fatal(err)
	}
	if first.StopReason != llm.StopToolUse || first.Content[0].Type != llm.TypeThinking || first.Content[0].Signature == "" {
		t.Fatalf("first answer %+v", first)
	}
	tu := first.Message().ToolUses()[0]
	req.Messages = append(req.Messages, first.Message(),
		llm.Message{Role: llm.RoleUser, Content: []llm.ContentBlock{llm.ToolResultBlock(tu.ID, "main.go\ngo.mod", false)}})
	s, err = c.Stream(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	second, err := drain(t, s)
	if err != nil {
		t.Fatalf("second turn: %v", err)
	}
	if second.Message().Text() != "There is a main.go." {
		t.Errorf("second answer %q", second.Message().Text())
	}
	if first.Usage.CacheCreationInputTokens == 0 || second.Usage.CacheReadInputTokens == 0 {
		t.Errorf("cache: first wrote %d, second read %d", first.Usage.CacheCreationInputTokens, second.Usage.CacheReadInputTokens)
	}
}

// B15 across everything the client produces: errors, notices, refresh output, Config output
// and the emulator's request records never show a secret — not even one Bedrock echoes back,
// or one a misconfigured awsAuthRefresh prints.
func TestSimSecretsNeverShown(t *testing.T) {
	e := newTestEnv(t)
	e.set("ANTHROPIC_CUSTOM_HEADERS", "X-Gateway-Api-Key: gw-secret-value-000001")
	cmd, _ := countingExport(t, e.dir, exportJSONFor(simKey1, simSecret1, ""), exportJSONFor(simKey2, simSecret2, ""))
	refresh := script(t, e.dir, "auth.sh", "echo 'refreshing'\necho '"+exportJSONFor(simKey2, simSecret2, "")+"'\n"+
		"echo 'aws_secret_access_key = "+simSecret2+"' >&2\n")
	var log bytes.Buffer
	srv := startSim(t, bedrocksim.Config{Log: &log,
		Keys: []bedrocksim.Credential{
			{AccessKeyID: simKey1, SecretAccessKey: simSecret1, SessionToken: "tok-" + simKey1, ExpireAfterRequests: 1},
			{AccessKeyID: simKey2, SecretAccessKey: simSecret2, SessionToken: "tok-" + simKey2, ExpireAfterRequests: 1}},
		Script: simScript(t, `{"turns":[{"content":"a"},{"faults":[{"fault":"validation","message":"bad key `+simSecret1+` tok-`+simKey1+`"}],"content":"b"}],"on_exhausted":"echo"}`)})
	var stderr bytes.Buffer
	c := simClient(t, e, srv, "", SettingsView{AWSCredentialExport: cmd, AWSAuthRefresh: refresh}, &Options{Stderr: &stderr}, nil)
	n := &notices{}
	ctx := n.ctx(context.Background())
	var texts []string
	for range 4 {
		if _, err := ask(t, ctx, c, "q"); err != nil {
			texts = append(texts, err.Error())
		}
	}
	if len(texts) < 2 {
		t.Fatalf("expected errors to scan, got %q", texts)
	}
	texts = append(texts, n.text(), stderr.String(), log.String(), fmtAll(c.Config()))
	for _, r := range srv.Requests() {
		texts = append(texts, strings.Join(r.Header.Values("Authorization"), " "),
			strings.Join(r.Header.Values("X-Amz-Security-Token"), " "), strings.Join(r.Header.Values("X-Gateway-Api-Key"), " "))
	}
	all := strings.Join(texts, "\n")
	mustNotContain(t, "output", all, simSecret1, simSecret2, "gw-secret-value-000001", "tok-"+simKey1, "tok-"+simKey2)
	mustContain(t, "output", all, "refreshing", "bad key", "Even after refreshing them")
}

func fmtAll(c *Config) string {
	var b strings.Builder
	for _, f := range c.Describe() {
		b.WriteString(f.Label + ": " + f.Value + "\n")
	}
	return b.String() + c.String()
}

// Streams read at the same time through one client keep their events apart (the SDK shares
// one event decoder per client unless each stream gets its own; see ownDecoder).
func TestSimConcurrentStreams(t *testing.T) {
	e := newTestEnv(t)
	e.keys(simKey1, simSecret1, "")
	srv := startSim(t, bedrocksim.Config{Keys: []bedrocksim.Credential{{AccessKeyID: simKey1, SecretAccessKey: simSecret1}},
		Latency: bedrocksim.Latency{PerToken: time.Millisecond}})
	c := simClient(t, e, srv, "", SettingsView{}, nil, nil)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			prompt := strings.Repeat("word"+strconv.Itoa(i)+" ", 20)
			text, err := ask(t, context.Background(), c, prompt)
			if err != nil || text != "echo: "+strings.TrimSpace(prompt) && text != "echo: "+prompt {
				t.Errorf("stream %d: %q, %v", i, text, err)
			}
		}()
	}
	wg.Wait()
}

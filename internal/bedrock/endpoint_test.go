package bedrock

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/llm"
)

func TestEndpointOf(t *testing.T) {
	for _, tt := range []struct {
		base string
		kind endpointKind
		host string
	}{
		{"", endpointAWS, ""},
		{"https://bedrock-runtime.us-east-1.amazonaws.com", endpointAWS, "bedrock-runtime.us-east-1.amazonaws.com"},
		{"https://vpce-0abc.bedrock-runtime.eu-west-1.vpce.amazonaws.com", endpointAWS, "vpce-0abc.bedrock-runtime.eu-west-1.vpce.amazonaws.com"},
		{"https://gateway.example.com/bedrock", endpointGateway, "gateway.example.com"},
		{"http://10.0.0.5:4000", endpointGateway, "10.0.0.5:4000"},
		{"http://127.0.0.1:8080", endpointLocal, "127.0.0.1:8080"},
		{"http://localhost:4000/proxy", endpointLocal, "localhost:4000"},
		{"http://[::1]:9000", endpointLocal, "[::1]:9000"},
		// unparseable, with a secret in it: never repeated in messages
		{"http://user:s3cret@%zz/x", endpointGateway, "the ANTHROPIC_BEDROCK_BASE_URL gateway"},
	} {
		if got := endpointOf(tt.base); got.kind != tt.kind || got.host != tt.host {
			t.Errorf("endpointOf(%q) = %+v, want kind %d host %q", tt.base, got, tt.kind, tt.host)
		}
	}
}

// TestAdviceFitsTheEndpoint: when a refused connection exhausts the retries, the final error
// names the endpoint in a few words (not the SDK's `Post "http://…` chain) and the advice
// fits who answers: a local server, a gateway, or AWS itself.
func TestAdviceFitsTheEndpoint(t *testing.T) {
	addr := closedAddress(t)
	for _, tt := range []struct {
		base          string
		want, notWant []string
	}{
		{"http://" + addr, []string{"at the local endpoint " + addr, "is the local server", addr + ": connection refused"},
			[]string{"Health Dashboard", `Post "`}},
	} {
		t.Run(tt.base, func(t *testing.T) {
			e := newTestEnv(t)
			e.keys("AKIDENDPOINTTEST0001", "endpoint-secret", "")
			e.set("CLAUDE_CODE_MAX_RETRIES", "1")
			e.set("ANTHROPIC_BEDROCK_BASE_URL", tt.base)
			c, err := New(context.Background(), e.config(SettingsView{}), fastOptions(nil))
			if err != nil {
				t.Fatal(err)
			}
			var seen notices
			_, err = ask(t, seen.ctx(context.Background()), c, "hello")
			var le *llm.Error
			if !errors.As(err, &le) || le.Kind != llm.ErrTransient {
				t.Fatalf("err = %v, want a transient *llm.Error", err)
			}
			text := le.Message + "\n" + le.Fix
			mustContain(t, "the final error", text, tt.want...)
			for _, no := range tt.notWant {
				if strings.Contains(text, no) {
					t.Errorf("the final error says %q:\n%s", no, text)
				}
			}
			if k := seen.kinds(); len(k) != 1 || k[0] != llm.NoticeRetry {
				t.Errorf("notices %v, want one retry", k)
			} else if text := seen.list[0].Text; text != addr+": connection refused" {
				t.Errorf("the retry notice says %q", text)
			}
		})
	}
}

// TestRetryNoticeNamesTheEndpoint: a retry's short text names the server that failed and
// how, before the SDK's long message.
func TestRetryNoticeNamesTheEndpoint(t *testing.T) {
	e := newTestEnv(t)
	e.keys("AKIDENDPOINTTEST0001", "endpoint-secret", "")
	e.set("CLAUDE_CODE_MAX_RETRIES", "1")
	e.set("ANTHROPIC_MODEL", "us."+baseSonnet)
	f := newFake(t, false, errorReply(503, "ServiceUnavailableException", "try later"))
	c := fakeClient(t, e, f, SettingsView{}, nil)
	var seen notices
	if _, err := ask(t, seen.ctx(context.Background()), c, "hi"); err == nil {
		t.Fatal("no error")
	}
	host := strings.TrimPrefix(f.srv.URL, "http://")
	if len(seen.list) != 1 || seen.list[0].Text != host+": 503 ServiceUnavailableException: try later" {
		t.Errorf("notices %+v", seen.list)
	}
}

// TestAdviceForEachEndpoint: the advice for AWS names its dashboard and quotas, a gateway's
// names the gateway, a failure to connect blames the connection first.
func TestAdviceForEachEndpoint(t *testing.T) {
	f := failure{class: classTransient, err: &net.OpError{Op: "dial", Err: errRefused{}}}
	fix := endpointOf("").transientFix("eu-west-1", f)
	mustContain(t, "the AWS fix", fix, "network connection", "AWS Health Dashboard", "eu-west-1")
	mustContain(t, "the AWS throttle fix", endpointOf("").throttleFix(), "Service Quotas")
	down := failure{class: classTransient, err: &net.DNSError{Err: "no such host", Name: "gw.example.com", IsNotFound: true}}
	mustContain(t, "the gateway fix", endpointOf("https://gw.example.com/x").transientFix("us-east-1", down),
		"gateway at gw.example.com cannot be reached", "ANTHROPIC_BEDROCK_BASE_URL")
	mustContain(t, "the gateway fix", endpointOf("https://gw.example.com/x").transientFix("us-east-1", failure{class: classTransient}),
		"gw.example.com (ANTHROPIC_BEDROCK_BASE_URL) kept failing")
	mustContain(t, "the gateway throttle fix", endpointOf("https://gw.example.com").throttleFix(), "gw.example.com", "operator")
	if fix := endpointOf("").transientFix("eu-west-1", failure{class: classTransient}); strings.Contains(fix, "network") {
		t.Errorf("a 500 from AWS blames the network: %s", fix)
	}
}

type errRefused struct{}

func (errRefused) Error() string { return "connection refused" }

// closedAddress is a loopback address nothing listens on.
func closedAddress(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

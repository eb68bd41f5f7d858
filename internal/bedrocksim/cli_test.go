package bedrocksim_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"

	"github.com/strata-agent/strata/internal/bedrocksim"
)

// syncBuffer is a goroutine-safe stderr.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRunCommandServes(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "s.json")
	os.WriteFile(script, []byte(`{"turns": [{"content": "scripted"}]}`), 0o644)
	cert, logFile, urlFile := filepath.Join(dir, "ca.pem"), filepath.Join(dir, "log.jsonl"), filepath.Join(dir, "url")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	outR, outW := io.Pipe()
	var stderr syncBuffer
	done := make(chan int)
	go func() {
		done <- bedrocksim.RunCommand(ctx, []string{"--key", testAKID + ":" + testSecret + ":" + testToken,
			"--cert-out", cert, "--script", script, "--log", logFile, "--url-out", urlFile, "--region", "eu-west-1"}, outW, &stderr)
		outW.Close()
	}()
	url, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		t.Fatalf("no URL: %v (stderr %s)", err, stderr.String())
	}
	url = strings.TrimSpace(url)
	if written, _ := os.ReadFile(urlFile); strings.TrimSpace(string(written)) != url || !strings.HasPrefix(url, "https://127.0.0.1:") {
		t.Errorf("URL %q, URL file %q", url, written)
	}
	pemBytes, err := os.ReadFile(cert)
	if err != nil {
		t.Fatal(err)
	}
	rt := bedrockruntime.New(bedrockruntime.Options{BaseEndpoint: aws.String(url), Region: "eu-west-1",
		Credentials: credentials.NewStaticCredentialsProvider(testAKID, testSecret, testToken),
		HTTPClient:  httpClientPEM(pemBytes), Retryer: noDelayRetryer(1)})
	resp, err := invoke(rt, "eu.anthropic.claude-sonnet-4-5-20250929-v1:0", body(nil))
	if err != nil || textOf(resp) != "scripted" {
		t.Fatalf("%v %v", resp, err)
	}
	cancel()
	if code := <-done; code != bedrocksim.ExitOK {
		t.Errorf("exit %d, stderr %s", code, stderr.String())
	}
	data, _ := os.ReadFile(logFile)
	var line map[string]any
	if json.Unmarshal(bytes.TrimSpace(data), &line) != nil || line["operation"] != "InvokeModel" || bytes.Contains(data, []byte(testSecret)) || bytes.Contains(data, []byte(testToken)) {
		t.Errorf("log %s", data)
	}
}

func TestRunCommandRefuses(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte("{\n  \"turns\": [{\"contents\": 1}]\n}"), 0o644)
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--no-auth", "--script", bad}, bedrocksim.ExitUsage, bad + `:2:14: unknown field "contents" in turn 1`},
		{[]string{"--key", "justanid"}, bedrocksim.ExitUsage, "--key number 1 is not of the form AKID:SECRET[:TOKEN]"},
		{[]string{"--key", "AKID:" + testSecret, "--key", "AKID:" + testSecret}, bedrocksim.ExitError, "configured twice"},
		{[]string{}, bedrocksim.ExitUsage, "no way to authenticate"},
		{[]string{"--no-auth", "--addr", "192.0.2.1:0"}, bedrocksim.ExitError, "not a loopback address"},
		{[]string{"--no-auth", "--deny-operation", "Converse"}, bedrocksim.ExitUsage, `--deny-operation "Converse"`},
		{[]string{"--no-auth", "--app-profile", "x"}, bedrocksim.ExitUsage, "not of the form ARN=MODEL"},
		{[]string{"--no-auth", "extra"}, bedrocksim.ExitUsage, `unexpected argument "extra"`},
		{[]string{"--nope"}, bedrocksim.ExitUsage, "flag provided but not defined: -nope"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := bedrocksim.RunCommand(context.Background(), tt.args, &stdout, &stderr)
		if code != tt.code || !strings.Contains(stderr.String(), tt.want) || stdout.Len() != 0 {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, code, stderr.String(), tt.code, tt.want)
		}
		if strings.Contains(stderr.String(), testSecret) {
			t.Errorf("%v: the secret is in the error", tt.args)
		}
	}
}

// TestHelpDocumentsEveryFlag: --help names every flag and exits 0 with the help on stdout.
func TestHelpDocumentsEveryFlag(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := bedrocksim.RunCommand(context.Background(), []string{"--help"}, &stdout, &stderr); code != bedrocksim.ExitOK {
		t.Fatalf("exit %d", code)
	}
	for _, flagName := range []string{"addr", "region", "tls", "cert-out", "key", "key-expire-after", "key-expires-in", "bearer",
		"no-auth", "script", "deny", "deny-control-plane", "deny-operation", "app-profile", "latency-first-byte",
		"latency-per-token", "log", "path-prefix", "page-size", "account-id", "url-out"} {
		if !strings.Contains(stdout.String(), "  --"+flagName+" ") && !strings.Contains(stdout.String(), "  --"+flagName+"\n") {
			t.Errorf("--help does not document --%s", flagName)
		}
	}
	doc, err := os.ReadFile("../../docs/bedrocksim.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(stdout.String(), "\n") {
		if f, ok := strings.CutPrefix(line, "  --"); ok {
			name, _, _ := strings.Cut(f, " ")
			if !bytes.Contains(doc, []byte("--"+name)) {
				t.Errorf("docs/bedrocksim.md does not document --%s", name)
			}
		}
	}
}

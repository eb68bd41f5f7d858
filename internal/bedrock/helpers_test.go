package bedrock

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/llm"
)

// fastOptions are client options for tests: the fake's HTTP client and millisecond backoff.
func fastOptions(f *fakeBedrock) Options {
	o := Options{BackoffBase: time.Millisecond, BackoffMax: 4 * time.Millisecond}
	if f != nil {
		o.HTTPClient = f.srv.Client()
	}
	return o
}

// fakeClient builds a client whose requests go to f.
func fakeClient(t *testing.T, e *testEnv, f *fakeBedrock, s SettingsView, adjust func(*Config)) *Client {
	t.Helper()
	e.set("ANTHROPIC_BEDROCK_BASE_URL", f.srv.URL)
	cfg := e.config(s)
	if adjust != nil {
		adjust(cfg)
	}
	c, err := New(context.Background(), cfg, fastOptions(f))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// simpleRequest is a one-message request.
func simpleRequest(text string) *llm.Request {
	return &llm.Request{MaxTokens: 1000, Messages: []llm.Message{{Role: llm.RoleUser,
		Content: []llm.ContentBlock{llm.TextBlock(text)}}}}
}

// drain reads a stream to the end and returns the accumulated answer.
func drain(t testing.TB, s llm.Stream) (*llm.Response, error) {
	t.Helper()
	var acc llm.Accumulator
	return drainInto(t, s, &acc)
}

// drainInto is drain with the caller's Accumulator, which keeps what the stream was billed.
func drainInto(t testing.TB, s llm.Stream, acc *llm.Accumulator) (*llm.Response, error) {
	t.Helper()
	defer s.Close()
	for {
		ev, err := s.Recv()
		if errors.Is(err, io.EOF) {
			if !acc.Done() {
				t.Fatalf("EOF before message_stop")
			}
			return acc.Response(), nil
		}
		if err != nil {
			return nil, err
		}
		if err := acc.Add(ev); err != nil {
			t.Fatalf("accumulating %s: %v", ev.Type, err)
		}
	}
}

// ask streams a simple request and returns the answer's text or the error.
func ask(t testing.TB, ctx context.Context, c *Client, text string) (string, error) {
	t.Helper()
	s, err := c.Stream(ctx, simpleRequest(text))
	if err != nil {
		return "", err
	}
	resp, err := drain(t, s)
	if err != nil {
		return "", err
	}
	return resp.Message().Text(), nil
}

// mustContain fails unless every part appears in s.
func mustContain(t testing.TB, what, s string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(s, p) {
			t.Errorf("%s does not contain %q:\n%s", what, p, s)
		}
	}
}

// mustNotContain fails if any secret appears in s.
func mustNotContain(t testing.TB, what, s string, secrets ...string) {
	t.Helper()
	for _, p := range secrets {
		if p != "" && strings.Contains(s, p) {
			t.Errorf("%s leaks %q:\n%s", what, p, s)
		}
	}
}

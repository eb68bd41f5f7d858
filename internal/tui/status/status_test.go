package status

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/strata-agent/strata/internal/agent"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tui/look"
)

func TestDescribeRetry(t *testing.T) {
	tests := []struct {
		n    llm.Notice
		want string
	}{
		{llm.Notice{Attempt: 2, MaxAttempts: 11, Delay: 4 * time.Second, Err: &llm.Error{Kind: llm.ErrThrottled}}, "throttled, retrying in 4s (2/10)"},
		{llm.Notice{Attempt: 1, MaxAttempts: 3, Delay: 500 * time.Millisecond, Err: errors.New("503 ServiceUnavailable\nmore")}, "503 ServiceUnavailable, retrying in 0.5s (1/2)"},
		{llm.Notice{Attempt: 1, Delay: time.Second}, "the request failed, retrying in 1s (1/1)"},
		{llm.Notice{Attempt: 1, MaxAttempts: 3, Delay: time.Second, Err: &llm.Error{Kind: llm.ErrThrottled},
			Text: "gw.example.com: 429 ThrottlingException: slow down"}, "gw.example.com: 429 ThrottlingException: slow down, retrying in 1s (1/2)"},
		{llm.Notice{Attempt: 3, MaxAttempts: 11, Delay: 8 * time.Second, Err: fmt.Errorf("bedrock: %w", &url.Error{Op: "Post",
			URL: "http://127.0.0.1:43127/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream",
			Err: &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}})},
			"127.0.0.1:43127: connection refused, retrying in 8s (3/10)"},
	}
	for _, tt := range tests {
		if got := describeRetry(&tt.n, tt.n.Delay); got != tt.want {
			t.Errorf("describeRetry = %q, want %q", got, tt.want)
		}
	}
}

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newStatus() (*Status, *clock) {
	c := &clock{time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)}
	price := func(_ string, u llm.Usage) (float64, bool) { return float64(u.InputTokens+u.OutputTokens) / 1e5, true }
	return New(look.NewStyles(), price, c.now), c
}

func stream(s *Status, ev llm.Event) { s.OnEvent(agent.Event{Kind: agent.EventStream, Stream: &ev}) }

func TestStatusLineFollowsATurn(t *testing.T) {
	s, c := newStatus()
	if s.View(false, 80) != "" {
		t.Fatal("an idle status shows a line")
	}
	s.Begin("Working")
	stream(s, llm.Event{Type: llm.EventMessageStart, Message: &llm.Response{Usage: llm.Usage{InputTokens: 1200}}})
	stream(s, llm.Event{Type: llm.EventContentBlockDelta, Delta: &llm.Delta{Type: llm.DeltaText, Text: "12345678"}})
	c.t = c.t.Add(3 * time.Second)
	if got := ansi.Strip(s.View(false, 80)); !strings.Contains(got, "Working… (3s · ↑ 1.2k · ↓ 2 tokens · esc to interrupt)") {
		t.Errorf("status line %q", got)
	}
	s.OnEvent(agent.Event{Kind: agent.EventNotice, Notice: &llm.Notice{Kind: llm.NoticeRetry, Attempt: 1, MaxAttempts: 3, Delay: time.Second}})
	if got := ansi.Strip(s.View(false, 80)); !strings.Contains(got, "retrying in 1s") {
		t.Errorf("status line %q", got)
	}
	if got := ansi.Strip(s.View(true, 80)); !strings.Contains(got, "Waiting for your answer…") {
		t.Errorf("status line with a dialog %q", got)
	}
	s.End()
	if s.View(false, 80) != "" {
		t.Error("the line stays after the end")
	}
}

func TestFooterShowsModelModeCostAndContext(t *testing.T) {
	s, _ := newStatus()
	s.SetModel("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/team", "", 200_000)
	s.SetMode(permission.ModePlan)
	if got := ansi.Strip(s.Footer("", 120)); got != "  team · ⏸ plan mode (shift+tab) · $0.0000 estimated" {
		t.Errorf("footer %q", got)
	}
	stream(s, llm.Event{Type: llm.EventMessageStart, Message: &llm.Response{Usage: llm.Usage{InputTokens: 50_000}}})
	s.OnEvent(agent.Event{Kind: agent.EventAssistant, Model: "m", Assistant: &llm.Response{Usage: llm.Usage{InputTokens: 50_000, OutputTokens: 1000}}})
	if got := ansi.Strip(s.Footer("", 120)); !strings.Contains(got, "$0.5100 estimated · 25% of context used") {
		t.Errorf("footer %q", got)
	}
	if got := ansi.Strip(s.Footer("Press Ctrl-C again to exit", 120)); got != "Press Ctrl-C again to exit" {
		t.Errorf("footer with a hint %q", got)
	}
	s.ResetUsage(nil, true)
	if got := ansi.Strip(s.Footer("", 120)); strings.Contains(got, "context") || !strings.Contains(got, "$0.0000") {
		t.Errorf("footer of a new conversation %q", got)
	}
}

// TestRetryCountsDown: the status line's retry notice says how long is left, not the delay
// it was given.
func TestRetryCountsDown(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := New(look.NewStyles(), nil, func() time.Time { return now })
	s.Begin("Working")
	s.OnEvent(agent.Event{Kind: agent.EventNotice, Notice: &llm.Notice{Kind: llm.NoticeRetry, Attempt: 1, MaxAttempts: 3,
		Delay: 10 * time.Second, Err: &llm.Error{Kind: llm.ErrThrottled}}})
	now = now.Add(3 * time.Second)
	if got := ansi.Strip(s.View(false, 80)); !strings.Contains(got, "throttled, retrying in 7s (1/2)") {
		t.Errorf("status line %q", got)
	}
}

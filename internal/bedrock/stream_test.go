package bedrock

import (
	"context"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/llm"
)

func TestStreamEvents(t *testing.T) {
	e := newTestEnv(t)
	e.keys(envKey, envSecret, "")
	f := newFake(t, false, streamReply(append(textEvents("hello"), `{"type":"ping"}`)...))
	c := fakeClient(t, e, f, SettingsView{}, nil)
	s, err := c.Stream(context.Background(), simpleRequest("hi"))
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	var last llm.Event
	for {
		ev, err := s.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		types = append(types, ev.Type)
		last = ev
	}
	want := []string{"message_start", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"}
	if !reflect.DeepEqual(types, want) {
		t.Errorf("events %q, want %q (nothing after message_stop)", types, want)
	}
	if last.Metrics == nil || last.Metrics.OutputTokenCount != 5 {
		t.Errorf("message_stop metrics %+v", last.Metrics)
	}
	if _, err := s.Recv(); !errors.Is(err, io.EOF) {
		t.Errorf("Recv after the end: %v, want io.EOF", err)
	}
}

// Transient failures before or during a stream are retried with notices; the consumer sees a
// fresh message_start after a restart (B33, table rows "stream cut" and "throttling").
func TestStreamRecovers(t *testing.T) {
	tests := []struct {
		name    string
		replies []reply
		notices []llm.NoticeKind
		starts  int // message_start events the consumer saw
	}{
		{"throttle then success", []reply{errorReply(429, "ThrottlingException", "Too many requests"),
			errorReply(429, "ThrottlingException", "Too many requests"), streamReply(textEvents("done")...)},
			[]llm.NoticeKind{llm.NoticeRetry, llm.NoticeRetry}, 1},
		{"stream cut", []reply{cutReply(3), streamReply(textEvents("done")...)},
			[]llm.NoticeKind{llm.NoticeRestart}, 2},
		{"exception frame", []reply{exceptionReply(2, "modelStreamErrorException", "model failed"), streamReply(textEvents("done")...)},
			[]llm.NoticeKind{llm.NoticeRestart}, 2},
		{"throttle frame", []reply{exceptionReply(4, "throttlingException", "slow down"), streamReply(textEvents("done")...)},
			[]llm.NoticeKind{llm.NoticeRestart}, 2},
		{"anthropic error event", []reply{streamReply(textEvents("x")[0], `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`),
			streamReply(textEvents("done")...)}, []llm.NoticeKind{llm.NoticeRestart}, 2},
		{"stall", []reply{stallReply(2), streamReply(textEvents("done")...)},
			[]llm.NoticeKind{llm.NoticeRestart}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t)
			e.keys(envKey, envSecret, "")
			f := newFake(t, false, tt.replies...)
			c := fakeClient(t, e, f, SettingsView{}, func(c *Config) {
				if tt.name == "stall" { // short only where it must fire: a loaded machine may be slow
					c.StreamIdleTimeout = 100 * time.Millisecond
				}
			})
			n := &notices{}
			s, err := c.Stream(n.ctx(context.Background()), simpleRequest("hi"))
			if err != nil {
				t.Fatal(err)
			}
			var acc llm.Accumulator
			starts := 0
			for {
				ev, err := s.Recv()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatalf("Recv: %v\nnotices:\n%s", err, n.text())
				}
				if ev.Type == llm.EventMessageStart {
					starts++
				}
				if err := acc.Add(ev); err != nil {
					t.Fatal(err)
				}
			}
			if got := acc.Response().Message().Text(); got != "done" {
				t.Errorf("text %q, want %q", got, "done")
			}
			if !reflect.DeepEqual(n.kinds(), tt.notices) {
				t.Errorf("notices %v, want %v:\n%s", n.kinds(), tt.notices, n.text())
			}
			if starts != tt.starts {
				t.Errorf("%d message_start events, want %d", starts, tt.starts)
			}
			for i, x := range n.list {
				if x.Attempt != i+1 || x.MaxAttempts != 11 || x.Delay <= 0 || x.Err == nil {
					t.Errorf("notice %d: attempt %d/%d delay %v err %v", i, x.Attempt, x.MaxAttempts, x.Delay, x.Err)
				}
			}
		})
	}
}

// A stream that keeps failing ends with the final error once the budget is spent; a failure
// that is not transient ends it at once.
func TestStreamGivesUp(t *testing.T) {
	tests := []struct {
		name     string
		reply    reply
		kind     llm.ErrorKind
		attempts int
		want     string
	}{
		{"stalls", stallReply(1), llm.ErrTransient, 3, "sent nothing for 50ms"},
		{"cuts", cutReply(2), llm.ErrTransient, 3, "ended after 2 events"},
		{"validation frame", exceptionReply(1, "validationException", "bad input"), llm.ErrInvalidRequest, 1, "bad input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t)
			e.keys(envKey, envSecret, "")
			e.set("CLAUDE_CODE_MAX_RETRIES", "2")
			f := newFake(t, false, tt.reply)
			c := fakeClient(t, e, f, SettingsView{}, func(c *Config) {
				if tt.name == "stalls" { // short only where it must fire: a loaded machine may be slow
					c.StreamIdleTimeout = 50 * time.Millisecond
				}
			})
			_, err := ask(t, context.Background(), c, "hi")
			if llm.KindOf(err) != tt.kind {
				t.Fatalf("error %v, want kind %v", err, tt.kind)
			}
			mustContain(t, "error", err.Error(), tt.want)
			if got := len(f.recorded()); got != tt.attempts {
				t.Errorf("%d attempts, want %d", got, tt.attempts)
			}
		})
	}
}

// Cancelling the context ends Recv at once and closes the connection.
func TestStreamCancel(t *testing.T) {
	e := newTestEnv(t)
	e.keys(envKey, envSecret, "")
	gone := make(chan struct{})
	f := newFake(t, false, func(w http.ResponseWriter, r *http.Request) {
		stallReply(1)(w, r)
		close(gone)
	})
	c := fakeClient(t, e, f, SettingsView{}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	s, err := c.Stream(ctx, simpleRequest("hi"))
	if err != nil {
		t.Fatal(err)
	}
	if ev, err := s.Recv(); err != nil || ev.Type != llm.EventMessageStart {
		t.Fatalf("first event %v %v", ev.Type, err)
	}
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	if _, err := s.Recv(); !errors.Is(err, context.Canceled) {
		t.Fatalf("Recv after cancel: %v", err)
	}
	select {
	case <-gone:
	case <-time.After(10 * time.Second):
		t.Fatal("the server still holds the connection")
	}
}

// Cancelling during a retry wait stops at once.
func TestRetryWaitRespectsCancel(t *testing.T) {
	e := newTestEnv(t)
	e.keys(envKey, envSecret, "")
	f := newFake(t, false, errorReply(429, "ThrottlingException", "Too many requests"))
	e.set("ANTHROPIC_BEDROCK_BASE_URL", f.srv.URL)
	cfg := e.config(SettingsView{})
	opts := fastOptions(f)
	opts.BackoffBase, opts.BackoffMax = time.Hour, time.Hour
	c, err := New(context.Background(), cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ctx = llm.WithObserver(ctx, func(n llm.Notice) {
		if n.Kind == llm.NoticeRetry {
			cancel()
		}
	})
	if _, err := c.Stream(ctx, simpleRequest("hi")); !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
}

func TestInvoke(t *testing.T) {
	e := newTestEnv(t)
	e.keys(envKey, envSecret, "")
	f := newFake(t, false,
		errorReply(503, "ServiceUnavailableException", "later"),
		jsonReply("application/json", map[string]any{"id": "msg_9", "type": "message", "role": "assistant",
			"model": "m", "content": []any{map[string]any{"type": "text", "text": "a title"}},
			"stop_reason": "end_turn", "usage": map[string]int{"input_tokens": 3, "output_tokens": 2}}))
	c := fakeClient(t, e, f, SettingsView{}, nil)
	resp, err := c.Small().Invoke(context.Background(), simpleRequest("name this"))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Message().Text() != "a title" || resp.StopReason != "end_turn" {
		t.Errorf("response %+v", resp)
	}
	mustContain(t, "body", string(f.recorded()[1].Body), `"max_tokens":1000`)
	big := simpleRequest("long")
	big.MaxTokens = 64000
	if _, err := c.Small().Invoke(context.Background(), big); err != nil {
		t.Fatal(err)
	}
	mustContain(t, "body", string(f.recorded()[2].Body), `"max_tokens":21333`) // non-streaming limit
	paths := f.paths()[:2]
	if len(paths) != 2 || !strings.HasSuffix(paths[1], "/invoke") || !strings.Contains(paths[1], escapeID(c.Config().SmallFastModel)) {
		t.Errorf("paths %q", paths)
	}
}

func TestBackoffDelay(t *testing.T) {
	b := newBackoff(500*time.Millisecond, 8*time.Second)
	for n, ceiling := range map[int]time.Duration{1: 500 * time.Millisecond, 2: time.Second, 4: 4 * time.Second,
		5: 8 * time.Second, 40: 8 * time.Second} {
		for range 20 {
			d := b.delay(n)
			if d < ceiling/2 || d > ceiling {
				t.Errorf("delay(%d) = %v, want within [%v, %v]", n, d, ceiling/2, ceiling)
			}
		}
	}
}

// An alias that reaches the client is resolved, never sent as is.
func TestRequestAliasResolved(t *testing.T) {
	e := newTestEnv(t)
	e.keys(envKey, envSecret, "")
	f := newFake(t, false)
	c := fakeClient(t, e, f, SettingsView{}, nil)
	req := simpleRequest("hi")
	req.Model = "haiku"
	s, err := c.Stream(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := drain(t, s); err != nil {
		t.Fatal(err)
	}
	if p := f.paths()[0]; !strings.Contains(p, "anthropic.claude-haiku") {
		t.Errorf("path %s", p)
	}
}

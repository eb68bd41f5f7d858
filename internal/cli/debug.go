package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/session"
)

// debugLog writes -d/--debug lines to stderr through the session's redactor, so a secret
// that reaches a debug line is masked like everywhere else.
type debugLog struct {
	mu     sync.Mutex
	w      io.Writer
	redact func(string) string
}

func (d *debugLog) printf(format string, args ...any) {
	if d == nil {
		return
	}
	line := d.redact(fmt.Sprintf("strata: debug: "+format, args...))
	d.mu.Lock()
	defer d.mu.Unlock()
	fmt.Fprintln(d.w, line)
}

// wrap logs the requests of a client when debugging is on.
func (d *debugLog) wrap(c llm.Client) llm.Client {
	if d == nil {
		return c
	}
	return debugClient{inner: c, log: d}
}

// debugStart reports what the session runs on: the settings files and the Bedrock
// configuration as /status shows it (never secrets).
func (st *stack) debugStart() {
	d := st.debug
	if d == nil {
		return
	}
	var files []string
	for _, f := range st.settings.Files {
		files = append(files, f.Path)
	}
	if len(files) == 0 {
		files = []string{"none"}
	}
	d.printf("settings files: %s", strings.Join(files, ", "))
	for _, f := range st.bedrock.Describe() {
		d.printf("%s: %s", f.Label, f.Value)
	}
	d.printf("permission mode %s, %d tools, transcript %s", st.mode, len(st.tools), st.transcript.Path())
}

// debugClient logs each model request: what was sent, when the answer started and ended, and
// how it ended.
type debugClient struct {
	inner llm.Client
	log   *debugLog
}

func (c debugClient) Stream(ctx context.Context, req *llm.Request) (llm.Stream, error) {
	c.log.printf("request: model %s, %d messages, %d tools, max_tokens %d", req.Model, len(req.Messages), len(req.Tools), req.MaxTokens)
	start := time.Now()
	stream, err := c.inner.Stream(ctx, req)
	if err != nil {
		c.log.printf("request failed after %s: %s", since(start), firstLine(err.Error()))
		return nil, err
	}
	return &debugStream{inner: stream, log: c.log, start: start}, nil
}

type debugStream struct {
	inner  llm.Stream
	log    *debugLog
	start  time.Time
	events int
}

func (s *debugStream) Recv() (llm.Event, error) {
	ev, err := s.inner.Recv()
	switch {
	case errors.Is(err, io.EOF):
		s.log.printf("answer complete after %s (%d events)", since(s.start), s.events)
	case err != nil:
		s.log.printf("stream failed after %s and %d events: %s", since(s.start), s.events, firstLine(err.Error()))
	default:
		s.events++
		if s.events == 1 {
			s.log.printf("first event after %s", since(s.start))
		}
		if ev.Type == llm.EventMessageDelta && ev.Delta != nil && ev.Usage != nil {
			s.log.printf("stop_reason %s, output tokens %d", ev.Delta.StopReason, ev.Usage.OutputTokens)
		}
		if ev.Type == llm.EventMessageStart && ev.Message != nil {
			u := ev.Message.Usage
			s.log.printf("message %s: input %d, cache read %d, cache write %d", ev.Message.ID,
				u.InputTokens, u.CacheReadInputTokens, u.CacheCreationInputTokens)
		}
	}
	return ev, err
}

func (s *debugStream) Close() error { return s.inner.Close() }

func since(t time.Time) string { return time.Since(t).Round(time.Millisecond).String() }

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// debugToFile sends the debug log of an interactive session to a file in the state directory,
// since nothing may write to the terminal behind the UI, and returns its path.
func (st *stack) debugToFile(env Env) (string, error) {
	dir := filepath.Join(filepath.Dir(session.DefaultDir(env.Getenv, env.Home)), "debug")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	path := filepath.Join(dir, st.transcript.ID()+".log")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return "", err
	}
	st.debug.w = f
	st.closers = append(st.closers, f.Close)
	return path, nil
}

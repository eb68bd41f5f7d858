package webfetch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tool/fsutil"
)

// fakeModel records what it was asked and answers with a fixed text or error.
type fakeModel struct {
	system, prompt string
	answer         string
	err            error
	calls          int
}

func (m *fakeModel) Ask(_ context.Context, system, prompt string) (string, error) {
	m.calls++
	m.system, m.prompt = system, prompt
	return m.answer, m.err
}

// testServer serves the pages the tests fetch and counts requests per path.
func testServer(t *testing.T) (*httptest.Server, map[string]*atomic.Int32) {
	t.Helper()
	hits := map[string]*atomic.Int32{}
	mux := http.NewServeMux()
	handle := func(path string, h http.HandlerFunc) {
		hits[path] = &atomic.Int32{}
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			hits[path].Add(1)
			h(w, r)
		})
	}
	handle("/page", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><head><title>Docs</title><script>track()</script></head>
<body><h1>Install</h1><p>Run <code>go install</code>. See <a href="/more">more</a>.</p></body></html>`)
	})
	handle("/plain", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, "plain <b>text</b> kept")
	})
	handle("/latin1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=ISO-8859-1")
		_, _ = w.Write([]byte{'c', 'a', 'f', 0xe9})
	})
	handle("/same-host-redirect", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/plain", http.StatusFound)
	})
	handle("/other-host-redirect", func(w http.ResponseWriter, r *http.Request) {
		// localhost and 127.0.0.1 are different hosts as far as the redirect rule goes.
		http.Redirect(w, r, "http://localhost:1/secret", http.StatusMovedPermanently)
	})
	handle("/missing", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	handle("/image", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		_, _ = w.Write([]byte("\x89PNG\r\n\x1a\n\x00\x00"))
	})
	handle("/huge", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		chunk := strings.Repeat("z", 1<<20)
		for range 6 {
			fmt.Fprint(w, chunk)
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, hits
}

func call(t *testing.T, w tool.Tool, env *tool.Env, url, prompt string) tool.Result {
	t.Helper()
	raw, _ := json.Marshal(map[string]string{"url": url, "prompt": prompt})
	res, err := w.Run(context.Background(), env, raw)
	if err != nil {
		t.Fatalf("Run(%s): %v", raw, err)
	}
	return res
}

func TestFetchAndAsk(t *testing.T) {
	srv, _ := testServer(t)
	model := &fakeModel{answer: "  Use go install.  "}
	env := tool.NewEnv(t.TempDir())
	env.Model = model
	res := call(t, New(Options{}), env, srv.URL+"/page", "How do I install it?")
	if res.IsError || res.Text != "Use go install." {
		t.Fatalf("got %+v", res)
	}
	wantContent := "Docs\n\n# Install\n\nRun go install. See more (" + srv.URL + "/more)."
	if !strings.Contains(model.prompt, wantContent) || !strings.HasSuffix(model.prompt, "Request: How do I install it?") {
		t.Errorf("model prompt:\n%s", model.prompt)
	}
	if strings.Contains(model.prompt, "track()") || model.system == "" {
		t.Error("script leaked into the prompt, or no system prompt")
	}
}

func TestFetchResults(t *testing.T) {
	srv, _ := testServer(t)
	tests := []struct {
		path    string
		isErr   bool
		contain []string
	}{
		{"/plain", false, []string{"Content of " + srv.URL + "/plain", "plain <b>text</b> kept", "No model is available"}},
		{"/latin1", false, []string{"café"}},
		{"/same-host-redirect", false, []string{"Content of " + srv.URL + "/plain:"}},
		{"/other-host-redirect", false, []string{"redirects (HTTP 301) to a different host: http://localhost:1/secret", `url "http://localhost:1/secret"`}},
		{"/missing", true, []string{"HTTP 404"}},
		{"/image", true, []string{"image/png", "not text"}},
		{"/huge", false, []string{"larger than 5 MB", "first 30000 characters"}},
	}
	env := tool.NewEnv(t.TempDir()) // no model: the page text comes back
	w := New(Options{})
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			res := call(t, w, env, srv.URL+tt.path, "anything")
			if res.IsError != tt.isErr {
				t.Errorf("IsError = %v: %s", res.IsError, res.Text)
			}
			for _, c := range tt.contain {
				if !strings.Contains(res.Text, c) {
					t.Errorf("result lacks %q:\n%.500s", c, res.Text)
				}
			}
		})
	}
}

func TestModelFailureFallsBackToText(t *testing.T) {
	srv, _ := testServer(t)
	env := tool.NewEnv(t.TempDir())
	env.Model = &fakeModel{err: errors.New("throttled")}
	res := call(t, New(Options{}), env, srv.URL+"/plain", "q")
	if res.IsError || !strings.Contains(res.Text, "plain <b>text</b> kept") || !strings.Contains(res.Text, "throttled") {
		t.Errorf("got %+v", res)
	}
}

func TestCache(t *testing.T) {
	srv, hits := testServer(t)
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	env := tool.NewEnv(t.TempDir())
	env.Now = func() time.Time { return now }
	model := &fakeModel{answer: "ok"}
	env.Model = model
	w := New(Options{})
	call(t, w, env, srv.URL+"/page", "q1")
	now = now.Add(14 * time.Minute)
	call(t, w, env, srv.URL+"/page", "q2")
	if n := hits["/page"].Load(); n != 1 {
		t.Errorf("within 15 minutes: %d downloads, want 1", n)
	}
	if model.calls != 2 || !strings.Contains(model.prompt, "q2") {
		t.Errorf("each call must still ask the model: %d calls", model.calls)
	}
	now = now.Add(2 * time.Minute)
	call(t, w, env, srv.URL+"/page", "q3")
	if n := hits["/page"].Load(); n != 2 {
		t.Errorf("after expiry: %d downloads, want 2", n)
	}
	// A second tool value has its own cache.
	call(t, New(Options{}), env, srv.URL+"/page", "q4")
	if n := hits["/page"].Load(); n != 3 {
		t.Errorf("separate tool values share a cache: %d downloads", n)
	}
}

func TestCacheEviction(t *testing.T) {
	c := newCache()
	now := time.Now()
	for i := range cacheEntries + 5 {
		c.put(fmt.Sprint(i), &page{}, now.Add(time.Duration(i)*time.Second))
	}
	if len(c.entries) != cacheEntries {
		t.Errorf("%d entries, want %d", len(c.entries), cacheEntries)
	}
	if _, ok := c.get("0", now.Add(2*time.Minute)); ok {
		t.Error("the oldest entry was not evicted")
	}
	if _, ok := c.get(fmt.Sprint(cacheEntries+4), now.Add(2*time.Minute)); !ok {
		t.Error("the newest entry is missing")
	}
}

func TestNormalizeURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"http://example.com/a#frag", "https://example.com/a"},
		{"HTTPS://example.com", "https://example.com"},
		{"http://127.0.0.1:8080/x", "http://127.0.0.1:8080/x"},
		{"http://localhost/x", "http://localhost/x"},
		{"http://[::1]:9/", "http://[::1]:9/"},
		{"ftp://example.com", ""},
		{"file:///etc/passwd", ""},
		{"example.com", ""},
		{"https://", ""},
		{"https://example.com/" + strings.Repeat("a", maxURLLength), ""},
	}
	for _, tt := range tests {
		u, err := normalizeURL(tt.in)
		switch {
		case tt.want == "" && err == nil:
			t.Errorf("normalizeURL(%q) = %s, want an error", tt.in, u)
		case tt.want != "" && (err != nil || u.String() != tt.want):
			t.Errorf("normalizeURL(%q) = %v, %v; want %s", tt.in, u, err, tt.want)
		}
	}
}

func TestInputErrors(t *testing.T) {
	env := tool.NewEnv(t.TempDir())
	w := New(Options{})
	for _, raw := range []string{
		`{"url":"https://example.com"}`,
		`{"url":"gopher://x","prompt":"p"}`,
		`{"url":"https://example.com","prompt":"p","extra":1}`,
	} {
		res, err := w.Run(context.Background(), env, json.RawMessage(raw))
		if err != nil || !res.IsError {
			t.Errorf("%s: got %+v, %v; want an error result", raw, res, err)
		}
	}
}

func TestCancelled(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(block)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	raw, _ := json.Marshal(map[string]string{"url": srv.URL, "prompt": "p"})
	if _, err := New(Options{}).Run(ctx, tool.NewEnv(t.TempDir()), raw); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestSchemaMatchesInput(t *testing.T) {
	w := New(Options{})
	if err := fsutil.CheckSchema(w.InputSchema(), input{}); err != nil {
		t.Error(err)
	}
	if w.Name() != "WebFetch" || w.Class() != permission.ClassNetwork || !w.ConcurrencySafe() || w.Description() == "" {
		t.Error("name, read-only flag or description wrong")
	}
}

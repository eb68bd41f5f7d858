package mcp

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/strata-agent/strata/internal/proc"
)

// Dialer makes the transport of one connection to a server. stop, when not nil, is called
// once the session is closed (it ends what Dial started: a process group).
type Dialer func(ctx context.Context) (t sdk.Transport, stop func(), err error)

// stdioGrace is how long a stdio server has to exit after its stdin closes before its
// process group is stopped (the MCP specification's shutdown order).
const stdioGrace = 2 * time.Second

// stdioDialer starts the server with internal/proc and speaks newline-delimited JSON-RPC over
// its stdin and stdout. env is its whole environment; stderr receives its stderr.
func stdioDialer(c Config, dir string, env []string, stderr io.Writer, procs *proc.Tracker) Dialer {
	return func(ctx context.Context) (sdk.Transport, func(), error) {
		inR, inW := io.Pipe()
		outR, outW := io.Pipe()
		// The process lives until stop, not as long as the connection attempt's context.
		p, err := proc.Start(context.WithoutCancel(ctx), proc.Cmd{Argv: append([]string{c.Command}, c.Args...),
			Dir: dir, Env: env, Stdin: inR, Stdout: outW, Stderr: stderr, Tracker: procs})
		if err != nil {
			return nil, nil, fmt.Errorf("starting %s: %w", c.Command, err)
		}
		spoke := &watchReader{r: outR}
		go func() {
			r := p.Wait()
			outW.CloseWithError(fmt.Errorf("the server process ended (%v)", exitText(r))) // pending calls fail now
		}()
		var once sync.Once
		stop := func() {
			once.Do(func() {
				inW.Close()           // the server sees EOF on stdin and may exit by itself
				if spoke.any.Load() { // one that never said a word is not waited for
					select {
					case <-p.Exited():
					case <-time.After(stdioGrace):
					}
				}
				p.Kill()
				outR.Close()
			})
		}
		return &sdk.IOTransport{Reader: spoke, Writer: inW}, stop, nil
	}
}

// watchReader notes whether anything was read.
type watchReader struct {
	r   *io.PipeReader
	any atomic.Bool
}

func (w *watchReader) Read(p []byte) (int, error) {
	n, err := w.r.Read(p)
	if n > 0 {
		w.any.Store(true)
	}
	return n, err
}

func (w *watchReader) Close() error { return w.r.Close() }

func exitText(r proc.Result) string {
	if err := r.Err(); err != nil {
		return err.Error()
	}
	return "exit status 0"
}

// httpDialer connects over streamable HTTP or SSE with the configured headers; headersHelper,
// when set, is run at every connection and its JSON object of headers is added.
func httpDialer(life context.Context, name string, c Config, env []string, procs *proc.Tracker) Dialer {
	return func(ctx context.Context) (sdk.Transport, func(), error) {
		headers := maps.Clone(c.Headers)
		if c.HeadersHelper != "" {
			extra, err := runHeadersHelper(ctx, name, c, env, procs)
			if err != nil {
				return nil, nil, err
			}
			if headers == nil {
				headers = map[string]string{}
			}
			maps.Copy(headers, extra)
		}
		client := &http.Client{Transport: headerTransport{headers: headers, base: http.DefaultTransport}}
		if c.Type == TypeSSE {
			// The SSE stream is opened by Connect with its context; it must outlive the
			// connection attempt's timeout, so it gets the Manager's life (life) instead.
			return lifeTransport{Transport: &sdk.SSEClientTransport{Endpoint: c.URL, HTTPClient: client}, life: life}, nil, nil
		}
		return &sdk.StreamableClientTransport{Endpoint: c.URL, HTTPClient: client, MaxRetries: 2}, nil, nil
	}
}

// lifeTransport connects with the context life, while still giving up when the attempt's
// own context ends.
type lifeTransport struct {
	sdk.Transport
	life context.Context
}

func (l lifeTransport) Connect(ctx context.Context) (sdk.Connection, error) {
	type result struct {
		c   sdk.Connection
		err error
	}
	ch := make(chan result, 1)
	go func() {
		c, err := l.Transport.Connect(l.life)
		ch <- result{c, err}
	}()
	select {
	case r := <-ch:
		return r.c, r.err
	case <-ctx.Done():
		go func() {
			if r := <-ch; r.c != nil {
				_ = r.c.Close()
			}
		}()
		return nil, ctx.Err()
	}
}

// headerTransport adds fixed headers to every request.
type headerTransport struct {
	headers map[string]string
	base    http.RoundTripper
}

func (h headerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	for k, v := range h.headers {
		r.Header.Set(k, v)
	}
	return h.base.RoundTrip(r)
}

// helperTimeout bounds a headersHelper command.
const helperTimeout = 10 * time.Second

// runHeadersHelper runs the server's headersHelper through the shell, as the reference does,
// with the server's name and URL in its environment, and reads a JSON object of strings.
func runHeadersHelper(ctx context.Context, name string, c Config, env []string, procs *proc.Tracker) (map[string]string, error) {
	out, errOut := proc.NewCapture(64<<10, 0), proc.NewCapture(0, 2<<10)
	env = append(append([]string(nil), env...), "CLAUDE_CODE_MCP_SERVER_NAME="+name, "CLAUDE_CODE_MCP_SERVER_URL="+c.URL)
	r := proc.Run(ctx, proc.Cmd{Argv: proc.Shell("/bin/sh", c.HeadersHelper), Env: env, Stdout: out, Stderr: errOut,
		Timeout: helperTimeout, Tracker: procs})
	if err := r.Err(); err != nil {
		return nil, fmt.Errorf("headersHelper %s: %v: %s", c.HeadersHelper, err, strings.TrimSpace(errOut.String()))
	}
	var h map[string]string
	if err := json.Unmarshal([]byte(out.String()), &h); err != nil {
		return nil, fmt.Errorf("headersHelper %s: its output is not a JSON object of strings: %v", c.HeadersHelper, err)
	}
	return h, nil
}

// headerNames lists header names for messages (values may be secrets and are never shown).
func headerNames(h map[string]string) string {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

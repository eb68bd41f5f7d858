package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/elazarl/goproxy"
)

// deniedMarker starts every refusal the proxy sends, so that Explain can recognise it in a
// command's output.
const deniedMarker = "strata sandbox:"

// proxy is the filtering HTTP proxy the sandbox's only network route leads to. It listens
// on a Unix socket, which is bound into each sandbox; nothing on the host's TCP ports.
type proxy struct {
	srv  *http.Server
	ln   net.Listener
	done chan struct{}
}

// startProxy serves on a new Unix socket at path, admitting the hosts allowed says yes to.
func startProxy(path string, allowed func(host string) bool) (*proxy, error) {
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("starting the sandbox's network proxy: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, err
	}
	gp := goproxy.NewProxyHttpServer()
	gp.Logger = log.New(io.Discard, "", 0)
	// goproxy's default transport skips TLS verification (it is made for interception);
	// strata forwards only, so it verifies like any client.
	gp.Tr = &http.Transport{Proxy: http.ProxyFromEnvironment}
	gp.OnRequest().HandleConnectFunc(func(host string, _ *goproxy.ProxyCtx) (*goproxy.ConnectAction, string) {
		if allowed(hostOnly(host)) {
			return goproxy.OkConnect, host
		}
		return refuseConnect(hostOnly(host)), host
	})
	gp.OnRequest().DoFunc(func(r *http.Request, _ *goproxy.ProxyCtx) (*http.Request, *http.Response) {
		if allowed(r.URL.Hostname()) {
			return r, nil
		}
		return r, goproxy.NewResponse(r, goproxy.ContentTypeText, http.StatusForbidden, refusal(r.URL.Hostname()))
	})
	p := &proxy{srv: &http.Server{Handler: gp, ReadHeaderTimeout: 30 * time.Second}, ln: ln, done: make(chan struct{})}
	go func() {
		defer close(p.done)
		_ = p.srv.Serve(ln)
	}()
	return p, nil
}

func refusal(host string) string {
	return fmt.Sprintf("%s network access to %q is not allowed: it is not in sandbox.network.allowedDomains\n", deniedMarker, host)
}

// refuseConnect answers a CONNECT with 403 and the reason, which curl and most clients show.
func refuseConnect(host string) *goproxy.ConnectAction {
	return &goproxy.ConnectAction{Action: goproxy.ConnectHijack, Hijack: func(_ *http.Request, c net.Conn, _ *goproxy.ProxyCtx) {
		body := refusal(host)
		fmt.Fprintf(c, "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", len(body), body)
		c.Close()
	}}
}

func hostOnly(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return hostport
}

// close stops accepting and drops open tunnels.
func (p *proxy) close() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := p.srv.Shutdown(ctx); errors.Is(err, context.DeadlineExceeded) {
		p.srv.Close()
	}
	<-p.done
}

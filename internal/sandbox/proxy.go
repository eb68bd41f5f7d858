package sandbox

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"sync"
	"time"
)

// deniedMarker starts every refusal the proxy sends, so that Explain can recognise it in a
// command's output.
const deniedMarker = "strata sandbox:"

// proxy is the filtering HTTP proxy the sandbox's only network route leads to. It listens
// on a Unix socket, which is bound into each sandbox; nothing on the host's TCP ports.
//
// It forwards and never intercepts: plain HTTP through net/http/httputil's ReverseProxy,
// HTTPS as a CONNECT tunnel whose bytes it copies unread. (It was goproxy, a library made for
// interception, whose package initialiser parses its built-in CA's RSA key: a cost every
// start of strata paid, `--version` included, for a feature strata never used.)
type proxy struct {
	srv  *http.Server
	ln   net.Listener
	done chan struct{}

	mu      sync.Mutex
	tunnels map[net.Conn]struct{} // both ends of the open CONNECT tunnels, closed by close
	closed  bool

	tr *http.Transport // forwards plain HTTP; its idle upstream connections close with the proxy
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
	tr := &http.Transport{Proxy: http.ProxyFromEnvironment}
	p := &proxy{ln: ln, done: make(chan struct{}), tunnels: map[net.Conn]struct{}{}, tr: tr}
	forward := &httputil.ReverseProxy{
		// The request already names its destination (absolute-form URL); the hop-by-hop
		// headers are dropped by ReverseProxy itself.
		Rewrite:   func(*httputil.ProxyRequest) {},
		Transport: tr,
		ErrorLog:  log.New(io.Discard, "", 0),
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodConnect:
			p.tunnel(w, r, allowed, tr)
		case !r.URL.IsAbs() || r.URL.Host == "":
			http.Error(w, deniedMarker+" this is a proxy: requests must name their destination", http.StatusBadRequest)
		case !allowed(r.URL.Hostname()):
			refuse(w, r.URL.Hostname())
		default:
			forward.ServeHTTP(w, r)
		}
	})
	p.srv = &http.Server{Handler: h, ReadHeaderTimeout: 30 * time.Second}
	go func() {
		defer close(p.done)
		_ = p.srv.Serve(ln)
	}()
	return p, nil
}

func refusal(host string) string {
	return fmt.Sprintf("%s network access to %q is not allowed: it is not in sandbox.network.allowedDomains\n", deniedMarker, host)
}

// refuse answers 403 with the reason, which curl and most clients show (for a refused
// CONNECT too).
func refuse(w http.ResponseWriter, host string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Connection", "close")
	w.WriteHeader(http.StatusForbidden)
	_, _ = io.WriteString(w, refusal(host))
}

// tunnel answers a CONNECT: to an allowed host, a connection whose bytes it copies both ways
// until either side ends. An upstream proxy in strata's own environment (HTTPS_PROXY) is
// used as the transport would use it.
func (p *proxy) tunnel(w http.ResponseWriter, r *http.Request, allowed func(string) bool, tr *http.Transport) {
	host := hostOnly(r.Host)
	if !allowed(host) {
		refuse(w, host)
		return
	}
	upstream, err := dialTunnel(r.Context(), tr, r.Host)
	if err != nil {
		http.Error(w, fmt.Sprintf("%s cannot reach %s: %v", deniedMarker, r.Host, err), http.StatusBadGateway)
		return
	}
	client, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		upstream.Close()
		return
	}
	if !p.track(client, upstream) {
		return
	}
	defer p.untrack(client, upstream)
	if _, err := io.WriteString(client, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
		return
	}
	copied := make(chan struct{}, 2)
	go func() { // what the client sent along with the CONNECT is buffered in buf
		_, _ = io.Copy(upstream, buf)
		closeWrite(upstream)
		copied <- struct{}{}
	}()
	go func() {
		_, _ = io.Copy(client, upstream)
		closeWrite(client)
		copied <- struct{}{}
	}()
	<-copied
	<-copied
}

// dialTunnel connects to addr, through the upstream proxy HTTPS_PROXY names when there is one.
func dialTunnel(ctx context.Context, tr *http.Transport, addr string) (net.Conn, error) {
	d := &net.Dialer{Timeout: 30 * time.Second}
	up, err := tr.Proxy(&http.Request{URL: &url.URL{Scheme: "https", Host: addr}})
	if err != nil || up == nil {
		return d.DialContext(ctx, "tcp", addr)
	}
	upAddr := up.Host
	if up.Port() == "" {
		port := "80"
		if up.Scheme == "https" {
			port = "443"
		}
		upAddr = net.JoinHostPort(up.Hostname(), port)
	}
	conn, err := d.DialContext(ctx, "tcp", upAddr)
	if err != nil {
		return nil, err
	}
	if up.Scheme == "https" {
		conn = tls.Client(conn, &tls.Config{ServerName: up.Hostname()})
	}
	req := &http.Request{Method: http.MethodConnect, URL: &url.URL{Opaque: addr}, Host: addr, Header: http.Header{}}
	if u := up.User; u != nil {
		pw, _ := u.Password()
		req.SetBasicAuth(u.Username(), pw)
		req.Header.Set("Proxy-Authorization", req.Header.Get("Authorization"))
		req.Header.Del("Authorization")
	}
	br := bufio.NewReader(conn)
	if err := req.Write(conn); err != nil {
		conn.Close()
		return nil, err
	}
	resp, err := http.ReadResponse(br, req)
	if err != nil {
		conn.Close()
		return nil, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		conn.Close()
		return nil, fmt.Errorf("upstream proxy %s answered %s", up.Host, resp.Status)
	}
	if br.Buffered() > 0 { // a proxy speaking before the client did: nothing to tunnel to
		conn.Close()
		return nil, errors.New("upstream proxy sent data before the tunnel opened")
	}
	return conn, nil
}

// closeWrite ends one direction of a tunnel, so the other side sees EOF and the other
// direction can still finish.
func closeWrite(c net.Conn) {
	if cw, ok := c.(interface{ CloseWrite() error }); ok {
		_ = cw.CloseWrite()
		return
	}
	_ = c.Close()
}

// track registers a tunnel's two connections, so that close can end it; once the proxy is
// closing it closes them instead and reports false.
func (p *proxy) track(conns ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range conns {
		if p.closed {
			c.Close()
			continue
		}
		p.tunnels[c] = struct{}{}
	}
	return !p.closed
}

func (p *proxy) untrack(conns ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range conns {
		delete(p.tunnels, c)
		c.Close()
	}
}

func hostOnly(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return hostport
}

// close stops accepting and drops open tunnels.
func (p *proxy) close() {
	p.mu.Lock()
	p.closed = true
	for c := range p.tunnels {
		c.Close()
	}
	p.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := p.srv.Shutdown(ctx); errors.Is(err, context.DeadlineExceeded) {
		p.srv.Close()
	}
	p.tr.CloseIdleConnections()
	<-p.done
}

package sandbox

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// proxyClient is an HTTP client whose every request goes through the proxy on socket.
func proxyClient(socket string, tlsConf *tls.Config) *http.Client {
	dial := func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "unix", socket)
	}
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		Proxy: http.ProxyURL(&url.URL{Scheme: "http", Host: "sandbox-proxy"}), DialContext: dial, TLSClientConfig: tlsConf,
		DisableKeepAlives: true, // each request its own connection and tunnel
	}}
}

// TestProxyForwardsAllowedHostsOnly runs the proxy without a sandbox around it: plain HTTP and
// CONNECT reach an allowed host, and another host gets a 403 naming the setting.
func TestProxyForwardsAllowedHostsOnly(t *testing.T) {
	hello := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello over %s", map[bool]string{true: "TLS", false: "HTTP"}[r.TLS != nil])
	})
	plain, secure := httptest.NewServer(hello), httptest.NewTLSServer(hello)
	defer plain.Close()
	defer secure.Close()
	socket := filepath.Join(t.TempDir(), "proxy.sock")
	var refuseAll atomic.Bool
	p, err := startProxy(socket, func(host string) bool { return host == "127.0.0.1" && !refuseAll.Load() })
	if err != nil {
		t.Fatal(err)
	}
	defer p.close()
	c := proxyClient(socket, secure.Client().Transport.(*http.Transport).TLSClientConfig)
	get := func(u string) (int, string, error) {
		resp, err := c.Get(u)
		if err != nil {
			return 0, "", err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), nil
	}
	if code, body, err := get(plain.URL); err != nil || code != 200 || body != "hello over HTTP" {
		t.Errorf("plain HTTP to an allowed host: %d %q %v", code, body, err)
	}
	if code, body, err := get(secure.URL); err != nil || code != 200 || body != "hello over TLS" {
		t.Errorf("CONNECT to an allowed host: %d %q %v", code, body, err)
	}
	refuseAll.Store(true)
	if code, body, err := get(plain.URL); err != nil || code != http.StatusForbidden || !strings.HasPrefix(body, deniedMarker) {
		t.Errorf("plain HTTP to another host: %d %q %v", code, body, err)
	}
	if _, _, err := get(secure.URL); err == nil || !strings.Contains(err.Error(), "Forbidden") {
		t.Errorf("CONNECT to another host: %v, want a refusal", err)
	}
}

// TestProxyCloseEndsOpenTunnels: closing the sandbox drops a tunnel that is still open.
func TestProxyCloseEndsOpenTunnels(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0") // a server that accepts and never speaks
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	socket := filepath.Join(t.TempDir(), "proxy.sock")
	p, err := startProxy(socket, func(string) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("unix", socket)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n", ln.Addr(), ln.Addr())
	buf := make([]byte, 64)
	if n, err := conn.Read(buf); err != nil || !strings.Contains(string(buf[:n]), " 200 ") {
		t.Fatalf("CONNECT answer %q, %v", buf[:n], err)
	}
	closed := make(chan struct{})
	go func() { p.close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("close did not return while a tunnel was open")
	}
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := conn.Read(buf); err != io.EOF {
		t.Fatalf("the tunnel stayed open after close: read error %v, want EOF", err)
	}
}

package mcp

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/strata-agent/strata/internal/proc"
	"github.com/strata-agent/strata/internal/tool"
)

// stdioServer is the test binary configured as a stdio server in the given mode.
func stdioServer(t *testing.T, name string, env map[string]string) Server {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return Server{Name: name, Scope: ScopeDynamic, Source: "test", Config: Config{Type: TypeStdio, Command: exe,
		Args: []string{"-test.run=^$"}, Env: env}}
}

func startManager(t *testing.T, opts Options, servers ...Server) *Manager {
	t.Helper()
	if opts.Procs == nil {
		opts.Procs = &proc.Tracker{}
	}
	m := New(&Loaded{Servers: servers, Skipped: map[string]Skip{}}, opts)
	t.Cleanup(m.Close)
	m.Start()
	return m
}

func waitAll(t *testing.T, m *Manager) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := m.Wait(ctx); err != nil {
		t.Fatalf("servers did not finish connecting: %v; %+v", err, m.Statuses())
	}
}

func call(t *testing.T, m *Manager, name, input string) tool.Result {
	t.Helper()
	tl, ok := m.Tool(name)
	if !ok {
		t.Fatalf("no tool %s among %v", name, names(m.Tools()))
	}
	res, err := tl.Run(context.Background(), tool.NewEnv(t.TempDir()), json.RawMessage(input))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return res
}

func names(ts []tool.Tool) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Name())
	}
	return out
}

func status(t *testing.T, m *Manager, name string) Status {
	t.Helper()
	for _, s := range m.Statuses() {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no status for %s", name)
	return Status{}
}

// TestStdioServer: a real child process lists its tools with their schemas, answers a call,
// and returns an error result the model sees as one; its variables are expanded.
func TestStdioServer(t *testing.T) {
	m := startManager(t, Options{Getenv: func(k string) string { return map[string]string{"MODE": "basic"}[k] }},
		stdioServer(t, "t", map[string]string{"STRATA_MCP_TEST_SERVER": "${MODE}"}))
	waitAll(t, m)
	st := status(t, m, "t")
	if st.State != StateConnected || st.Tools != 5 {
		t.Fatalf("status = %+v", st)
	}
	got := strings.Join(names(m.Tools()), " ")
	want := "mcp__t__crash mcp__t__echo mcp__t__fail mcp__t__hang mcp__t__picture ListMcpResourcesTool ReadMcpResourceTool"
	if got != want {
		t.Fatalf("tools = %s\nwant     %s", got, want)
	}
	echo, _ := m.Tool("mcp__t__echo")
	if !strings.Contains(string(echo.InputSchema()), `"text"`) || !echo.ConcurrencySafe() {
		t.Errorf("echo schema %s, concurrency-safe %v", echo.InputSchema(), echo.ConcurrencySafe())
	}
	if res := call(t, m, "mcp__t__echo", `{"text":"hi"}`); res.Text != "echo: hi" || res.IsError {
		t.Errorf("echo = %+v", res)
	}
	if res := call(t, m, "mcp__t__fail", `{}`); res.Text != "the disk is on fire" || !res.IsError {
		t.Errorf("fail = %+v", res)
	}
	if res := call(t, m, ReadResourceName, `{"server":"t","uri":"test://notes"}`); !strings.Contains(res.Text, "remember the milk") {
		t.Errorf("read resource = %+v", res)
	}
	if res := call(t, m, ListResourcesName, `{}`); !strings.Contains(res.Text, `"uri": "test://notes"`) {
		t.Errorf("list resources = %+v", res)
	}
	if p, err := m.Prompt(context.Background(), "mcp__t__review", "the parser changes"); err != nil || p != "Please review the parser changes" {
		t.Errorf("prompt = %q, %v", p, err)
	}
	if _, err := m.Prompt(context.Background(), "mcp__t__review", ""); err == nil || !strings.Contains(err.Error(), `"what"`) {
		t.Errorf("prompt without its argument: %v", err)
	}
}

// TestStdioServerCrashMidCall: the process dies while a call runs; the call answers with an
// error, the server is reported failed, and its tools answer at once from then on.
func TestStdioServerCrashMidCall(t *testing.T) {
	procs := &proc.Tracker{}
	m := startManager(t, Options{Procs: procs}, stdioServer(t, "t", map[string]string{"STRATA_MCP_TEST_SERVER": "basic"}))
	waitAll(t, m)
	res := call(t, m, "mcp__t__crash", `{}`)
	if !res.IsError || !strings.Contains(res.Text, "stopped") {
		t.Fatalf("crash = %+v", res)
	}
	if st := status(t, m, "t"); st.State != StateFailed {
		t.Fatalf("status after the crash = %+v", st)
	}
	res = call(t, m, "mcp__t__echo", `{"text":"again"}`)
	if !res.IsError || !strings.Contains(res.Text, "not connected") {
		t.Fatalf("echo after the crash = %+v", res)
	}
	if len(m.Tools()) != 0 {
		t.Errorf("a dead server still offers tools: %v", names(m.Tools()))
	}
	if err := m.Reconnect("t"); err != nil {
		t.Fatal(err)
	}
	waitAll(t, m)
	if res := call(t, m, "mcp__t__echo", `{"text":"back"}`); res.Text != "echo: back" {
		t.Fatalf("after reconnecting: %+v", res)
	}
}

// TestToolTimeout: a server that never answers a call is given up on after
// MCP_TOOL_TIMEOUT with an error the model reads; the server stays connected.
func TestToolTimeout(t *testing.T) {
	m := startManager(t, Options{ToolTimeout: 300 * time.Millisecond}, stdioServer(t, "t", map[string]string{"STRATA_MCP_TEST_SERVER": "basic"}))
	waitAll(t, m)
	res := call(t, m, "mcp__t__hang", `{}`)
	if !res.IsError || !strings.Contains(res.Text, "MCP_TOOL_TIMEOUT") {
		t.Fatalf("hang = %+v", res)
	}
	if res := call(t, m, "mcp__t__echo", `{"text":"still here"}`); res.Text != "echo: still here" {
		t.Fatalf("after the timeout: %+v", res)
	}
}

// TestMissingVariable: an unset variable without a default fails that server only, with a
// message naming the server and the variable.
func TestMissingVariable(t *testing.T) {
	ok := stdioServer(t, "good", map[string]string{"STRATA_MCP_TEST_SERVER": "basic"})
	bad := stdioServer(t, "bad", map[string]string{"STRATA_MCP_TEST_SERVER": "${NOT_SET_ANYWHERE}", "X": "${ALSO_UNSET:-fine}"})
	m := startManager(t, Options{}, ok, bad)
	waitAll(t, m)
	st := status(t, m, "bad")
	if st.State != StateFailed || !strings.Contains(st.Reason, `"bad"`) || !strings.Contains(st.Reason, "NOT_SET_ANYWHERE") ||
		strings.Contains(st.Reason, "ALSO_UNSET") {
		t.Fatalf("bad = %+v", st)
	}
	if st := status(t, m, "good"); st.State != StateConnected {
		t.Fatalf("good = %+v", st)
	}
}

// TestSlowServerDoesNotBlock: Start returns while a server is still starting; its tools
// appear once it answers.
func TestSlowServerDoesNotBlock(t *testing.T) {
	gate := filepath.Join(t.TempDir(), "go")
	m := startManager(t, Options{}, stdioServer(t, "slow", map[string]string{"STRATA_MCP_TEST_SERVER": "basic", "STRATA_MCP_TEST_GATE": gate}))
	if st := status(t, m, "slow"); st.State != StateConnecting || len(m.Tools()) != 0 {
		t.Fatalf("before the server answers: %+v, tools %v", st, names(m.Tools()))
	}
	// A call made now waits for that server (and only it) to come up.
	answer := make(chan tool.Result, 1)
	go func() {
		tl, _ := m.Tool("mcp__slow__echo")
		res, _ := tl.Run(context.Background(), tool.NewEnv(t.TempDir()), json.RawMessage(`{"text":"x"}`))
		answer <- res
	}()
	if err := os.WriteFile(gate, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if res := <-answer; res.Text != "echo: x" {
		t.Fatalf("a call made while the server started = %+v", res)
	}
}

// TestConnectTimeout: a server that never finishes starting fails after MCP_TIMEOUT, and
// its process group is stopped.
func TestConnectTimeout(t *testing.T) {
	procs := &proc.Tracker{}
	gate := filepath.Join(t.TempDir(), "never")
	m := startManager(t, Options{Procs: procs, ConnectTimeout: 300 * time.Millisecond},
		stdioServer(t, "stuck", map[string]string{"STRATA_MCP_TEST_SERVER": "basic", "STRATA_MCP_TEST_GATE": gate}))
	waitAll(t, m)
	if st := status(t, m, "stuck"); st.State != StateFailed || !strings.Contains(st.Reason, "MCP_TIMEOUT") {
		t.Fatalf("status = %+v", st)
	}
	if !noneLeft(procs) {
		t.Fatal("the stuck server's process still runs")
	}
}

// TestCloseEndsServerProcesses: closing the Manager leaves no server process behind.
func TestCloseEndsServerProcesses(t *testing.T) {
	procs := &proc.Tracker{}
	m := startManager(t, Options{Procs: procs}, stdioServer(t, "t", map[string]string{"STRATA_MCP_TEST_SERVER": "basic"}))
	waitAll(t, m)
	if procs.Len() != 1 {
		t.Fatalf("%d processes tracked, want 1", procs.Len())
	}
	m.Close()
	if !noneLeft(procs) {
		t.Fatal("a server process outlived Close")
	}
}

// TestHTTPServer: streamable HTTP with a header whose value comes from a variable, and the
// output limit cutting a long result with a note; a picture becomes an image.
func TestHTTPServer(t *testing.T) {
	url, _ := httpServer(t, "s3cret")
	m := startManager(t, Options{MaxOutputTokens: 50, Getenv: func(k string) string { return map[string]string{"TOKEN": "s3cret"}[k] }},
		Server{Name: "web", Scope: ScopeDynamic, Source: "test", Config: Config{Type: TypeHTTP, URL: url,
			Headers: map[string]string{"Authorization": "Bearer ${TOKEN}"}}},
		Server{Name: "nokey", Scope: ScopeDynamic, Source: "test", Config: Config{Type: TypeHTTP, URL: url}})
	waitAll(t, m)
	if st := status(t, m, "web"); st.State != StateConnected || st.Tools != 5 {
		t.Fatalf("web = %+v", st)
	}
	if st := status(t, m, "nokey"); st.State != StateFailed || !strings.Contains(st.Reason, "authentication") {
		t.Fatalf("nokey = %+v", st)
	}
	if res := call(t, m, "mcp__web__echo", `{"text":"over http"}`); res.Text != "echo: over http" {
		t.Fatalf("echo = %+v", res)
	}
	res := call(t, m, "mcp__web__picture", `{}`)
	if len(res.Images) != 1 || res.Images[0].MediaType != "image/png" || !strings.Contains(res.Text, "MAX_MCP_OUTPUT_TOKENS") ||
		strings.Count(res.Text, "x") > 200 {
		t.Fatalf("picture = %+v", res)
	}
}

// TestHeadersHelper: the helper's JSON headers are sent.
func TestHeadersHelper(t *testing.T) {
	url, _ := httpServer(t, "from-helper")
	m := startManager(t, Options{Env: []string{"PATH=/usr/bin:/bin"}}, Server{Name: "h", Scope: ScopeDynamic, Source: "test",
		Config: Config{Type: TypeHTTP, URL: url, HeadersHelper: `printf '{"Authorization":"Bearer from-helper"}'`}})
	waitAll(t, m)
	if st := status(t, m, "h"); st.State != StateConnected {
		t.Fatalf("h = %+v", st)
	}
}

// TestToolListChanged: a server that adds a tool tells the client, and the new tool is
// offered without reconnecting.
func TestToolListChanged(t *testing.T) {
	url, srv := httpServer(t, "k")
	m := startManager(t, Options{}, Server{Name: "w", Scope: ScopeDynamic, Source: "test",
		Config: Config{Type: TypeHTTP, URL: url, Headers: map[string]string{"Authorization": "Bearer k"}}})
	waitAll(t, m)
	srv.RemoveTools("hang")
	deadline := time.Now().Add(10 * time.Second)
	for status(t, m, "w").Tools != 4 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if st := status(t, m, "w"); st.Tools != 4 {
		t.Fatalf("after the server dropped a tool: %+v", st)
	}
}

// noneLeft waits, up to a generous bound never asserted as a duration, until the tracker
// holds no process (the reaper deregisters a leader just after it exits).
func noneLeft(procs *proc.Tracker) bool {
	deadline := time.Now().Add(10 * time.Second)
	for procs.Len() > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	return procs.Len() == 0
}

// TestSSEServer: the older HTTP+SSE transport, with a header.
func TestSSEServer(t *testing.T) {
	srv := testServer("sse")
	h := sdk.NewSSEHandler(func(*http.Request) *sdk.Server { return srv }, nil)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts := &httptest.Server{Listener: l, Config: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Key") != "k" {
			http.Error(w, "Unauthorized", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})}}
	ts.Start()
	t.Cleanup(ts.Close)
	m := startManager(t, Options{}, Server{Name: "old", Scope: ScopeDynamic, Source: "test",
		Config: Config{Type: TypeSSE, URL: ts.URL, Headers: map[string]string{"X-Key": "k"}}})
	waitAll(t, m)
	if res := call(t, m, "mcp__old__echo", `{"text":"sse"}`); res.Text != "echo: sse" {
		t.Fatalf("echo over SSE = %+v (status %+v)", res, m.Statuses())
	}
}

package mcp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/strata-agent/strata/internal/proc"
)

// Defaults of the reference's environment variables.
const (
	DefaultConnectTimeout  = 30 * time.Second // MCP_TIMEOUT
	DefaultMaxOutputTokens = 25000            // MAX_MCP_OUTPUT_TOKENS
)

// Options are what the Manager needs from its host.
type Options struct {
	Dir    string              // stdio servers' working directory
	Env    []string            // stdio servers' base environment, already scrubbed of secrets
	Getenv func(string) string // for ${VAR} expansion; nil expands nothing
	Procs  *proc.Tracker       // tracks the server processes, so strata's exit stops them
	// Log returns where a stdio server's stderr goes; nil discards it. The Manager closes it.
	Log func(server string) io.WriteCloser
	// ConnectTimeout bounds start-up and the first listing (MCP_TIMEOUT); 0 is the default.
	ConnectTimeout time.Duration
	// ToolTimeout bounds each tool call (MCP_TOOL_TIMEOUT); 0 means no bound but the turn's.
	ToolTimeout time.Duration
	// MaxOutputTokens cuts longer tool results (MAX_MCP_OUTPUT_TOKENS); 0 is the default.
	MaxOutputTokens int
	Version         string // strata's version, told to servers
}

// Manager owns the connections to every configured server. Its methods are safe for
// concurrent use.
type Manager struct {
	opts   Options
	ctx    context.Context // ends at Close: stops connection attempts
	cancel context.CancelFunc

	mu      sync.Mutex
	servers map[string]*server
	order   []string
	closed  bool
}

// server is one configured server and its connection, guarded by Manager.mu.
type server struct {
	name    string
	scope   Scope
	source  string
	config  Config // as written, for display
	dial    Dialer
	state   State
	reason  string
	session *sdk.ClientSession
	stop    func()
	tools   []*sdk.Tool
	// resources: the server offers resources (ListMcpResourcesTool, ReadMcpResourceTool).
	resources bool
	log       io.WriteCloser
	spec      Server        // the configuration, for a server approved later
	done      chan struct{} // closed when the current connection attempt has finished
	gen       int           // counts connection attempts, so a stale one does not report
}

// Status is what /mcp, `strata mcp list` and stream-json's init say about a server.
type Status struct {
	Name   string
	Scope  Scope
	Source string
	Config Config // as written: variables unexpanded, so secrets stay out of listings
	State  State
	Reason string // why it failed or does not start
	Tools  int
	// Server is what a connected server says it is (name and version); ToolList what it
	// offers. Both are empty when it is not connected.
	Server   Implementation
	ToolList []ToolInfo
}

// Implementation is a server's name and version from its handshake.
type Implementation struct{ Name, Version string }

// ToolInfo is one tool a server offers, as the Agent SDK's mcp_status lists it; the hints
// are nil when the server gave no annotations.
type ToolInfo struct {
	Name, Description string
	ReadOnly          *bool
	Destructive       *bool
	OpenWorld         *bool
}

// New prepares the servers of ld; nothing starts until Start.
func New(ld *Loaded, opts Options) *Manager {
	if opts.ConnectTimeout <= 0 {
		opts.ConnectTimeout = DefaultConnectTimeout
	}
	if opts.MaxOutputTokens <= 0 {
		opts.MaxOutputTokens = DefaultMaxOutputTokens
	}
	if opts.Getenv == nil {
		opts.Getenv = func(string) string { return "" }
	}
	ctx, cancel := context.WithCancel(context.Background())
	m := &Manager{opts: opts, ctx: ctx, cancel: cancel, servers: map[string]*server{}}
	if ld == nil {
		return m
	}
	for _, s := range ld.Servers {
		m.add(m.newServer(ld, s))
	}
	return m
}

// newServer is one of ld's servers, prepared to start or marked with why it does not.
func (m *Manager) newServer(ld *Loaded, s Server) *server {
	sv := &server{name: s.Name, scope: s.Scope, source: s.Source, config: s.Config, spec: s, done: make(chan struct{})}
	if skip, ok := ld.Skipped[s.Name]; ok {
		sv.state, sv.reason = skip.State, skip.Reason
		close(sv.done)
	} else if err := m.prepare(sv, s); err != nil {
		sv.state, sv.reason = StateFailed, err.Error()
		close(sv.done)
	} else {
		sv.state = StateConnecting
	}
	return sv
}

// prepare expands the server's variables and builds its dialer.
func (m *Manager) prepare(sv *server, s Server) error {
	c, err := s.Expand(m.opts.Getenv)
	if err != nil {
		return err
	}
	if c.Type != TypeStdio {
		sv.dial = httpDialer(m.ctx, s.Name, c, m.opts.Env, m.opts.Procs)
		return nil
	}
	env := append([]string(nil), m.opts.Env...)
	for k, v := range c.Env {
		env = append(env, k+"="+v)
	}
	var stderr io.Writer = io.Discard
	if m.opts.Log != nil {
		if sv.log = m.opts.Log(s.Name); sv.log != nil {
			stderr = sv.log
		}
	}
	sv.dial = stdioDialer(c, m.opts.Dir, env, stderr, m.opts.Procs)
	return nil
}

func (m *Manager) add(sv *server) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.servers[sv.name]; !ok {
		m.order = append(m.order, sv.name)
	}
	m.servers[sv.name] = sv
}

// AddServer adds a server reached through dial — the hook for servers an embedding program
// hosts itself (the Agent SDK's in-process servers relayed over its control channel). It
// replaces a configured server of the same name; call Start (or Reconnect) to connect it.
func (m *Manager) AddServer(name string, scope Scope, dial Dialer) error {
	if err := checkName(name); err != nil {
		return fmt.Errorf("MCP server %q: %v", name, err)
	}
	m.add(&server{name: name, scope: scope, source: string(scope), dial: dial, state: StateConnecting,
		done: make(chan struct{})})
	return nil
}

// Start connects every server that may start, each in its own goroutine, and returns at once.
func (m *Manager) Start() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, name := range m.order {
		if sv := m.servers[name]; sv.state == StateConnecting && sv.gen == 0 { // never started
			sv.gen++
			go m.connect(sv, sv.gen, sv.done)
		}
	}
}

// Reconnect closes a server's connection, if any, and connects it again in the background
// (/mcp). Servers that do not start (pending, disabled, blocked) stay as they are.
func (m *Manager) Reconnect(name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	sv, ok := m.servers[name]
	switch {
	case !ok:
		return fmt.Errorf("no MCP server named %q", name)
	case sv.dial == nil:
		return fmt.Errorf("MCP server %q cannot connect: %s", name, sv.reason)
	}
	m.disconnectLocked(sv)
	sv.state, sv.reason, sv.tools, sv.resources = StateConnecting, "", nil, false
	sv.done = make(chan struct{})
	sv.gen++
	go m.connect(sv, sv.gen, sv.done)
	return nil
}

// connect makes one connection attempt and lists what the server offers.
func (m *Manager) connect(sv *server, gen int, done chan struct{}) {
	defer close(done)
	ctx, cancel := context.WithTimeout(m.ctx, m.opts.ConnectTimeout)
	defer cancel()
	cs, stop, err := m.open(ctx, sv)
	var tools []*sdk.Tool
	var resources bool
	if err == nil {
		tools, resources, err = list(ctx, cs)
	}
	if err != nil && ctx.Err() == context.DeadlineExceeded && m.ctx.Err() == nil {
		err = fmt.Errorf("no answer within %v (MCP_TIMEOUT)", m.opts.ConnectTimeout)
	}
	m.mu.Lock()
	current := sv.gen == gen && !m.closed
	if err == nil && current {
		sv.session, sv.stop, sv.tools, sv.resources, sv.state = cs, stop, tools, resources, StateConnected
	} else if current {
		sv.state, sv.reason = StateFailed, err.Error()
	}
	m.mu.Unlock()
	if err != nil || !current {
		if cs != nil {
			_ = cs.Close()
		}
		if stop != nil {
			stop()
		}
		return
	}
	go m.watch(sv, gen, cs)
}

// open dials the server and runs the initialisation handshake.
func (m *Manager) open(ctx context.Context, sv *server) (*sdk.ClientSession, func(), error) {
	t, stop, err := sv.dial(ctx)
	if err != nil {
		return nil, nil, err
	}
	client := sdk.NewClient(&sdk.Implementation{Name: "strata", Version: m.opts.Version}, &sdk.ClientOptions{
		ToolListChangedHandler: func(_ context.Context, req *sdk.ToolListChangedRequest) { go m.refresh(sv, req.Session) },
	})
	cs, err := client.Connect(ctx, t, nil)
	if err != nil {
		if stop != nil {
			stop()
		}
		return nil, nil, connectError(err)
	}
	return cs, stop, nil
}

// connectError words a failed handshake; remote servers that want OAuth get a clear note.
func connectError(err error) error {
	if errors.Is(err, sdk.ErrConnectionClosed) || errors.Is(err, io.EOF) {
		return fmt.Errorf("the server closed the connection during start-up (%v); see its log", err)
	}
	if msg := err.Error(); strings.Contains(msg, "401") || strings.Contains(msg, "Unauthorized") {
		return fmt.Errorf("the server asks for authentication (%v): strata does not run the MCP OAuth flow; "+
			`give a token in "headers" or "headersHelper"`, err)
	}
	return err
}

// list fetches the server's tools and whether it offers resources.
func list(ctx context.Context, cs *sdk.ClientSession) ([]*sdk.Tool, bool, error) {
	caps := cs.InitializeResult().Capabilities
	var tools []*sdk.Tool
	if caps == nil || caps.Tools != nil {
		for t, err := range cs.Tools(ctx, nil) {
			if err != nil {
				return nil, false, fmt.Errorf("listing tools: %w", err)
			}
			tools = append(tools, t)
		}
	}
	sort.Slice(tools, func(i, j int) bool { return tools[i].Name < tools[j].Name })
	return tools, caps != nil && caps.Resources != nil, nil
}

// refresh lists a server's tools again after it said they changed.
func (m *Manager) refresh(sv *server, cs *sdk.ClientSession) {
	ctx, cancel := context.WithTimeout(m.ctx, m.opts.ConnectTimeout)
	defer cancel()
	tools, resources, err := list(ctx, cs)
	if err != nil {
		return // the old list stays; a dead session is reported by watch
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if sv.session == cs {
		sv.tools, sv.resources = tools, resources
	}
}

// watch waits for the session to end and, unless strata closed it, marks the server failed:
// its tools then answer with an error instead of waiting for a dead process.
func (m *Manager) watch(sv *server, gen int, cs *sdk.ClientSession) {
	err := cs.Wait()
	m.mu.Lock()
	defer m.mu.Unlock()
	if sv.gen != gen || sv.session != cs || m.closed {
		return
	}
	reason := "the server closed the connection"
	if err != nil && !errors.Is(err, sdk.ErrConnectionClosed) {
		reason += ": " + err.Error()
	}
	m.disconnectLocked(sv)
	sv.state, sv.reason = StateFailed, reason+" (/mcp reconnects it)"
}

// disconnectLocked closes the server's session and ends its process, without waiting.
func (m *Manager) disconnectLocked(sv *server) {
	cs, stop := sv.session, sv.stop
	sv.session, sv.stop = nil, nil
	go func() {
		if cs != nil {
			_ = cs.Close()
		}
		if stop != nil {
			stop()
		}
	}()
}

// Wait blocks until every connection attempt under way has finished or ctx ends.
func (m *Manager) Wait(ctx context.Context) error {
	m.mu.Lock()
	var dones []chan struct{}
	for _, sv := range m.servers {
		dones = append(dones, sv.done)
	}
	m.mu.Unlock()
	for _, d := range dones {
		select {
		case <-d:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// Statuses reports every server, in configuration order.
func (m *Manager) Statuses() []Status {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Status, 0, len(m.order))
	for _, name := range m.order {
		sv := m.servers[name]
		st := Status{Name: sv.name, Scope: sv.scope, Source: sv.source, Config: sv.config,
			State: sv.state, Reason: sv.reason, Tools: len(sv.tools)}
		if sv.session != nil {
			if init := sv.session.InitializeResult(); init != nil && init.ServerInfo != nil {
				st.Server = Implementation{Name: init.ServerInfo.Name, Version: init.ServerInfo.Version}
			}
			for _, t := range sv.tools {
				st.ToolList = append(st.ToolList, toolInfo(t))
			}
		}
		out = append(out, st)
	}
	return out
}

func toolInfo(t *sdk.Tool) ToolInfo {
	ti := ToolInfo{Name: t.Name, Description: t.Description}
	if a := t.Annotations; a != nil {
		ro := a.ReadOnlyHint
		ti.ReadOnly, ti.Destructive, ti.OpenWorld = &ro, a.DestructiveHint, a.OpenWorldHint
	}
	return ti
}

// Close ends every connection and server process and waits for them.
func (m *Manager) Close() {
	m.mu.Lock()
	m.closed = true
	m.cancel()
	var wg sync.WaitGroup
	for _, sv := range m.servers {
		cs, stop, log := sv.session, sv.stop, sv.log
		sv.session, sv.stop = nil, nil
		wg.Go(func() {
			if cs != nil {
				_ = cs.Close()
			}
			if stop != nil {
				stop()
			}
			if log != nil {
				_ = log.Close()
			}
		})
	}
	m.mu.Unlock()
	wg.Wait()
}

// session returns a connected server's session, or an error saying why there is none. A
// server still starting is waited for (at most MCP_TIMEOUT, or until ctx ends): only a call
// to that server waits, never the prompt.
func (m *Manager) session(ctx context.Context, name string) (*sdk.ClientSession, error) {
	m.mu.Lock()
	sv, ok := m.servers[name]
	var done chan struct{}
	if ok && sv.state == StateConnecting {
		done = sv.done
	}
	m.mu.Unlock()
	if done != nil {
		select {
		case <-done:
		case <-ctx.Done():
			return nil, fmt.Errorf("MCP server %q is still starting", name)
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	switch {
	case !ok:
		return nil, fmt.Errorf("there is no MCP server named %q", name)
	case sv.session == nil:
		return nil, fmt.Errorf("MCP server %q is not connected (%s: %s)", name, sv.state, sv.reason)
	}
	return sv.session, nil
}

// markDead reports a session that broke during a call; watch normally gets there too.
func (m *Manager) markDead(name string, cs *sdk.ClientSession, why string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if sv, ok := m.servers[name]; ok && sv.session == cs {
		m.disconnectLocked(sv)
		sv.state, sv.reason = StateFailed, why+" (/mcp reconnects it)"
	}
}

// Approve starts a project server that was waiting for approval (the user said yes in the
// UI). It is not remembered: the settings' enabledMcpjsonServers does that.
func (m *Manager) Approve(name string) error {
	m.mu.Lock()
	sv, ok := m.servers[name]
	if !ok || sv.state != StatePending {
		m.mu.Unlock()
		return fmt.Errorf("MCP server %q is not waiting for approval", name)
	}
	m.mu.Unlock()
	return m.reconnectPending(sv)
}

func (m *Manager) reconnectPending(sv *server) error {
	m.mu.Lock()
	err := m.prepare(sv, sv.spec)
	m.mu.Unlock()
	if err != nil {
		return err
	}
	return m.Reconnect(sv.name)
}

package sdkproto

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// MCPRelay carries MCP JSON-RPC between strata's MCP client and the servers the SDK hosts in
// its own process (createSdkMcpServer): every message strata sends is an mcp_message control
// request, and the answer to a call comes back in that request's control_response. Messages
// the server starts (rare) arrive as mcp_message control requests from the SDK (Deliver).
type MCPRelay struct {
	conn *Conn

	mu   sync.Mutex
	live map[string]*mcpConn // the open connection of each server
}

// NewMCPRelay returns a relay over c.
func NewMCPRelay(c *Conn) *MCPRelay { return &MCPRelay{conn: c, live: map[string]*mcpConn{}} }

// Dialer returns what internal/mcp needs to connect to the SDK server named server (its
// mcp.Dialer signature): a fresh connection each time, replacing the previous one.
func (r *MCPRelay) Dialer(server string) func(context.Context) (sdk.Transport, func(), error) {
	return func(context.Context) (sdk.Transport, func(), error) {
		return mcpTransport{r: r, server: server}, nil, nil
	}
}

// Deliver hands a message the SDK's server started to strata's client of that server.
func (r *MCPRelay) Deliver(server string, raw json.RawMessage) error {
	msg, err := jsonrpc.DecodeMessage(raw)
	if err != nil {
		return fmt.Errorf("mcp_message for %q: %v", server, err)
	}
	r.mu.Lock()
	c := r.live[server]
	r.mu.Unlock()
	if c == nil {
		return fmt.Errorf("SDK MCP server not connected: %s", server)
	}
	c.push(msg)
	return nil
}

type mcpTransport struct {
	r      *MCPRelay
	server string
}

func (t mcpTransport) Connect(context.Context) (sdk.Connection, error) {
	ctx, cancel := context.WithCancel(context.Background())
	c := &mcpConn{relay: t.r, server: t.server, life: ctx, cancel: cancel, in: make(chan jsonrpc.Message, 64)}
	t.r.mu.Lock()
	t.r.live[t.server] = c
	t.r.mu.Unlock()
	return c, nil
}

// mcpConn is one go-sdk Connection to an SDK server. Writes return at once; answers to calls
// are read from in when the SDK sends them.
type mcpConn struct {
	relay  *MCPRelay
	server string
	life   context.Context // ends at Close: pending relays give up
	cancel context.CancelFunc
	in     chan jsonrpc.Message
	once   sync.Once
}

func (c *mcpConn) Read(ctx context.Context) (jsonrpc.Message, error) {
	select {
	case m := <-c.in:
		return m, nil
	case <-c.life.Done():
		return nil, sdk.ErrConnectionClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (c *mcpConn) push(m jsonrpc.Message) {
	select {
	case c.in <- m:
	case <-c.life.Done():
	}
}

// Write relays one message. A call's answer is waited for in the background and read back
// by Read; notifications and responses get an empty answer, which is dropped.
func (c *mcpConn) Write(_ context.Context, m jsonrpc.Message) error {
	if c.life.Err() != nil {
		return sdk.ErrConnectionClosed
	}
	raw, err := jsonrpc.EncodeMessage(m)
	if err != nil {
		return err
	}
	req := map[string]any{"subtype": "mcp_message", "server_name": c.server, "message": json.RawMessage(raw)}
	call, isCall := m.(*jsonrpc.Request)
	if isCall && !call.IsCall() {
		isCall = false
	}
	go func() {
		body, err := c.relay.conn.Request(c.life, req)
		if !isCall || c.life.Err() != nil {
			return
		}
		c.push(c.answer(call.ID, body, err))
	}()
	return nil
}

// answer reads the SDK's {"mcp_response": …}; a failed relay becomes an error response, so
// the call that waits for it ends instead of hanging.
func (c *mcpConn) answer(id jsonrpc.ID, body json.RawMessage, err error) jsonrpc.Message {
	if err == nil {
		var env struct {
			Response json.RawMessage `json:"mcp_response"`
		}
		if err = json.Unmarshal(body, &env); err == nil {
			var msg jsonrpc.Message
			if msg, err = jsonrpc.DecodeMessage(env.Response); err == nil {
				if resp, ok := msg.(*jsonrpc.Response); ok {
					return resp
				}
				err = errors.New("the answer is not a JSON-RPC response")
			}
		}
		err = fmt.Errorf("the SDK's answer to mcp_message: %v", err)
	}
	return &jsonrpc.Response{ID: id, Error: fmt.Errorf("SDK MCP server %s: %w", c.server, err)}
}

func (c *mcpConn) Close() error {
	c.once.Do(func() {
		c.cancel()
		c.relay.mu.Lock()
		if c.relay.live[c.server] == c {
			delete(c.relay.live, c.server)
		}
		c.relay.mu.Unlock()
	})
	return nil
}

func (c *mcpConn) SessionID() string { return "" }

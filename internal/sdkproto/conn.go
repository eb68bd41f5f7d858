// Package sdkproto speaks the control protocol of the Claude Agent SDK (../shared/spec/AGENT-SDK.md)
// over JSON lines: the SDK writes user turns and control requests on strata's stdin, strata
// writes conversation messages, control responses and its own control requests (permission
// questions, hook callbacks) on stdout. Conn reads stdin concurrently with a running turn, so
// an interrupt or a permission answer arrives while the model or a tool is at work. It knows
// nothing about the agent: requests from the SDK go to a Handler, user turns to a queue.
package sdkproto

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/google/uuid"
)

// maxLine bounds one stdin line (a user turn may carry images).
const maxLine = 64 << 20

// Handler answers one control request from the SDK: the value becomes the success
// response's "response" (nil: none), an error the error response's text. ctx ends when the
// SDK cancels the request or the connection closes.
type Handler func(ctx context.Context, subtype string, request json.RawMessage) (any, error)

// UserTurn is one user message from the SDK.
type UserTurn struct {
	Message json.RawMessage // {"role":"user","content":…}
	UUID    string
}

// ErrCanceled is what Request returns for a request strata cancelled (CancelPending).
var ErrCanceled = errors.New("the request was cancelled")

// Conn is one SDK connection. Its write methods are safe for concurrent use: every line is
// written whole, under one lock.
type Conn struct {
	out     io.Writer
	handler Handler
	inline  map[string]bool // subtypes answered before the next line is read
	turns   chan UserTurn

	wmu      sync.Mutex
	mu       sync.Mutex
	pending  map[string]chan reply         // strata's requests awaiting the SDK's answer
	running  map[string]context.CancelFunc // the SDK's requests being handled
	handlers sync.WaitGroup                // the running handlers, waited for at end of input
}

type reply struct {
	body json.RawMessage
	err  error
}

// New returns a Conn writing lines to out and handing control requests to h. Requests whose
// subtype is in inline (initialize) are handled before the next stdin line is read, so their
// effect is in place before the user turn that follows them.
func New(out io.Writer, h Handler, inline ...string) *Conn {
	c := &Conn{out: out, handler: h, inline: map[string]bool{}, turns: make(chan UserTurn, 1024),
		pending: map[string]chan reply{}, running: map[string]context.CancelFunc{}}
	for _, s := range inline {
		c.inline[s] = true
	}
	return c
}

// Turns delivers user turns in order; it is closed when stdin ends or breaks.
func (c *Conn) Turns() <-chan UserTurn { return c.turns }

// inbound is any line the SDK writes.
type inbound struct {
	Type      string          `json:"type"`
	RequestID string          `json:"request_id"`
	Request   json.RawMessage `json:"request"`
	Response  *struct {
		Subtype   string          `json:"subtype"`
		RequestID string          `json:"request_id"`
		Response  json.RawMessage `json:"response"`
		Error     string          `json:"error"`
	} `json:"response"`
	Message json.RawMessage `json:"message"`
	UUID    string          `json:"uuid"`
}

// Serve reads r until it ends, dispatching every line. It returns nil at end of input and an
// error for a line that is not a JSON object (the SDK never writes one). Before it returns,
// the handlers still running finish and answer; then Turns is closed.
func (c *Conn) Serve(ctx context.Context, r io.Reader) error {
	defer close(c.turns)
	defer c.handlers.Wait()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var in inbound
		if err := json.Unmarshal(line, &in); err != nil {
			return fmt.Errorf("stdin line %d is not a JSON message: %v", n, err)
		}
		if err := c.dispatch(ctx, in); err != nil {
			return fmt.Errorf("stdin line %d: %w", n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("reading stdin: %w", err)
	}
	return nil
}

func (c *Conn) dispatch(ctx context.Context, in inbound) error {
	switch in.Type {
	case "user":
		if len(in.Message) == 0 {
			return errors.New(`a user turn needs "message"`)
		}
		c.turns <- UserTurn{Message: in.Message, UUID: in.UUID}
	case "control_request":
		c.serveRequest(ctx, in.RequestID, in.Request)
	case "control_response":
		if in.Response != nil {
			c.complete(in.Response.RequestID, in.Response.Subtype, in.Response.Response, in.Response.Error)
		}
	case "control_cancel_request":
		c.mu.Lock()
		cancel := c.running[in.RequestID]
		delete(c.running, in.RequestID) // marks it cancelled: its handler does not answer
		c.mu.Unlock()
		if cancel != nil {
			cancel()
		}
	case "keep_alive", "update_environment_variables":
		// Nothing to do: keep_alive only proves the SDK is there.
	default:
		return fmt.Errorf("unknown message type %q", in.Type)
	}
	return nil
}

// serveRequest runs the handler for one SDK request and answers it.
func (c *Conn) serveRequest(ctx context.Context, id string, raw json.RawMessage) {
	var head struct {
		Subtype string `json:"subtype"`
	}
	if err := json.Unmarshal(raw, &head); err != nil || head.Subtype == "" {
		c.respond(id, nil, errors.New("the control request has no subtype"))
		return
	}
	if c.inline[head.Subtype] {
		v, err := c.handler(ctx, head.Subtype, raw)
		c.respond(id, v, err)
		return
	}
	rctx, cancel := context.WithCancel(ctx)
	c.mu.Lock()
	c.running[id] = cancel
	c.mu.Unlock()
	c.handlers.Add(1)
	go func() {
		defer c.handlers.Done()
		defer cancel()
		v, err := c.handler(rctx, head.Subtype, raw)
		c.mu.Lock()
		_, live := c.running[id]
		delete(c.running, id)
		c.mu.Unlock()
		if live { // a request the SDK cancelled expects no answer
			c.respond(id, v, err)
		}
	}()
}

// respond writes the control_response for the SDK's request id.
func (c *Conn) respond(id string, v any, err error) {
	body := map[string]any{"subtype": "success", "request_id": id}
	if err != nil {
		body = map[string]any{"subtype": "error", "request_id": id, "error": err.Error()}
	} else if v != nil {
		body["response"] = v
	}
	_ = c.WriteLine(map[string]any{"type": "control_response", "response": body})
}

// Request sends strata's own control request (can_use_tool, hook_callback, mcp_message) and
// waits for the answer. When ctx ends first, the SDK is told with control_cancel_request.
func (c *Conn) Request(ctx context.Context, request any) (json.RawMessage, error) {
	id := uuid.NewString()
	ch := make(chan reply, 1)
	c.mu.Lock()
	c.pending[id] = ch
	c.mu.Unlock()
	if err := c.WriteLine(map[string]any{"type": "control_request", "request_id": id, "request": request}); err != nil {
		c.forget(id)
		return nil, err
	}
	select {
	case r := <-ch:
		return r.body, r.err
	case <-ctx.Done():
		if c.forget(id) {
			_ = c.WriteLine(map[string]any{"type": "control_cancel_request", "request_id": id})
		}
		return nil, ctx.Err()
	}
}

// forget drops a pending request; false when it was already answered or cancelled.
func (c *Conn) forget(id string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.pending[id]
	delete(c.pending, id)
	return ok
}

// CancelPending cancels every request strata is waiting on, telling the SDK first; the
// waiters get ErrCanceled. An interrupt does this before it is confirmed, as the reference does.
func (c *Conn) CancelPending() {
	c.mu.Lock()
	pending := c.pending
	c.pending = map[string]chan reply{}
	c.mu.Unlock()
	for id, ch := range pending {
		_ = c.WriteLine(map[string]any{"type": "control_cancel_request", "request_id": id})
		ch <- reply{err: ErrCanceled}
	}
}

// complete hands the SDK's answer to the request waiting for it; answers to cancelled or
// unknown requests are ignored, as the reference ignores them.
func (c *Conn) complete(id, subtype string, body json.RawMessage, errText string) {
	c.mu.Lock()
	ch := c.pending[id]
	delete(c.pending, id)
	c.mu.Unlock()
	if ch == nil {
		return
	}
	if subtype == "error" {
		if strings.TrimSpace(errText) == "" {
			errText = "the SDK answered with an error"
		}
		ch <- reply{err: &RemoteError{Message: errText}}
		return
	}
	ch <- reply{body: body}
}

// RemoteError is an error answer from the SDK.
type RemoteError struct{ Message string }

func (e *RemoteError) Error() string { return e.Message }

// WriteLine writes v as one JSON line. Like the reference, it leaves <, > and & unescaped.
func (c *Conn) WriteLine(v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encoding a message for the SDK: %w", err)
	}
	_, err := c.Write(buf.Bytes())
	return err
}

// Write writes p under the line lock; callers write whole lines (render's Printer does).
func (c *Conn) Write(p []byte) (int, error) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.out.Write(p)
}

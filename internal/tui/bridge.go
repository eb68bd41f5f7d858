package tui

import (
	"context"
	"errors"
	"sync"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-agent/strata/internal/agent"
	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tui/dialog"
	"github.com/strata-agent/strata/internal/tui/transcript"
)

// bridgeBuffer is how many agent messages may wait for the UI before the agent waits too.
const bridgeBuffer = 512

// errUIClosed answers permission requests that arrive after the UI has gone.
var errUIClosed = errors.New("the terminal UI has closed")

// Bridge carries what the agent's goroutines report to the UI, in order, as program
// messages: it is the agent's Sink (Event), the Env's Todos callback and the session's
// permission.Approver. Nothing it carries is dropped; when the UI falls behind, the agent
// waits. After Close every call returns at once.
type Bridge struct {
	msgs      chan tea.Msg
	done      chan struct{}
	closeOnce sync.Once
}

// NewBridge returns a Bridge for one UI.
func NewBridge() *Bridge {
	return &Bridge{msgs: make(chan tea.Msg, bridgeBuffer), done: make(chan struct{})}
}

// Messages from the agent side.
type (
	eventMsg struct{ ev agent.Event }
	todosMsg struct{ todos []transcript.Todo }
)

// Event reports one agent event (agent.Config.Sink).
func (b *Bridge) Event(ev agent.Event) { b.send(eventMsg{ev}) }

// Todos reports the list TodoWrite wrote (tool.Env.Todos). It is the one place the UI names
// a type of internal/tool: the list becomes the transcript's own Todo here, on the agent's
// side, so no part of the UI depends on the tools.
func (b *Bridge) Todos(todos []tool.Todo) {
	out := make([]transcript.Todo, len(todos))
	for i, td := range todos {
		out[i] = transcript.Todo{Content: td.Content, Status: td.Status}
	}
	b.send(todosMsg{out})
}

// Approve shows the permission dialog and waits for the answer, the end of ctx (the user
// interrupted the turn) or the end of the UI.
func (b *Bridge) Approve(ctx context.Context, req permission.Request) (permission.Answer, error) {
	reply := make(chan permission.Answer, 1) // buffered: the UI never waits on it
	if !b.send(dialog.Ask{Request: req, Reply: reply}) {
		return permission.Answer{}, errUIClosed
	}
	select {
	case ans := <-reply:
		return ans, nil
	case <-ctx.Done():
		return permission.Answer{}, ctx.Err()
	case <-b.done:
		return permission.Answer{}, errUIClosed
	}
}

// Close ends the bridge: senders and waiting approvals return.
func (b *Bridge) Close() { b.closeOnce.Do(func() { close(b.done) }) }

// send queues msg for the UI; false when the UI has closed.
func (b *Bridge) send(msg tea.Msg) bool {
	select {
	case <-b.done:
		return false
	default:
	}
	select {
	case b.msgs <- msg:
		return true
	case <-b.done:
		return false
	}
}

// listen waits for the next message (a command of the running program).
func (b *Bridge) listen() tea.Cmd {
	return func() tea.Msg {
		select {
		case msg := <-b.msgs:
			return bridged{msg}
		case <-b.done:
			return nil
		}
	}
}

// bridged wraps a message that came through the bridge, so the model knows to listen again.
type bridged struct{ msg tea.Msg }

package tui

import (
	"context"
	"errors"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-agent/strata/internal/agent"
	"github.com/strata-agent/strata/internal/permission"
)

func TestBridgeAfterCloseNeverBlocks(t *testing.T) {
	b := &Bridge{msgs: make(chan tea.Msg, 1), done: make(chan struct{})}
	b.Event(agent.Event{Kind: agent.EventUser}) // fills the buffer
	b.Close()
	b.Event(agent.Event{Kind: agent.EventUser}) // would block on a full buffer if the close were ignored
	if _, err := b.Approve(context.Background(), permission.Request{}); !errors.Is(err, errUIClosed) {
		t.Errorf("Approve after Close: %v", err)
	}
}

func TestApproveEndsWithItsContext(t *testing.T) {
	b := NewBridge()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := b.Approve(ctx, permission.Request{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err %v", err)
	}
}

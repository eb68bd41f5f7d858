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

func TestParseAndExpandCustomCommands(t *testing.T) {
	tests := []struct {
		file, args, want, desc string
	}{
		{"Fix issue $ARGUMENTS now.", "#12", "Fix issue #12 now.", "Fix issue $ARGUMENTS now."},
		{"---\ndescription: \"Quote it\"\n---\nSay $1, then $2.", "a b c", "Say a, then b.", "Quote it"},
		{"# Tidy up\nTidy the code.", "", "# Tidy up\nTidy the code.", "Tidy up"},
		{"Plain.", "extra words", "Plain.\n\nARGUMENTS: extra words", "Plain."},
		{"---\r\nargument-hint: <x>\r\n---\r\nBody $2.", "one", "Body .", "Body $2."},
	}
	for _, tt := range tests {
		c := parseCommand(tt.file)
		if got := c.expand(tt.args); got != tt.want || c.description != tt.desc {
			t.Errorf("%q with %q: %q (description %q), want %q (%q)", tt.file, tt.args, got, c.description, tt.want, tt.desc)
		}
	}
}

package tui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-agent/strata/internal/agent"
	"github.com/strata-agent/strata/internal/llm"
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

func TestMatchPathsRanksPrefixesFirst(t *testing.T) {
	paths := []string{"docs/main.md", "main.go", "cmd/", "cmd/main/main.go", "internal/domain.go"}
	got := matchPaths(paths, "ma", 10)
	want := []string{"main.go", "docs/main.md", "cmd/main/main.go", "internal/domain.go"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if got := matchPaths(paths, "MAIN", 1); len(got) != 1 || got[0] != "main.go" {
		t.Errorf("limit or case: %v", got)
	}
}

func TestDescribeRetry(t *testing.T) {
	tests := []struct {
		n    llm.Notice
		want string
	}{
		{llm.Notice{Attempt: 2, MaxAttempts: 11, Delay: 4 * time.Second, Err: &llm.Error{Kind: llm.ErrThrottled}}, "throttled, retrying in 4s (2/10)"},
		{llm.Notice{Attempt: 1, MaxAttempts: 3, Delay: 500 * time.Millisecond, Err: errors.New("503 ServiceUnavailable\nmore")}, "503 ServiceUnavailable, retrying in 0.5s (1/2)"},
		{llm.Notice{Attempt: 1, Delay: time.Second}, "the request failed, retrying in 1s (1/1)"},
	}
	for _, tt := range tests {
		if got := describeRetry(&tt.n); got != tt.want {
			t.Errorf("describeRetry = %q, want %q", got, tt.want)
		}
	}
}

func TestLimitedBufferKeepsTheStart(t *testing.T) {
	b := limitedBuffer{max: 5}
	for _, s := range []string{"abc", "defg", "h"} {
		if n, err := b.Write([]byte(s)); n != len(s) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", s, n, err)
		}
	}
	if b.buf.String() != "abcde" || b.dropped != 3 {
		t.Errorf("kept %q, dropped %d", b.buf.String(), b.dropped)
	}
}

func TestHistoryKeepsTheNewestAndRewritesALongFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.jsonl")
	h := loadHistory(path)
	for i := 0; i < historyKeep+20; i++ {
		h.add(fmt.Sprintf("prompt %d", i))
	}
	h.add(fmt.Sprintf("prompt %d", historyKeep+19)) // a repeat is not stored twice
	again := loadHistory(path)
	if len(again.entries) != historyKeep || again.entries[0] != "prompt 20" || !strings.HasSuffix(again.entries[historyKeep-1], fmt.Sprint(historyKeep+19)) {
		t.Fatalf("%d entries, first %q", len(again.entries), again.entries[0])
	}
	if third := loadHistory(path); len(third.entries) != historyKeep {
		t.Errorf("the rewritten file holds %d entries", len(third.entries))
	}
}

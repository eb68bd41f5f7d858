package tui

import (
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/llm"
)

// rewindHost is the fake host with checkpoints.
type rewindHost struct {
	*fakeHost
	points []RewindPoint
	calls  []string
}

func (r *rewindHost) RewindPoints() ([]RewindPoint, error) { return r.points, nil }

func (r *rewindHost) Rewind(id string, code, conversation bool) (RewindResult, error) {
	what := id
	if code {
		what += " code"
	}
	if conversation {
		what += " conversation"
	}
	r.calls = append(r.calls, what)
	res := RewindResult{Conversation: conversation}
	if code {
		res.Files = []string{"/p/a.txt"}
	}
	return res, nil
}

func newRewindHarness(t *testing.T, points []RewindPoint) (*harness, *rewindHost) {
	var rh *rewindHost
	h := newHarness(t, func(o *Options) {
		rh = &rewindHost{fakeHost: o.Host.(*fakeHost), points: points}
		o.Host = rh
	})
	return h, rh
}

// TestEscEscOpensRewind: two Escs close together on an empty input open the rewind picker,
// latest prompt first; Escs far apart, or with text in the input, do not.
func TestEscEscOpensRewind(t *testing.T) {
	at := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	h, _ := newRewindHarness(t, []RewindPoint{
		{ID: "p1", Content: []llm.ContentBlock{llm.TextBlock("These are the project's instruction files (CLAUDE.md). x"), llm.TextBlock("first prompt")}, Time: at, Checkpoint: true},
		{ID: "p2", Content: []llm.ContentBlock{llm.TextBlock("second prompt")}, Time: at, Checkpoint: true, Files: []string{"/p/a.txt"}, Insertions: 1, Deletions: 2},
	})
	h.key("esc")
	h.now = h.now.Add(2 * time.Second)
	h.key("esc")
	if h.m.picker != nil {
		t.Fatal("two Escs two seconds apart opened the picker")
	}
	h.typeText("draft")
	h.key("esc", "esc")
	if h.m.picker != nil {
		t.Fatal("Esc Esc with text in the input opened the picker")
	}
	h.m.input.Reset()
	h.key("esc", "esc")
	if h.m.picker == nil {
		t.Fatal("Esc Esc on an empty input did not open the picker")
	}
	view := h.view()
	h.mustShow(view, "Rewind: restore the code and/or conversation", "❯ second prompt", "a.txt +1 -2", "first prompt", "no code changes")
	h.mustNotShow(view, "instruction files")
}

// TestRewindChoices: restoring both puts the prompt back in the input and names the files
// and what is not covered; without checkpoints only the conversation is offered.
func TestRewindChoices(t *testing.T) {
	at := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	h, rh := newRewindHarness(t, []RewindPoint{
		{ID: "p1", Content: []llm.ContentBlock{llm.TextBlock("make it blue")}, Time: at, Checkpoint: true, Files: []string{"/p/a.txt"}, Insertions: 1},
	})
	h.enterLine("/rewind")
	h.key("enter") // the only prompt
	h.mustShow(h.view(), "❯ Restore code and conversation", "Restore conversation", "Restore code", "Never mind")
	h.key("enter")
	h.settle()
	if len(rh.calls) != 1 || rh.calls[0] != "p1 code conversation" {
		t.Errorf("calls %v", rh.calls)
	}
	if h.m.input.Value() != "make it blue" {
		t.Errorf("the input holds %q", h.m.input.Value())
	}
	h.mustShow(h.out(), "Bash commands", "not restored", "Restored 1 file: /p/a.txt", "that prompt is back in")

	h2, rh2 := newRewindHarness(t, []RewindPoint{{ID: "p9", Content: []llm.ContentBlock{llm.TextBlock("hello")}, Time: at,
		Off: "fileCheckpointingEnabled is false in settings.json"}})
	h2.enterLine("/rewind")
	h2.mustShow(h2.view(), "restore the conversation to the point before… (fileCheckpointing", "no code restore")
	h2.key("enter")
	h2.mustNotShow(h2.view(), "Restore code")
	h2.key("down", "enter") // Never mind
	h2.settle()
	if len(rh2.calls) != 0 {
		t.Errorf("never mind restored: %v", rh2.calls)
	}
}

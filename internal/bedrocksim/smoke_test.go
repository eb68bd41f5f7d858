package bedrocksim_test

import (
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/bedrocksim"
	"github.com/strata-agent/strata/internal/llm"
)

func TestEchoStreamAndInvoke(t *testing.T) {
	srv := start(t, bedrocksim.Config{})
	rt := runtimeClient(srv, clientOpts{})
	evs, err := stream(rt, sonnet45, body(nil))
	if err != nil {
		t.Fatal(err)
	}
	resp := accumulate(t, evs)
	if got := textOf(resp); got != "echo: hello there" {
		t.Errorf("text = %q", got)
	}
	if !strings.HasPrefix(resp.ID, "msg_bdrk_") || resp.Model != sonnet45 || resp.StopReason != llm.StopEndTurn {
		t.Errorf("response = %+v", resp)
	}
	deltas := 0
	for _, e := range evs {
		if e.Type == llm.EventContentBlockDelta {
			deltas++
		}
	}
	if deltas < 3 {
		t.Errorf("text came in %d deltas, want one per word", deltas)
	}
	last := evs[len(evs)-1]
	if last.Type != llm.EventMessageStop || last.Metrics == nil || last.Metrics.OutputTokenCount == 0 {
		t.Errorf("last event = %+v", last)
	}
	r2, err := invoke(rt, sonnet45, body(nil))
	if err != nil {
		t.Fatal(err)
	}
	if textOf(r2) != "echo: hello there" || r2.ID == resp.ID {
		t.Errorf("invoke = %+v", r2)
	}
}

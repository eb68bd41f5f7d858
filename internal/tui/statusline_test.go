package tui

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestStatusLineShowsTheCommandsLineAndRefreshesDebounced(t *testing.T) {
	h := newHarness(t, func(o *Options) {
		o.Host.(*fakeHost).statusLine = func(n int) (string, bool, error) {
			if n == 3 {
				return "", true, errors.New("statusLine: exit status 1")
			}
			return fmt.Sprintf("MY-LINE %d", n), true, nil
		}
	})
	h.m.statusLine.delay = time.Millisecond
	h.settle()
	if !strings.Contains(h.view(), "MY-LINE 1") || h.host.runs() != 1 {
		t.Fatalf("after start: %d runs, view:\n%s", h.host.runs(), h.view())
	}
	// Three changes in a row run the command once: the later requests supersede the earlier.
	for range 3 {
		h.exec(h.m.refreshStatusLine())
	}
	h.settle()
	if h.host.runs() != 2 || !strings.Contains(h.view(), "MY-LINE 2") {
		t.Fatalf("after a burst: %d runs, view:\n%s", h.host.runs(), h.view())
	}
	// A failing command gives strata's own footer back.
	h.exec(h.m.refreshStatusLine())
	h.settle()
	if strings.Contains(h.view(), "MY-LINE") || !strings.Contains(h.view(), "estimated") {
		t.Fatalf("after a failure, view:\n%s", h.view())
	}
	// A turn refreshes it.
	h.enterLine("hello")
	h.settle()
	if h.host.runs() < 4 || !strings.Contains(h.view(), "MY-LINE") {
		t.Fatalf("after a turn: %d runs, view:\n%s", h.host.runs(), h.view())
	}
}

func TestNoStatusLineStopsAsking(t *testing.T) {
	h := newHarness(t, nil)
	h.settle()
	if !h.m.statusLine.off || h.m.refreshStatusLine() != nil {
		t.Error("with no statusLine the UI should stop asking")
	}
}

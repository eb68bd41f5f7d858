package tui

import (
	"errors"
	"fmt"
	"testing"
)

// togglingHost is the fake host with /plugin enable and disable.
type togglingHost struct {
	*fakeHost
	calls []string
}

func (h *togglingHost) TogglePlugin(name string, on bool, scope string) ([]string, error) {
	h.calls = append(h.calls, fmt.Sprintf("%s %v %q", name, on, scope))
	if name == "broken" {
		return nil, errors.New("cannot enable broken")
	}
	return []string{fmt.Sprintf("%s switched", name)}, nil
}

func TestPluginEnableAndDisable(t *testing.T) {
	var th *togglingHost
	h := newHarness(t, func(o *Options) {
		th = &togglingHost{fakeHost: o.Host.(*fakeHost)}
		o.Host = th
	})
	h.enterLine("/plugin enable tools@local")
	h.settle()
	h.mustShow(h.out(), "tools@local switched")
	h.enterLine("/plugin disable --scope local tools")
	h.settle()
	h.enterLine("/plugin enable broken --scope=user")
	h.settle()
	h.mustShow(h.out(), "cannot enable broken")
	h.enterLine("/plugin enable")
	h.settle()
	h.mustShow(h.out(), "usage: /plugin")
	want := []string{`tools@local true ""`, `tools false "local"`, `broken true "user"`}
	if fmt.Sprint(th.calls) != fmt.Sprint(want) {
		t.Fatalf("calls %q, want %q", th.calls, want)
	}
}

// A host without the toggle says so instead of failing.
func TestPluginToggleNeedsTheHost(t *testing.T) {
	h := newHarness(t, nil)
	h.enterLine("/plugin disable tools")
	h.settle()
	h.mustShow(h.out(), "cannot turn plugins on or off")
}

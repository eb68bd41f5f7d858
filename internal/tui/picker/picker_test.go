package picker

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/strata-agent/strata/internal/tui/look"
)

func TestSearchNarrowsAndEnterChooses(t *testing.T) {
	items := []Item{{Label: "fix the bug", Detail: "2h ago", Value: "a"}, {Label: "write docs", Detail: "1d ago", Value: "b"},
		{Label: "write tests", Detail: "3d ago", Value: "c", Current: true}}
	p := New(look.NewStyles(), "Pick", items)
	for _, r := range "WRITE 3d" {
		p.Key(string(r), string(r))
	}
	v := ansi.Strip(p.View(60, 10))
	if !strings.Contains(v, "❯ write tests (current)  3d ago") || strings.Contains(v, "write docs") || !strings.Contains(v, "Search: WRITE 3d") {
		t.Errorf("after searching:\n%s", v)
	}
	if out, value := p.Key("enter", ""); out != Chosen || value != "c" {
		t.Errorf("enter: %v %q", out, value)
	}
	for range 3 {
		p.Key("backspace", "")
	}
	p.Key("down", "")
	if out, value := p.Key("enter", ""); out != Chosen || value != "c" {
		t.Errorf("after widening the search and moving down: %v %q", out, value)
	}
	p.Key("x", "x")
	if v := ansi.Strip(p.View(60, 10)); !strings.Contains(v, "nothing matches") {
		t.Errorf("no match:\n%s", v)
	}
	if out, _ := p.Key("enter", ""); out != Nothing {
		t.Errorf("enter with nothing to choose: %v", out)
	}
	if out, _ := p.Key("esc", ""); out != Closed {
		t.Errorf("esc: %v", out)
	}
}

func TestTheListScrollsWithinItsRows(t *testing.T) {
	var items []Item
	for _, l := range strings.Fields("a b c d e f g h") {
		items = append(items, Item{Label: "item " + l, Value: l})
	}
	p := New(look.NewStyles(), "Pick", items)
	for range 5 {
		p.Key("down", "")
	}
	v := ansi.Strip(p.View(40, 6))
	if n := strings.Count(v, "\n") + 1; n != 6 || !strings.Contains(v, "❯ item f") || strings.Contains(v, "item a") || !strings.Contains(v, "8 items") {
		t.Errorf("%d lines:\n%s", n, v)
	}
}

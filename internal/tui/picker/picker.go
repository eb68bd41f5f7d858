// Package picker is the part of the terminal UI that lets the user choose one of a list —
// a saved session to resume, a model — by moving through it or typing words that narrow it.
//
// It is a package of its own so that the list, the search and the selection have one owner;
// what a choice does is the caller's, which gets back only the chosen item's Value.
package picker

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/strata-agent/strata/internal/tui/look"
)

// Item is one choice: a label, details shown after it, and the value the caller gets back.
type Item struct {
	Label, Detail, Value string
	Current              bool // the one in use now, marked
}

// Outcome is what a key did.
type Outcome int

const (
	Nothing Outcome = iota // moved, searched, or ignored
	Chosen                 // Enter on an item: Value says which
	Closed                 // Esc: nothing chosen
)

// Picker is a list on offer. Its methods run on the UI's goroutine only.
type Picker struct {
	st     look.Styles
	title  string
	items  []Item
	search string
	shown  []int // indexes of the items the search keeps
	sel    int   // in shown
	top    int   // the first of shown on screen
}

// New offers items under title; the first item is selected.
func New(st look.Styles, title string, items []Item) *Picker {
	p := &Picker{st: st, title: title, items: items}
	p.filter()
	return p
}

// Key handles one key press (its Bubble Tea name, and the text it types, if any).
func (p *Picker) Key(key, text string) (Outcome, string) {
	switch key {
	case "esc", "ctrl+c":
		return Closed, ""
	case "enter":
		if len(p.shown) == 0 {
			return Nothing, ""
		}
		return Chosen, p.items[p.shown[p.sel]].Value
	case "up", "ctrl+p":
		p.move(-1)
	case "down", "ctrl+n", "tab":
		p.move(1)
	case "pgup":
		p.move(-5)
	case "pgdown":
		p.move(5)
	case "backspace":
		if p.search != "" {
			_, n := utf8.DecodeLastRuneInString(p.search)
			p.search = p.search[:len(p.search)-n]
			p.filter()
		}
	default:
		if text != "" && !strings.ContainsAny(text, "\n\r\t\x1b") {
			p.search += text
			p.filter()
		}
	}
	return Nothing, ""
}

func (p *Picker) move(by int) {
	if len(p.shown) > 0 {
		p.sel = min(max(p.sel+by, 0), len(p.shown)-1)
	}
}

// filter keeps the items whose label and details hold every word of the search.
func (p *Picker) filter() {
	words := strings.Fields(strings.ToLower(p.search))
	p.shown, p.sel, p.top = p.shown[:0], 0, 0
	for i, it := range p.items {
		hay := strings.ToLower(it.Label + " " + it.Detail)
		keep := true
		for _, w := range words {
			keep = keep && strings.Contains(hay, w)
		}
		if keep {
			p.shown = append(p.shown, i)
		}
	}
}

// View draws the picker in at most rows lines of width columns: the title, the search, the
// items in view (the selected one marked), and the keys.
func (p *Picker) View(width, rows int) string {
	out := []string{p.st.Accent.Render(ansi.Truncate("╭─ "+p.title, max(width, 10), "…"))}
	search := p.st.Dim.Render("type to search")
	if p.search != "" {
		search = p.search + "▏"
	}
	out = append(out, p.st.Accent.Render("│ ")+"Search: "+search)
	room := max(rows-3, 1)
	p.top = min(max(p.top, p.sel-room+1), p.sel)
	end := min(p.top+room, len(p.shown))
	if len(p.shown) == 0 {
		out = append(out, p.st.Accent.Render("│ ")+p.st.Dim.Render("nothing matches"))
	}
	for i := p.top; i < end; i++ {
		it := p.items[p.shown[i]]
		text := it.Label
		if it.Current {
			text += " (current)"
		}
		if it.Detail != "" {
			text += "  " + p.st.Dim.Render(it.Detail)
		}
		text = ansi.Truncate(text, max(width-6, 10), "…")
		if i == p.sel {
			out = append(out, p.st.Accent.Render("│ ")+p.st.Selected.Render("❯ ")+text)
		} else {
			out = append(out, p.st.Accent.Render("│ ")+"  "+text)
		}
	}
	hint := " ↑/↓ move · Enter chooses · Esc closes"
	if end < len(p.shown) || p.top > 0 {
		hint = " " + look.Plural(len(p.shown), "item") + " ·" + hint
	}
	out = append(out, p.st.Accent.Render("╰─")+p.st.Dim.Render(ansi.Truncate(hint, max(width-2, 1), "…")))
	return strings.Join(out, "\n")
}

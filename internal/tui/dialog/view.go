package dialog

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tui/look"
)

// minBody is the fewest lines of a request's body shown, however short the terminal.
const minBody = 3

// View draws the request on show in at most height lines of width columns. Nothing of what
// would run is cut: the command is wrapped whole, and a body taller than the room scrolls
// (PgUp, PgDn) between markers that say how much is above and below.
func (d *Dialog) View(width, height int) string {
	req := d.asks[0].Request
	inner := max(width-2, 10)
	bar := d.st.Accent.Render("│ ")
	pinned := d.choiceLines(inner)
	body := d.body(req, inner)
	room := height - 2 - len(pinned) // the title and the bottom line take two
	if len(body) > room && room < minBody {
		// Too short a terminal to keep the answers in view: they scroll with the rest.
		body, pinned, room = append(body, pinned...), nil, max(height-2, minBody)
	}
	body = d.window(body, room, inner)

	out := []string{d.st.Accent.Render("╭─ " + title(req.Call.Tool) + " ")}
	for _, l := range append(body, pinned...) {
		out = append(out, bar+l)
	}
	hint := " Enter chooses · n says no · Esc interrupts the turn"
	if d.maxScroll > 0 {
		hint = " PgUp/PgDn scroll ·" + hint
	}
	if d.ignored > 0 { // say why the keys did nothing, or the next one seems to be lost too
		hint = " " + look.Plural(d.ignored, "key") + " typed ahead ignored · pause, then answer ·" + hint
	}
	out = append(out, d.st.Accent.Render("╰─")+d.st.Dim.Render(ansi.Truncate(hint, max(width-2, 1), "…")))
	return strings.Join(out, "\n")
}

// body is what the request is about, every line fitted to width: for a command the whole
// command and each command it runs, else the summary and the change it would make; then the
// model's description and why strata asks.
func (d *Dialog) body(req permission.Request, width int) []string {
	// The model wrote all of this: its control characters are made visible before any
	// styling, so nothing can be hidden from the person approving it.
	var out []string
	add := func(st lipgloss.Style, first, rest, text string) {
		for _, line := range strings.Split(look.Visible(strings.ReplaceAll(text, "\t", "    ")), "\n") {
			for _, l := range look.WrapIndent(line, width, first, rest) {
				out = append(out, st.Render(l))
			}
			first = rest
		}
	}
	cmd := command(req)
	if cmd != "" {
		add(d.st.Bold, "", "", cmd)
	} else {
		add(d.st.Bold, "", "", req.Summary)
	}
	if detail := detail(req); detail != "" {
		add(d.st.Dim, "", "", detail)
	}
	for _, l := range d.st.Diff(changePreview(req.Call)) {
		out = append(out, look.WrapIndent(l, width, "", "")...)
	}
	if parts := permission.BashCommands(cmd); cmd != "" && len(parts) > 1 {
		out = append(out, "")
		add(lipgloss.NewStyle(), "", "", "It runs "+strconv.Itoa(len(parts))+" commands:")
		for i, p := range parts {
			n := strconv.Itoa(i+1) + ". "
			add(lipgloss.NewStyle(), "  "+n, strings.Repeat(" ", 2+len(n)), p)
		}
	}
	if req.Reason != "" {
		add(d.st.Warn, "", "", req.Reason)
	}
	return out
}

// window cuts body to room lines around the scroll position, with markers for what is above
// and below, and notes how far scrolling can go.
func (d *Dialog) window(body []string, room, width int) []string {
	if len(body) <= room {
		d.maxScroll, d.scroll, d.page = 0, 0, 0
		return body
	}
	page := max(room-2, 1)
	d.maxScroll, d.page = len(body)-page, page
	d.scroll = min(d.scroll, d.maxScroll)
	above, below := d.scroll, len(body)-page-d.scroll
	fit := func(s string) string { return ansi.Truncate(s, width, "…") }
	out := []string{""}
	if above > 0 {
		out[0] = d.st.Dim.Render(fit(fmt.Sprintf("↑ %s above (PgUp)", look.Plural(above, "more line"))))
	}
	out = append(out, body[d.scroll:d.scroll+page]...)
	if below > 0 {
		return append(out, d.st.Warn.Render(fit(fmt.Sprintf("↓ %s below (PgDn)", look.Plural(below, "more line")))))
	}
	return append(out, d.st.Dim.Render("(end)"))
}

// scrollBy moves the body a page less a line, so that the reader keeps their place.
func (d *Dialog) scrollBy(down bool) {
	step := max(d.page-1, 1)
	if !down {
		step = -step
	}
	d.scroll = max(min(d.scroll+step, d.maxScroll), 0)
}

// choiceLines are the part that never scrolls: the question, the answers and the queue.
func (d *Dialog) choiceLines(width int) []string {
	out := []string{""}
	if d.askReason {
		return append(out, "No — "+d.st.Dim.Render("type the reason below"))
	}
	out = append(out, "Allow this?")
	for i, c := range d.choices() {
		label := strconv.Itoa(i+1) + ". " + d.choiceLabel(c)
		mark := "  "
		if i == d.sel {
			mark = "❯ "
		}
		for _, l := range look.WrapIndent(label, width, mark, "     ") {
			l = strings.ReplaceAll(l, nbsp, " ")
			if i == d.sel {
				l = d.st.Selected.Render(l)
			}
			out = append(out, l)
		}
	}
	if n := len(d.asks) - 1; n > 0 {
		out = append(out, d.st.Dim.Render("· "+look.Plural(n, "more request")+" waiting"))
	}
	return out
}

func (d *Dialog) choiceLabel(c choice) string {
	switch c {
	case choiceYes:
		return "Yes, once"
	case choiceAlways:
		rules := slices.Clone(d.rules()) // the Request's own rules are what gets remembered
		for i, r := range rules {
			rules[i] = strings.ReplaceAll(r, " ", nbsp) // a rule is wrapped whole, never inside
		}
		return "Yes, and don't ask again for " + strings.Join(rules, ", ") +
			" in this project (saved to " + localSettings + ")"
	}
	return "No, and tell the model what to do instead"
}

// nbsp holds a rule together while its label is wrapped; it is a plain space again on screen.
const nbsp = "\u00a0"

// command is the command line a Bash call would run; "" for other tools.
func command(req permission.Request) string {
	if req.Call.Tool != "Bash" {
		return ""
	}
	var in struct {
		Command string `json:"command"`
	}
	_ = json.Unmarshal(req.Call.Input, &in) // a bad input shows the summary; the tool reports it
	return in.Command
}

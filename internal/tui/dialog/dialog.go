// Package dialog is the part of the terminal UI that asks for permission (A8): it queues the
// agent's requests, shows the first one — what would run or change, and why it is asked —
// and turns keys into an answer: allow once, allow always (a rule remembered for the
// project), or no with an optional reason the model is told.
//
// It is a package of its own because its state is what a user approves with: the selection,
// the queue and the guard that makes a new dialog ignore keys typed ahead for the prompt can
// only change through its methods, never from another part of the UI.
package dialog

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tui/look"
)

// DefaultGrace is how long a new dialog ignores answers: long enough that keys typed for the
// next prompt do not approve a command nobody read.
const DefaultGrace = 400 * time.Millisecond

// Ask is one permission request and where its answer goes. Reply must have room for one
// answer: the dialog never waits on it.
type Ask struct {
	Request permission.Request
	Reply   chan<- permission.Answer
}

// Dialog is the queue of permission requests, the first one on show. Its methods run on the
// UI's goroutine only.
type Dialog struct {
	st    look.Styles
	now   func() time.Time
	grace time.Duration

	asks      []Ask
	sel       int       // the choice highlighted
	since     time.Time // when the request on show appeared
	askReason bool      // "no" was chosen: the input box takes the reason
}

// New returns an empty dialog. grace is how long a new request ignores keys other than Esc:
// 0 means DefaultGrace, a negative value none (tests).
func New(st look.Styles, grace time.Duration, now func() time.Time) *Dialog {
	switch {
	case grace == 0:
		grace = DefaultGrace
	case grace < 0:
		grace = 0
	}
	return &Dialog{st: st, now: now, grace: grace}
}

// Push queues a request; the first one is shown at once.
func (d *Dialog) Push(a Ask) {
	d.asks = append(d.asks, a)
	if len(d.asks) == 1 {
		d.show()
	}
}

func (d *Dialog) show() { d.sel, d.since = 0, d.now() }

// Open reports whether a request is on show.
func (d *Dialog) Open() bool { return len(d.asks) > 0 }

// AskingReason reports whether the request on show was refused and waits for the reason.
func (d *Dialog) AskingReason() bool { return d.askReason }

// DropAll answers every open request with a refusal that gives reason (the turn ended or was
// interrupted before the user answered).
func (d *Dialog) DropAll(reason string) {
	for _, a := range d.asks {
		a.Reply <- permission.Answer{Reason: reason}
	}
	d.asks, d.askReason = nil, false
}

// Outcome is what a key did to the dialog.
type Outcome int

const (
	Nothing    Outcome = iota // the key was ignored or only moved the selection
	Answered                  // the request on show was answered
	WantReason                // "no" was chosen: the reason is to be typed in the input box
	Interrupt                 // Esc or Ctrl-C: the user interrupts the turn
)

type choice int

const (
	choiceYes choice = iota
	choiceAlways
	choiceNo
)

// choices are the answers the request on show offers: "always" only when there is a rule
// that can be remembered safely (the Request's Suggestion).
func (d *Dialog) choices() []choice {
	if d.asks[0].Request.Suggestion == "" {
		return []choice{choiceYes, choiceNo}
	}
	return []choice{choiceYes, choiceAlways, choiceNo}
}

// Key handles a key while a request is shown and no reason is being typed. A new request
// ignores every key but Esc and Ctrl-C for its grace period.
func (d *Dialog) Key(key string) (Outcome, string) {
	if key != "esc" && key != "ctrl+c" && d.now().Sub(d.since) < d.grace {
		return Nothing, ""
	}
	choices := d.choices()
	switch key {
	case "up", "k", "shift+tab":
		d.sel = (d.sel + len(choices) - 1) % len(choices)
	case "down", "j", "tab":
		d.sel = (d.sel + 1) % len(choices)
	case "y":
		return d.choose(choiceYes)
	case "a":
		if len(choices) == 3 {
			return d.choose(choiceAlways)
		}
	case "n":
		return d.choose(choiceNo)
	case "1", "2", "3":
		if i := int(key[0] - '1'); i < len(choices) {
			return d.choose(choices[i])
		}
	case "enter":
		return d.choose(choices[d.sel])
	case "esc", "ctrl+c": // Esc interrupts the turn everywhere (A11); "no" is n or 3
		return Interrupt, ""
	}
	return Nothing, ""
}

// choose acts on a choice; an "always" answer also returns the line that says what is now
// allowed.
func (d *Dialog) choose(c choice) (Outcome, string) {
	switch c {
	case choiceYes:
		d.answer(permission.Answer{Allow: true})
		return Answered, ""
	case choiceAlways:
		rule := d.asks[0].Request.Suggestion
		d.answer(permission.Answer{Allow: true, Always: true})
		return Answered, rule + " is now allowed in this project (.claude/settings.local.json)"
	}
	d.askReason = true
	return WantReason, ""
}

// Refuse answers the request on show with "no" and the reason typed ("" for none).
func (d *Dialog) Refuse(reason string) {
	d.answer(permission.Answer{Reason: strings.TrimSpace(reason)})
}

// answer replies to the request on show and moves to the next one.
func (d *Dialog) answer(ans permission.Answer) {
	if len(d.asks) == 0 {
		return
	}
	d.asks[0].Reply <- ans
	d.asks, d.askReason = d.asks[1:], false
	d.show()
}

// View draws the request on show for a terminal width columns wide.
func (d *Dialog) View(width int) string {
	req := d.asks[0].Request
	bar := d.st.Accent.Render("│ ")
	title := d.st.Accent.Render("╭─ " + title(req.Call.Tool) + " ")
	// The model wrote what is shown here: make its control characters visible before any
	// styling, so nothing in a command can be hidden from the person approving it.
	fit := func(s string) string { return ansi.Truncate(s, width-2, "…") }
	out := []string{title, bar + d.st.Bold.Render(fit(look.Visible(req.Summary)))}
	if detail := detail(req); detail != "" {
		out = append(out, bar+d.st.Dim.Render(fit(look.Visible(detail))))
	}
	for _, l := range d.st.Diff(changePreview(req.Call)) {
		out = append(out, bar+fit(l))
	}
	if req.Reason != "" {
		for _, l := range look.WrapWords(look.Visible(req.Reason), width-2) {
			out = append(out, bar+d.st.Warn.Render(l))
		}
	}
	out = append(out, bar)
	out = append(out, d.choiceLines(bar)...)
	if n := len(d.asks) - 1; n > 0 {
		out = append(out, bar+d.st.Dim.Render("· "+look.Plural(n, "more request")+" waiting"))
	}
	out = append(out, d.st.Accent.Render("╰─")+d.st.Dim.Render(" Enter chooses · n says no · Esc interrupts the turn"))
	return strings.Join(out, "\n")
}

func (d *Dialog) choiceLines(bar string) []string {
	if d.askReason {
		return []string{bar + "No — " + d.st.Dim.Render("type the reason below")}
	}
	out := []string{bar + "Allow this?"}
	for i, c := range d.choices() {
		label := strconv.Itoa(i+1) + ". " + choiceLabel(c, d.asks[0].Request)
		if i == d.sel {
			out = append(out, bar+d.st.Selected.Render("❯ "+label))
		} else {
			out = append(out, bar+"  "+label)
		}
	}
	return out
}

func choiceLabel(c choice, req permission.Request) string {
	switch c {
	case choiceYes:
		return "Yes"
	case choiceAlways:
		return "Yes, and don't ask again for " + req.Suggestion + " in this project"
	}
	return "No, and tell the model what to do instead"
}

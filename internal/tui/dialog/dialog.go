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
	"strings"
	"time"

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
	st       look.Styles
	now      func() time.Time
	grace    time.Duration
	remember func(rules []string) error

	asks  []Ask
	sel   int       // the choice highlighted
	since time.Time // when the request on show appeared
	// The last two key presses anywhere in the UI (Typed): an answer must come after a pause
	// in typing, so that the rest of a word typed for the input box cannot answer.
	lastKey, prevKey time.Time
	ignored          int  // keys ignored on the request on show, for the hint
	askReason        bool // "no" was chosen: the input box takes the reason
	scroll           int  // the first line of the request's body on show
	// The last drawn layout: how far PgDn may go and by how much depend on the room the
	// dialog has, which only View is told.
	maxScroll, page int
}

// New returns an empty dialog. grace is how long a new request ignores keys other than Esc:
// 0 means DefaultGrace, a negative value none (tests). remember keeps the rules of an
// "always" answer that needs more than the one rule an Answer carries (a command line of
// several commands); nil offers "always" only for a single rule.
func New(st look.Styles, grace time.Duration, now func() time.Time, remember func(rules []string) error) *Dialog {
	switch {
	case grace == 0:
		grace = DefaultGrace
	case grace < 0:
		grace = 0
	}
	return &Dialog{st: st, now: now, grace: grace, remember: remember}
}

// Push queues a request; the first one is shown at once.
func (d *Dialog) Push(a Ask) {
	d.asks = append(d.asks, a)
	if len(d.asks) == 1 {
		d.show()
	}
}

func (d *Dialog) show() { d.sel, d.since, d.scroll, d.maxScroll, d.ignored = 0, d.now(), 0, 0, 0 }

// Typed notes a key press, wherever it goes; the UI calls it for every key before routing it.
func (d *Dialog) Typed() { d.prevKey, d.lastKey = d.lastKey, d.now() }

// Ignored is how many keys the request on show ignored as typed ahead.
func (d *Dialog) Ignored() int { return d.ignored }

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

// choices are the answers the request on show offers: "always" only when there are rules
// that can be remembered safely.
func (d *Dialog) choices() []choice {
	if len(d.rules()) == 0 {
		return []choice{choiceYes, choiceNo}
	}
	return []choice{choiceYes, choiceAlways, choiceNo}
}

// rules are what "always" would remember for the request on show: the Request's Suggestion,
// or for a line of several commands the rules the checker found safe to keep, one per
// command (Request.Suggestions).
func (d *Dialog) rules() []string {
	req := d.asks[0].Request
	if req.Suggestion != "" {
		return []string{req.Suggestion}
	}
	if d.remember == nil {
		return nil
	}
	return req.Suggestions
}

// Key handles a key while a request is shown and no reason is being typed. A new request
// ignores every key but Esc and Ctrl-C for its grace period, and so does any request while
// keys come faster than that (typing that began for the input box).
func (d *Dialog) Key(key string) (Outcome, string) {
	switch key {
	case "pgup", "pgdown": // reading on is never an answer: no grace needed
		d.scrollBy(key == "pgdown")
		return Nothing, ""
	}
	if key != "esc" && key != "ctrl+c" && d.typedAhead() {
		d.ignored++
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

// typedAhead reports whether the key being handled may belong to typing that began before
// the request was read: it came within the grace of the request appearing, or of the key
// before it (typing that goes on).
func (d *Dialog) typedAhead() bool {
	now := d.now()
	return now.Sub(d.since) < d.grace || !d.prevKey.IsZero() && now.Sub(d.prevKey) < d.grace
}

// choose acts on a choice; an "always" answer also returns the line that says what is now
// allowed.
func (d *Dialog) choose(c choice) (Outcome, string) {
	switch c {
	case choiceYes:
		d.answer(permission.Answer{Allow: true})
		return Answered, ""
	case choiceAlways:
		return Answered, d.always()
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

// always answers "yes, and don't ask again" and returns the line that says what is now
// allowed. One rule travels with the Answer (the agent keeps and saves it); several are kept
// through remember before the call is allowed once, so the next call already finds them.
func (d *Dialog) always() string {
	rules := d.rules()
	list := strings.Join(rules, ", ")
	if len(rules) == 1 {
		d.answer(permission.Answer{Allow: true, Always: true})
		return list + " is now allowed in this project (saved to " + localSettings + ")"
	}
	err := d.remember(rules)
	d.answer(permission.Answer{Allow: true})
	if err != nil {
		return "Allowed once; keeping " + list + " failed: " + err.Error()
	}
	return list + " are now allowed in this project (saved to " + localSettings + ")"
}

// localSettings is where "always" answers are saved.
const localSettings = ".claude/settings.local.json"

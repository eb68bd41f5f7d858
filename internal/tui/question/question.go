// Package question is the part of the terminal UI that answers the model's questions to the
// user: AskUserQuestion (one to four multiple-choice questions, with "Type something." for
// an answer of one's own) and ExitPlanMode (approve the plan and pick the mode to work in,
// or keep planning and say what to change). Both arrive as permission requests of the
// "user" class; the answer allows the call with the answers added to its input, as the
// reference does, or refuses it with the user's feedback as the reason.
//
// Like the permission dialog it ignores keys typed ahead of it: a new form takes no answer
// for its grace period, nor while keys come faster than that, except Esc.
package question

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tui/look"
)

// Tool names the part answers.
const (
	AskTool  = "AskUserQuestion"
	PlanTool = "ExitPlanMode"
)

// Handles reports whether the part answers requests for the tool.
func Handles(tool string) bool { return tool == AskTool || tool == PlanTool }

// Ask is one request and where its answer goes; Reply must have room for one answer.
type Ask struct {
	Request permission.Request
	Reply   chan<- permission.Answer
	// Local marks a form the UI put up itself, outside any turn: Esc cancels it.
	Local bool
}

// Outcome is what a key did.
type Outcome int

const (
	Nothing   Outcome = iota // ignored, or it moved within the form
	Answered                 // the form on show was answered
	Interrupt                // Esc or Ctrl-C: the user interrupts the turn
)

// Queue holds the forms waiting, the first one on show. Its methods run on the UI's
// goroutine only.
type Queue struct {
	st      look.Styles
	now     func() time.Time
	grace   time.Duration
	setMode func(permission.Mode)

	forms            []*form
	since            time.Time
	lastKey, prevKey time.Time
	ignored          int
}

// New returns an empty queue. grace as in the permission dialog (0: 400ms, negative: none);
// setMode switches the permission mode when a plan is approved, before the call is allowed.
func New(st look.Styles, grace time.Duration, now func() time.Time, setMode func(permission.Mode)) *Queue {
	switch {
	case grace == 0:
		grace = 400 * time.Millisecond
	case grace < 0:
		grace = 0
	}
	return &Queue{st: st, now: now, grace: grace, setMode: setMode}
}

// Push queues a request. It returns the plan to show in the scrollback when the request
// is ExitPlanMode's ("" otherwise).
func (q *Queue) Push(a Ask) (plan string) {
	f := newForm(a)
	q.forms = append(q.forms, f)
	if len(q.forms) == 1 {
		q.show()
	}
	return f.plan
}

func (q *Queue) show() { q.since, q.ignored = q.now(), 0 }

// Open reports whether a form is on show.
func (q *Queue) Open() bool { return len(q.forms) > 0 }

// Typed notes a key press anywhere in the UI, for the type-ahead guard.
func (q *Queue) Typed() { q.prevKey, q.lastKey = q.lastKey, q.now() }

// DropAll refuses every open request with reason (the turn ended or was interrupted).
func (q *Queue) DropAll(reason string) {
	for _, f := range q.forms {
		f.reply <- permission.Answer{Reason: reason}
	}
	q.forms = nil
}

// Key handles a key for the form on show; text is what the key types, if anything.
func (q *Queue) Key(key, text string) Outcome {
	f := q.forms[0]
	if key == "ctrl+c" || key == "esc" && !f.editing {
		return Interrupt
	}
	if !f.editing && q.typedAhead() {
		q.ignored++
		return Nothing
	}
	ans, done := f.key(key, text)
	if !done {
		return Nothing
	}
	if ans.mode != "" && q.setMode != nil {
		q.setMode(ans.mode) // before the call runs: the tool leaves plan mode only if nobody did
	}
	f.reply <- ans.Answer
	q.forms = q.forms[1:]
	q.show()
	return Answered
}

// typedAhead: the key came within the grace of the form appearing or of the key before.
func (q *Queue) typedAhead() bool {
	now := q.now()
	return now.Sub(q.since) < q.grace || !q.prevKey.IsZero() && now.Sub(q.prevKey) < q.grace
}

// answer is a form's reply and the mode to switch to first ("" keeps it).
type answer struct {
	permission.Answer
	mode permission.Mode
}

// option is one choice of a question.
type option struct {
	Label       string `json:"label"`
	Description string `json:"description"`
}

// ask is one question as the model wrote it.
type ask struct {
	Question    string   `json:"question"`
	Header      string   `json:"header"`
	Options     []option `json:"options"`
	MultiSelect bool     `json:"multiSelect"`
}

// form is one request on its way to an answer.
type form struct {
	reply  chan<- permission.Answer
	input  map[string]json.RawMessage // the call's input, given back with the answers
	plan   string                     // ExitPlanMode's plan
	isPlan bool
	local  bool // Ask.Local

	asks    []ask
	tab     int               // the question on show; len(asks) is the review of a multi-question form
	sel     int               // the row highlighted
	picked  []map[string]bool // per question, the labels chosen
	other   []string          // per question, the answer typed
	editing bool              // the row "Type something." takes text
	text    []rune
}

func newForm(a Ask) *form {
	f := &form{reply: a.Reply, isPlan: a.Request.Call.Tool == PlanTool, local: a.Local}
	_ = json.Unmarshal(a.Request.Call.Input, &f.input) // the tool validated it before asking
	if f.isPlan {
		_ = json.Unmarshal(f.input["plan"], &f.plan)
		return f
	}
	_ = json.Unmarshal(f.input["questions"], &f.asks)
	for range f.asks {
		f.picked = append(f.picked, map[string]bool{})
		f.other = append(f.other, "")
	}
	return f
}

// answers are the answers given so far, keyed by question text; several labels are
// comma-separated, as the reference sends them.
func (f *form) answers() map[string]string {
	out := map[string]string{}
	for i, a := range f.asks {
		var got []string
		for _, o := range a.Options {
			if f.picked[i][o.Label] {
				got = append(got, o.Label)
			}
		}
		if t := strings.TrimSpace(f.other[i]); t != "" {
			got = append(got, t)
		}
		if len(got) > 0 {
			out[a.Question] = strings.Join(got, ", ")
		}
	}
	return out
}

// allow is the Answer that allows the call with the answers in its input.
func (f *form) allow() answer {
	in := map[string]any{}
	for k, v := range f.input {
		in[k] = v
	}
	in["answers"] = f.answers()
	b, _ := json.Marshal(in)
	return answer{Answer: permission.Answer{Allow: true, UpdatedInput: string(b)}}
}

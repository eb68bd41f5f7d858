package question

import (
	"strconv"
	"strings"

	"github.com/strata-agent/strata/internal/permission"
)

// Plan choices, in the order shown.
const (
	planAcceptEdits = iota
	planDefault
	planKeep
	planChoices
)

// rows is how many rows the tab on show offers.
func (f *form) rows() int {
	switch {
	case f.isPlan:
		return planChoices
	case f.tab == len(f.asks):
		return 2 // submit, cancel
	case f.asks[f.tab].MultiSelect:
		return len(f.asks[f.tab].Options) + 2 // the options, "Type something.", next/submit
	}
	return len(f.asks[f.tab].Options) + 1
}

// key handles a key; done is set when the form is answered.
func (f *form) key(key, text string) (answer, bool) {
	if f.editing {
		return f.editKey(key, text)
	}
	switch key {
	case "up", "shift+tab":
		f.sel = (f.sel + f.rows() - 1) % f.rows()
	case "down", "tab":
		f.sel = (f.sel + 1) % f.rows()
	case "left":
		if !f.isPlan && f.tab > 0 {
			f.tab, f.sel = f.tab-1, 0
		}
	case "right":
		if !f.isPlan && len(f.asks) > 1 && f.tab < len(f.asks) {
			f.tab, f.sel = f.tab+1, 0
		}
	case "enter", "space":
		return f.choose()
	default:
		if n, err := strconv.Atoi(key); err == nil && n >= 1 && n <= f.rows() {
			f.sel = n - 1
			return f.choose()
		}
	}
	return answer{}, false
}

// editKey handles a key while "Type something." (or the plan's feedback) takes text.
func (f *form) editKey(key, text string) (answer, bool) {
	switch key {
	case "enter":
		typed := strings.TrimSpace(string(f.text))
		f.editing, f.text = false, nil
		if f.isPlan {
			return keepPlanning(typed), true
		}
		if typed == "" {
			return answer{}, false
		}
		f.other[f.tab] = typed
		if !f.asks[f.tab].MultiSelect {
			clear(f.picked[f.tab]) // one answer: the typed one
			return f.advance()
		}
	case "esc":
		f.editing, f.text = false, nil
	case "backspace":
		if len(f.text) > 0 {
			f.text = f.text[:len(f.text)-1]
		}
	case "space":
		f.text = append(f.text, ' ')
	default:
		f.text = append(f.text, []rune(text)...)
	}
	return answer{}, false
}

// choose acts on the row highlighted.
func (f *form) choose() (answer, bool) {
	switch {
	case f.isPlan:
		switch f.sel {
		case planAcceptEdits:
			return answer{Answer: permission.Answer{Allow: true}, mode: permission.ModeAcceptEdits}, true
		case planDefault:
			return answer{Answer: permission.Answer{Allow: true}, mode: permission.ModeDefault}, true
		}
		f.editing = true
		return answer{}, false
	case f.tab == len(f.asks): // the review
		if f.sel == 0 {
			return f.allow(), true
		}
		return answer{Answer: permission.Answer{Reason: "The user declined to answer the questions."}}, true
	}
	a, opts := f.asks[f.tab], len(f.asks[f.tab].Options)
	switch {
	case f.sel < opts && a.MultiSelect:
		label := a.Options[f.sel].Label
		f.picked[f.tab][label] = !f.picked[f.tab][label]
	case f.sel < opts:
		clear(f.picked[f.tab])
		f.picked[f.tab][a.Options[f.sel].Label], f.other[f.tab] = true, ""
		return f.advance()
	case f.sel == opts:
		f.editing, f.text = true, []rune(f.other[f.tab])
	default: // a multi-select question's "next"
		return f.advance()
	}
	return answer{}, false
}

// advance moves to the next question, or to the review after the last; a form of one
// question is answered at once.
func (f *form) advance() (answer, bool) {
	switch {
	case len(f.asks) == 1:
		return f.allow(), true
	case f.tab < len(f.asks)-1:
		f.tab, f.sel = f.tab+1, 0
	default:
		f.tab, f.sel = len(f.asks), 0
	}
	return answer{}, false
}

// keepPlanning refuses ExitPlanMode: the model stays in plan mode and reads the feedback.
func keepPlanning(feedback string) answer {
	reason := "The user wants to keep planning and has not approved the plan yet."
	if feedback != "" {
		reason = "The user wants to keep planning; revise the plan with this feedback: " + feedback
	}
	return answer{Answer: permission.Answer{Reason: reason}}
}

// Package permission decides whether a tool call may run: the modes of A8 (default,
// acceptEdits, plan, bypassPermissions), allow/ask/deny rules, and the Approver that asks a
// person when a rule says "ask". Deny beats ask beats allow. A call that would ask, with no
// one to ask (print mode), is denied and reported.
package permission

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// Mode is a permission mode.
type Mode string

const (
	ModeDefault     Mode = "default"
	ModeAcceptEdits Mode = "acceptEdits"
	ModePlan        Mode = "plan"
	ModeBypass      Mode = "bypassPermissions"
)

// ParseMode checks a mode name from a flag or settings.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case ModeDefault, ModeAcceptEdits, ModePlan, ModeBypass:
		return m, nil
	case "":
		return ModeDefault, nil
	}
	return "", fmt.Errorf("unknown permission mode %q (want default, acceptEdits, plan or bypassPermissions)", s)
}

// Behavior is what a rule or a check says about a call.
type Behavior string

const (
	Allow Behavior = "allow"
	Ask   Behavior = "ask"
	Deny  Behavior = "deny"
)

// Call is one tool call to decide on.
type Call struct {
	Tool     string
	Input    json.RawMessage
	ReadOnly bool
	// EditsFiles marks Write/Edit/MultiEdit (acceptEdits allows them).
	EditsFiles bool
}

// Decision is the outcome of a check, with the rule or reason that decided it.
type Decision struct {
	Behavior Behavior
	Rule     string // the rule text that decided, "" when the mode decided
	Reason   string // said to the model when the call is denied
}

// Request is what an Approver is asked.
type Request struct {
	Call    Call
	Summary string // one line describing the call for a person
}

// Answer is a person's reply to a Request.
type Answer struct {
	Allow  bool
	Always bool   // remember for this project
	Reason string // why not, passed to the model
}

// Approver asks a person. Print mode has none that can answer: see DenyApprover.
type Approver interface {
	Approve(ctx context.Context, req Request) (Answer, error)
}

// DenyApprover answers every request with no: print mode cannot ask anyone.
type DenyApprover struct{}

// Approve denies.
func (DenyApprover) Approve(context.Context, Request) (Answer, error) {
	return Answer{Reason: "this call needs permission and strata is running without a terminal to ask; allow it with --allowedTools or a permissions rule"}, nil
}

// Rule is one parsed permission rule: Tool or Tool(specifier).
type Rule struct {
	Text      string
	Tool      string
	Specifier string // "" matches every call of Tool
	Source    string // where the rule came from, for messages
}

// ParseRule parses `Tool` or `Tool(specifier)`.
func ParseRule(text, source string) (Rule, error) {
	text = strings.TrimSpace(text)
	r := Rule{Text: text, Source: source}
	open := strings.IndexByte(text, '(')
	if open < 0 {
		r.Tool = text
	} else {
		if !strings.HasSuffix(text, ")") {
			return Rule{}, fmt.Errorf("%s: permission rule %q: missing closing parenthesis", source, text)
		}
		r.Tool, r.Specifier = text[:open], text[open+1:len(text)-1]
	}
	if r.Tool == "" || strings.ContainsAny(r.Tool, " ()") {
		return Rule{}, fmt.Errorf("%s: permission rule %q: expected Tool or Tool(specifier)", source, text)
	}
	return r, nil
}

// SplitRuleList splits a flag value of rules separated by commas or spaces, keeping
// parentheses together (`Bash(git diff:*) Edit` is two rules).
func SplitRuleList(s string) []string {
	var out []string
	depth, start := 0, 0
	flush := func(end int) {
		if t := strings.TrimSpace(s[start:end]); t != "" {
			out = append(out, t)
		}
	}
	for i, c := range s {
		switch {
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		case (c == ',' || c == ' ') && depth == 0:
			flush(i)
			start = i + 1
		}
	}
	flush(len(s))
	return out
}

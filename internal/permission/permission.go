// Package permission decides whether a tool call may run: the modes of A8 (default,
// acceptEdits, plan, bypassPermissions), allow/ask/deny rules, and the Approver that asks a
// person when a rule says "ask". Deny beats ask beats allow. A call that would ask, with no
// one to ask (print mode), is denied and reported.
//
// Bash rules are matched on the parsed command line, one simple command at a time:
// `Bash(npm run test:*)` (or `Bash(npm run test *)`) allows commands whose first words are
// those, `Bash(git status)` that command exactly, `Bash(git * main)` any text for each *.
// A line is allowed only when every simple command in it is, and never when it holds a
// command or process substitution, a function definition, a command name computed at run
// time, or a write to a file the rule does not name (`Bash(make >build.log)`; /dev/null is
// always fine). Prefix rules never allow eval, exec, source or a shell's -c, nor a wrapper
// given a command to run (xargs mkdir, timeout 5 make, find -exec); assignments in
// front (`FOO=1 cmd`) must be named by the rule. Deny and ask rules match when any simple
// command matches, including those inside substitutions, `bash -c`/`eval` strings and behind
// wrappers (sudo, env, xargs, find -exec…); when a word they would compare is only known at
// run time the call asks instead (Decision.MaybeDenied).
//
// Read(…) and Edit(…) take gitignore-style patterns: //abs, ~/home, /relative-to-the-rule's
// Base, ./relative-to-cwd; a bare pattern with a slash is cwd-relative, one without matches
// at any depth; a pattern naming a directory covers what is inside. Call paths are resolved
// through symlinks and .. first; deny and ask rules look at the path as written and as
// resolved, allow rules only at the resolved one. Edit rules cover Write, MultiEdit and
// NotebookEdit; Read rules cover Grep, Glob and LS. Tool-level allow rules for file tools
// (Edit, Read) reach only inside the working directories; outside, only a rule naming the
// path allows without asking.
//
// Searches and listings cannot ask about each file they meet: ReadFilter hides from them
// every file a Read deny or ask rule covers (names, contents, counts), with Check's matching.
// Writes to protected paths (.git, .claude, shell start-up files, … — protect.go) ask in
// every mode, from Edit tools and from Bash lines where the parser sees the target, unless
// an allow rule spells the path out; "allow always" never saves such a rule. Code a line
// produces at run time (`source <(…)`, `eval "$(…)"`) is unknown: no rule allows it and
// deny rules treat it as a possible match.
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
	// ModeDontAsk refuses every call that would ask: only what rules allow runs.
	ModeDontAsk Mode = "dontAsk"
	// ModeAuto is the reference's classifier-approved mode; strata refuses it (ParseMode).
	ModeAuto Mode = "auto"
)

// ParseMode checks a mode name from a flag or settings.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case ModeDefault, ModeAcceptEdits, ModePlan, ModeBypass, ModeDontAsk:
		return m, nil
	case "":
		return ModeDefault, nil
	case ModeAuto:
		return "", fmt.Errorf("permission mode auto lets a classifier model approve calls; strata has no such classifier: use default, acceptEdits, dontAsk or plan")
	}
	return "", fmt.Errorf("unknown permission mode %q (want default, acceptEdits, plan, dontAsk or bypassPermissions)", s)
}

// Behavior is what a rule or a check says about a call.
type Behavior string

const (
	Allow Behavior = "allow"
	Ask   Behavior = "ask"
	Deny  Behavior = "deny"
)

// Class is what a tool can do, for the permission decision. It is separate from whether calls
// may run concurrently: Task runs sub-agents side by side, yet is not a read.
type Class int

const (
	// ClassExecute runs commands or has effects strata cannot bound (Bash, Task): it asks
	// unless a rule allows it. The zero value, so a tool that says nothing is not trusted.
	ClassExecute Class = iota
	// ClassRead only reads (Read, Grep, Glob, LS): allowed inside the working directories
	// and in plan mode.
	ClassRead
	// ClassEdit changes files (Write, Edit, MultiEdit): acceptEdits allows it inside the
	// working directories.
	ClassEdit
	// ClassNetwork only reads, but sends data out (WebFetch): it asks.
	ClassNetwork
	// ClassUser is a call whose whole point is a person's answer (AskUserQuestion,
	// ExitPlanMode): it asks in every mode, plan and bypassPermissions included, and only a
	// person may answer (Decision.Protected); only a deny rule refuses it without asking.
	ClassUser
)

// String names the class for messages and tests.
func (c Class) String() string {
	switch c {
	case ClassRead:
		return "read-only"
	case ClassEdit:
		return "edit"
	case ClassNetwork:
		return "network"
	case ClassUser:
		return "user"
	}
	return "execute"
}

// Call is one tool call to decide on.
type Call struct {
	Tool  string
	Input json.RawMessage
	// Class is the tool's permission class.
	Class Class
	// Cwd is the session's working directory when the call is made (Bash's cd moves it);
	// relative paths in the input are resolved against it. "" means the checker's.
	Cwd string
}

// Decision is the outcome of a check, with the rule or reason that decided it.
type Decision struct {
	Behavior Behavior
	// Rule is the rule that decided, "" when the mode did. A command line allowed by
	// several Bash rules (one per simple command) names them all, comma-separated.
	Rule   string
	Reason string // why: said to the model when the call is denied, shown when asking
	// MaybeDenied marks an Ask because a deny rule (Rule) might match: part of a Bash
	// command is only known when it runs. Nothing may skip asking then, not even a hook.
	MaybeDenied bool
	// Protected marks an Ask because the call writes a protected path (protect.go) or asks
	// the user a question (ClassUser): only a person may allow it, never a hook, and "allow
	// always" does not apply.
	Protected bool
}

// Request is what an Approver is asked.
type Request struct {
	Call    Call
	Summary string // one line describing the call for a person
	Reason  string // why strata asks (the Decision's reason), "" when nothing special
	// ToolUseID is the model's ID of the call, for hosts that track calls (the Agent SDK).
	ToolUseID string
	// Suggestion is the rule "allow always" would save (SuggestRule); "" when the call
	// cannot be remembered safely, and then only "allow once" makes sense.
	Suggestion string
	// Suggestions are the rules "allow always" would save for a line of several commands,
	// one per command (SuggestRules), when Suggestion is "" and every one is safe to keep.
	Suggestions []string
}

// Answer is a person's reply to a Request.
type Answer struct {
	Allow  bool
	Always bool   // remember for this project (with Rule, else the Request's Suggestion)
	Rule   string // the rule to remember when the person edited the suggestion
	Reason string // why not, passed to the model
	// UpdatedInput, when not "", is the JSON input the call runs with instead of the model's
	// (an Agent SDK host may rewrite a call it allows). A string keeps Answer comparable.
	UpdatedInput string
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

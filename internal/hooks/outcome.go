package hooks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/strata-agent/strata/internal/permission"
)

// add folds one hook's result into the outcome.
func (o *Outcome) add(ev Event, res result) {
	name := label(res.command)
	switch {
	case res.interrupted:
		o.Messages = append(o.Messages, fmt.Sprintf("%s hook %s was stopped: the turn was interrupted", ev, name))
	case res.timedOut:
		o.Messages = append(o.Messages, fmt.Sprintf("%s hook %s did not finish within %s and was killed; the session goes on", ev, name, res.timeout))
	case res.startErr != nil:
		o.Messages = append(o.Messages, fmt.Sprintf("%s hook %s could not run: %v", ev, name, res.startErr))
	case res.exitCode == 0:
		o.addStdout(ev, name, res.stdout)
	case res.exitCode == 2:
		o.addBlock(ev, name, strings.TrimSpace(string(res.stderr)))
	default:
		msg := fmt.Sprintf("%s hook %s failed with exit status %d", ev, name, res.exitCode)
		if res.signal != "" {
			msg = fmt.Sprintf("%s hook %s was ended by signal %s", ev, name, res.signal)
		}
		if e := strings.TrimSpace(string(res.stderr)); e != "" {
			msg += ": " + e
		}
		o.Messages = append(o.Messages, msg)
	}
}

// addBlock applies exit status 2: stderr is the reason, for whoever the event reports to.
func (o *Outcome) addBlock(ev Event, name, stderr string) {
	if stderr == "" {
		stderr = fmt.Sprintf("blocked by the %s hook %s", ev, name)
	}
	switch ev {
	case PreToolUse, PermissionRequest:
		o.block(stderr)
		o.decide(permission.Deny, stderr)
	case PostToolUse, UserPromptSubmit, Stop, SubagentStop, PreCompact, ConfigChange:
		o.block(stderr)
	default: // SessionStart, SessionEnd, Notification cannot block: the user sees stderr
		o.Messages = append(o.Messages, fmt.Sprintf("%s hook %s: %s", ev, name, stderr))
	}
}

func (o *Outcome) block(reason string) {
	o.Block = true
	o.Reason = joinLines(o.Reason, reason)
}

// decide keeps the strongest PreToolUse answer: deny, then ask, then allow.
func (o *Outcome) decide(b permission.Behavior, reason string) {
	rank := map[permission.Behavior]int{"": 0, permission.Allow: 1, permission.Ask: 2, permission.Deny: 3}
	if rank[b] > rank[o.Decision] {
		o.Decision, o.DecisionReason = b, reason
	} else if b == o.Decision {
		o.DecisionReason = joinLines(o.DecisionReason, reason)
	}
}

func joinLines(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "\n" + b
}

// answer is the JSON a hook may print on stdout when it exits 0.
type answer struct {
	Continue       *bool  `json:"continue"`
	StopReason     string `json:"stopReason"`
	SystemMessage  string `json:"systemMessage"`
	Decision       string `json:"decision"`
	Reason         string `json:"reason"`
	SpecificOutput *struct {
		PermissionDecision       string `json:"permissionDecision"`
		PermissionDecisionReason string `json:"permissionDecisionReason"`
		AdditionalContext        string `json:"additionalContext"`
		// WatchPaths are more files for FileChanged to watch (SessionStart, CwdChanged,
		// FileChanged).
		WatchPaths []string `json:"watchPaths"`
		// Decision is PermissionRequest's answer: {"behavior": "allow"|"deny", "message": …}.
		Decision *struct {
			Behavior string `json:"behavior"`
			Message  string `json:"message"`
		} `json:"decision"`
	} `json:"hookSpecificOutput"`
}

// addStdout applies a successful hook's stdout: a JSON answer when it is one; otherwise
// plain text, which is context for the model on UserPromptSubmit and SessionStart and
// ignored elsewhere (the reference shows it only in its transcript view).
func (o *Outcome) addStdout(ev Event, name string, stdout []byte) {
	text := bytes.TrimSpace(stdout)
	if len(text) == 0 {
		return
	}
	if text[0] != '{' {
		if ev == UserPromptSubmit || ev == SessionStart {
			o.Context = append(o.Context, string(text))
		}
		return
	}
	var a answer
	if err := json.Unmarshal(text, &a); err != nil {
		o.Messages = append(o.Messages, fmt.Sprintf("%s hook %s printed JSON that could not be read (%v); its answer is ignored", ev, name, err))
		return
	}
	o.addAnswer(ev, name, a)
}

func (o *Outcome) addAnswer(ev Event, name string, a answer) {
	if a.Continue != nil && !*a.Continue {
		o.Stop = true
		o.StopReason = joinLines(o.StopReason, a.StopReason)
	}
	if a.SystemMessage != "" {
		o.Messages = append(o.Messages, a.SystemMessage)
	}
	switch {
	case ev == PreToolUse && a.Decision == "approve": // the reference's older spelling
		o.decide(permission.Allow, a.Reason)
	case ev == PreToolUse && a.Decision == "block":
		// The model is told why its call did not run, as with permissionDecision "deny".
		reason := a.Reason
		if reason == "" {
			reason = fmt.Sprintf("blocked by the PreToolUse hook %s", name)
		}
		o.block(reason)
		o.decide(permission.Deny, reason)
	case a.Decision == "block" && (ev == PostToolUse || ev == UserPromptSubmit || ev == Stop || ev == SubagentStop || ev == PreCompact || ev == ConfigChange):
		reason := a.Reason
		if reason == "" {
			reason = fmt.Sprintf("blocked by the %s hook %s", ev, name)
		}
		o.block(reason)
	}
	if s := a.SpecificOutput; s != nil {
		o.addSpecific(ev, name, s.PermissionDecision, s.PermissionDecisionReason, s.AdditionalContext)
		if ev == SessionStart || ev == CwdChanged || ev == FileChanged {
			o.WatchPaths = append(o.WatchPaths, s.WatchPaths...)
		}
		if d := s.Decision; d != nil && ev == PermissionRequest {
			switch b := permission.Behavior(d.Behavior); b {
			case permission.Allow, permission.Deny:
				o.decide(b, d.Message)
			default:
				o.Messages = append(o.Messages, fmt.Sprintf("PermissionRequest hook %s answered behavior %q; want allow or deny", name, d.Behavior))
			}
		}
	}
}

func (o *Outcome) addSpecific(ev Event, name, decision, reason, context string) {
	if context != "" {
		o.Context = append(o.Context, context)
	}
	if decision == "" || ev != PreToolUse {
		return
	}
	switch b := permission.Behavior(decision); b {
	case permission.Deny:
		if reason == "" {
			reason = fmt.Sprintf("denied by the PreToolUse hook %s", name)
		}
		o.block(reason)
		o.decide(b, reason)
	case permission.Allow, permission.Ask:
		o.decide(b, reason)
	default:
		o.Messages = append(o.Messages, fmt.Sprintf("PreToolUse hook %s answered permissionDecision %q; want allow, deny or ask", name, decision))
	}
}

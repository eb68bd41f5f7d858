package hooks

import (
	"testing"

	"github.com/strata-agent/strata/internal/permission"
)

// FuzzHookOutput: whatever a hook prints on stdout, reading it never panics; only PreToolUse
// answers decide a permission, with a known behaviour; a deny blocks; and a block always
// carries a reason for whoever it stops (the model or the user).
func FuzzHookOutput(f *testing.F) {
	for _, s := range []string{
		`{"decision":"block","reason":"no"}`, `{"decision":"approve"}`, `{"decision":"block"}`,
		`{"continue":false,"stopReason":"halt","systemMessage":"hi"}`,
		`{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"deny"}}`,
		`{"hookSpecificOutput":{"permissionDecision":"ask","permissionDecisionReason":"why"}}`,
		`{"hookSpecificOutput":{"additionalContext":"ctx"}}`, `plain text`, `{`, `{"continue":"no"}`, ``,
	} {
		f.Add(s)
	}
	events := []Event{PreToolUse, PostToolUse, UserPromptSubmit, Stop, SessionStart, SessionEnd, PreCompact, Notification}
	f.Fuzz(func(t *testing.T, stdout string) {
		for _, ev := range events {
			o := &Outcome{}
			o.addStdout(ev, "fuzz.sh", []byte(stdout))
			o.addStdout(ev, "fuzz2.sh", []byte(stdout)) // two hooks answering alike
			switch o.Decision {
			case "", permission.Allow, permission.Ask, permission.Deny:
			default:
				t.Fatalf("%s: decision %q from %q", ev, o.Decision, stdout)
			}
			if o.Decision != "" && ev != PreToolUse {
				t.Fatalf("%s decided %q from %q", ev, o.Decision, stdout)
			}
			if o.Decision == permission.Deny && !o.Block {
				t.Fatalf("%s: a deny that does not block, from %q", ev, stdout)
			}
			if o.Block && o.Reason == "" {
				t.Fatalf("%s: a block without a reason, from %q", ev, stdout)
			}
		}
	})
}

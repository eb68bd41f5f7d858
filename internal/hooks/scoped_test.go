package hooks

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/settings"
)

// A sub-agent's runner runs the session's hooks and its own; its Stop hooks fire as
// SubagentStop; the session's runner is left as it was; the policy applies to both.
func TestScoped(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "log")
	parent := newRunner(t, dir, hooksFor("PreToolUse", "Bash", "echo session >> log"))
	own := hooksFor("PreToolUse", "Bash", "echo agent >> log")
	own["Stop"] = hooksFor("Stop", "", "echo agent-stop >> log")["Stop"]
	scoped, err := parent.Scoped(own)
	if err != nil {
		t.Fatal(err)
	}
	run := func(r *Runner, in Input) []string {
		t.Helper()
		os.Remove(log)
		r.Run(context.Background(), in)
		return readLines(t, log)
	}
	bash := Input{Event: PreToolUse, ToolName: "Bash", ToolInput: json.RawMessage(`{}`)}
	if got := run(scoped, bash); !slices.Equal(got, []string{"agent", "session"}) {
		t.Errorf("scoped PreToolUse ran %v", got)
	}
	if got := run(parent, bash); !slices.Equal(got, []string{"session"}) {
		t.Errorf("the session's runner changed: ran %v", got)
	}
	if got := run(scoped, Input{Event: Stop}); got != nil {
		t.Errorf("Stop ran %v; a definition's Stop hook is a SubagentStop hook", got)
	}
	if got := run(scoped, Input{Event: SubagentStop}); !slices.Equal(got, []string{"agent-stop"}) {
		t.Errorf("SubagentStop ran %v", got)
	}

	// Under allowManagedHooksOnly a definition's hooks are left out, as settings hooks are.
	strict := newRunner(t, dir, nil, func(o *Options) { o.ManagedOnly = true })
	if s, err := strict.Scoped(own); err != nil || len(s.Listing()) != 0 {
		t.Errorf("allowManagedHooksOnly: %v hooks, err %v", s.Listing(), err)
	}
	bad := map[string][]settings.HookMatcher{"PreToolUse": {{Matcher: "(", Source: settings.Source{Path: "/p/.claude/agents/x.md"}}}}
	if _, err := parent.Scoped(bad); err == nil || !strings.Contains(err.Error(), "x.md") {
		t.Errorf("a bad matcher: %v", err)
	}
}

package hooks

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/proc/proctest"
	"github.com/strata-agent/strata/internal/settings"
)

// hooksFor builds settings hooks for one event: matcher → commands.
func hooksFor(event string, pairs ...string) map[string][]settings.HookMatcher {
	var ms []settings.HookMatcher
	for i := 0; i < len(pairs); i += 2 {
		ms = append(ms, settings.HookMatcher{Matcher: pairs[i], Source: settings.Source{Path: "/p/.claude/settings.json"},
			Hooks: []settings.HookCommand{{Type: "command", Command: pairs[i+1]}}})
	}
	return map[string][]settings.HookMatcher{event: ms}
}

func newRunner(t *testing.T, dir string, hooks map[string][]settings.HookMatcher, tweak ...func(*Options)) *Runner {
	t.Helper()
	o := Options{Hooks: hooks, ProjectDir: dir, Env: []string{"PATH=" + os.Getenv("PATH")}, SessionID: "sess-1", TranscriptPath: "/t/sess-1.jsonl"}
	for _, f := range tweak {
		f(&o)
	}
	r, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Fields(string(b))
	slices.Sort(lines)
	return lines
}

func TestMatchers(t *testing.T) {
	dir := t.TempDir()
	r := newRunner(t, dir, hooksFor("PreToolUse",
		"Bash", "echo bash >> log",
		"Edit|Write", "echo edit-write >> log",
		"mcp__gh__.*", "echo mcp-gh >> log",
		"", "echo empty >> log",
		"*", "echo star >> log",
		"Notebook.*", "echo notebook >> log",
		"Edit", "echo edit-write >> log", // the same command again runs once
		"Writer", "echo writer >> log",
	))
	cases := []struct {
		tool string
		want []string
	}{
		{"Write", []string{"edit-write", "empty", "star"}},
		{"Bash", []string{"bash", "empty", "star"}},
		{"MultiEdit", []string{"empty", "star"}},
		{"mcp__gh__create_issue", []string{"empty", "mcp-gh", "star"}},
		{"mcp__ghx__create", []string{"empty", "star"}},
		{"NotebookEdit", []string{"empty", "notebook", "star"}},
	}
	for _, tc := range cases {
		os.Remove(filepath.Join(dir, "log"))
		r.Run(context.Background(), Input{Event: PreToolUse, ToolName: tc.tool, ToolInput: json.RawMessage(`{}`)})
		if got := readLines(t, filepath.Join(dir, "log")); !slices.Equal(got, tc.want) {
			t.Errorf("%s: ran %v, want %v", tc.tool, got, tc.want)
		}
	}
	// Events without matchers run every hook of theirs; other events' hooks do not run.
	os.Remove(filepath.Join(dir, "log"))
	r2 := newRunner(t, dir, hooksFor("Stop", "Bash", "echo stop >> log"))
	r2.Run(context.Background(), Input{Event: Stop})
	r2.Run(context.Background(), Input{Event: PostToolUse, ToolName: "Bash"})
	if got := readLines(t, filepath.Join(dir, "log")); !slices.Equal(got, []string{"stop"}) {
		t.Errorf("Stop: ran %v", got)
	}
}

func TestStdinJSON(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		in   Input
		want map[string]any
	}{
		{Input{Event: PreToolUse, ToolName: "Bash", ToolUseID: "tu_1", ToolInput: json.RawMessage(`{"command":"ls"}`), PermissionMode: "default"},
			map[string]any{"hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_use_id": "tu_1", "tool_input": map[string]any{"command": "ls"}, "permission_mode": "default"}},
		{Input{Event: PostToolUse, ToolName: "Read", ToolInput: json.RawMessage(`{"file_path":"/a"}`), ToolResponse: json.RawMessage(`{"output":"x","is_error":false}`)},
			map[string]any{"tool_name": "Read", "tool_response": map[string]any{"output": "x", "is_error": false}}},
		{Input{Event: UserPromptSubmit, Prompt: "fix the bug"}, map[string]any{"prompt": "fix the bug"}},
		{Input{Event: Stop, StopHookActive: false}, map[string]any{"stop_hook_active": false}},
		{Input{Event: SessionStart, Source: "startup"}, map[string]any{"source": "startup"}},
		{Input{Event: SessionEnd, Reason: "other"}, map[string]any{"reason": "other"}},
		{Input{Event: PreCompact, Trigger: "manual", CustomInstructions: "keep tests"}, map[string]any{"trigger": "manual", "custom_instructions": "keep tests"}},
		{Input{Event: Notification, Message: "strata needs your permission"}, map[string]any{"message": "strata needs your permission"}},
		{Input{Event: PermissionDenied, ToolName: "Bash", ToolUseID: "tu_2", ToolInput: json.RawMessage(`{"command":"rm x"}`), DeniedReason: "a deny rule"},
			map[string]any{"tool_name": "Bash", "tool_use_id": "tu_2", "tool_input": map[string]any{"command": "rm x"}, "reason": "a deny rule"}},
		{Input{Event: CwdChanged, OldCwd: "/a", NewCwd: "/a/b"}, map[string]any{"old_cwd": "/a", "new_cwd": "/a/b"}},
		{Input{Event: InstructionsLoaded, FilePath: "/p/CLAUDE.md", MemoryType: "Project", LoadReason: "session_start"},
			map[string]any{"file_path": "/p/CLAUDE.md", "memory_type": "Project", "load_reason": "session_start"}},
	}
	for _, tc := range cases {
		r := newRunner(t, dir, hooksFor(string(tc.in.Event), "", "cat > stdin.json"))
		r.Run(context.Background(), tc.in)
		b, err := os.ReadFile(filepath.Join(dir, "stdin.json"))
		if err != nil {
			t.Fatal(err)
		}
		var got map[string]any
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("%s: stdin is not JSON: %q", tc.in.Event, b)
		}
		common := map[string]any{"session_id": "sess-1", "transcript_path": "/t/sess-1.jsonl", "cwd": dir, "hook_event_name": string(tc.in.Event)}
		for k, v := range common {
			tc.want[k] = v
		}
		for k, v := range tc.want {
			if gb, _ := json.Marshal(got[k]); string(gb) != mustJSON(v) {
				t.Errorf("%s: %s = %s, want %s", tc.in.Event, k, gb, mustJSON(v))
			}
		}
		if tc.in.Event != PreToolUse && tc.in.Event != PostToolUse && tc.in.Event != PermissionDenied && got["tool_name"] != nil {
			t.Errorf("%s: tool_name sent for an event without a tool", tc.in.Event)
		}
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestExitCodesAndAnswers covers exit 2, other failures and the JSON answers, event by event.
func TestExitCodesAndAnswers(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, event, command string
		want                 Outcome
	}{
		{"exit 2 blocks a tool call", "PreToolUse", "echo 'no rm here' >&2; exit 2",
			Outcome{Block: true, Reason: "no rm here", Decision: permission.Deny, DecisionReason: "no rm here"}},
		{"exit 2 after a tool is feedback", "PostToolUse", "echo 'lint failed' >&2; exit 2",
			Outcome{Block: true, Reason: "lint failed"}},
		{"exit 2 drops a prompt", "UserPromptSubmit", "echo 'no secrets in prompts' >&2; exit 2",
			Outcome{Block: true, Reason: "no secrets in prompts"}},
		{"exit 2 keeps the model going", "Stop", "echo 'tests still fail' >&2; exit 2",
			Outcome{Block: true, Reason: "tests still fail"}},
		{"exit 2 at session start only informs", "SessionStart", "echo 'hm' >&2; exit 2",
			Outcome{Messages: []string{`SessionStart hook "echo 'hm' >&2; exit 2": hm`}}},
		{"exit 1 blocks nothing", "PreToolUse", "echo oops >&2; exit 1",
			Outcome{Messages: []string{`PreToolUse hook "echo oops >&2; exit 1" failed with exit status 1: oops`}}},
		{"killed by a signal", "PreToolUse", "kill -9 $$",
			Outcome{Messages: []string{`PreToolUse hook "kill -9 $$" was ended by signal killed`}}},
		{"missing script", "PreToolUse", "./no-such-hook.sh",
			Outcome{Messages: []string{`PreToolUse hook "./no-such-hook.sh" failed with exit status 127: sh: 1: ./no-such-hook.sh: not found`}}},
		{"allow", "PreToolUse", `echo '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"allow","permissionDecisionReason":"safe"}}'`,
			Outcome{Decision: permission.Allow, DecisionReason: "safe"}},
		{"ask", "PreToolUse", `echo '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"ask","permissionDecisionReason":"check this"}}'`,
			Outcome{Decision: permission.Ask, DecisionReason: "check this"}},
		{"deny", "PreToolUse", `echo '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"deny","permissionDecisionReason":"not on main"}}'`,
			Outcome{Block: true, Reason: "not on main", Decision: permission.Deny, DecisionReason: "not on main"}},
		{"old approve", "PreToolUse", `echo '{"decision":"approve","reason":"ok"}'`,
			Outcome{Decision: permission.Allow, DecisionReason: "ok"}},
		{"bad decision", "PreToolUse", `echo '{"hookSpecificOutput":{"permissionDecision":"maybe"}}'`,
			Outcome{Messages: []string{`PreToolUse hook "echo '{\"hookSpecificOutput\":{\"permissionDecision\":\"maybe\"}}'" answered permissionDecision "maybe"; want allow, deny or ask`}}},
		{"stop block", "Stop", `echo '{"decision":"block","reason":"run the tests first"}'`,
			Outcome{Block: true, Reason: "run the tests first"}},
		{"continue false", "PostToolUse", `echo '{"continue":false,"stopReason":"build broke","systemMessage":"see build.log"}'`,
			Outcome{Stop: true, StopReason: "build broke", Messages: []string{"see build.log"}}},
		{"prompt context from stdout", "UserPromptSubmit", "echo 'branch: main'",
			Outcome{Context: []string{"branch: main"}}},
		{"additional context", "SessionStart", `echo '{"hookSpecificOutput":{"hookEventName":"SessionStart","additionalContext":"todo: x"}}'`,
			Outcome{Context: []string{"todo: x"}}},
		{"plain stdout elsewhere is ignored", "PreToolUse", "echo hello", Outcome{}},
		{"broken JSON", "PreToolUse", "echo '{nope'",
			Outcome{Messages: []string{`PreToolUse hook "echo '{nope'" printed JSON that could not be read (invalid character 'n' looking for beginning of object key string); its answer is ignored`}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newRunner(t, dir, hooksFor(tc.event, "", tc.command))
			got := r.Run(context.Background(), Input{Event: Event(tc.event), ToolName: "Bash"})
			if tc.name == "missing script" && len(got.Messages) == 1 && strings.Contains(got.Messages[0], "exit status 127") {
				return // the shell's wording varies
			}
			if gb, wb := mustJSON(got), mustJSON(tc.want); gb != wb {
				t.Errorf("got  %s\nwant %s", gb, wb)
			}
		})
	}
}

// TestDecisionsCombine: with several hooks, deny beats ask beats allow, and every blocking
// reason is kept.
func TestDecisionsCombine(t *testing.T) {
	dir := t.TempDir()
	r := newRunner(t, dir, hooksFor("PreToolUse",
		"", `echo '{"hookSpecificOutput":{"permissionDecision":"allow"}}'`,
		"", `echo '{"hookSpecificOutput":{"permissionDecision":"ask","permissionDecisionReason":"why"}}'`,
	))
	if got := r.Run(context.Background(), Input{Event: PreToolUse, ToolName: "Bash"}); got.Decision != permission.Ask || got.Block {
		t.Errorf("allow+ask: %+v", got)
	}
	r = newRunner(t, dir, hooksFor("PreToolUse",
		"", `echo '{"hookSpecificOutput":{"permissionDecision":"allow"}}'`,
		"", "echo first >&2; exit 2",
		"", "echo second >&2; exit 2",
	))
	got := r.Run(context.Background(), Input{Event: PreToolUse, ToolName: "Bash"})
	if got.Decision != permission.Deny || !got.Block || got.Reason != "first\nsecond" {
		t.Errorf("allow+deny+deny: %+v", got)
	}
}

// TestHungHookIsKilled: a hook that never ends is killed with its children when its timeout
// passes, reported to the user, and the other hooks' answers still count.
func TestHungHookIsKilled(t *testing.T) {
	dir := t.TempDir()
	var stderr bytes.Buffer
	r := newRunner(t, dir, hooksFor("PreToolUse",
		"", "sleep 300 & echo $! > sleep.pid; wait",
		"", `echo '{"hookSpecificOutput":{"permissionDecision":"allow"}}'`,
	), func(o *Options) { o.Timeout = 200 * time.Millisecond; o.Stderr = &stderr })
	got := r.Run(context.Background(), Input{Event: PreToolUse, ToolName: "Bash"})
	if len(got.Messages) != 1 || !strings.Contains(got.Messages[0], "did not finish within 200ms and was killed") {
		t.Fatalf("messages: %q", got.Messages)
	}
	if got.Decision != permission.Allow {
		t.Errorf("the other hook's answer was lost: %+v", got)
	}
	if !strings.Contains(stderr.String(), "strata: hook: PreToolUse hook") {
		t.Errorf("not reported on stderr: %q", stderr.String())
	}
	b, err := os.ReadFile(filepath.Join(dir, "sleep.pid"))
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	proctest.WaitGone(t, pid)
}

// TestPerHookTimeout: a hook's own timeout (in seconds) replaces the default.
func TestPerHookTimeout(t *testing.T) {
	dir := t.TempDir()
	hooks := map[string][]settings.HookMatcher{"Stop": {{Hooks: []settings.HookCommand{{Type: "command", Command: "echo ok > done", Timeout: 30}}}}}
	r := newRunner(t, dir, hooks, func(o *Options) { o.Timeout = time.Nanosecond })
	if got := r.Run(context.Background(), Input{Event: Stop}); len(got.Messages) != 0 {
		t.Fatalf("the hook's own 30 s timeout was not used: %q", got.Messages)
	}
	if _, err := os.Stat(filepath.Join(dir, "done")); err != nil {
		t.Fatal(err)
	}
}

// TestHookEnvironment: hooks never see AWS secrets, pass-through names do get through, and
// CLAUDE_PROJECT_DIR says where the project is; they run in the project directory.
func TestHookEnvironment(t *testing.T) {
	dir := t.TempDir()
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=/home/u", "AWS_PROFILE=dev", "AWS_REGION=us-east-1",
		"AWS_ACCESS_KEY_ID=AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY=supersecret", "AWS_SESSION_TOKEN=sessiontoken",
		"AWS_BEARER_TOKEN_BEDROCK=bearer", "CLAUDE_PROJECT_DIR=/wrong"}
	for _, pass := range [][]string{nil, {"AWS_SESSION_TOKEN"}} {
		r := newRunner(t, dir, hooksFor("SessionStart", "", "env > env.txt; pwd > pwd.txt"), func(o *Options) { o.Env, o.PassEnv = env, pass })
		r.Run(context.Background(), Input{Event: SessionStart, Source: "startup"})
		b, err := os.ReadFile(filepath.Join(dir, "env.txt"))
		if err != nil {
			t.Fatal(err)
		}
		got := string(b)
		for _, secret := range []string{"supersecret", "AKIAEXAMPLE", "bearer", "AWS_SECRET_ACCESS_KEY", "AWS_BEARER_TOKEN_BEDROCK"} {
			if strings.Contains(got, secret) {
				t.Errorf("hook environment contains %s:\n%s", secret, got)
			}
		}
		if strings.Contains(got, "sessiontoken") != (pass != nil) {
			t.Errorf("pass-through %v: AWS_SESSION_TOKEN present = %v", pass, !(pass != nil))
		}
		for _, want := range []string{"AWS_PROFILE=dev", "HOME=/home/u", "CLAUDE_PROJECT_DIR=" + dir + "\n"} {
			if !strings.Contains(got, want) {
				t.Errorf("hook environment lacks %q", want)
			}
		}
		if pwd, _ := os.ReadFile(filepath.Join(dir, "pwd.txt")); strings.TrimSpace(string(pwd)) != dir {
			t.Errorf("hook ran in %q, want %q", pwd, dir)
		}
	}
}

func TestNewChecksSettings(t *testing.T) {
	bad := hooksFor("PreToolUse", "Bash(", "true")
	if _, err := New(Options{Hooks: bad}); err == nil || !strings.Contains(err.Error(), "/p/.claude/settings.json") {
		t.Errorf("bad matcher: %v", err)
	}
	odd := map[string][]settings.HookMatcher{
		"TeammateIdle": {{Hooks: []settings.HookCommand{{Type: "command", Command: "true"}}}},
		"PreToolUse":   {{Hooks: []settings.HookCommand{{Type: "http", Command: "x"}}}},
	}
	r, err := New(Options{Hooks: odd})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Warnings()) != 2 {
		t.Errorf("warnings: %q", r.Warnings())
	}
	var nilRunner *Runner
	if got := nilRunner.Run(context.Background(), Input{Event: Stop}); got.Block || nilRunner.Has(Stop) {
		t.Errorf("nil runner: %+v", got)
	}
}

// TestInterruptedHook: cancelling the context (the user interrupting) stops hooks at once.
func TestInterruptedHook(t *testing.T) {
	dir := t.TempDir()
	r := newRunner(t, dir, hooksFor("Stop", "", "sleep 300"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	got := r.Run(ctx, Input{Event: Stop})
	if len(got.Messages) != 1 || !strings.Contains(got.Messages[0], "interrupted") {
		t.Fatalf("messages: %q", got.Messages)
	}
}

func TestPolicyAndHTTPURLs(t *testing.T) {
	managed := settings.Source{Scope: settings.ScopeManaged, Path: "/etc/managed.json"}
	user := settings.Source{Scope: settings.ScopeUser, Path: "/home/u/.claude/settings.json"}
	hooks := map[string][]settings.HookMatcher{"Stop": {
		{Hooks: []settings.HookCommand{{Type: "command", Command: "managed"}}, Source: managed},
		{Hooks: []settings.HookCommand{{Type: "command", Command: "user"}}, Source: user},
		{Hooks: []settings.HookCommand{{Type: "http", URL: "https://hooks.example.com/a"}}, Source: user},
		{Hooks: []settings.HookCommand{{Type: "http", URL: "https://evil.example.net/a"}}, Source: user},
	}}
	count := func(o Options) int {
		o.Hooks = hooks
		r, err := New(o)
		if err != nil {
			t.Fatal(err)
		}
		return len(r.Listing())
	}
	for _, tc := range []struct {
		name string
		o    Options
		want int
	}{
		{"no policy", Options{}, 4},
		{"disableAllHooks in user settings", Options{DisableAll: true}, 1},
		{"disableAllHooks in managed settings", Options{DisableAll: true, DisableManaged: true}, 0},
		{"allowManagedHooksOnly", Options{ManagedOnly: true}, 1},
		{"allowedHttpHookUrls", Options{AllowedHTTPURLs: []string{"https://hooks.example.com/*"}}, 3},
		{"allowedHttpHookUrls empty", Options{AllowedHTTPURLs: []string{}}, 2},
	} {
		if got := count(tc.o); got != tc.want {
			t.Errorf("%s: %d hooks, want %d", tc.name, got, tc.want)
		}
	}
}

func TestPromptHook(t *testing.T) {
	r, err := New(Options{Hooks: map[string][]settings.HookMatcher{"PreToolUse": {{Matcher: "Bash",
		Hooks: []settings.HookCommand{{Type: "prompt", Prompt: "Is this safe? $ARGUMENTS"}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		answer    string
		block     bool
		messageOK bool
	}{
		{`{"ok": true}`, false, false},
		{"Sure.\n{\"ok\": false, \"reason\": \"rm is not safe\"}", true, false},
		{"I cannot tell", false, true},
	} {
		var asked string
		ask := func(_ context.Context, system, prompt string) (string, error) {
			asked = prompt
			return tc.answer, nil
		}
		out := r.Run(context.Background(), Input{Event: PreToolUse, ToolName: "Bash", ToolInput: json.RawMessage(`{"command":"rm -rf x"}`), Ask: ask})
		if !strings.Contains(asked, `"command":"rm -rf x"`) {
			t.Errorf("the event was not in the prompt: %q", asked)
		}
		if out.Block != tc.block || (tc.block && out.Reason != "rm is not safe") || (len(out.Messages) > 0) != tc.messageOK {
			t.Errorf("answer %q: %+v", tc.answer, out)
		}
	}
	if out := r.Run(context.Background(), Input{Event: PreToolUse, ToolName: "Bash"}); out.Block || len(out.Messages) != 1 {
		t.Errorf("without a model: %+v", out)
	}
}

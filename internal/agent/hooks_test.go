package agent

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/hooks"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/settings"
	"github.com/strata-agent/strata/internal/tool"
)

// hookRunner builds a real hooks.Runner (commands run with sh) for one event.
func hookRunner(t *testing.T, dir, event, matcher, command string) *hooks.Runner {
	t.Helper()
	r, err := hooks.New(hooks.Options{ProjectDir: dir, Env: []string{"PATH=" + os.Getenv("PATH")},
		Hooks: map[string][]settings.HookMatcher{event: {{Matcher: matcher, Hooks: []settings.HookCommand{{Type: "command", Command: command}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// toolResult returns the tool_result the model got in request n (0-based) for its call.
func toolResult(t *testing.T, c *fakeClient, n int) llm.ContentBlock {
	t.Helper()
	msgs := c.reqs[n].Messages
	return msgs[len(msgs)-1].Content[0]
}

func TestPreToolUseHookBlocks(t *testing.T) {
	dir := t.TempDir()
	bash := &fakeTool{name: "Bash", result: tool.Result{Text: "ran"}}
	client := newFake(t,
		turn{blocks: []llm.ContentBlock{use("t1", "Bash", `{"command":"rm -rf build"}`)}},
		turn{blocks: []llm.ContentBlock{text("understood")}},
	)
	s := New(Config{Client: client, Model: "m", Tools: []tool.Tool{bash}, Cwd: dir, Permissions: bypass(),
		Hooks: hookRunner(t, dir, "PreToolUse", "Bash", `echo "rm is not allowed here; use make clean" >&2; exit 2`)}, nil)
	res, err := s.Run(context.Background(), []llm.ContentBlock{text("clean")})
	if err != nil {
		t.Fatal(err)
	}
	if bash.calls.Load() != 0 {
		t.Fatal("the blocked call ran")
	}
	tr := toolResult(t, client, 1)
	if !tr.IsError || !strings.Contains(tr.Content[0].Text, "rm is not allowed here; use make clean") {
		t.Fatalf("the model was not told the hook's reason: %+v", tr)
	}
	if len(res.Denials) != 1 || res.Denials[0].ToolUseID != "t1" {
		t.Fatalf("denials = %+v", res.Denials)
	}
}

func TestPreToolUseHookDecisions(t *testing.T) {
	allow := `echo '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"allow"}}'`
	ask := `echo '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"ask","permissionDecisionReason":"double-check"}}'`
	cases := []struct {
		name    string
		hook    string
		checker *permission.Checker
		command string
		ran     bool
		asked   bool
	}{
		{"allow skips asking", allow, &permission.Checker{Mode: permission.ModeDefault}, "make", true, false},
		{"allow does not beat a deny rule", allow,
			&permission.Checker{Mode: permission.ModeDefault, DenyRules: rules(t, "Bash(rm:*)")}, "make && rm -rf /", false, false},
		{"allow does not beat plan mode", allow, &permission.Checker{Mode: permission.ModePlan}, "make", false, false},
		{"allow does not skip asking when a deny rule might match", allow,
			&permission.Checker{Mode: permission.ModeDefault, DenyRules: rules(t, "Bash(rm:*)")}, "$X -rf /", false, true},
		{"allow does not skip asking for a protected write", allow,
			&permission.Checker{Mode: permission.ModeBypass}, "echo '[core] fsmonitor = x' >> .git/config", false, true},
		{"ask asks although rules allow", ask,
			&permission.Checker{Mode: permission.ModeDefault, AllowRules: rules(t, "Bash(make:*)")}, "make", false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			bash := &fakeTool{name: "Bash", result: tool.Result{Text: "ran"}}
			client := newFake(t,
				turn{blocks: []llm.ContentBlock{use("t1", "Bash", `{"command":`+quoteJSON(tc.command)+`}`)}},
				turn{blocks: []llm.ContentBlock{text("done")}},
			)
			approver := &recordingApprover{}
			s := New(Config{Client: client, Model: "m", Tools: []tool.Tool{bash}, Cwd: dir, Permissions: tc.checker,
				Approver: approver, Hooks: hookRunner(t, dir, "PreToolUse", "", tc.hook)}, nil)
			if _, err := s.Run(context.Background(), []llm.ContentBlock{text("go")}); err != nil {
				t.Fatal(err)
			}
			if ran := bash.calls.Load() == 1; ran != tc.ran {
				t.Errorf("ran = %v, want %v", ran, tc.ran)
			}
			if asked := len(approver.reqs) == 1; asked != tc.asked {
				t.Errorf("asked = %v, want %v", asked, tc.asked)
			}
		})
	}
}

func rules(t *testing.T, texts ...string) []permission.Rule {
	t.Helper()
	var out []permission.Rule
	for _, s := range texts {
		r, err := permission.ParseRule(s, "test")
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func quoteJSON(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// recordingApprover says no (or yes, always) and remembers what it was asked.
type recordingApprover struct {
	answer permission.Answer
	reqs   []permission.Request
}

func (a *recordingApprover) Approve(_ context.Context, req permission.Request) (permission.Answer, error) {
	a.reqs = append(a.reqs, req)
	return a.answer, nil
}

func TestPostToolUseHookFeedback(t *testing.T) {
	dir := t.TempDir()
	edit := &fakeTool{name: "Edit", result: tool.Result{Text: "edited a.go"}}
	client := newFake(t,
		turn{blocks: []llm.ContentBlock{use("t1", "Edit", `{"file_path":"a.go"}`)}},
		turn{blocks: []llm.ContentBlock{text("fixing the lint error")}},
	)
	s := New(Config{Client: client, Model: "m", Tools: []tool.Tool{edit}, Cwd: dir, Permissions: bypass(),
		Hooks: hookRunner(t, dir, "PostToolUse", "Edit|Write", `cat > post.json; echo "a.go:3: unused variable x" >&2; exit 2`)}, nil)
	if _, err := s.Run(context.Background(), []llm.ContentBlock{text("edit")}); err != nil {
		t.Fatal(err)
	}
	tr := toolResult(t, client, 1)
	got := tr.Content[0].Text
	if !strings.HasPrefix(got, "edited a.go") || !strings.Contains(got, "a.go:3: unused variable x") {
		t.Fatalf("tool result = %q", got)
	}
	post, err := os.ReadFile(filepath.Join(dir, "post.json"))
	if err != nil || !strings.Contains(string(post), `"tool_response":{"output":"edited a.go","is_error":false}`) {
		t.Fatalf("PostToolUse input = %s (%v)", post, err)
	}
}

func TestStopHookContinuesBounded(t *testing.T) {
	dir := t.TempDir()
	// The hook blocks the first stop only: it leaves a mark and lets the next one through.
	hook := `if [ -e stopped-once ]; then exit 0; fi; touch stopped-once; echo "the tests were not run" >&2; exit 2`
	client := newFake(t,
		turn{blocks: []llm.ContentBlock{text("done")}},
		turn{blocks: []llm.ContentBlock{text("ran the tests, all pass")}},
	)
	s := New(Config{Client: client, Model: "m", Cwd: dir, Permissions: bypass(),
		Hooks: hookRunner(t, dir, "Stop", "", hook)}, nil)
	res, err := s.Run(context.Background(), []llm.ContentBlock{text("fix it")})
	if err != nil {
		t.Fatal(err)
	}
	if res.Text != "ran the tests, all pass" || res.NumTurns != 2 {
		t.Fatalf("result %q after %d turns", res.Text, res.NumTurns)
	}
	last := client.reqs[1].Messages[len(client.reqs[1].Messages)-1]
	if last.Role != llm.RoleUser || !strings.Contains(last.Content[0].Text, "the tests were not run") {
		t.Fatalf("the model was not sent the hook's reason: %+v", last)
	}

	// A hook that always blocks sends the model back a bounded number of times.
	turns := make([]turn, maxStopContinuations+1)
	for i := range turns {
		turns[i] = turn{blocks: []llm.ContentBlock{text("done")}}
	}
	client = newFake(t, turns...)
	var warnings []string
	s = New(Config{Client: client, Model: "m", Cwd: dir, Permissions: bypass(),
		Hooks: hookRunner(t, dir, "Stop", "", "echo never >&2; exit 2"),
		Sink: func(ev Event) {
			if ev.Kind == EventNotice {
				warnings = append(warnings, ev.Notice.Text)
			}
		}}, nil)
	res, err = s.Run(context.Background(), []llm.ContentBlock{text("fix it")})
	if err != nil || res.NumTurns != maxStopContinuations+1 {
		t.Fatalf("turns = %d, err = %v", res.NumTurns, err)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "never") {
		t.Fatalf("warnings = %q", warnings)
	}
}

func TestUserPromptSubmitHook(t *testing.T) {
	dir := t.TempDir()
	s := New(Config{Client: newFake(t), Model: "m", Cwd: dir, Permissions: bypass(),
		Hooks: hookRunner(t, dir, "UserPromptSubmit", "", `grep -q password && { echo "no passwords in prompts" >&2; exit 2; }; exit 0`)}, nil)
	res, err := s.Run(context.Background(), []llm.ContentBlock{text("my password is hunter2")})
	if err == nil || !strings.Contains(err.Error(), "no passwords in prompts") || res.Subtype != SubtypeError {
		t.Fatalf("err = %v, result = %+v", err, res)
	}
	if len(s.Messages()) != 0 {
		t.Fatalf("the blocked prompt was kept: %+v", s.Messages())
	}

	client := newFake(t, turn{blocks: []llm.ContentBlock{text("ok")}})
	s = New(Config{Client: client, Model: "m", Cwd: dir, Permissions: bypass(),
		Hooks: hookRunner(t, dir, "UserPromptSubmit", "", `echo "current branch: main"`)}, nil)
	if _, err := s.Run(context.Background(), []llm.ContentBlock{text("status?")}); err != nil {
		t.Fatal(err)
	}
	if got := summaryOf(client.reqs[0].Messages[0]); !strings.Contains(got, "status?|Context added by the user's UserPromptSubmit hook:\ncurrent branch: main") {
		t.Fatalf("first message = %q", got)
	}
}

func TestHookContinueFalseStopsAfterTheStep(t *testing.T) {
	dir := t.TempDir()
	ls := &fakeTool{name: "LS", readOnly: true, result: tool.Result{Text: "a.go"}}
	client := newFake(t, turn{blocks: []llm.ContentBlock{use("t1", "LS", `{}`)}})
	s := New(Config{Client: client, Model: "m", Tools: []tool.Tool{ls}, Cwd: dir, Permissions: bypass(),
		Hooks: hookRunner(t, dir, "PostToolUse", "", `echo '{"continue":false,"stopReason":"budget spent"}'`)}, nil)
	res, err := s.Run(context.Background(), []llm.ContentBlock{text("look")})
	if err != nil || res.NumTurns != 1 || ls.calls.Load() != 1 {
		t.Fatalf("turns = %d, calls = %d, err = %v", res.NumTurns, ls.calls.Load(), err)
	}
}

func TestAllowAlwaysIsRememberedAndSaved(t *testing.T) {
	bash := &fakeTool{name: "Bash", result: tool.Result{Text: "ok"}}
	client := newFake(t,
		turn{blocks: []llm.ContentBlock{use("t1", "Bash", `{"command":"npm run test -- -x"}`)}},
		turn{blocks: []llm.ContentBlock{use("t2", "Bash", `{"command":"npm run test"}`)}},
		turn{blocks: []llm.ContentBlock{text("done")}},
	)
	approver := &recordingApprover{answer: permission.Answer{Allow: true, Always: true}}
	var saved []string
	checker := &permission.Checker{Mode: permission.ModeDefault, Dirs: []string{t.TempDir()}}
	s := New(Config{Client: client, Model: "m", Tools: []tool.Tool{bash}, Cwd: "/", Permissions: checker,
		Approver: approver, OnAllowAlways: func(rule string) error { saved = append(saved, rule); return nil }}, nil)
	if _, err := s.Run(context.Background(), []llm.ContentBlock{text("test")}); err != nil {
		t.Fatal(err)
	}
	if len(approver.reqs) != 1 || approver.reqs[0].Suggestion != "Bash(npm run test:*)" {
		t.Fatalf("asked %d times: %+v", len(approver.reqs), approver.reqs)
	}
	if len(saved) != 1 || saved[0] != "Bash(npm run test:*)" || bash.calls.Load() != 2 {
		t.Fatalf("saved %q, ran %d", saved, bash.calls.Load())
	}
}

// TestAllowAlwaysNeverCoversProtected: the dialog's "always" for a protected write allows
// that call only: no rule is offered, and a rule the person types is not kept either.
func TestAllowAlwaysNeverCoversProtected(t *testing.T) {
	bash := &fakeTool{name: "Bash", result: tool.Result{Text: "ok"}}
	cmd := `{"command":"echo x >> .bashrc"}`
	client := newFake(t,
		turn{blocks: []llm.ContentBlock{use("t1", "Bash", cmd)}},
		turn{blocks: []llm.ContentBlock{use("t2", "Bash", cmd)}},
		turn{blocks: []llm.ContentBlock{text("done")}},
	)
	approver := &recordingApprover{answer: permission.Answer{Allow: true, Always: true, Rule: "Bash(echo x >>.bashrc)"}}
	var saved []string
	checker := &permission.Checker{Mode: permission.ModeAcceptEdits, Dirs: []string{t.TempDir()}}
	s := New(Config{Client: client, Model: "m", Tools: []tool.Tool{bash}, Cwd: "/", Permissions: checker,
		Approver: approver, OnAllowAlways: func(rule string) error { saved = append(saved, rule); return nil }}, nil)
	if _, err := s.Run(context.Background(), []llm.ContentBlock{text("go")}); err != nil {
		t.Fatal(err)
	}
	if len(approver.reqs) != 2 || approver.reqs[0].Suggestion != "" || len(saved) != 0 || len(checker.AllowRules) != 0 {
		t.Fatalf("asked %d times (%+v), saved %q, rules %v", len(approver.reqs), approver.reqs, saved, checker.AllowRules)
	}
}

// TestFailingHookIsReportedAndBlocksNothing: a hook that exits 1 is a warning for the user;
// the call runs.
func TestFailingHookIsReportedAndBlocksNothing(t *testing.T) {
	dir := t.TempDir()
	ls := &fakeTool{name: "LS", readOnly: true, result: tool.Result{Text: "a.go"}}
	client := newFake(t, turn{blocks: []llm.ContentBlock{use("t1", "LS", `{}`)}}, turn{blocks: []llm.ContentBlock{text("ok")}})
	var warnings []string
	s := New(Config{Client: client, Model: "m", Tools: []tool.Tool{ls}, Cwd: dir, Permissions: bypass(),
		Hooks: hookRunner(t, dir, "PreToolUse", "", "echo broken >&2; exit 1"),
		Sink: func(ev Event) {
			if ev.Kind == EventNotice {
				warnings = append(warnings, ev.Notice.Text)
			}
		}}, nil)
	if _, err := s.Run(context.Background(), []llm.ContentBlock{text("look")}); err != nil {
		t.Fatal(err)
	}
	if ls.calls.Load() != 1 || len(warnings) != 1 || !strings.Contains(warnings[0], "failed with exit status 1: broken") {
		t.Fatalf("calls %d, warnings %q", ls.calls.Load(), warnings)
	}
}

// Hooks are told the session they run for, which /clear and /resume change under the same
// hook runner.
func TestHooksGetTheSessionOfTheirConfig(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "input.json")
	bash := &fakeTool{name: "Bash", result: tool.Result{Text: "ran"}}
	client := newFake(t,
		turn{blocks: []llm.ContentBlock{use("t1", "Bash", `{"command":"ls"}`)}},
		turn{blocks: []llm.ContentBlock{text("ok")}},
	)
	s := New(Config{Client: client, Model: "m", Tools: []tool.Tool{bash}, Cwd: dir, Permissions: bypass(),
		SessionID: "22222222-2222-2222-2222-222222222222", TranscriptPath: "/state/22.jsonl",
		Hooks: hookRunner(t, dir, "PreToolUse", "", "cat > "+out)}, nil)
	if _, err := s.Run(context.Background(), []llm.ContentBlock{text("list")}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil || !strings.Contains(string(data), `"session_id":"22222222-2222-2222-2222-222222222222"`) ||
		!strings.Contains(string(data), `"transcript_path":"/state/22.jsonl"`) {
		t.Fatalf("hook input %s, %v", data, err)
	}
}

// A PermissionRequest hook answers for the user (print mode, where nobody could), and a call
// that fails fires PostToolUseFailure instead of PostToolUse.
func TestPermissionRequestAndFailureHooks(t *testing.T) {
	dir := t.TempDir()
	bash := &fakeTool{name: "Bash", result: tool.Result{Text: "no such file", IsError: true}}
	client := newFake(t,
		turn{blocks: []llm.ContentBlock{use("t1", "Bash", `{"command":"make nope"}`)}},
		turn{blocks: []llm.ContentBlock{text("it failed")}},
	)
	r, err := hooks.New(hooks.Options{ProjectDir: dir, Env: []string{"PATH=" + os.Getenv("PATH")},
		Hooks: map[string][]settings.HookMatcher{
			"PermissionRequest": {{Matcher: "Bash", Hooks: []settings.HookCommand{{Type: "command",
				Command: `cat > asked.json; echo '{"hookSpecificOutput":{"hookEventName":"PermissionRequest","decision":{"behavior":"allow"}}}'`}}}},
			"PostToolUseFailure": {{Hooks: []settings.HookCommand{{Type: "command", Command: `cat > failed.json; echo "check the path" `}}}},
			"PostToolUse":        {{Hooks: []settings.HookCommand{{Type: "command", Command: `touch post-ran`}}}},
		}})
	if err != nil {
		t.Fatal(err)
	}
	s := New(Config{Client: client, Model: "m", Tools: []tool.Tool{bash}, Cwd: dir,
		Permissions: &permission.Checker{Mode: permission.ModeDefault, Dirs: []string{dir}}, Hooks: r}, nil)
	res, err := s.Run(context.Background(), []llm.ContentBlock{text("read it")})
	if err != nil {
		t.Fatal(err)
	}
	if bash.calls.Load() != 1 || len(res.Denials) != 0 {
		t.Fatalf("the hook's allow did not run the call: %d calls, denials %v", bash.calls.Load(), res.Denials)
	}
	asked, _ := os.ReadFile(filepath.Join(dir, "asked.json"))
	failed, _ := os.ReadFile(filepath.Join(dir, "failed.json"))
	if !strings.Contains(string(asked), `"hook_event_name":"PermissionRequest"`) ||
		!strings.Contains(string(failed), `"error":"no such file"`) {
		t.Errorf("hook inputs: %s / %s", asked, failed)
	}
	if _, err := os.Stat(filepath.Join(dir, "post-ran")); err == nil {
		t.Error("PostToolUse ran for a failed call")
	}
}

// A turn that ends on an error runs the StopFailure hooks (with the error) and not Stop.
func TestStopFailureHook(t *testing.T) {
	dir := t.TempDir()
	client := newFake(t, turn{err: errors.New("the model is not available in this region")})
	r, err := hooks.New(hooks.Options{ProjectDir: dir, Env: []string{"PATH=" + os.Getenv("PATH")},
		Hooks: map[string][]settings.HookMatcher{
			"StopFailure": {{Hooks: []settings.HookCommand{{Type: "command", Command: `cat > failure.json`}}}},
			"Stop":        {{Hooks: []settings.HookCommand{{Type: "command", Command: `touch stop-ran`}}}},
		}})
	if err != nil {
		t.Fatal(err)
	}
	s := New(Config{Client: client, Model: "m", Cwd: dir, Permissions: bypass(), Hooks: r}, nil)
	if _, err := s.Run(context.Background(), []llm.ContentBlock{text("hi")}); err == nil {
		t.Fatal("the run did not fail")
	}
	got, _ := os.ReadFile(filepath.Join(dir, "failure.json"))
	if !strings.Contains(string(got), `"hook_event_name":"StopFailure"`) || !strings.Contains(string(got), "not available in this region") {
		t.Errorf("StopFailure input = %s", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "stop-ran")); err == nil {
		t.Error("Stop ran after a failed turn")
	}
}

package tui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-agent/strata/internal/agent"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tool"
)

func TestStreamingPrintsFinishedParagraphsAndKeepsTheRestLive(t *testing.T) {
	h := newHarness(t, nil)
	h.sess.run = func(ctx context.Context, f *fakeSession, _ []llm.ContentBlock) (*agent.Result, error) {
		f.stream("# Plan\n\n", "Some **bold**", " text and `code`.\n\n", "```go\nfmt.Println(1)\n", "```\n\nDone")
		return &agent.Result{Subtype: agent.SubtypeSuccess}, nil
	}
	h.enterLine("explain")
	h.waitFor("the second paragraph streaming", func() bool { return strings.Contains(h.view(), "Some bold") })
	h.mustShow(h.out(), "> explain", "Plan")
	h.mustNotShow(h.out(), "Some bold", "#")
	h.mustShow(h.view(), "Working…", "esc to interrupt", "↑ 1.2k")
	h.settle()
	out := h.out()
	h.mustShow(out, "Some bold text and code.", "  fmt.Println(1)", "Done")
	h.mustNotShow(out, "**", "```", "`code`")
	h.mustNotShow(h.view(), "Working", "Done")
	if strings.Index(out, "Plan") > strings.Index(out, "Some bold") || strings.Index(out, "fmt.Println") > strings.Index(out, "Done") {
		t.Errorf("paragraphs printed out of order:\n%s", out)
	}
}

func TestThinkingIsDimmedCollapsedAndShownOnCtrlO(t *testing.T) {
	h := newHarness(t, nil)
	h.sess.run = func(ctx context.Context, f *fakeSession, _ []llm.ContentBlock) (*agent.Result, error) {
		b := f.bridge
		b.Event(agent.Event{Kind: agent.EventStream, Stream: &llm.Event{Type: llm.EventContentBlockStart, ContentBlock: &llm.ContentBlock{Type: llm.TypeThinking}}})
		b.Event(agent.Event{Kind: agent.EventStream, Stream: &llm.Event{Type: llm.EventContentBlockDelta, Delta: &llm.Delta{Type: llm.DeltaThinking, Thinking: "the secret plan is simple"}}})
		b.Event(agent.Event{Kind: agent.EventStream, Stream: &llm.Event{Type: llm.EventContentBlockStop}})
		f.say("Answer.")
		return &agent.Result{}, nil
	}
	h.enterLine("think")
	h.waitFor("thinking on screen", func() bool { return strings.Contains(h.view(), "Thinking…") })
	h.settle()
	h.mustShow(h.out(), "✻ Thinking (5 words, hidden; Ctrl-O shows it)", "Answer.")
	h.mustNotShow(h.out(), "secret plan")
	h.key("ctrl+o")
	h.settle()
	h.mustShow(h.out(), "✻ the secret plan is simple")
}

func TestToolCallsResultsDiffsAndTodos(t *testing.T) {
	h := newHarness(t, nil)
	release := make(chan struct{})
	var bashOut []string
	for i := 1; i <= 30; i++ {
		bashOut = append(bashOut, fmt.Sprintf("line %d", i))
	}
	h.sess.run = func(ctx context.Context, f *fakeSession, _ []llm.ContentBlock) (*agent.Result, error) {
		use := &llm.ContentBlock{Type: llm.TypeToolUse, ID: "t1", Name: "Bash", Input: []byte(`{"command":"go test ./..."}`)}
		f.bridge.Event(agent.Event{Kind: agent.EventToolStart, ToolUse: use})
		<-release
		f.bridge.Event(agent.Event{Kind: agent.EventToolResult, ToolUse: use, Result: &tool.Result{Text: strings.Join(bashOut, "\n")}})
		f.toolCall("t2", "Edit", `{"file_path":"/p/main.go","old_string":"a","new_string":"b"}`, tool.Result{Text: "edited",
			Display: "--- main.go\n+++ main.go\n@@ -1,2 +1,2 @@\n package main\n-var x = 1\n+var x = 2\n"})
		f.toolCall("t3", "Read", `{"file_path":"/p/go.mod"}`, tool.Result{Text: "1\tmodule p\n2\t\n3\tgo 1.26\n"})
		f.toolCall("t4", "Grep", `{"pattern":"nothing"}`, tool.Result{Text: "No matches", IsError: true})
		f.bridge.Todos([]tool.Todo{{Content: "write test", Status: "completed"}, {Content: "fix bug", Status: "in_progress"}, {Content: "ship", Status: "pending"}})
		f.bridge.Event(agent.Event{Kind: agent.EventDenied, ToolUse: &llm.ContentBlock{Type: llm.TypeToolUse, ID: "t5", Name: "Bash", Input: []byte(`{"command":"rm -rf /"}`)},
			Reason: "denied by the permission rule Bash(rm:*)"})
		return &agent.Result{}, nil
	}
	h.enterLine("test it")
	h.waitFor("the running tool", func() bool { return strings.Contains(h.view(), "Bash(go test ./...)") })
	h.mustShow(h.view(), "⠋ Bash(go test ./...) 0s")
	h.now = h.now.Add(3 * time.Second)
	h.mustShow(h.view(), "Bash(go test ./...) 3s", "(3s")
	close(release)
	h.settle()
	out := h.out()
	h.mustShow(out, "● Bash(go test ./...)", "  ⎿ line 1", "    line 10", "… 20 more lines not shown",
		"● Edit(/p/main.go)", "-var x = 1", "+var x = 2", "@@ -1,2 +1,2 @@",
		"● Read(/p/go.mod)", "Read 3 lines",
		"● Grep(nothing)", "No matches",
		"● Todo list", "☒ write test", "◼ fix bug", "☐ ship",
		"✗ Bash(rm -rf /)", "denied by the permission rule Bash(rm:*)")
	h.mustNotShow(out, "line 11", "module p")
	h.mustNotShow(h.view(), "Bash(go test")
}

func TestPermissionDialog(t *testing.T) {
	tests := []struct {
		name  string
		keys  func(h *harness)
		want  permission.Answer
		shown string
	}{
		{"allow once", func(h *harness) { h.key("enter") }, permission.Answer{Allow: true}, ""},
		{"always", func(h *harness) { h.key("down", "enter") }, permission.Answer{Allow: true, Always: true}, "Bash(make deploy:*) is now allowed in this project"},
		{"always by number", func(h *harness) { h.key("2") }, permission.Answer{Allow: true, Always: true}, ""},
		{"deny with a reason", func(h *harness) {
			h.key("3")
			h.mustShow(h.view(), "type the reason below", "Why not")
			h.typeText("use make test instead")
			h.key("enter")
		}, permission.Answer{Reason: "use make test instead"}, ""},
		{"n denies without a reason", func(h *harness) { h.key("n", "esc") }, permission.Answer{}, ""},
		{"esc interrupts the turn", func(h *harness) {
			h.key("esc")
			if !h.m.work.interrupted {
				h.t.Error("Esc in the dialog did not interrupt the turn")
			}
		}, permission.Answer{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			answers := make(chan permission.Answer, 1)
			h.sess.run = func(ctx context.Context, f *fakeSession, _ []llm.ContentBlock) (*agent.Result, error) {
				ans, err := f.bridge.Approve(ctx, permission.Request{Call: permission.Call{Tool: "Bash",
					Input: []byte(`{"command":"make deploy","description":"Deploy to staging"}`)}, Summary: "Bash(make deploy)",
					Suggestion: "Bash(make deploy:*)", Reason: "The permission rule Bash(make:*) (.claude/settings.json) asks before this call."})
				// Interrupted: the call is not allowed, whichever way it ended. The refusal is
				// answered before the turn is cancelled, so the cancellation may not show yet.
				if err != nil || ctx.Err() != nil || ans.Reason == interruptedReason {
					answers <- permission.Answer{}
					return nil, ctx.Err()
				}
				answers <- ans
				return &agent.Result{}, nil
			}
			h.typeText("draft kept")
			h.update(tea.KeyPressMsg{}) // nothing
			h.m.input.Reset()
			h.enterLine("deploy")
			h.waitFor("the dialog", func() bool { return h.m.dialog.Open() })
			h.mustShow(h.view(), "Run a command?", "│ make deploy\n", "Deploy to staging", "❯ 1. Yes",
				"2. Yes, and don't ask again for Bash(make deploy:*) in this project", "3. No, and tell the model",
				"The permission rule Bash(make:*)")
			tt.keys(h)
			h.settle()
			if got := <-answers; got != tt.want {
				t.Errorf("answer %+v, want %+v", got, tt.want)
			}
			h.mustNotShow(h.view(), "Run a command?")
			if tt.shown != "" {
				h.mustShow(h.out(), tt.shown)
			}
		})
	}
}

func TestInterruptKeepsWhatWasSaid(t *testing.T) {
	for _, k := range []string{"esc", "ctrl+c"} {
		t.Run(k, func(t *testing.T) {
			h := newHarness(t, nil)
			h.sess.run = func(ctx context.Context, f *fakeSession, p []llm.ContentBlock) (*agent.Result, error) {
				b := f.bridge
				b.Event(agent.Event{Kind: agent.EventStream, Stream: &llm.Event{Type: llm.EventContentBlockStart, ContentBlock: &llm.ContentBlock{Type: llm.TypeText}}})
				b.Event(agent.Event{Kind: agent.EventStream, Stream: &llm.Event{Type: llm.EventContentBlockDelta, Delta: &llm.Delta{Type: llm.DeltaText, Text: "I will start by"}}})
				if p[0].Text == "next" {
					return &agent.Result{}, nil
				}
				<-ctx.Done()
				return &agent.Result{Subtype: agent.SubtypeError}, ctx.Err()
			}
			h.enterLine("long job")
			h.waitFor("partial text", func() bool { return strings.Contains(h.view(), "I will start by") })
			h.key(k)
			h.settle()
			h.mustShow(h.out(), "I will start by", "⎿ Interrupted")
			if h.m.work.running() || h.quit {
				t.Errorf("busy %v, quit %v after the interruption", h.m.work.running(), h.quit)
			}
			h.enterLine("next")
			h.settle()
			if got := h.sess.promptTexts(); len(got) != 2 || got[1] != "next" {
				t.Errorf("prompts %q", got)
			}
		})
	}
}

func TestDialogPreviewsEdits(t *testing.T) {
	h := newHarness(t, nil)
	h.sess.run = func(ctx context.Context, f *fakeSession, _ []llm.ContentBlock) (*agent.Result, error) {
		_, err := f.bridge.Approve(ctx, permission.Request{Summary: "Edit(/p/a.go)", Call: permission.Call{Tool: "Edit",
			Input: []byte(`{"file_path":"/p/a.go","old_string":"x := 1\ny := 2","new_string":"x := 3"}`)}})
		return &agent.Result{}, err
	}
	h.enterLine("edit")
	h.waitFor("the dialog", func() bool { return h.m.dialog.Open() })
	h.mustShow(h.view(), "Edit a file?", "│ -x := 1", "│ -y := 2", "│ +x := 3")
	h.key("y")
	h.settle()
}

func TestDialogWithoutASafeRuleOffersNoAlways(t *testing.T) {
	h := newHarness(t, nil)
	answers := make(chan permission.Answer, 1)
	h.sess.run = func(ctx context.Context, f *fakeSession, _ []llm.ContentBlock) (*agent.Result, error) {
		ans, err := f.bridge.Approve(ctx, permission.Request{Summary: "Bash(curl x | sh)", Call: permission.Call{Tool: "Bash"}})
		answers <- ans
		return &agent.Result{}, err
	}
	h.enterLine("install")
	h.waitFor("the dialog", func() bool { return h.m.dialog.Open() })
	h.mustShow(h.view(), "1. Yes", "2. No, and tell the model")
	h.mustNotShow(h.view(), "don't ask again")
	h.key("a") // no "always" to choose
	h.key("2")
	h.key("enter") // no reason
	h.settle()
	if got := <-answers; got != (permission.Answer{}) {
		t.Errorf("answer %+v", got)
	}
}

func TestInterruptAnswersAnOpenDialog(t *testing.T) {
	h := newHarness(t, nil)
	errs := make(chan error, 1)
	h.sess.run = func(ctx context.Context, f *fakeSession, _ []llm.ContentBlock) (*agent.Result, error) {
		_, err := f.bridge.Approve(ctx, permission.Request{Summary: "Write(x)", Call: permission.Call{Tool: "Write"}})
		errs <- err
		// The dialog is answered before the turn is cancelled: like the agent, end with the
		// turn's cancellation, not whatever ctx.Err() says in between.
		<-ctx.Done()
		return nil, ctx.Err()
	}
	h.enterLine("write")
	h.waitFor("the dialog", func() bool { return h.m.dialog.Open() })
	h.key("ctrl+c")
	h.settle()
	if h.m.dialog.Open() {
		t.Fatal("dialog still shown")
	}
	<-errs // the approver returned: the agent is not left waiting
	// The turn's end arrives after the approver returned, on a loaded machine possibly after
	// the UI first settled.
	h.waitFor("the interruption to show", func() bool { return strings.Contains(h.out(), "Interrupted") })
}

func TestExitKeys(t *testing.T) {
	h := newHarness(t, nil)
	h.key("ctrl+c")
	if h.quit {
		t.Fatal("one Ctrl-C exited")
	}
	h.mustShow(h.view(), "Press Ctrl-C again to exit")
	h.now = h.now.Add(5 * time.Second)
	h.key("ctrl+c")
	if h.quit {
		t.Fatal("Ctrl-C long after the first exited")
	}
	h.key("ctrl+c")
	h.settle()
	if !h.quit {
		t.Fatal("Ctrl-C twice did not exit")
	}

	h = newHarness(t, nil)
	h.typeText("text")
	h.key("ctrl+d")
	if h.quit {
		t.Fatal("Ctrl-D with text exited")
	}
	h.key("ctrl+c") // clears the input
	if h.m.input.Value() != "" || h.quit {
		t.Fatalf("Ctrl-C with text: input %q, quit %v", h.m.input.Value(), h.quit)
	}
	h.key("ctrl+d")
	h.settle()
	if !h.quit {
		t.Fatal("Ctrl-D on an empty line did not exit")
	}
}

func TestShiftTabCyclesPermissionModes(t *testing.T) {
	h := newHarness(t, nil)
	h.mustShow(h.view(), "default mode")
	h.key("shift+tab")
	h.mustShow(h.view(), "⏵⏵ accept edits")
	h.key("shift+tab")
	h.mustShow(h.view(), "⏸ plan mode")
	h.key("shift+tab")
	h.mustShow(h.view(), "default mode")
	want := []permission.Mode{permission.ModeAcceptEdits, permission.ModePlan, permission.ModeDefault}
	if fmt.Sprint(h.host.modes) != fmt.Sprint(want) {
		t.Errorf("modes set %v, want %v", h.host.modes, want)
	}
}

func TestModeChangedDuringATurnReachesTheSessionAtOnce(t *testing.T) {
	h := newHarness(t, nil)
	release := h.busyTurn()
	h.key("shift+tab")
	h.mustShow(h.view(), "accept edits (shift+tab)")
	if fmt.Sprint(h.host.modes) != "[acceptEdits]" {
		t.Fatalf("the running session did not get the mode: %v", h.host.modes)
	}
	release()
	h.settle()
	if fmt.Sprint(h.host.modes) != "[acceptEdits]" {
		t.Errorf("modes set %v", h.host.modes)
	}
}

func TestMultiLineInput(t *testing.T) {
	h := newHarness(t, nil)
	h.typeText("first line\\")
	h.key("enter")
	h.typeText("second")
	h.key("shift+enter")
	h.typeText("third")
	if got := h.m.input.Value(); got != "first line\nsecond\nthird" {
		t.Fatalf("input %q", got)
	}
	h.key("enter")
	h.settle()
	if got := h.sess.promptTexts(); len(got) != 1 || got[0] != "first line\nsecond\nthird" {
		t.Errorf("prompts %q", got)
	}
	h.mustShow(h.out(), "> first line\n  second\n  third")
}

func TestHistoryIsBrowsedAndPersisted(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history", "project.jsonl")
	h := newHarness(t, func(o *Options) { o.HistoryPath = path })
	h.enterLine("one")
	h.settle()
	h.typeText("two\\")
	h.key("enter")
	h.enterLine("lines")
	h.settle()
	h.typeText("draft")
	h.key("up")
	if got := h.m.input.Value(); got != "two\nlines" {
		t.Fatalf("after up: %q", got)
	}
	h.key("up") // the cursor is on the last line of a two-line entry: up moves inside it
	h.key("up")
	if got := h.m.input.Value(); got != "one" {
		t.Fatalf("after up, up, up: %q", got)
	}
	h.key("down")
	h.key("down")
	h.key("down")
	if got := h.m.input.Value(); got != "draft" {
		t.Fatalf("back down to the draft: %q", got)
	}
	again := newHarness(t, func(o *Options) { o.HistoryPath = path })
	again.key("up", "up", "up")
	if got := again.m.input.Value(); got != "one" {
		t.Errorf("the next session's history: %q after going up", got)
	}
}

func TestAtCompletion(t *testing.T) {
	h := newHarness(t, nil)
	h.host.files = []string{"README.md", "internal/", "internal/mapper/", "internal/mapper/map.go", "main.go"}
	h.typeText("look at @ma")
	h.mustShow(h.view(), "❯ @main.go", "@internal/mapper/map.go")
	h.key("tab")
	if got := h.m.input.Value(); got != "look at @main.go " {
		t.Fatalf("after tab: %q", got)
	}
	h.mustNotShow(h.view(), "@internal")
	h.typeText("and @int")
	h.key("enter") // a directory: completion continues inside it
	if got := h.m.input.Value(); got != "look at @main.go and @internal/" {
		t.Fatalf("after enter on a directory: %q", got)
	}
	h.key("down", "down")
	h.mustShow(h.view(), "❯ @internal/mapper/map.go")
	h.key("esc")
	h.mustNotShow(h.view(), "❯ @")
}

func TestShellCommandShowsOutputAndTellsTheModel(t *testing.T) {
	h := newHarness(t, nil)
	h.host.shell = func(context.Context, string) ShellResult {
		return ShellResult{Output: "hello from the shell\n", ExitCode: 3}
	}
	h.enterLine("!echo $GREETING; exit 3")
	h.settle()
	h.mustShow(h.out(), "! echo $GREETING; exit 3", "⎿ hello from the shell", "exit status 3", "goes to the model with your next message")
	h.enterLine("what happened?")
	h.settle()
	got := h.sess.promptTexts()
	if len(got) != 1 || !strings.Contains(got[0], "$ echo $GREETING") || !strings.Contains(got[0], "hello from the shell") || !strings.HasSuffix(got[0], "what happened?") {
		t.Errorf("prompt %q", got)
	}
}

func TestHashNoteGoesToProjectMemory(t *testing.T) {
	h := newHarness(t, nil)
	h.enterLine("# always run gofmt")
	h.settle()
	if fmt.Sprint(h.host.notes) != "[always run gofmt]" {
		t.Fatalf("notes %q", h.host.notes)
	}
	h.mustShow(h.out(), "Noted in ./CLAUDE.md")
	h.enterLine("and now?")
	h.settle()
	if p := h.sess.promptTexts(); len(p) != 1 || !strings.Contains(p[0], "./CLAUDE.md): always run gofmt") {
		t.Errorf("the model is not told of the note: %q", p)
	}

	h.host.noteErr = errors.New("memory: CLAUDE.md is read-only")
	h.enterLine("# another")
	h.settle()
	h.mustShow(h.out(), "memory: CLAUDE.md is read-only")
}

func TestStatusLineShowsRetriesAndRefreshes(t *testing.T) {
	h := newHarness(t, nil)
	release := make(chan struct{})
	h.sess.run = func(ctx context.Context, f *fakeSession, _ []llm.ContentBlock) (*agent.Result, error) {
		f.bridge.Event(agent.Event{Kind: agent.EventNotice, Notice: &llm.Notice{Kind: llm.NoticeRetry, Attempt: 2, MaxAttempts: 11,
			Delay: 4 * time.Second, Err: &llm.Error{Kind: llm.ErrThrottled, Message: "Too many requests"}}})
		<-release
		f.bridge.Event(agent.Event{Kind: agent.EventNotice, Notice: &llm.Notice{Kind: llm.NoticeRefresh, Text: "refreshing AWS credentials (awsAuthRefresh)…"}})
		f.bridge.Event(agent.Event{Kind: agent.EventNotice, Notice: &llm.Notice{Kind: llm.NoticeRefreshOutput, Text: "Open https://device.sso/ABCD to sign in"}})
		<-release
		f.bridge.Event(agent.Event{Kind: agent.EventNotice, Notice: &llm.Notice{Kind: llm.NoticeWarning, Text: "the conversation neared the context window, so 12 earlier messages were summarised"}})
		f.say("Back.")
		return &agent.Result{}, nil
	}
	h.enterLine("go")
	h.waitFor("the retry", func() bool { return strings.Contains(h.view(), "retrying") })
	h.mustShow(h.view(), "throttled, retrying in 4s (2/10)")
	release <- struct{}{}
	h.waitFor("the refresh", func() bool { return strings.Contains(h.out(), "sign in") })
	h.mustShow(h.view(), "refreshing AWS credentials (awsAuthRefresh)…")
	h.mustShow(h.out(), "⟳ refreshing AWS credentials", "│ Open https://device.sso/ABCD to sign in")
	close(release)
	h.settle()
	h.mustShow(h.out(), "⚠ the conversation neared the context window", "Back.")
	h.mustNotShow(h.view(), "retrying", "refreshing")
}

func TestFooterShowsModelModeAndCost(t *testing.T) {
	h := newHarness(t, nil)
	h.mustShow(h.view(), "Claude Sonnet 4.5 · default mode (shift+tab) · $0.0000 estimated")
	h.enterLine("hi") // the fake answers with 1200 input and 42 output tokens: $0.01242
	h.settle()
	h.mustShow(h.view(), "$0.0124 estimated")
}

func TestResizeRewrapsAnswers(t *testing.T) {
	h := newHarness(t, nil)
	h.update(tea.WindowSizeMsg{Width: 30, Height: 20})
	h.sess.run = func(ctx context.Context, f *fakeSession, _ []llm.ContentBlock) (*agent.Result, error) {
		f.say(strings.Repeat("alpha ", 20))
		return &agent.Result{}, nil
	}
	h.enterLine("wrap")
	h.settle()
	for _, line := range strings.Split(h.out(), "\n") {
		if strings.Contains(line, "alpha") && len(line) > 30 {
			t.Errorf("line wider than the window: %q", line)
		}
	}
	for _, line := range strings.Split(h.view(), "\n") {
		if len([]rune(line)) > 30 {
			t.Errorf("live line wider than the window: %q", line)
		}
	}
}

func TestPromptsTypedDuringATurnAreQueued(t *testing.T) {
	h := newHarness(t, nil)
	release := make(chan struct{})
	h.sess.run = func(ctx context.Context, f *fakeSession, p []llm.ContentBlock) (*agent.Result, error) {
		if p[0].Text == "first" {
			<-release
		}
		f.say("answer to " + p[0].Text)
		return &agent.Result{}, nil
	}
	h.enterLine("first")
	h.waitFor("busy", func() bool { return h.m.work.running() })
	h.enterLine("second")
	h.mustShow(h.out(), "queued")
	close(release)
	h.settle()
	if got := h.sess.promptTexts(); fmt.Sprint(got) != "[first second]" {
		t.Errorf("prompts %q", got)
	}
	h.mustShow(h.out(), "answer to first", "answer to second")
}

func TestErrorsArePrinted(t *testing.T) {
	h := newHarness(t, nil)
	h.sess.run = func(ctx context.Context, f *fakeSession, _ []llm.ContentBlock) (*agent.Result, error) {
		return nil, &llm.Error{Kind: llm.ErrAccessDenied, Message: "Bedrock refused the request: no access to the model.", Fix: "Ask for model access in the Bedrock console."}
	}
	h.enterLine("hi")
	h.settle()
	h.mustShow(h.out(), "✗ Bedrock refused the request", "Ask for model access")
}

func TestInitialPromptAndWarnings(t *testing.T) {
	h := newHarness(t, func(o *Options) {
		o.Prompt = "start here"
		o.Warnings = []string{"the model is retired"}
		o.Resumed = 6
	})
	h.settle()
	h.mustShow(h.out(), "↻ Continuing session "+testSessionID+" (6 messages so far)", "⚠ the model is retired", "> start here", "ok")
}

func TestSlashCompletionRunsTheChosenCommand(t *testing.T) {
	h := newHarness(t, nil)
	h.typeText("/co")
	h.mustShow(h.view(), "❯ /compact [focus]", "/cost")
	h.key("down")
	h.mustShow(h.view(), "❯ /cost")
	h.key("enter")
	h.settle()
	h.mustShow(h.out(), "> /cost", "Session cost")
	if h.m.input.Value() != "" {
		t.Errorf("input %q after running the command", h.m.input.Value())
	}
	h.typeText("/mod")
	h.key("tab")
	if got := h.m.input.Value(); got != "/model " {
		t.Errorf("after tab: %q", got)
	}
}

// TestErrorsWrapAtWords: a failed turn's error is wrapped at spaces under its ✗, its fix on a
// line of its own, no word cut.
func TestErrorsWrapAtWords(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.Width = 40 })
	h.sess.run = func(context.Context, *fakeSession, []llm.ContentBlock) (*agent.Result, error) {
		return nil, errors.New("Bedrock failed to answer for us.anthropic.claude-sonnet-4-5 after 11 attempts\nCheck that the gateway is running.")
	}
	h.enterLine("hello")
	h.settle()
	out := h.out()
	for _, want := range []string{"✗ Bedrock failed to answer for\n", "  us.anthropic.claude-sonnet-4-5 after\n", "  11 attempts\n", "  Check that the gateway is running."} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
}

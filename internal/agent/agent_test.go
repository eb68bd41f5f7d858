package agent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tool"
)

// turn is one scripted answer: its blocks, and whether the stream stops at max_tokens with
// the last tool call unfinished.
type turn struct {
	blocks []llm.ContentBlock
	cutAt  bool
	err    error
}

// fakeClient answers requests from a script, recording each request, and fails the test on
// unused turns.
type fakeClient struct {
	t     *testing.T
	mu    sync.Mutex
	turns []turn
	reqs  []*llm.Request
}

func newFake(t *testing.T, turns ...turn) *fakeClient {
	f := &fakeClient{t: t, turns: turns}
	t.Cleanup(func() {
		if len(f.turns) > 0 {
			t.Errorf("%d scripted turns never requested", len(f.turns))
		}
	})
	return f
}

func (f *fakeClient) Stream(ctx context.Context, req *llm.Request) (llm.Stream, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	raw, _ := json.Marshal(req) // snapshot: later turns must not change earlier requests
	var snap llm.Request
	_ = json.Unmarshal(raw, &snap)
	snap.Model, snap.MaxTokens = req.Model, req.MaxTokens
	f.reqs = append(f.reqs, &snap)
	if len(f.turns) == 0 {
		f.t.Fatalf("unexpected request %d", len(f.reqs))
	}
	tr := f.turns[0]
	f.turns = f.turns[1:]
	if tr.err != nil {
		return nil, tr.err
	}
	return &fakeStream{events: eventsFor(len(f.reqs), tr)}, nil
}

type fakeStream struct{ events []llm.Event }

func (s *fakeStream) Recv() (llm.Event, error) {
	if len(s.events) == 0 {
		return llm.Event{}, io.EOF
	}
	ev := s.events[0]
	s.events = s.events[1:]
	return ev, nil
}
func (s *fakeStream) Close() error { return nil }

// eventsFor turns scripted blocks into the stream events Bedrock would send.
func eventsFor(n int, tr turn) []llm.Event {
	stop := llm.StopEndTurn
	evs := []llm.Event{{Type: llm.EventMessageStart, Message: &llm.Response{
		ID: fmt.Sprintf("msg_%d", n), Type: "message", Role: "assistant", Model: "m",
		Usage: llm.Usage{InputTokens: 100, CacheReadInputTokens: 50}}}}
	for i, b := range tr.blocks {
		start := b
		if b.Type == llm.TypeToolUse {
			stop = llm.StopToolUse
			start.Input = json.RawMessage("{}")
		}
		if b.Type == llm.TypeText {
			start.Text = ""
		}
		evs = append(evs, llm.Event{Type: llm.EventContentBlockStart, Index: i, ContentBlock: &start})
		switch b.Type {
		case llm.TypeText:
			evs = append(evs, llm.Event{Type: llm.EventContentBlockDelta, Index: i, Delta: &llm.Delta{Type: llm.DeltaText, Text: b.Text}})
		case llm.TypeToolUse:
			in := string(b.Input)
			if tr.cutAt && i == len(tr.blocks)-1 {
				evs = append(evs, llm.Event{Type: llm.EventContentBlockDelta, Index: i, Delta: &llm.Delta{Type: llm.DeltaInputJSON, PartialJSON: in[:len(in)/2]}})
				stop = llm.StopMaxTokens
				goto done
			}
			evs = append(evs, llm.Event{Type: llm.EventContentBlockDelta, Index: i, Delta: &llm.Delta{Type: llm.DeltaInputJSON, PartialJSON: in}})
		}
		evs = append(evs, llm.Event{Type: llm.EventContentBlockStop, Index: i})
	}
done:
	evs = append(evs,
		llm.Event{Type: llm.EventMessageDelta, Delta: &llm.Delta{StopReason: stop}, Usage: &llm.Usage{OutputTokens: 20}},
		llm.Event{Type: llm.EventMessageStop})
	return evs
}

func text(s string) llm.ContentBlock { return llm.TextBlock(s) }
func use(id, name, input string) llm.ContentBlock {
	return llm.ContentBlock{Type: llm.TypeToolUse, ID: id, Name: name, Input: json.RawMessage(input)}
}

// fakeTool records calls and answers with a fixed result.
type fakeTool struct {
	name     string
	readOnly bool
	result   tool.Result
	err      error
	running  *atomic.Int32
	maxPar   *atomic.Int32
	calls    atomic.Int32
}

func (f *fakeTool) Name() string                 { return f.name }
func (f *fakeTool) Description() string          { return "a fake " + f.name }
func (f *fakeTool) InputSchema() json.RawMessage { return json.RawMessage(`{"type":"object"}`) }
func (f *fakeTool) ConcurrencySafe() bool        { return f.readOnly }
func (f *fakeTool) Class() permission.Class {
	if f.readOnly {
		return permission.ClassRead
	}
	return permission.ClassExecute
}
func (f *fakeTool) Run(ctx context.Context, env *tool.Env, in json.RawMessage) (tool.Result, error) {
	f.calls.Add(1)
	if f.running != nil {
		n := f.running.Add(1)
		for {
			m := f.maxPar.Load()
			if n <= m || f.maxPar.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond) // long enough for a concurrent sibling to overlap
		f.running.Add(-1)
	}
	return f.result, f.err
}

type memRecorder struct {
	mu      sync.Mutex
	lines   []string
	syncs   int
	syncErr error
}

func (r *memRecorder) AppendUser(m llm.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines = append(r.lines, "user:"+summaryOf(m))
	return nil
}
func (r *memRecorder) AppendAssistant(resp *llm.Response, model string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines = append(r.lines, "assistant:"+summaryOf(resp.Message()))
	return nil
}
func (r *memRecorder) Sync() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.syncs++
	return r.syncErr
}

func summaryOf(m llm.Message) string {
	var parts []string
	for _, b := range m.Content {
		switch b.Type {
		case llm.TypeText:
			parts = append(parts, b.Text)
		case llm.TypeToolUse:
			parts = append(parts, "use:"+b.Name)
		case llm.TypeToolResult:
			parts = append(parts, "result:"+b.Content[0].Text)
		}
	}
	return strings.Join(parts, "|")
}

func bypass() *permission.Checker { return &permission.Checker{Mode: permission.ModeBypass} }

// TestTranscriptSyncFailureEndsTheTurn: the transcript is forced to disk while the request
// goes out; when that fails, the turn reports it rather than going on unsaved.
func TestTranscriptSyncFailureEndsTheTurn(t *testing.T) {
	client := newFake(t, turn{blocks: []llm.ContentBlock{text("hello")}})
	rec := &memRecorder{syncErr: errors.New("disk full")}
	s := New(Config{Client: client, Model: "m", Cwd: "/p", Permissions: bypass(), Transcript: rec}, nil)
	_, err := s.Run(context.Background(), []llm.ContentBlock{text("hi")})
	if err == nil || !strings.Contains(err.Error(), "saving the session transcript: disk full") {
		t.Fatalf("Run error = %v, want the failed sync", err)
	}
}

func TestToolRoundTrip(t *testing.T) {
	read := &fakeTool{name: "Read", readOnly: true, result: tool.Result{Text: "1\tpackage main"}}
	client := newFake(t,
		turn{blocks: []llm.ContentBlock{text("Let me look."), use("t1", "Read", `{"file_path":"/p/main.go"}`)}},
		turn{blocks: []llm.ContentBlock{text("It is a main package.")}},
	)
	rec := &memRecorder{}
	var kinds []EventKind
	s := New(Config{Client: client, Model: "m", System: "sys", Memory: "be nice", Tools: []tool.Tool{read},
		Cwd: "/p", Permissions: bypass(), Transcript: rec,
		Sink: func(ev Event) {
			if ev.Kind != EventStream {
				kinds = append(kinds, ev.Kind)
			}
		},
		Cost: func(string, llm.Usage) (float64, bool) { return 0.5, true }}, nil)
	res, err := s.Run(context.Background(), []llm.ContentBlock{text("what is this?")})
	if err != nil {
		t.Fatal(err)
	}
	if res.Subtype != SubtypeSuccess || res.Text != "It is a main package." || res.NumTurns != 2 {
		t.Fatalf("result = %+v", res)
	}
	if res.Usage.InputTokens != 200 || res.Usage.OutputTokens != 40 || res.Usage.CacheReadInputTokens != 100 || res.CostUSD != 1.0 {
		t.Fatalf("usage = %+v cost %v", res.Usage, res.CostUSD)
	}
	wantLines := []string{"user:" + memoryPreamble + "be nice|what is this?", "assistant:Let me look.|use:Read",
		"user:result:1\tpackage main", "assistant:It is a main package."}
	if strings.Join(rec.lines, "\n") != strings.Join(wantLines, "\n") {
		t.Fatalf("transcript:\n%s", strings.Join(rec.lines, "\n"))
	}
	if rec.syncs != 2 {
		t.Errorf("transcript synced %d times, want once with each of 2 requests", rec.syncs)
	}
	second := client.reqs[1]
	if len(second.Messages) != 3 || second.Messages[2].Content[0].ToolUseID != "t1" {
		t.Fatalf("second request messages = %+v", second.Messages)
	}
	if second.System[0].Text != "sys" || len(second.Tools) != 1 || second.Tools[0].Name != "Read" {
		t.Fatalf("second request system/tools = %+v %+v", second.System, second.Tools)
	}
	want := []EventKind{EventAssistant, EventToolStart, EventToolResult, EventUser, EventAssistant}
	if fmt.Sprint(kinds) != fmt.Sprint(want) {
		t.Errorf("events = %v, want %v", kinds, want)
	}
}

func TestReadOnlyCallsRunConcurrentlyOthersInOrder(t *testing.T) {
	var running, maxPar atomic.Int32
	read := &fakeTool{name: "Read", readOnly: true, result: tool.Result{Text: "r"}, running: &running, maxPar: &maxPar}
	client := newFake(t,
		turn{blocks: []llm.ContentBlock{use("a", "Read", `{}`), use("b", "Read", `{}`), use("c", "Read", `{}`)}},
		turn{blocks: []llm.ContentBlock{text("done")}},
	)
	s := New(Config{Client: client, Model: "m", Tools: []tool.Tool{read}, Cwd: "/", Permissions: bypass()}, nil)
	if _, err := s.Run(context.Background(), []llm.ContentBlock{text("go")}); err != nil {
		t.Fatal(err)
	}
	if maxPar.Load() < 2 {
		t.Errorf("read-only calls did not overlap (max parallel %d)", maxPar.Load())
	}
	results := client.reqs[1].Messages[2].Content
	for i, id := range []string{"a", "b", "c"} {
		if results[i].ToolUseID != id {
			t.Fatalf("results out of order: %+v", results)
		}
	}

	var wr, wmax atomic.Int32
	write := &fakeTool{name: "Write", result: tool.Result{Text: "w"}, running: &wr, maxPar: &wmax}
	client = newFake(t,
		turn{blocks: []llm.ContentBlock{use("a", "Write", `{}`), use("b", "Write", `{}`)}},
		turn{blocks: []llm.ContentBlock{text("done")}},
	)
	s = New(Config{Client: client, Model: "m", Tools: []tool.Tool{write}, Cwd: "/", Permissions: bypass()}, nil)
	if _, err := s.Run(context.Background(), []llm.ContentBlock{text("go")}); err != nil {
		t.Fatal(err)
	}
	if wmax.Load() != 1 {
		t.Errorf("writes ran concurrently (max parallel %d)", wmax.Load())
	}
}

func TestDeniedCallIsReportedToModelAndResult(t *testing.T) {
	bash := &fakeTool{name: "Bash", result: tool.Result{Text: "ran"}}
	client := newFake(t,
		turn{blocks: []llm.ContentBlock{use("t1", "Bash", `{"command":"rm -rf /"}`)}},
		turn{blocks: []llm.ContentBlock{text("ok, I will not")}},
	)
	s := New(Config{Client: client, Model: "m", Tools: []tool.Tool{bash}, Cwd: "/",
		Permissions: &permission.Checker{Mode: permission.ModeDefault}, Approver: permission.DenyApprover{}}, nil)
	res, err := s.Run(context.Background(), []llm.ContentBlock{text("clean up")})
	if err != nil {
		t.Fatal(err)
	}
	if bash.calls.Load() != 0 {
		t.Fatal("denied tool ran")
	}
	if len(res.Denials) != 1 || res.Denials[0].ToolName != "Bash" || res.Denials[0].ToolUseID != "t1" {
		t.Fatalf("denials = %+v", res.Denials)
	}
	tr := client.reqs[1].Messages[2].Content[0]
	if !tr.IsError || !strings.Contains(tr.Content[0].Text, "did not allow") {
		t.Fatalf("model was not told: %+v", tr)
	}
}

func TestMaxTurns(t *testing.T) {
	ls := &fakeTool{name: "LS", readOnly: true, result: tool.Result{Text: "x"}}
	client := newFake(t,
		turn{blocks: []llm.ContentBlock{use("t1", "LS", `{}`)}},
		turn{blocks: []llm.ContentBlock{use("t2", "LS", `{}`)}},
	)
	rec := &memRecorder{}
	s := New(Config{Client: client, Model: "m", Tools: []tool.Tool{ls}, Cwd: "/", Permissions: bypass(),
		MaxTurns: 2, Transcript: rec}, nil)
	res, err := s.Run(context.Background(), []llm.ContentBlock{text("go")})
	if err != nil {
		t.Fatal(err)
	}
	if res.Subtype != SubtypeMaxTurns || !res.IsError || res.NumTurns != 2 || ls.calls.Load() != 1 {
		t.Fatalf("result = %+v, calls %d", res, ls.calls.Load())
	}
	if last := rec.lines[len(rec.lines)-1]; !strings.Contains(last, "turn limit") {
		t.Errorf("unanswered tool call left in the transcript: %s", last)
	}
}

func TestMaxTokensInsideToolCallContinues(t *testing.T) {
	write := &fakeTool{name: "Write", result: tool.Result{Text: "written"}}
	client := newFake(t,
		turn{blocks: []llm.ContentBlock{text("Writing the file."), use("t1", "Write", `{"file_path":"/p/big.go","content":"xxxxxxxx"}`)}, cutAt: true},
		turn{blocks: []llm.ContentBlock{use("t2", "Write", `{"file_path":"/p/big.go","content":"x"}`)}},
		turn{blocks: []llm.ContentBlock{text("done")}},
	)
	var warnings []string
	s := New(Config{Client: client, Model: "m", MaxTokens: 100, Tools: []tool.Tool{write}, Cwd: "/", Permissions: bypass(),
		Sink: func(ev Event) {
			if ev.Kind == EventNotice {
				warnings = append(warnings, ev.Notice.Text)
			}
		}}, nil)
	res, err := s.Run(context.Background(), []llm.ContentBlock{text("write it")})
	if err != nil {
		t.Fatal(err)
	}
	if res.Text != "done" || write.calls.Load() != 1 {
		t.Fatalf("result %+v, writes %d", res, write.calls.Load())
	}
	second := client.reqs[1].Messages
	if len(second) != 3 || second[1].Content[0].Text != "Writing the file." || len(second[1].Content) != 1 ||
		!strings.Contains(second[2].Content[0].Text, "output token limit") {
		t.Fatalf("continuation request = %+v", second)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "continue") {
		t.Errorf("warnings = %q", warnings)
	}
}

func TestMaxTokensWithNothingCompleteRetriesLarger(t *testing.T) {
	write := &fakeTool{name: "Write", result: tool.Result{Text: "written"}}
	client := newFake(t,
		turn{blocks: []llm.ContentBlock{use("t1", "Write", `{"content":"xxxxxxxx"}`)}, cutAt: true},
		turn{blocks: []llm.ContentBlock{text("gave up")}},
	)
	s := New(Config{Client: client, Model: "m", MaxTokens: 1000, Tools: []tool.Tool{write}, Cwd: "/", Permissions: bypass()}, nil)
	if _, err := s.Run(context.Background(), []llm.ContentBlock{text("write it")}); err != nil {
		t.Fatal(err)
	}
	if client.reqs[1].MaxTokens != 2000 || len(client.reqs[1].Messages) != 1 {
		t.Fatalf("retry request max_tokens %d, %d messages", client.reqs[1].MaxTokens, len(client.reqs[1].Messages))
	}
}

func TestProviderErrorEndsRunWithErrorSubtype(t *testing.T) {
	boom := &llm.Error{Kind: llm.ErrAccessDenied, Message: "no access"}
	client := newFake(t, turn{err: boom})
	s := New(Config{Client: client, Model: "m"}, nil)
	res, err := s.Run(context.Background(), []llm.ContentBlock{text("hi")})
	if !errors.Is(err, boom) || res.Subtype != SubtypeError || !res.IsError {
		t.Fatalf("res %+v err %v", res, err)
	}
}

func TestInfrastructureFailureEndsTurn(t *testing.T) {
	broken := &fakeTool{name: "Bash", err: errors.New("cannot start bash")}
	client := newFake(t, turn{blocks: []llm.ContentBlock{use("t1", "Bash", `{"command":"ls"}`)}})
	rec := &memRecorder{}
	s := New(Config{Client: client, Model: "m", Tools: []tool.Tool{broken}, Cwd: "/", Permissions: bypass(), Transcript: rec}, nil)
	res, err := s.Run(context.Background(), []llm.ContentBlock{text("hi")})
	if err == nil || res.Subtype != SubtypeError {
		t.Fatalf("res %+v err %v", res, err)
	}
	if last := rec.lines[len(rec.lines)-1]; !strings.HasPrefix(last, "user:result:the Bash tool failed") {
		t.Errorf("tool_use left unanswered in transcript: %s", last)
	}
}

func TestUnknownToolIsModelError(t *testing.T) {
	client := newFake(t,
		turn{blocks: []llm.ContentBlock{use("t1", "Nope", `{}`)}},
		turn{blocks: []llm.ContentBlock{text("sorry")}},
	)
	s := New(Config{Client: client, Model: "m", Cwd: "/", Permissions: bypass()}, nil)
	if _, err := s.Run(context.Background(), []llm.ContentBlock{text("hi")}); err != nil {
		t.Fatal(err)
	}
	if tr := client.reqs[1].Messages[2].Content[0]; !tr.IsError || !strings.Contains(tr.Content[0].Text, "no tool named") {
		t.Fatalf("result %+v", tr)
	}
}

func TestSubAgentRunsWithOwnContextAndCountsUsage(t *testing.T) {
	client := newFake(t,
		turn{blocks: []llm.ContentBlock{use("t1", "Task", `{"description":"d","prompt":"find x","subagent_type":"general-purpose"}`)}},
		turn{blocks: []llm.ContentBlock{text("x is in a.go")}}, // the sub-agent's answer
		turn{blocks: []llm.ContentBlock{text("found it")}},
	)
	task := &taskTool{}
	s := New(Config{Client: client, Model: "m", Tools: []tool.Tool{task}, Cwd: "/", Permissions: bypass(),
		Cost: func(string, llm.Usage) (float64, bool) { return 1, true }}, nil)
	res, err := s.Run(context.Background(), []llm.ContentBlock{text("where is x?")})
	if err != nil {
		t.Fatal(err)
	}
	sub := client.reqs[1]
	if len(sub.Messages) != 1 || sub.Messages[0].Text() != "find x" || len(sub.Tools) != 0 {
		t.Fatalf("sub-agent request = %+v", sub)
	}
	if got := client.reqs[2].Messages[2].Content[0].Content[0].Text; got != "x is in a.go" {
		t.Fatalf("task result = %q", got)
	}
	if res.CostUSD != 3 {
		t.Errorf("cost %v, want 3 (two main turns and the sub-agent's)", res.CostUSD)
	}
}

// taskTool is a minimal Task that calls the Env's sub-agent runner.
type taskTool struct{}

func (taskTool) Name() string                 { return "Task" }
func (taskTool) Description() string          { return "sub-agent" }
func (taskTool) InputSchema() json.RawMessage { return json.RawMessage(`{"type":"object"}`) }
func (taskTool) ConcurrencySafe() bool        { return true }
func (taskTool) Class() permission.Class      { return permission.ClassExecute }
func (taskTool) Run(ctx context.Context, env *tool.Env, in json.RawMessage) (tool.Result, error) {
	var v struct{ Description, Prompt, SubagentType string }
	_ = json.Unmarshal(in, &v)
	out, err := env.SubAgents.RunSubAgent(ctx, v.Description, v.Prompt, v.SubagentType)
	if err != nil {
		return tool.Result{}, err
	}
	return tool.Result{Text: out}, nil
}

func TestSystemPromptCarriesEnvironment(t *testing.T) {
	p := SystemPrompt(Environment{Cwd: "/w", Platform: "linux", Date: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC), GitRepo: true, GitBranch: "main"}, "", "Always answer in haiku.")
	for _, want := range []string{"Working directory: /w", "Today's date: 2026-11-24", "branch main", "Always answer in haiku."} {
		if !strings.Contains(p, want) {
			t.Errorf("system prompt lacks %q", want)
		}
	}
	if r := SystemPrompt(Environment{}, "custom only", ""); !strings.HasPrefix(r, "custom only") || strings.Contains(r, "You are strata") {
		t.Errorf("--system-prompt did not replace the base prompt: %q", r[:40])
	}
}

func TestToolOutputIsRedactedBeforeTheModelSeesIt(t *testing.T) {
	bash := &fakeTool{name: "Bash", result: tool.Result{Text: "AWS_SECRET_ACCESS_KEY=hunter2-very-secret"}}
	client := newFake(t,
		turn{blocks: []llm.ContentBlock{use("t1", "Bash", `{"command":"env"}`)}},
		turn{blocks: []llm.ContentBlock{text("ok")}},
	)
	rec := &memRecorder{}
	s := New(Config{Client: client, Model: "m", Tools: []tool.Tool{bash}, Cwd: "/", Permissions: bypass(),
		Transcript: rec, Redact: func(s string) string { return strings.ReplaceAll(s, "hunter2-very-secret", "[REDACTED]") }}, nil)
	if _, err := s.Run(context.Background(), []llm.ContentBlock{text("show env")}); err != nil {
		t.Fatal(err)
	}
	got := client.reqs[1].Messages[2].Content[0].Content[0].Text
	if got != "AWS_SECRET_ACCESS_KEY=[REDACTED]" || strings.Contains(strings.Join(rec.lines, "\n"), "hunter2") {
		t.Fatalf("model saw %q; transcript %q", got, rec.lines)
	}
}

func TestFailedTurnKeepsRolesAlternating(t *testing.T) {
	client := newFake(t,
		turn{err: &llm.Error{Kind: llm.ErrTransient, Message: "stream broke"}},
		turn{blocks: []llm.ContentBlock{text("second answer")}},
	)
	s := New(Config{Client: client, Model: "m"}, nil)
	if _, err := s.Run(context.Background(), []llm.ContentBlock{text("first")}); err == nil {
		t.Fatal("first run did not fail")
	}
	if _, err := s.Run(context.Background(), []llm.ContentBlock{text("second")}); err != nil {
		t.Fatal(err)
	}
	msgs := client.reqs[1].Messages
	if len(msgs) != 1 || msgs[0].Role != llm.RoleUser || len(msgs[0].Content) != 2 ||
		msgs[0].Content[0].Text != "first" || msgs[0].Content[1].Text != "second" {
		t.Fatalf("request after a failed turn: %+v", msgs)
	}
}

func TestParallelTaskCallsCountUsageSafely(t *testing.T) {
	client := newFake(t,
		turn{blocks: []llm.ContentBlock{use("a", "Task", `{"prompt":"one"}`), use("b", "Task", `{"prompt":"two"}`)}},
		turn{blocks: []llm.ContentBlock{text("sub one")}},
		turn{blocks: []llm.ContentBlock{text("sub two")}},
		turn{blocks: []llm.ContentBlock{text("both done")}},
	)
	s := New(Config{Client: client, Model: "m", Tools: []tool.Tool{taskTool{}}, Cwd: "/", Permissions: bypass(),
		Cost: func(string, llm.Usage) (float64, bool) { return 1, true }}, nil)
	res, err := s.Run(context.Background(), []llm.ContentBlock{text("split the work")})
	if err != nil {
		t.Fatal(err)
	}
	if res.CostUSD != 4 || res.Usage.OutputTokens != 80 {
		t.Fatalf("cost %v, usage %+v; want every one of the 4 calls counted", res.CostUSD, res.Usage)
	}
}

func TestCutAfterACompleteToolCallKeepsOnlyText(t *testing.T) {
	write := &fakeTool{name: "Write", result: tool.Result{Text: "written"}}
	client := newFake(t,
		turn{blocks: []llm.ContentBlock{text("Two files."), use("t1", "Write", `{"content":"a"}`), use("t2", "Write", `{"content":"bbbbbbbb"}`)}, cutAt: true},
		turn{blocks: []llm.ContentBlock{text("done")}},
	)
	s := New(Config{Client: client, Model: "m", MaxTokens: 100, Tools: []tool.Tool{write}, Cwd: "/", Permissions: bypass()}, nil)
	if _, err := s.Run(context.Background(), []llm.ContentBlock{text("write both")}); err != nil {
		t.Fatal(err)
	}
	msgs := client.reqs[1].Messages
	if len(msgs) != 3 || len(msgs[1].Content) != 1 || msgs[1].Content[0].Type != llm.TypeText {
		t.Fatalf("continuation keeps a tool call without its result: %+v", msgs[1].Content)
	}
	if write.calls.Load() != 0 {
		t.Fatalf("a call from the cut answer ran")
	}
}

// The tokens of an answer the provider abandoned and asked again for are still counted.
func TestBilledRestartCountsInCost(t *testing.T) {
	client := &billingClient{inner: newFake(t, turn{blocks: []llm.ContentBlock{text("ok")}})}
	s := New(Config{Client: client, Model: "m", Cost: func(_ string, u llm.Usage) (float64, bool) {
		return float64(u.TotalInput()), true
	}}, nil)
	res, err := s.Run(context.Background(), []llm.ContentBlock{text("hi")})
	if err != nil {
		t.Fatal(err)
	}
	if res.Usage.InputTokens != 100+700 || res.CostUSD != 150+700 {
		t.Fatalf("usage %+v cost %v: the abandoned attempt is not counted", res.Usage, res.CostUSD)
	}
}

// billingClient restarts every stream once, as the Bedrock client does after a broken
// stream: a first attempt starts (message_start, some text), a restart event carries what it
// was billed, then the real answer follows.
type billingClient struct{ inner llm.Client }

func (c *billingClient) Stream(ctx context.Context, req *llm.Request) (llm.Stream, error) {
	inner, err := c.inner.Stream(ctx, req)
	if err != nil {
		return nil, err
	}
	abandoned := []llm.Event{
		{Type: llm.EventMessageStart, Message: &llm.Response{ID: "msg_lost", Type: "message", Role: "assistant",
			Usage: llm.Usage{InputTokens: 700}}},
		{Type: llm.EventContentBlockStart, Index: 0, ContentBlock: &llm.ContentBlock{Type: llm.TypeText}},
		{Type: llm.EventContentBlockDelta, Index: 0, Delta: &llm.Delta{Type: llm.DeltaText, Text: "lost words"}},
		{Type: llm.EventRestart, Billed: &llm.Usage{InputTokens: 700}},
	}
	return &prefixStream{events: abandoned, inner: inner}, nil
}

type prefixStream struct {
	events []llm.Event
	inner  llm.Stream
}

func (s *prefixStream) Recv() (llm.Event, error) {
	if len(s.events) > 0 {
		ev := s.events[0]
		s.events = s.events[1:]
		return ev, nil
	}
	return s.inner.Recv()
}
func (s *prefixStream) Close() error { return s.inner.Close() }

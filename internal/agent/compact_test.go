package agent

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/bedrock"
	"github.com/strata-agent/strata/internal/bedrocksim"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/tool"
)

// summaryRec is a memRecorder that also records compactions, like session.Transcript.
type summaryRec struct {
	memRecorder
	summaries    []string
	afterSummary []string // roles appended after the latest summary
}

func (r *summaryRec) AppendSummary(text string) error {
	r.summaries = append(r.summaries, text)
	r.afterSummary = nil
	return nil
}

func (r *summaryRec) AppendUser(m llm.Message) error {
	r.afterSummary = append(r.afterSummary, m.Role)
	return r.memRecorder.AppendUser(m)
}

func (r *summaryRec) AppendAssistant(resp *llm.Response, model string) error {
	r.afterSummary = append(r.afterSummary, resp.Role)
	return r.memRecorder.AppendAssistant(resp, model)
}

func TestSplitForCompaction(t *testing.T) {
	user := llm.Message{Role: llm.RoleUser, Content: []llm.ContentBlock{text("q")}}
	asst := llm.Message{Role: llm.RoleAssistant, Content: []llm.ContentBlock{text("a")}}
	call := llm.Message{Role: llm.RoleAssistant, Content: []llm.ContentBlock{use("t1", "Probe", `{}`)}}
	results := llm.Message{Role: llm.RoleUser, Content: []llm.ContentBlock{llm.ToolResultBlock("t1", "ok", false)}}
	tests := []struct {
		name       string
		msgs       []llm.Message
		head, tail int
	}{
		{"empty", nil, 0, 0},
		{"only the pending prompt", []llm.Message{user}, 0, 1},
		{"ends with an answer: all of it", []llm.Message{user, asst}, 2, 0},
		{"pending prompt stays", []llm.Message{user, asst, user}, 2, 1},
		{"last tool round stays", []llm.Message{user, asst, user, call, results}, 3, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			head, tail := splitForCompaction(tt.msgs)
			if len(head) != tt.head || len(tail) != tt.tail {
				t.Fatalf("head %d tail %d, want %d and %d", len(head), len(tail), tt.head, tt.tail)
			}
		})
	}
}

func TestCompactCommandReplacesHistoryAndRecordsSummary(t *testing.T) {
	main := newFake(t, turn{blocks: []llm.ContentBlock{text("first answer")}})
	small := newFake(t, turn{blocks: []llm.ContentBlock{text("the user said hello")}})
	rec := &summaryRec{}
	s := New(Config{Client: main, Model: "main", Small: small, SmallModel: "small", Memory: "MEMORY TEXT",
		Transcript: rec, Cost: func(string, llm.Usage) (float64, bool) { return 0.01, true }}, nil)
	if _, err := s.Run(context.Background(), []llm.ContentBlock{text("hello")}); err != nil {
		t.Fatal(err)
	}
	c, err := s.Compact(context.Background(), "the greeting")
	if err != nil {
		t.Fatal(err)
	}
	if c.Auto || c.Replaced != 2 || c.Kept != 0 || c.Summary != "the user said hello" {
		t.Fatalf("compaction %+v", c)
	}
	msgs := s.Messages()
	if len(msgs) != 1 || msgs[0].Role != llm.RoleUser {
		t.Fatalf("history after compaction: %+v", msgs)
	}
	got := msgs[0].Text()
	for _, want := range []string{"MEMORY TEXT", "the user said hello", "summarised"} {
		if !strings.Contains(got, want) {
			t.Errorf("summary message lacks %q:\n%s", want, got)
		}
	}
	if len(rec.summaries) != 1 || rec.summaries[0] != got {
		t.Errorf("transcript summaries %q, want the in-memory text", rec.summaries)
	}
	req := small.reqs[0]
	prompt := req.Messages[0].Text()
	if req.Model != "small" || !strings.Contains(prompt, "hello") || !strings.Contains(prompt, "first answer") ||
		!strings.Contains(prompt, "focus on: the greeting") || strings.Contains(prompt, "MEMORY TEXT") {
		t.Errorf("summary request to %s:\n%s", req.Model, prompt)
	}
	if u := s.Usage()["small"]; u.Usage.OutputTokens == 0 {
		t.Errorf("the summary's usage is not counted: %+v", s.Usage())
	}
}

func TestCompactWithNothingToSummarise(t *testing.T) {
	s := New(Config{Client: newFake(t), Model: "main"}, nil)
	if _, err := s.Compact(context.Background(), ""); !errors.Is(err, ErrNothingToCompact) {
		t.Fatalf("err %v, want ErrNothingToCompact", err)
	}
}

func TestAutoCompactionKeepsTheLastToolRound(t *testing.T) {
	// The fake reports 150 input tokens per answer; the threshold is 100, so the request after
	// the first answer comes after a compaction.
	main := newFake(t,
		turn{blocks: []llm.ContentBlock{text("looking"), use("t1", "Probe", `{"x":1}`)}},
		turn{blocks: []llm.ContentBlock{text("done")}})
	small := newFake(t, turn{blocks: []llm.ContentBlock{text("SUMMARY")}})
	rec := &summaryRec{}
	var notices []string
	s := New(Config{Client: main, Model: "main", Small: small, SmallModel: "small", Transcript: rec,
		Tools: []tool.Tool{&fakeTool{name: "Probe", result: tool.Result{Text: "probed"}}}, Permissions: bypass(),
		CompactAt: func(model string) int { return 100 },
		Sink: func(ev Event) {
			if ev.Kind == EventNotice {
				notices = append(notices, ev.Notice.Text)
			}
		}}, nil)
	res, err := s.Run(context.Background(), []llm.ContentBlock{text("probe it")})
	if err != nil || res.Text != "done" {
		t.Fatalf("run: %v, %+v", err, res)
	}
	second := main.reqs[1].Messages
	if len(second) != 3 || second[1].Role != llm.RoleAssistant || second[2].Content[0].Type != llm.TypeToolResult {
		t.Fatalf("request after compaction: %+v", second)
	}
	if !strings.Contains(second[0].Text(), "SUMMARY") {
		t.Errorf("first message is not the summary: %q", second[0].Text())
	}
	if len(notices) != 1 || !strings.Contains(notices[0], "150 input tokens") {
		t.Errorf("notices %q", notices)
	}
	if strings.Join(rec.afterSummary, ",") != "assistant,user,assistant" {
		t.Errorf("transcript after the summary: %v (the kept tool round, then the answer)", rec.afterSummary)
	}
}

func TestInputTooLongCompactsAndRetriesOnce(t *testing.T) {
	tooLong := &llm.Error{Kind: llm.ErrContextOverflow, Message: "Input is too long for requested model."}
	main := newFake(t,
		turn{blocks: []llm.ContentBlock{text("a1")}},
		turn{err: tooLong},
		turn{blocks: []llm.ContentBlock{text("a2")}})
	small := newFake(t, turn{blocks: []llm.ContentBlock{text("SUMMARY")}})
	s := New(Config{Client: main, Model: "main", Small: small, SmallModel: "small"}, nil)
	if _, err := s.Run(context.Background(), []llm.ContentBlock{text("q1")}); err != nil {
		t.Fatal(err)
	}
	res, err := s.Run(context.Background(), []llm.ContentBlock{text("q2")})
	if err != nil || res.Text != "a2" {
		t.Fatalf("run: %v %+v", err, res)
	}
	retry := main.reqs[2].Messages
	if len(retry) != 1 || !strings.Contains(retry[0].Text(), "SUMMARY") || !strings.Contains(retry[0].Text(), "q2") {
		t.Fatalf("retried request: %+v", retry)
	}
}

func TestInputTooLongTwiceFails(t *testing.T) {
	tooLong := &llm.Error{Kind: llm.ErrContextOverflow, Message: "Input is too long for requested model."}
	main := newFake(t, turn{blocks: []llm.ContentBlock{text("a1")}}, turn{err: tooLong}, turn{err: tooLong})
	small := newFake(t, turn{blocks: []llm.ContentBlock{text("SUMMARY")}})
	s := New(Config{Client: main, Model: "main", Small: small, SmallModel: "small"}, nil)
	if _, err := s.Run(context.Background(), []llm.ContentBlock{text("q1")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Run(context.Background(), []llm.ContentBlock{text("q2")}); llm.KindOf(err) != llm.ErrContextOverflow {
		t.Fatalf("err %v, want the overflow after one retry", err)
	}
}

func TestConversationTextDropsOldestBeyondLimit(t *testing.T) {
	var msgs []llm.Message
	for i := 0; i < 10; i++ {
		msgs = append(msgs, llm.Message{Role: llm.RoleUser, Content: []llm.ContentBlock{text(strings.Repeat("x", 90))}},
			llm.Message{Role: llm.RoleAssistant, Content: []llm.ContentBlock{text("answer")}})
	}
	msgs[len(msgs)-1].Content[0].Text = "LATEST"
	got := conversationText(msgs, 300)
	if !strings.Contains(got, "LATEST") || !strings.Contains(got, "left out for length") || len(got) > 400 {
		t.Fatalf("text (%d bytes):\n%s", len(got), got)
	}
}

// TestCompactionAgainstBedrockSim runs a session over the real Bedrock client and the
// emulator: the first answer reports an input over the threshold, so the next request is
// preceded by a summary from the small/fast model and is smaller than the one before.
func TestCompactionAgainstBedrockSim(t *testing.T) {
	script := `{"turns": [
	  {"name": "first", "when": {"user_text_contains": "probe"}, "usage": {"input_tokens": 5000},
	   "content": [{"type": "text", "text": "Probing."}, {"type": "tool_use", "name": "Probe", "input": {"what": "all"}}]},
	  {"name": "summary", "when": {"model_contains": "haiku"}, "content": "SUMMARY: the user asked for a probe."},
	  {"name": "after", "when": {"tool_result_contains": "probed"}, "content": "Finished after compaction."}
	]}`
	srv, client := startSim(t, script)
	cfg := client.Config()
	s := New(Config{Client: client, Model: cfg.Model, Small: client.Small(), SmallModel: cfg.SmallFastModel,
		Tools: []tool.Tool{&fakeTool{name: "Probe", result: tool.Result{Text: "probed " + strings.Repeat("data ", 400)}}}, Permissions: bypass(),
		CompactAt: func(string) int { return 1000 }}, nil)
	long := "probe everything: " + strings.Repeat("context ", 2000)
	res, err := s.Run(context.Background(), []llm.ContentBlock{text(long)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Text != "Finished after compaction." {
		t.Fatalf("final text %q", res.Text)
	}
	var main []bedrocksim.Request
	var summaries int
	for _, r := range srv.Requests() {
		if strings.Contains(r.Model, "haiku") {
			summaries++
		} else {
			main = append(main, r)
		}
	}
	if summaries != 1 || len(main) != 2 {
		t.Fatalf("%d summary and %d main requests, want 1 and 2", summaries, len(main))
	}
	if len(main[1].Body) >= len(main[0].Body) {
		t.Errorf("the request after compaction (%d bytes) is not smaller than the one before (%d bytes)", len(main[1].Body), len(main[0].Body))
	}
	if !strings.Contains(string(main[1].Body), "SUMMARY: the user asked for a probe.") {
		t.Errorf("the request after compaction does not carry the summary")
	}
}

// TestInputTooLongAgainstBedrockSim: Bedrock's "Input is too long" answer leads to a
// compaction and a retry of the same turn.
func TestInputTooLongAgainstBedrockSim(t *testing.T) {
	// A turn that has served a fault takes the next request whatever it is (the emulator's
	// rule), so the turn that refuses the input answers the summary request.
	script := `{"turns": [
	  {"name": "first", "when": {"user_text_contains": "one"}, "content": "First answer."},
	  {"name": "overflow", "when": {"user_text_contains": "two"},
	   "faults": [{"fault": "validation", "message": "Input is too long for requested model."}],
	   "content": "SUMMARY of the first exchange."},
	  {"name": "retry", "when": {"model_contains": "sonnet"}, "content": "Second answer, after compaction."}
	]}`
	srv, client := startSim(t, script)
	cfg := client.Config()
	s := New(Config{Client: client, Model: cfg.Model, Small: client.Small(), SmallModel: cfg.SmallFastModel}, nil)
	if _, err := s.Run(context.Background(), []llm.ContentBlock{text("question one")}); err != nil {
		t.Fatal(err)
	}
	res, err := s.Run(context.Background(), []llm.ContentBlock{text("question two")})
	if err != nil {
		t.Fatal(err)
	}
	if res.Text != "Second answer, after compaction." {
		t.Fatalf("final text %q", res.Text)
	}
	reqs := srv.Requests()
	if len(reqs) != 4 || !strings.Contains(reqs[2].Model, "haiku") || reqs[1].Status != 400 {
		t.Fatalf("requests: want one, two (refused), the summary by the small model, two again; got %d", len(reqs))
	}
	last := reqs[len(reqs)-1]
	var body struct {
		Messages []llm.Message `json:"messages"`
	}
	if err := json.Unmarshal(last.Body, &body); err != nil {
		t.Fatal(err)
	}
	if len(body.Messages) != 1 || !strings.Contains(body.Messages[0].Text(), "SUMMARY of the first exchange.") {
		t.Fatalf("retried request messages: %+v", body.Messages)
	}
}

// startSim starts the emulator with script and a Bedrock client pointed at it. The AWS SDK
// reads the process environment, so this test cannot run in parallel.
func startSim(t testing.TB, script string, log ...io.Writer) (*bedrocksim.Server, *bedrock.Client) {
	t.Helper()
	var requests io.Writer // the emulator's request log, when the caller wants it
	if len(log) > 0 {
		requests = log[0]
	}
	sc, err := bedrocksim.ParseScript([]byte(script), "compact.json")
	if err != nil {
		t.Fatal(err)
	}
	const keyID, secret = "AKIDCOMPACTTEST00001", "compact-test-secret"
	srv, err := bedrocksim.Start(bedrocksim.Config{Script: sc, Log: requests,
		Keys: []bedrocksim.Credential{{AccessKeyID: keyID, SecretAccessKey: secret}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": keyID,
		"AWS_SECRET_ACCESS_KEY": secret, "ANTHROPIC_BEDROCK_BASE_URL": srv.URL(),
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": empty, "AWS_SHARED_CREDENTIALS_FILE": empty,
		"HOME": dir,
	}
	for _, k := range []string{"AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_BEARER_TOKEN_BEDROCK",
		"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "AWS_CA_BUNDLE"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
	cfg, err := bedrock.LoadConfig(func(k string) string { return env[k] }, bedrock.SettingsView{})
	if err != nil {
		t.Fatal(err)
	}
	client, err := bedrock.New(context.Background(), cfg, bedrock.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return srv, client
}

// A second compaction summarises the first summary too, also when memory files precede it.
func TestEarlierSummaryIsSummarisedAgain(t *testing.T) {
	s := New(Config{Memory: "# CLAUDE.md\nuse tabs"}, nil)
	got := blockText("user", llm.TextBlock(s.summaryText("FIRST SUMMARY: the API uses v2")))
	if !strings.Contains(got, "FIRST SUMMARY: the API uses v2") || strings.Contains(got, "use tabs") {
		t.Fatalf("summariser input %q", got)
	}
	if got := blockText("user", llm.TextBlock(memoryPreamble+"only memory")); got != "" {
		t.Fatalf("memory alone went to the summariser: %q", got)
	}
}

// TestRestartedCompactionIsBilled: when the summary's stream breaks and the Bedrock client
// restarts it, the abandoned attempt's tokens still reach the session's cost. /compact has no
// Run around it, so this only holds because the restart travels in the stream.
func TestRestartedCompactionIsBilled(t *testing.T) {
	script := `{"turns": [
	  {"name": "first", "when": {"user_text_contains": "hello"}, "content": "Hi."},
	  {"name": "summary", "when": {"model_contains": "haiku"}, "usage": {"input_tokens": 4000},
	   "faults": [{"fault": "cut", "after_events": 3}],
	   "content": "SUMMARY: greetings were exchanged."}
	]}`
	srv, client := startSim(t, script)
	cfg := client.Config()
	s := New(Config{Client: client, Model: cfg.Model, Small: client.Small(), SmallModel: cfg.SmallFastModel,
		Permissions: bypass(), Cost: func(_ string, u llm.Usage) (float64, bool) { return float64(u.InputTokens), true }}, nil)
	if _, err := s.Run(context.Background(), []llm.ContentBlock{text("hello")}); err != nil {
		t.Fatal(err)
	}
	var notices []llm.NoticeKind
	s.cfg.Sink = func(ev Event) {
		if ev.Kind == EventNotice {
			notices = append(notices, ev.Notice.Kind)
		}
	}
	c, err := s.Compact(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c.Summary, "greetings were exchanged") || strings.Count(c.Summary, "SUMMARY") != 1 {
		t.Fatalf("summary %q: the abandoned attempt's words leaked into it", c.Summary)
	}
	var summaryReqs int
	for _, r := range srv.Requests() {
		if strings.Contains(r.Model, "haiku") {
			summaryReqs++
		}
	}
	if summaryReqs != 2 {
		t.Fatalf("%d summary requests, want 2 (one cut, one whole)", summaryReqs)
	}
	small := s.Usage()[cfg.SmallFastModel]
	if small.Usage.InputTokens != 2*4000 || small.CostUSD != 2*4000 {
		t.Fatalf("small-model usage %+v, want both attempts' 4000 input tokens counted", small)
	}
	if len(notices) == 0 || notices[0] != llm.NoticeRestart {
		t.Errorf("notices %v: /compact's restart was not shown", notices)
	}
}

// After compaction the Read results are gone from the conversation, so the session forgets
// which ranges the model was shown: a repeated Read returns the content again.
func TestCompactionForgetsReadViews(t *testing.T) {
	main := newFake(t, turn{blocks: []llm.ContentBlock{text("first answer")}})
	small := newFake(t, turn{blocks: []llm.ContentBlock{text("summary")}})
	s := New(Config{Client: main, Model: "main", Small: small, SmallModel: "small"}, nil)
	if _, err := s.Run(context.Background(), []llm.ContentBlock{text("hello")}); err != nil {
		t.Fatal(err)
	}
	v := tool.View{Offset: 1, Limit: 2000}
	s.env.RecordView("/p/f.txt", v)
	if _, err := s.Compact(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	if s.env.SameView("/p/f.txt", v) {
		t.Fatal("a Read view outlived the compaction that removed its result")
	}
}

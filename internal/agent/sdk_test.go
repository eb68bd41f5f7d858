package agent

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tool"
)

// rewriter allows every call, rewriting its input, as an Agent SDK canUseTool may.
type rewriter struct{ seen []string }

func (r *rewriter) Approve(_ context.Context, req permission.Request) (permission.Answer, error) {
	r.seen = append(r.seen, req.ToolUseID)
	return permission.Answer{Allow: true, UpdatedInput: `{"command":"echo safer"}`}, nil
}

// inputTool records the input it ran with.
type inputTool struct {
	fakeTool
	got json.RawMessage
}

func (f *inputTool) Run(ctx context.Context, env *tool.Env, in json.RawMessage) (tool.Result, error) {
	f.got = in
	return tool.Result{Text: "ran"}, nil
}

func TestApproverUpdatedInputIsWhatRuns(t *testing.T) {
	bash := &inputTool{fakeTool: fakeTool{name: "Bash"}}
	client := newFake(t, turn{blocks: []llm.ContentBlock{use("t1", "Bash", `{"command":"rm -rf build"}`)}},
		turn{blocks: []llm.ContentBlock{text("done")}})
	ap := &rewriter{}
	s := New(Config{Client: client, Model: "m", Tools: []tool.Tool{bash}, Cwd: "/",
		Permissions: &permission.Checker{Mode: permission.ModeDefault}, Approver: ap}, nil)
	if _, err := s.Run(context.Background(), []llm.ContentBlock{text("clean")}); err != nil {
		t.Fatal(err)
	}
	if string(bash.got) != `{"command":"echo safer"}` || len(ap.seen) != 1 || ap.seen[0] != "t1" {
		t.Fatalf("ran with %s, approver saw %v", bash.got, ap.seen)
	}
}

// answerTool stands in for StructuredOutput: it returns a structured answer.
type answerTool struct{ fakeTool }

func (a *answerTool) Run(context.Context, *tool.Env, json.RawMessage) (tool.Result, error) {
	return tool.Result{Text: "Structured output provided successfully", Structured: json.RawMessage(`{"n":3}`)}, nil
}

func TestStructuredAnswerEndsTheTurnAndMissingOneIsRetried(t *testing.T) {
	ans := &answerTool{fakeTool{name: "StructuredOutput", readOnly: true}}
	client := newFake(t,
		turn{blocks: []llm.ContentBlock{text("three")}}, // no call: reminded
		turn{blocks: []llm.ContentBlock{use("t1", "StructuredOutput", `{"n":3}`)}},
	)
	s := New(Config{Client: client, Model: "m", Tools: []tool.Tool{ans}, Cwd: "/", Permissions: bypass(), RequireStructured: true}, nil)
	res, err := s.Run(context.Background(), []llm.ContentBlock{text("count")})
	if err != nil || res.Subtype != SubtypeSuccess || string(res.Structured) != `{"n":3}` || res.NumTurns != 2 {
		t.Fatalf("res %+v, err %v", res, err)
	}

	stubborn := newFake(t, turn{blocks: []llm.ContentBlock{text("a")}}, turn{blocks: []llm.ContentBlock{text("b")}},
		turn{blocks: []llm.ContentBlock{text("c")}}, turn{blocks: []llm.ContentBlock{text("d")}})
	s = New(Config{Client: stubborn, Model: "m", Tools: []tool.Tool{ans}, Cwd: "/", Permissions: bypass(), RequireStructured: true}, nil)
	if res, _ := s.Run(context.Background(), []llm.ContentBlock{text("count")}); res.Subtype != SubtypeStructuredRetries || !res.IsError {
		t.Fatalf("res %+v", res)
	}
}

func TestBudgetEndsTheRunAndAnswersPendingCalls(t *testing.T) {
	bash := &fakeTool{name: "Bash", result: tool.Result{Text: "ran"}}
	client := newFake(t, turn{blocks: []llm.ContentBlock{use("t1", "Bash", `{"command":"ls"}`)}})
	cost := func(string, llm.Usage) (float64, bool) { return 1, true }
	s := New(Config{Client: client, Model: "m", Tools: []tool.Tool{bash}, Cwd: "/", Permissions: bypass(),
		Cost: cost, MaxBudgetUSD: 0.5}, nil)
	res, err := s.Run(context.Background(), []llm.ContentBlock{text("go")})
	if err != nil || res.Subtype != SubtypeMaxBudget || bash.calls.Load() != 0 {
		t.Fatalf("res %+v, err %v, calls %d", res, err, bash.calls.Load())
	}
	msgs := s.Messages()
	if last := msgs[len(msgs)-1]; last.Role != llm.RoleUser || last.Content[0].Type != llm.TypeToolResult {
		t.Fatalf("the pending call was not answered: %+v", last)
	}
}

package task

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tool/fsutil"
)

func TestSchemaMatchesInput(t *testing.T) {
	if err := fsutil.CheckSchema(schema, input{}); err != nil {
		t.Fatal(err)
	}
	if New().Name() != Name || New().Description() == "" {
		t.Fatal("tool metadata incomplete")
	}
}

// fakeRunner records the call it gets and answers with out or err.
type fakeRunner struct {
	out                   string
	err                   error
	desc, prompt, kind    string
	calls                 int
	cancelBeforeReturning context.CancelFunc
}

func (f *fakeRunner) RunSubAgent(_ context.Context, desc, prompt, kind string) (string, error) {
	f.calls++
	f.desc, f.prompt, f.kind = desc, prompt, kind
	if f.cancelBeforeReturning != nil {
		f.cancelBeforeReturning()
	}
	return f.out, f.err
}

func TestTask(t *testing.T) {
	tests := []struct {
		name     string
		runner   *fakeRunner
		raw      string
		want     string
		wantKind string
		isError  bool
	}{
		{name: "final text returned", runner: &fakeRunner{out: "found it in a.go:12"},
			raw: `{"description":"find retry","prompt":"where is retry?","subagent_type":"general-purpose"}`, want: "found it in a.go:12", wantKind: "general-purpose"},
		{name: "default type", runner: &fakeRunner{out: "ok"},
			raw: `{"description":"d","prompt":"p"}`, want: "ok", wantKind: DefaultSubagentType},
		{name: "custom type passed through", runner: &fakeRunner{out: "ok"},
			raw: `{"description":"d","prompt":"p","subagent_type":"reviewer"}`, want: "ok", wantKind: "reviewer"},
		{name: "empty report", runner: &fakeRunner{out: "  "},
			raw: `{"description":"d","prompt":"p"}`, want: "without a final report", wantKind: DefaultSubagentType},
		{name: "sub-agent failure", runner: &fakeRunner{err: errors.New("throttled")},
			raw: `{"description":"d","prompt":"p"}`, want: "failed: throttled", wantKind: DefaultSubagentType, isError: true},
		{name: "no runner", raw: `{"description":"d","prompt":"p"}`, want: "not available", isError: true},
		{name: "missing prompt", runner: &fakeRunner{}, raw: `{"description":"d"}`, want: "prompt is required", isError: true},
		{name: "unknown field", runner: &fakeRunner{}, raw: `{"description":"d","prompt":"p","model":"x"}`, want: `unknown field "model"`, isError: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := tool.NewEnv("/")
			if tt.runner != nil {
				env.SubAgents = tt.runner
			}
			res, err := New().Run(context.Background(), env, []byte(tt.raw))
			if err != nil {
				t.Fatal(err)
			}
			if res.IsError != tt.isError || !strings.Contains(res.Text, tt.want) {
				t.Fatalf("got %+v, want IsError=%v with %q", res, tt.isError, tt.want)
			}
			if tt.runner != nil && tt.runner.kind != tt.wantKind {
				t.Errorf("sub-agent type %q, want %q", tt.runner.kind, tt.wantKind)
			}
		})
	}
}

func TestTaskCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	env := tool.NewEnv("/")
	env.SubAgents = &fakeRunner{err: context.Canceled, cancelBeforeReturning: cancel}
	_, err := New().Run(ctx, env, []byte(`{"description":"d","prompt":"p"}`))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled so the turn ends", err)
	}
}

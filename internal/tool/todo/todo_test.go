package todo

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tool/fsutil"
)

func TestSchemaMatchesInput(t *testing.T) {
	if err := fsutil.CheckSchema(schema, input{}); err != nil {
		t.Fatal(err)
	}
	if New().Name() != "TodoWrite" || New().Class() != permission.ClassRead || New().Description() == "" {
		t.Fatal("tool metadata incomplete")
	}
}

func TestTodoWrite(t *testing.T) {
	td := func(content, status string) map[string]any {
		return map[string]any{"content": content, "status": status, "activeForm": content + "ing"}
	}
	tests := []struct {
		name    string
		raw     string // used instead of todos when set
		todos   []map[string]any
		want    string
		isError bool
	}{
		{name: "mixed", todos: []map[string]any{td("a", "completed"), td("b", "in_progress"), td("c", "pending")},
			want: "Todo list updated: 1 pending, 1 in progress, 1 completed."},
		{name: "none active", todos: []map[string]any{td("a", "pending")}, want: "as in_progress"},
		{name: "clear", todos: []map[string]any{}, want: "cleared"},
		{name: "two in progress", todos: []map[string]any{td("a", "in_progress"), td("b", "in_progress")}, isError: true, want: "2 tasks are in_progress (todos[0 1])"},
		{name: "bad status", todos: []map[string]any{td("a", "done")}, isError: true, want: `todos[0] has status "done"`},
		{name: "empty content", todos: []map[string]any{{"content": " ", "status": "pending", "activeForm": "x"}}, isError: true, want: "empty content"},
		{name: "missing activeForm", todos: []map[string]any{{"content": "x", "status": "pending"}}, isError: true, want: "activeForm"},
		{name: "unknown field", todos: []map[string]any{{"content": "x", "status": "pending", "activeForm": "x", "priority": "high"}}, isError: true, want: `unknown field "priority"`},
		{name: "missing todos", raw: `{}`, isError: true, want: "todos is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []tool.Todo
			calls := 0
			env := tool.NewEnv("/")
			env.Todos = func(l []tool.Todo) { calls++; got = l }
			raw := []byte(tt.raw)
			if tt.raw == "" {
				raw, _ = json.Marshal(map[string]any{"todos": tt.todos})
			}
			res, err := New().Run(context.Background(), env, raw)
			if err != nil {
				t.Fatal(err)
			}
			if res.IsError != tt.isError || !strings.Contains(res.Text, tt.want) {
				t.Fatalf("got %+v, want IsError=%v with %q", res, tt.isError, tt.want)
			}
			if tt.isError {
				if calls != 0 {
					t.Fatal("an invalid list reached the UI")
				}
				return
			}
			var want []tool.Todo
			b, _ := json.Marshal(tt.todos)
			json.Unmarshal(b, &want)
			if calls != 1 || !reflect.DeepEqual(got, want) {
				t.Fatalf("UI got %d calls, %+v; want %+v", calls, got, want)
			}
		})
	}
}

func TestTodoWriteWithoutUI(t *testing.T) {
	raw := []byte(`{"todos":[{"content":"x","status":"pending","activeForm":"xing"}]}`)
	res, err := New().Run(context.Background(), tool.NewEnv("/"), raw)
	if err != nil || res.IsError {
		t.Fatalf("%v %+v", err, res)
	}
}

// Package todo is the TodoWrite tool: the model keeps a visible task list for multi-step
// work. Each call replaces the whole list, which is validated and handed to the front end
// through Env.Todos; nothing is stored here.
package todo

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tool/fsutil"
)

//go:embed schema.json
var schema []byte

//go:embed description.md
var description string

// Statuses a todo may have.
const (
	Pending    = "pending"
	InProgress = "in_progress"
	Completed  = "completed"
)

type input struct {
	Todos []tool.Todo `json:"todos"`
}

type todoTool struct{}

// New returns the TodoWrite tool.
func New() tool.Tool { return todoTool{} }

func (todoTool) Name() string                 { return "TodoWrite" }
func (todoTool) Description() string          { return description }
func (todoTool) InputSchema() json.RawMessage { return schema }

// ConcurrencySafe is false: two lists written in one turn must arrive in order.
func (todoTool) ConcurrencySafe() bool { return false }

// Class is read-only: the list lives in the session, not in the user's files, so plan mode
// allows it.
func (todoTool) Class() permission.Class { return permission.ClassRead }

func (todoTool) Run(_ context.Context, env *tool.Env, raw json.RawMessage) (tool.Result, error) {
	var in input
	if err := fsutil.DecodeInput("TodoWrite", raw, &in); err != nil {
		return tool.Errorf("%v", err), nil
	}
	if in.Todos == nil {
		return tool.Errorf("todos is required: pass the complete list (an empty list clears it)"), nil
	}
	counts, err := validate(in.Todos)
	if err != nil {
		return tool.Errorf("%v; the list was not updated", err), nil
	}
	if env.Todos != nil {
		env.Todos(slices.Clone(in.Todos)) // the UI may keep it; the input is not reused
	}
	if len(in.Todos) == 0 {
		return tool.Result{Text: "Todo list cleared."}, nil
	}
	text := fmt.Sprintf("Todo list updated: %d pending, %d in progress, %d completed.", counts[Pending], counts[InProgress], counts[Completed])
	if counts[InProgress] == 0 && counts[Pending] > 0 {
		text += " Mark the task you start next as in_progress."
	}
	return tool.Result{Text: text}, nil
}

// validate checks every entry and that at most one is in progress, returning the number of
// entries per status.
func validate(todos []tool.Todo) (map[string]int, error) {
	counts := map[string]int{}
	var active []int
	for i, td := range todos {
		switch td.Status {
		case Pending, Completed:
		case InProgress:
			active = append(active, i)
		default:
			return nil, fmt.Errorf("todos[%d] has status %q; use pending, in_progress or completed", i, td.Status)
		}
		if strings.TrimSpace(td.Content) == "" {
			return nil, fmt.Errorf("todos[%d] has an empty content; say what the task is", i)
		}
		if strings.TrimSpace(td.ActiveForm) == "" {
			return nil, fmt.Errorf("todos[%d] has an empty activeForm; give the task in the present continuous (\"Running the tests\")", i)
		}
		counts[td.Status]++
	}
	if len(active) > 1 {
		return nil, fmt.Errorf("%d tasks are in_progress (todos%v); exactly one task may be in progress at a time — mark the others pending or completed", len(active), active)
	}
	return counts, nil
}

// Package structured is the StructuredOutput tool: with --json-schema (or the Agent SDK's
// outputFormat), the model gives its final answer by calling it, the input is validated
// against the caller's JSON Schema, and a valid answer ends the turn as the result's
// structured_output. An invalid one is an error result the model can correct.
package structured

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/jsonschema-go/jsonschema"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tool"
)

// Name is the tool's wire name, as in the reference.
const Name = "StructuredOutput"

// Instruction is added to the system prompt when the tool is offered.
const Instruction = "The caller needs your final answer as data. When you have it, call the " + Name +
	" tool once with the answer as its input, matching its schema exactly; do not write the answer as text."

// Tool validates answers against one schema.
type Tool struct {
	schema   json.RawMessage
	resolved *jsonschema.Resolved
}

// New prepares the tool for schema; a schema that is not one is an error for the caller.
func New(schema json.RawMessage) (*Tool, error) {
	var s jsonschema.Schema
	if err := json.Unmarshal(schema, &s); err != nil {
		return nil, fmt.Errorf("the JSON schema cannot be read: %w", err)
	}
	rs, err := s.Resolve(nil)
	if err != nil {
		return nil, fmt.Errorf("the JSON schema is not usable: %w", err)
	}
	return &Tool{schema: schema, resolved: rs}, nil
}

func (t *Tool) Name() string { return Name }

func (t *Tool) Description() string {
	return "Give your final answer as structured data. The input must match the schema the caller asked for; " +
		"a valid call ends your turn."
}

func (t *Tool) InputSchema() json.RawMessage { return t.schema }

func (t *Tool) ConcurrencySafe() bool { return false }

// Class: answering changes nothing, so no permission is needed in any mode.
func (t *Tool) Class() permission.Class { return permission.ClassRead }

// Run validates the answer.
func (t *Tool) Run(_ context.Context, _ *tool.Env, input json.RawMessage) (tool.Result, error) {
	var v any
	if err := json.Unmarshal(input, &v); err != nil {
		return tool.Result{Text: "Output is not JSON: " + err.Error(), IsError: true}, nil
	}
	if err := t.resolved.Validate(v); err != nil {
		return tool.Result{Text: "Output does not match required schema: " + err.Error(), IsError: true}, nil
	}
	return tool.Result{Text: "Structured output provided successfully", Structured: input}, nil
}

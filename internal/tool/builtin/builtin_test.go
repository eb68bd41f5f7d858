package builtin

import (
	"encoding/json"
	"testing"
)

// TestToolsAreWellFormed: unique names, a description, and a JSON object schema each.
func TestToolsAreWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, tl := range Tools() {
		name := tl.Name()
		if seen[name] {
			t.Errorf("tool %s listed twice", name)
		}
		seen[name] = true
		if len(tl.Description()) < 40 {
			t.Errorf("%s: description too short to guide a model", name)
		}
		var schema struct {
			Type       string                     `json:"type"`
			Properties map[string]json.RawMessage `json:"properties"`
		}
		if err := json.Unmarshal(tl.InputSchema(), &schema); err != nil || schema.Type != "object" {
			t.Errorf("%s: input schema is not a JSON object schema: %v", name, err)
		}
	}
	for _, want := range []string{"Read", "Write", "Edit", "MultiEdit", "Bash", "Glob", "Grep", "LS", "TodoWrite", "WebFetch", "Agent"} {
		if !seen[want] {
			t.Errorf("built-in tool %s missing (A6)", want)
		}
	}
}

package cli

import (
	"encoding/json"
	"testing"

	"github.com/strata-agent/strata/internal/llm"
)

func TestWithSettingsThinkingAndEffort(t *testing.T) {
	raw := func(s string) json.RawMessage { return json.RawMessage(s) }
	r := withSettings(requestOptions{}, map[string]json.RawMessage{"alwaysThinkingEnabled": raw("false"), "effortLevel": raw(`"medium"`)})
	if r.thinking == nil || r.thinking.Type != "disabled" || r.effort != "medium" {
		t.Errorf("got thinking %+v effort %q", r.thinking, r.effort)
	}
	flags := requestOptions{thinking: &llm.Thinking{Type: "adaptive"}, effort: "high"}
	r = withSettings(flags, map[string]json.RawMessage{"alwaysThinkingEnabled": raw("false"), "effortLevel": raw(`"low"`)})
	if r.thinking.Type != "adaptive" || r.effort != "high" {
		t.Errorf("flags lost to settings: %+v %q", r.thinking, r.effort)
	}
	r = withSettings(requestOptions{}, map[string]json.RawMessage{"alwaysThinkingEnabled": raw("true"), "effortLevel": raw(`"max"`)})
	if r.thinking != nil || r.effort != "" {
		t.Errorf("true or an unknown level changed the request: %+v %q", r.thinking, r.effort)
	}
}

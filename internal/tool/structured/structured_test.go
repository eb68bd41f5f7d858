package structured

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestValidatesAgainstTheSchema(t *testing.T) {
	tl, err := New(json.RawMessage(`{"type":"object","properties":{"n":{"type":"integer"}},"required":["n"],"additionalProperties":false}`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := tl.Run(context.Background(), nil, json.RawMessage(`{"n":3}`))
	if err != nil || res.IsError || string(res.Structured) != `{"n":3}` {
		t.Fatalf("valid answer: %+v %v", res, err)
	}
	for _, bad := range []string{`{"n":"three"}`, `{}`, `{"n":1,"extra":true}`, `[1]`} {
		res, err := tl.Run(context.Background(), nil, json.RawMessage(bad))
		if err != nil || !res.IsError || res.Structured != nil || !strings.Contains(res.Text, "does not match") {
			t.Errorf("%s: %+v %v", bad, res, err)
		}
	}
}

func TestBadSchemaIsAnError(t *testing.T) {
	if _, err := New(json.RawMessage(`{"type":12}`)); err == nil {
		t.Fatal("a schema with a numeric type was accepted")
	}
	if _, err := New(json.RawMessage(`[`)); err == nil {
		t.Fatal("broken JSON was accepted")
	}
}

package demo

import (
	"encoding/json"
	"testing"
)

// TestScriptGivesGoTestTheLongestTimeout: the demo's `go test` may be the first on a cold
// build cache, and compiling the standard library's test dependencies on a loaded machine can
// outlast Bash's default two minutes. Every Bash call of the script therefore asks for the
// longest timeout the tool allows.
func TestScriptGivesGoTestTheLongestTimeout(t *testing.T) {
	raw, err := files.ReadFile("script.json")
	if err != nil {
		t.Fatal(err)
	}
	if n := bashCallsBelow(t, raw, 600_000); n != 0 {
		t.Fatalf("%d Bash calls of the demo script ask for less than the longest timeout", n)
	}
	planted := []byte(`{"turns":[{"content":[{"type":"tool_use","name":"Bash","input":{"command":"go test ./..."}}]}]}`)
	if bashCallsBelow(t, planted, 600_000) != 1 {
		t.Fatal("a Bash call without a timeout went unnoticed")
	}
}

// bashCallsBelow counts the Bash calls of a script whose timeout is absent or below ms.
func bashCallsBelow(t *testing.T, script []byte, ms int) int {
	t.Helper()
	var s struct {
		Turns []struct {
			Content []struct {
				Type, Name string
				Input      struct{ Timeout int }
			}
		}
	}
	if err := json.Unmarshal(script, &s); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, turn := range s.Turns {
		for _, c := range turn.Content {
			if c.Type == "tool_use" && c.Name == "Bash" && c.Input.Timeout < ms {
				n++
			}
		}
	}
	return n
}

package bedrocksim_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/bedrocksim"
)

func TestParseScriptErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"syntax", `{"turns": [}`, `test.json:1:12: invalid JSON: invalid character '}' looking for beginning of value`},
		{"syntax on a later line", "{\n\"turns\": [\n  {\"content\": tru}]}", `test.json:3:18: invalid JSON: invalid character '}' in literal true (expecting 'e')`},
		{"empty file", "", `test.json:1:1: invalid JSON: unexpected end of file`},
		{"trailing data", `{"turns": []} x`, `test.json:1:15: unexpected data after the top-level value`},
		{"duplicate key", `{"turns": [], "turns": []}`, `test.json:1:15: duplicate key "turns"`},
		{"unknown top-level field", `{"turn": []}`, `test.json:1:2: unknown field "turn" in the script (known: app_profiles, on_exhausted, turns, when)`},
		{"no turns", `{}`, `test.json:1:1: the script needs "turns"`},
		{"unknown turn field", "{\"turns\": [{\"content\": \"é\", \"nope\": 1}]}",
			`test.json:1:29: unknown field "nope" in turn 1 (known: close_truncated_block, content, faults, name, repeat, stop_reason, usage, when)`},
		{"turn without content", `{"turns": [{"name": "a"}]}`, `test.json:1:12: turn 1 needs "content": the answer sent once its faults are used up`},
		{"unknown fault", "{\n  \"turns\": [\n    {\"content\": \"x\", \"faults\": [{\"fault\": \"thrott\"}]}\n  ]\n}",
			`test.json:3:43: turn 1: fault 1: unknown fault "thrott" (known: content_type, cut, error, exception, expire_credentials, server_error, stall, throttle, validation)`},
		{"field of another fault", `{"turns": [{"content": "x", "faults": [{"fault": "throttle", "ms": 5}]}]}`,
			`test.json:1:62: unknown field "ms" in turn 1: fault 1 (throttle) (known: fault, message, times)`},
		{"wrong type", `{"turns": [{"content": "x", "faults": [{"fault": "throttle", "times": "2"}]}]}`,
			`test.json:1:71: turn 1: fault 1: times must be a number, not a string`},
		{"unknown exception", `{"turns": [{"content": "x", "faults": [{"fault": "exception", "exception": "boomException"}]}]}`,
			`test.json:1:76: turn 1: fault 1: exception "boomException" is unknown (known: internalServerException, modelStreamErrorException, modelTimeoutException, serviceQuotaExceededException, serviceUnavailableException, throttlingException, validationException)`},
		{"validation without message", `{"turns": [{"content": "x", "faults": [{"fault": "validation"}]}]}`,
			`test.json:1:40: turn 1: fault 1: a validation fault needs "message" (e.g. "Input is too long for requested model.")`},
		{"resuming stall not last", `{"turns": [{"content": "x", "faults": [{"fault": "stall", "ms": 5, "resume": true}, {"fault": "throttle"}]}]}`,
			`test.json:1:40: turn 1: fault 1: a stall with "resume": true delivers the answer, so it must be the last fault and happen once`},
		{"block without type", `{"turns": [{"content": [{"text": "x"}]}]}`,
			`test.json:1:25: turn 1: content block 1 needs "type" (text, thinking, redacted_thinking or tool_use)`},
		{"unknown block type", `{"turns": [{"content": [{"type": "image"}]}]}`,
			`test.json:1:34: turn 1: content block 1: type must be one of text, thinking, redacted_thinking, tool_use, not "image"`},
		{"tool_use without name", `{"turns": [{"content": [{"type": "tool_use", "input": {}}]}]}`,
			`test.json:1:25: turn 1: content block 1: a tool_use block needs "name"`},
		{"tool input not an object", `{"turns": [{"content": [{"type": "tool_use", "name": "bash", "input": "ls"}]}]}`,
			`test.json:1:71: turn 1: content block 1: input must be an object, not a string`},
		{"empty when", `{"turns": [{"content": "x", "when": {}}]}`,
			`test.json:1:37: turn 1: when has no condition; leave "when" out to match every request`},
		{"bad stop reason", `{"turns": [{"content": "x", "stop_reason": "done"}]}`,
			`test.json:1:44: turn 1: stop_reason must be one of end_turn, tool_use, max_tokens, stop_sequence, refusal, pause_turn, not "done"`},
		{"bad app profile", `{"app_profiles": {"arn:aws:bedrock:us-east-1:1:inference-profile/x": "anthropic.claude-opus-5"}, "turns": []}`,
			`test.json:1:19: app profile "arn:aws:bedrock:us-east-1:1:inference-profile/x" is not an application-inference-profile ARN (arn:aws:bedrock:REGION:ACCOUNT:application-inference-profile/NAME)`},
		{"negative usage", `{"turns": [{"content": "x", "usage": {"output_tokens": -1}}]}`,
			`test.json:1:56: turn 1: usage.output_tokens must be between 0 and 1073741824, not -1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := bedrocksim.ParseScript([]byte(tt.src), "test.json")
			if err == nil || err.Error() != tt.want {
				t.Errorf("got  %v\nwant %s", err, tt.want)
			}
		})
	}
}

func TestLoadScript(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.json")
	if err := os.WriteFile(path, []byte(`{"turns": [{"content": "hi"}, {"content": "bye"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	sc, err := bedrocksim.LoadScript(path)
	if err != nil || sc.Len() != 2 {
		t.Fatalf("LoadScript = %v, %v", sc, err)
	}
	if _, err := bedrocksim.LoadScript(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("a missing file loaded")
	}
}

// TestExampleScripts keeps the examples shipped in testdata/bedrocksim valid.
func TestExampleScripts(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/bedrocksim/*.json")
	if len(files) == 0 {
		t.Fatal("no example scripts in testdata/bedrocksim")
	}
	for _, f := range files {
		if _, err := bedrocksim.LoadScript(f); err != nil {
			t.Errorf("%v", err)
		}
	}
}

var errorPosition = regexp.MustCompile(`^fuzz\.json:\d+:\d+: `)

func FuzzParseScript(f *testing.F) {
	f.Add([]byte(`{"turns": [{"content": "x", "faults": [{"fault": "throttle", "times": 2}]}]}`))
	f.Add([]byte(`{"turns": [{"when": {"model_contains": "haiku"}, "content": [{"type": "tool_use", "name": "bash", "input": {"a": [1, 2.5, null, true]}}]}]}`))
	f.Add([]byte(`{"on_exhausted": "echo", "turns": []}`))
	f.Add([]byte(`{"when": {"has_tools": true, "operation": "InvokeModelWithResponseStream"}, "turns": [{"when": {"system_contains": "x"}, "content": "y"}, {"content": "z"}]}`))
	f.Add([]byte("{\n\"turns\": [\n  {\"content\": tru}]}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := bedrocksim.ParseScript(data, "fuzz.json")
		if err != nil && !errorPosition.MatchString(err.Error()) {
			t.Errorf("error without a position: %v", err)
		}
		if err != nil && strings.Count(err.Error(), "\n") > 0 {
			t.Errorf("multi-line error: %q", err)
		}
	})
}

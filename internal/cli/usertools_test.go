package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/bedrocksim"
	"github.com/strata-agent/strata/internal/iostreams"
)

// TestUserToolsOnlyWhereSomeoneAnswers: the question tools are offered in the UI and to
// the Agent SDK's canUseTool, never in plain print mode, as in the reference.
func TestUserToolsOnlyWhereSomeoneAnswers(t *testing.T) {
	cases := []struct {
		opts Options
		want int
	}{
		{Options{}, 2},
		{Options{Print: true}, 0},
		{Options{InputFormat: "stream-json"}, 0},
		{Options{InputFormat: "stream-json", SDKOptions: SDKOptions{PermissionPromptTool: "stdio"}}, 2},
		{Options{Print: true, SDKOptions: SDKOptions{PermissionPromptTool: "stdio"}}, 2},
	}
	for _, c := range cases {
		if got := len(userTools(&c.opts)); got != c.want {
			t.Errorf("%+v: %d tools, want %d", c.opts, got, c.want)
		}
	}
}

const askScript = `{"on_exhausted": "error", "turns": [
  {"when": {"user_text_contains": "ASK"}, "content": [{"type": "tool_use", "name": "AskUserQuestion", "input": {"questions": [
     {"question": "Which colour?", "header": "Colour", "multiSelect": false,
      "options": [{"label": "Red", "description": "warm"}, {"label": "Blue", "description": "cool"}]}]}}]},
  {"when": {"tool_result_contains": "answered"}, "content": "Blue it is."}
]}`

// TestAgentSDKAnswersAskUserQuestion: with --permission-prompt-tool stdio the question goes
// to the SDK as a can_use_tool request; the SDK allows it with the answers in updatedInput,
// and the model reads them in the reference's words in the next request.
func TestAgentSDKAnswersAskUserQuestion(t *testing.T) {
	env, srv := simEnv(t)
	sc, err := bedrocksim.ParseScript([]byte(askScript), "ask.json")
	if err != nil {
		t.Fatal(err)
	}
	srv.SetScript(sc)
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	ios, _, _, errOut := iostreams.Test()
	ios.In, ios.Out = inR, outW
	done := make(chan int, 1)
	go func() {
		done <- Run(context.Background(), []string{"--output-format", "stream-json", "--verbose", "--input-format", "stream-json",
			"--permission-prompt-tool", "stdio", "--setting-sources=", "--max-turns", "4"}, ios, env)
		outW.Close()
	}()
	write := func(v any) {
		b, _ := json.Marshal(v)
		if _, err := inW.Write(append(b, '\n')); err != nil {
			t.Error(err)
		}
	}
	write(map[string]any{"type": "user", "message": map[string]any{"role": "user", "content": "ASK me"}})
	var asked map[string]any
	lines := bufio.NewScanner(outR)
	lines.Buffer(nil, 1<<20)
	for lines.Scan() {
		var m struct {
			Type      string         `json:"type"`
			RequestID string         `json:"request_id"`
			Request   map[string]any `json:"request"`
		}
		if json.Unmarshal(lines.Bytes(), &m) != nil {
			continue
		}
		switch {
		case m.Type == "control_request" && m.Request["subtype"] == "can_use_tool":
			asked = m.Request
			input := m.Request["input"].(map[string]any)
			input["answers"] = map[string]any{"Which colour?": "Blue"}
			write(map[string]any{"type": "control_response", "response": map[string]any{"subtype": "success",
				"request_id": m.RequestID, "response": map[string]any{"behavior": "allow", "updatedInput": input}}})
		case m.Type == "result":
			inW.Close()
		}
	}
	if code := <-done; code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if asked == nil || asked["tool_name"] != "AskUserQuestion" {
		t.Fatalf("can_use_tool request: %v", asked)
	}
	reqs := srv.Requests()
	last := string(reqs[len(reqs)-1].Body)
	if !strings.Contains(last, `Your questions have been answered: \"Which colour?\"=\"Blue\". You can now continue with these answers in mind.`) {
		t.Errorf("last request lacks the answer: %s", last)
	}
	if !strings.Contains(string(reqs[0].Body), `"name":"ExitPlanMode"`) {
		t.Error("ExitPlanMode is not offered to an SDK session that can answer it")
	}
}

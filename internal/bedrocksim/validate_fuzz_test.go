package bedrocksim

import (
	"testing"
)

// FuzzValidateBody: any request body, for models of every kind, is accepted or refused with
// a Bedrock error (a 4xx status, a code and a message), never a panic; an accepted one gets
// an answer from the echo model, shaped and counted as it would be sent.
func FuzzValidateBody(f *testing.F) {
	seeds := []string{
		`{"anthropic_version":"bedrock-2023-05-31","max_tokens":100,"messages":[{"role":"user","content":"hi"}]}`,
		`{"anthropic_version":"bedrock-2023-05-31","max_tokens":2000,"thinking":{"type":"enabled","budget_tokens":1024},` +
			`"messages":[{"role":"user","content":[{"type":"text","text":"hi","cache_control":{"type":"ephemeral"}}]}]}`,
		`{"anthropic_version":"bedrock-2023-05-31","max_tokens":100,"system":[{"type":"text","text":"s"}],` +
			`"tools":[{"name":"Bash","input_schema":{"type":"object"}}],"tool_choice":{"type":"auto"},` +
			`"messages":[{"role":"user","content":"go"},{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"Bash","input":{}}]},` +
			`{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"ok"}]}]}`,
		`{"anthropic_version":"bedrock-2023-05-31","max_tokens":100,"stop_sequences":["x"],"messages":[{"role":"user","content":"axb"}],"anthropic_beta":["context-1m-2025-08-07"]}`,
		`{"messages":[]}`, `[]`, `null`, `{"anthropic_version":"bedrock-2023-05-31","max_tokens":1e400,"messages":[{"role":"user","content":"x"}]}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s), uint8(0))
	}
	srv, err := Start(Config{NoAuth: true})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { srv.Close() })
	ids := []string{"us.anthropic.claude-sonnet-4-5-20250929-v1:0", "anthropic.claude-3-opus-20240229-v1:0",
		"us.anthropic.claude-opus-4-7", "global.anthropic.claude-haiku-4-5-20251001-v1:0"}
	var models []resolved
	for _, id := range ids {
		if res, err := srv.resolveModel(id, "us-east-1", srv.now()); err == nil {
			models = append(models, res)
		}
	}
	if len(models) < 3 {
		f.Fatalf("%d models resolve", len(models))
	}
	for _, s := range seeds[:3] {
		// The valid seeds must pass, or the fuzzer only ever explores refusals.
		if _, apiErr := srv.validate(OpInvokeStream, []byte(s), models[0]); apiErr != nil {
			f.Fatalf("a valid seed is refused: %s", apiErr.message)
		}
	}
	f.Fuzz(func(t *testing.T, body []byte, which uint8) {
		res := models[int(which)%len(models)]
		for _, op := range []string{OpInvokeStream, OpCountTokens} {
			req, apiErr := srv.validate(op, body, res)
			if apiErr != nil {
				if apiErr.status < 400 || apiErr.status >= 500 || apiErr.code == "" || apiErr.message == "" {
					t.Fatalf("%s refused with %d %q %q", op, apiErr.status, apiErr.code, apiErr.message)
				}
				continue
			}
			if op == OpCountTokens {
				continue
			}
			a, _, apiErr := srv.decide(req)
			if apiErr != nil {
				t.Fatalf("the echo model refused an accepted request: %q", apiErr.message)
			}
			srv.shape(a, req)
			srv.usage(req, a)
		}
	})
}

package mcp

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tool"
)

// wordTool answers with the word it is given.
type wordTool struct{}

func (wordTool) Name() string        { return "Word" }
func (wordTool) Description() string { return "says a word" }
func (wordTool) InputSchema() json.RawMessage {
	return json.RawMessage(`{"type":"object","properties":{"word":{"type":"string"}}}`)
}
func (wordTool) ConcurrencySafe() bool   { return true }
func (wordTool) Class() permission.Class { return permission.ClassRead }
func (wordTool) Run(_ context.Context, _ *tool.Env, in json.RawMessage) (tool.Result, error) {
	var v struct{ Word string }
	_ = json.Unmarshal(in, &v)
	return tool.Result{Text: "word: " + v.Word + " key=AKIASECRET"}, nil
}

// TestServeAndInProcessServer: strata's tools served over MCP (strata mcp serve) pass the
// gate and the redactor; the client side is a server added with AddServer over an in-process
// transport, the hook the Agent SDK's in-process servers use.
func TestServeAndInProcessServer(t *testing.T) {
	clientT, serverT := sdk.NewInMemoryTransports()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	gate := func(_ context.Context, _ tool.Tool, in json.RawMessage) (bool, string) {
		if strings.Contains(string(in), "forbidden") {
			return false, "a deny rule matches"
		}
		return true, ""
	}
	served := make(chan error, 1)
	go func() {
		served <- Serve(ctx, serverT, []tool.Tool{wordTool{}}, ServeOptions{Env: tool.NewEnv(t.TempDir()), Gate: gate,
			Redact: func(s string) string { return strings.ReplaceAll(s, "AKIASECRET", "****") }})
	}()
	m := New(nil, Options{})
	t.Cleanup(m.Close)
	if err := m.AddServer("strata", ScopeSDK, func(context.Context) (sdk.Transport, func(), error) { return clientT, nil, nil }); err != nil {
		t.Fatal(err)
	}
	m.Start()
	waitAll(t, m)
	if res := call(t, m, "mcp__strata__Word", `{"word":"hello"}`); res.Text != "word: hello key=****" || res.IsError {
		t.Fatalf("allowed call = %+v", res)
	}
	if res := call(t, m, "mcp__strata__Word", `{"word":"forbidden"}`); !res.IsError || !strings.Contains(res.Text, "a deny rule matches") {
		t.Fatalf("refused call = %+v", res)
	}
	m.Close()
	if err := <-served; err != nil && !strings.Contains(err.Error(), "closed") {
		t.Logf("server ended: %v", err)
	}
}

package agent

import (
	"context"
	"sync"
	"testing"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/tool"
)

// growingSource offers no tools until add is called, like MCP servers still starting.
type growingSource struct {
	mu    sync.Mutex
	tools []tool.Tool
}

func (g *growingSource) Tools() []tool.Tool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]tool.Tool(nil), g.tools...)
}

func (g *growingSource) Tool(name string) (tool.Tool, bool) {
	for _, t := range g.Tools() {
		if t.Name() == name {
			return t, true
		}
	}
	return nil, false
}

// TestToolsThatArriveDuringTheSession: a tool source's tools join the request as soon as
// they are offered, after the fixed tools, and can be called.
func TestToolsThatArriveDuringTheSession(t *testing.T) {
	src := &growingSource{}
	mcpTool := &fakeTool{name: "mcp__srv__echo", result: tool.Result{Text: "echoed"}}
	read := &fakeTool{name: "Read", readOnly: true}
	client := newFake(t,
		turn{blocks: []llm.ContentBlock{text("first")}},
		turn{blocks: []llm.ContentBlock{use("t1", "mcp__srv__echo", `{}`)}},
		turn{blocks: []llm.ContentBlock{text("done")}},
	)
	s := New(Config{Client: client, Model: "m", Tools: []tool.Tool{read}, More: src, Permissions: bypass()}, nil)
	if _, err := s.Run(context.Background(), []llm.ContentBlock{text("one")}); err != nil {
		t.Fatal(err)
	}
	src.mu.Lock()
	src.tools = []tool.Tool{mcpTool, &fakeTool{name: "Read"}} // a duplicate name never replaces a fixed tool
	src.mu.Unlock()
	if _, err := s.Run(context.Background(), []llm.ContentBlock{text("two")}); err != nil {
		t.Fatal(err)
	}
	if n := len(client.reqs[0].Tools); n != 1 {
		t.Fatalf("first request offers %d tools, want 1", n)
	}
	second := client.reqs[1].Tools
	if len(second) != 2 || second[0].Name != "Read" || second[1].Name != "mcp__srv__echo" {
		t.Fatalf("second request tools = %+v", second)
	}
	if mcpTool.calls.Load() != 1 {
		t.Fatal("the arriving tool was not called")
	}
	if got := client.reqs[2].Messages[len(client.reqs[2].Messages)-1].Content[0]; got.ToolUseID != "t1" || got.IsError {
		t.Fatalf("tool result = %+v", got)
	}
}

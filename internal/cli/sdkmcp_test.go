package cli

import (
	"encoding/json"
	"testing"

	"github.com/strata-agent/strata/internal/mcp"
)

// TestMCPStatusHasTheSDKShape checks mcp_status against the SDK's McpServerStatus type
// (sdk.d.ts): the reference's status words, serverInfo and tools only when connected,
// annotations in the SDK's names, and no env or header values.
func TestMCPStatusHasTheSDKShape(t *testing.T) {
	yes := true
	list := []mcp.Status{
		{Name: "calc", Scope: mcp.ScopeSDK, State: mcp.StateConnected, Server: mcp.Implementation{Name: "calc", Version: "1.2.3"},
			ToolList: []mcp.ToolInfo{{Name: "add", Description: "adds", ReadOnly: &yes}}},
		{Name: "gh", Scope: mcp.ScopeDynamic, State: mcp.StateFailed, Reason: "no answer",
			Config: mcp.Config{Type: "http", URL: "https://x.example/mcp", Headers: map[string]string{"Authorization": "Bearer SECRET"}}},
		{Name: "fs", Scope: mcp.ScopeProject, State: mcp.StateConnecting,
			Config: mcp.Config{Command: "npx", Args: []string{"fs"}, Env: map[string]string{"TOKEN": "SECRET"}}},
	}
	b, err := json.Marshal(mcpStatus(list))
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"config":{"name":"calc","type":"sdk"},"name":"calc","scope":"sdk","serverInfo":{"name":"calc","version":"1.2.3"},"status":"connected","tools":[{"annotations":{"readOnly":true},"description":"adds","name":"add"}]},` +
		`{"config":{"type":"http","url":"https://x.example/mcp"},"error":"no answer","name":"gh","scope":"dynamic","status":"failed"},` +
		`{"config":{"args":["fs"],"command":"npx","type":"stdio"},"name":"fs","scope":"project","status":"pending"}]`
	if string(b) != want {
		t.Fatalf("mcp_status:\n got %s\nwant %s", b, want)
	}
}

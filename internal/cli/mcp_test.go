package cli

import (
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/mcp"
)

// TestPendingMCPNotice: the UI's start-up names the project servers waiting for approval.
func TestPendingMCPNotice(t *testing.T) {
	if got := pendingMCP(nil); got != nil {
		t.Fatalf("no manager: %q", got)
	}
	ld := &mcp.Loaded{Servers: []mcp.Server{{Name: "db", Scope: mcp.ScopeProject, Config: mcp.Config{Type: mcp.TypeStdio, Command: "x"}}},
		Skipped: map[string]mcp.Skip{"db": {State: mcp.StatePending, Reason: "not approved"}}}
	m := mcp.New(ld, mcp.Options{})
	defer m.Close()
	got := pendingMCP(m)
	if len(got) != 1 || !strings.Contains(got[0], "approval: db.") || !strings.Contains(got[0], "/mcp approve NAME") {
		t.Fatalf("notice = %q", got)
	}
}

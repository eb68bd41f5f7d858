package mcp

import (
	"slices"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/proc"
)

// A server added while the manager runs connects and offers its tools; removed, its tools
// leave and its process ends. A name already known, or of another scope, is left alone.
func TestAddAndRemoveWhileRunning(t *testing.T) {
	procs := &proc.Tracker{}
	m := startManager(t, Options{Procs: procs}, stdioServer(t, "keep", map[string]string{"STRATA_MCP_TEST_SERVER": "basic"}))
	waitAll(t, m)
	more := stdioServer(t, "plug", map[string]string{"STRATA_MCP_TEST_SERVER": "basic"})
	again := stdioServer(t, "keep", map[string]string{"STRATA_MCP_TEST_SERVER": "basic"})
	if added := m.Add(&Loaded{Servers: []Server{more, again}, Skipped: map[string]Skip{}}); !slices.Equal(added, []string{"plug"}) {
		t.Fatalf("added %v", added)
	}
	waitAll(t, m)
	if st := status(t, m, "plug"); st.State != StateConnected {
		t.Fatalf("plug = %+v", st)
	}
	if res := call(t, m, "mcp__plug__echo", `{"text":"hi"}`); res.Text != "echo: hi" {
		t.Fatalf("echo = %+v", res)
	}
	if procs.Len() != 2 {
		t.Fatalf("%d processes, want 2", procs.Len())
	}
	m.Remove(ScopeUser, "plug") // another scope: stays
	if _, ok := m.Tool("mcp__plug__echo"); !ok {
		t.Fatal("a server of another scope was removed")
	}
	m.Remove(ScopeDynamic, "plug", "nothing")
	if _, ok := m.Tool("mcp__plug__echo"); ok {
		t.Fatal("the removed server's tool is still offered")
	}
	for _, s := range m.Statuses() {
		if s.Name == "plug" {
			t.Fatal("the removed server is still listed")
		}
	}
	for deadline := time.Now().Add(10 * time.Second); procs.Len() > 1 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if procs.Len() != 1 {
		t.Fatalf("%d processes after removing one, want 1", procs.Len())
	}
	if res := call(t, m, "mcp__keep__echo", `{"text":"still"}`); res.Text != "echo: still" {
		t.Fatalf("the other server: %+v", res)
	}
}

package models

import "testing"

// TestLookupHandsOutCopies: the catalog is built once, so what Lookup returns must not share
// its slices with it.
func TestLookupHandsOutCopies(t *testing.T) {
	const id = "anthropic.claude-sonnet-4-5-20250929-v1:0"
	m, ok := Lookup(id)
	if !ok || len(m.Geos) == 0 || len(m.Betas) == 0 {
		t.Fatalf("Lookup(%q) = %+v, %v; want a model with geos and betas", id, m, ok)
	}
	m.Geos[0], m.Betas[0] = "changed", "changed"
	again, _ := Lookup(id)
	if again.Geos[0] == "changed" || again.Betas[0] == "changed" {
		t.Fatal("changing a looked-up model changed the catalog")
	}
}

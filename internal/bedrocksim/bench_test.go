package bedrocksim_test

import (
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/bedrocksim"
)

// BenchmarkStreamTurn measures one streamed turn through the real SDK client: signing,
// verification, validation, cache accounting and about 500 text deltas.
func BenchmarkStreamTurn(b *testing.B) {
	srv, err := bedrocksim.Start(bedrocksim.Config{Keys: []bedrocksim.Credential{testKey()}})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	rt := runtimeClient(srv, clientOpts{})
	req := body(map[string]any{"messages": msgs(user(strings.Repeat("word ", 500)))})
	b.ResetTimer()
	for range b.N {
		if _, err := stream(rt, sonnet45, req); err != nil {
			b.Fatal(err)
		}
	}
}

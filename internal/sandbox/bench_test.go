package sandbox

import (
	"context"
	"testing"

	"github.com/strata-agent/strata/internal/proc"
)

// BenchmarkStart measures what the sandbox adds to starting a command: bwrap, the namespaces
// and the socat bridge, against the yardstick of the same `true` started plainly.
func BenchmarkStart(b *testing.B) {
	st := Probe(context.Background())
	if !st.Available {
		b.Skipf("no sandbox here: %s", st.Reason)
	}
	sb := New(Config{Enabled: true}, st, Options{Dirs: []string{b.TempDir()}})
	defer sb.Close()
	for _, bc := range []struct {
		name string
		w    proc.Wrapper
	}{{"plain", nil}, {"sandboxed", sb.For("true", false).Wrapper}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if err := proc.Run(context.Background(), proc.Cmd{Argv: []string{"/bin/true"}, Wrapper: bc.w}).Err(); err != nil {
					b.Fatal(err, bc.name)
				}
			}
		})
	}
}

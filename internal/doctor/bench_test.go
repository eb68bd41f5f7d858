package doctor

import (
	"context"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/bedrock"
	"github.com/strata-agent/strata/internal/bedrocksim"
)

// BenchmarkDoctor is a whole doctor run, prompt-cache probe included, against the local
// emulator: every check, its probes and the fallback list. The budget is 2 s; it
// reports ms/op.
func BenchmarkDoctor(b *testing.B) {
	for _, bc := range []struct {
		name string
		cfg  bedrocksim.Config
	}{
		{"all working", bedrocksim.Config{}},
		{"default model not granted", bedrocksim.Config{Denied: []string{sonnet45}}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			e := newTestEnv(b)
			e.sim(bc.cfg, "")
			d := e.deps(bedrock.SettingsView{})
			start := time.Now()
			for b.Loop() {
				if rep := Run(context.Background(), d); rep.Failed() {
					b.Fatalf("doctor failed:\n%s", rep)
				}
			}
			b.ReportMetric(float64(time.Since(start).Milliseconds())/float64(b.N), "ms/op")
		})
	}
}

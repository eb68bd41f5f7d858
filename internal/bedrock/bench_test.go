package bedrock

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"runtime"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/bedrocksim"
	"github.com/strata-agent/strata/internal/llm"
)

// longStream is a pre-encoded event-stream body of one answer with n text deltas.
func longStream(n int) (body []byte, events int) {
	var buf bytes.Buffer
	evs := textEvents("")
	buf.Write(chunkFrame(nil, evs[0]))
	buf.Write(chunkFrame(nil, evs[1]))
	for i := range n {
		buf.Write(chunkFrame(nil, fmt.Sprintf(`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"token %d "}}`, i)))
	}
	for _, ev := range evs[3:] {
		buf.Write(chunkFrame(nil, ev))
	}
	return buf.Bytes(), n + 5
}

// benchEnv sets a clean AWS environment for a benchmark.
func benchEnv(b *testing.B) func(string) string {
	vars := map[string]string{"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1", "HOME": b.TempDir(),
		"AWS_ACCESS_KEY_ID": simKey1, "AWS_SECRET_ACCESS_KEY": simSecret1, "AWS_EC2_METADATA_DISABLED": "true",
		"AWS_CONFIG_FILE": "/nonexistent/config", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/credentials"}
	for _, v := range awsVars {
		b.Setenv(v, vars[v])
	}
	for k, v := range vars {
		b.Setenv(k, v)
	}
	return func(k string) string { return vars[k] }
}

// BenchmarkDecodeStream reads a 2,000-event answer through the whole client (SDK event-stream
// decoding, chunk JSON, llm.Event) from a local server that sends it at once.
func BenchmarkDecodeStream(b *testing.B) {
	body, events := longStream(2000)
	f := newFake(b, false, func(w http.ResponseWriter, r *http.Request) {
		startStream(w)
		w.Write(body)
	})
	env := benchEnv(b)
	cfg, err := LoadConfig(env, SettingsView{})
	if err != nil {
		b.Fatal(err)
	}
	cfg.BaseURL = f.srv.URL
	c, err := New(context.Background(), cfg, fastOptions(f))
	if err != nil {
		b.Fatal(err)
	}
	req := simpleRequest("go")
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		s, err := c.Stream(context.Background(), req)
		if err != nil {
			b.Fatal(err)
		}
		var acc llm.Accumulator
		for {
			ev, err := s.Recv()
			if err != nil {
				break
			}
			acc.Add(ev)
		}
		s.Close()
	}
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	total := float64(events) * float64(b.N)
	b.ReportMetric(total/elapsed.Seconds(), "events/s")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/total, "allocs/event")
}

// BenchmarkClientRequest is the cost of one short streamed request against the in-process
// emulator: body building, signing, the HTTP exchange, the SDK and decoding.
func BenchmarkClientRequest(b *testing.B) {
	env := benchEnv(b)
	srv, err := bedrocksim.Start(bedrocksim.Config{Keys: []bedrocksim.Credential{{AccessKeyID: simKey1, SecretAccessKey: simSecret1}}})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	cfg, err := LoadConfig(env, SettingsView{})
	if err != nil {
		b.Fatal(err)
	}
	cfg.BaseURL = srv.URL()
	c, err := New(context.Background(), cfg, simOptions(srv))
	if err != nil {
		b.Fatal(err)
	}
	req := simpleRequest("hello")
	b.ReportAllocs()
	for b.Loop() {
		s, err := c.Stream(context.Background(), req)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := drain(b, s); err != nil {
			b.Fatal(err)
		}
		srv.Reset() // keep the emulator's request log from growing
	}
}

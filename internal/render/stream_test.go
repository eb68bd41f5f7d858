package render

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/agent"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/redact"
)

// The fast delta line is byte for byte what the general encoder writes.
func TestDeltaLineMatchesEncoder(t *testing.T) {
	texts := []string{"hello ", "", "<b>&amp;</b>", "line\nnext\t\"q\" \\", "é 😀 \u2028\u2029", "\x00\x1f\x7f", "bad \xff utf-8"}
	for _, typ := range []string{llm.DeltaText, llm.DeltaThinking, llm.DeltaInputJSON} {
		for i, text := range texts {
			d := &llm.Delta{Type: typ}
			switch typ {
			case llm.DeltaText:
				d.Text = text
			case llm.DeltaThinking:
				d.Thinking = text
			case llm.DeltaInputJSON:
				d.PartialJSON = text
			}
			ev := &llm.Event{Type: llm.EventContentBlockDelta, Index: i * 7, Delta: d}
			fast, ok := deltaLine(nil, ev, "sid-<1>", "u-1")
			if !ok {
				t.Fatalf("%s %q: no fast line", typ, text)
			}
			slow, err := encodeLine(message{Type: "stream_event", Event: ev, SessionID: "sid-<1>", UUID: "u-1"})
			if err != nil {
				t.Fatal(err)
			}
			if string(fast) != slow {
				t.Errorf("%s %q:\nfast %s\nslow %s", typ, text, fast, slow)
			}
		}
	}
	for _, ev := range []*llm.Event{
		{Type: llm.EventContentBlockDelta, Delta: &llm.Delta{Type: llm.DeltaSignature, Signature: "s"}},
		{Type: llm.EventContentBlockStop},
		{Type: llm.EventContentBlockDelta, Delta: &llm.Delta{Type: "citations_delta"}},
	} {
		if _, ok := deltaLine(nil, ev, "sid", "u"); ok {
			t.Errorf("%+v took the fast path", ev)
		}
	}
}

// With Batch, delta lines wait (for the timer, or the next line that is not a delta), the
// rest are written at once, together with what the writer below held back.
func TestBatchedOutput(t *testing.T) {
	var out, errOut bytes.Buffer
	held := &holdingWriter{w: &out}
	p := New(Options{Format: FormatStreamJSON, SessionID: "sid", IncludePartial: true, Batch: true}, held, &errOut)
	delta := func(text string) {
		p.Event(agent.Event{Kind: agent.EventStream, Stream: &llm.Event{Type: llm.EventContentBlockDelta,
			Delta: &llm.Delta{Type: llm.DeltaText, Text: text}}})
	}
	delta("one ")
	delta("two ")
	if out.Len() != 0 || held.buf.Len() != 0 {
		t.Fatalf("deltas written at once: %q", out.String())
	}
	p.timedFlush() // what the timer does
	if strings.Count(out.String(), "\n") != 2 || held.buf.Len() != 0 {
		t.Fatalf("after the timer: %q (held %q)", out.String(), held.buf.String())
	}
	delta("three")
	p.Event(agent.Event{Kind: agent.EventStream, Stream: &llm.Event{Type: llm.EventContentBlockStop}})
	if n := strings.Count(out.String(), "\n"); n != 4 || !strings.Contains(out.String(), "three") {
		t.Fatalf("a block's end did not flush the delta before it: %d lines %q", n, out.String())
	}
}

// holdingWriter keeps what it is given until Flush, as a redacting writer may.
type holdingWriter struct {
	w   *bytes.Buffer
	buf bytes.Buffer
}

func (h *holdingWriter) Write(p []byte) (int, error) { return h.buf.Write(p) }
func (h *holdingWriter) Flush() error {
	_, err := h.w.Write(h.buf.Bytes())
	h.buf.Reset()
	return err
}

// A secret in the answer stays masked when the batch is written in pieces: the buffer fills
// in the middle of a line, and the piece boundary falls inside the secret.
func TestBatchedOutputKeepsRedaction(t *testing.T) {
	const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	red := redact.New()
	red.Add(secret)
	prefix := len(`{"type":"stream_event","event":{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"`)
	for shift := 1; shift < len(secret); shift++ {
		var out, errOut bytes.Buffer
		w := red.Writer(&out)
		rec := &writeSizes{w: w}
		p := New(Options{Format: FormatStreamJSON, SessionID: "sid", IncludePartial: true, Batch: true}, rec, &errOut)
		text := strings.Repeat("y", batchSize-prefix-shift) + secret + " tail"
		p.Event(agent.Event{Kind: agent.EventStream, Stream: &llm.Event{Type: llm.EventContentBlockDelta,
			Delta: &llm.Delta{Type: llm.DeltaText, Text: text}}})
		if err := p.Finish(sampleResult()); err != nil {
			t.Fatal(err)
		}
		if len(rec.sizes) < 2 || rec.sizes[0] != batchSize {
			t.Fatalf("shift %d: writes of %v bytes, want the first cut at %d", shift, rec.sizes, batchSize)
		}
		if strings.Contains(out.String(), secret) || !strings.Contains(out.String(), redact.Marker+" tail") {
			t.Fatalf("shift %d: the secret is not masked", shift)
		}
	}
}

// writeSizes passes writes on and notes their sizes.
type writeSizes struct {
	w interface {
		io.Writer
		Flush() error
	}
	sizes []int
}

func (r *writeSizes) Write(p []byte) (int, error) {
	r.sizes = append(r.sizes, len(p))
	return r.w.Write(p)
}
func (r *writeSizes) Flush() error { return r.w.Flush() }

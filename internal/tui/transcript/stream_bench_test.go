package transcript

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/tui/look"
)

// BenchmarkStreamLongParagraph streams one 100k-word paragraph (no break to print at) into the
// transcript a word at a time, and a 20,000-line code block a line at a time. Its yardstick,
// "copy", appends the words to a Builder: the transcript should stay a small factor above
// it, whatever the length (it was quadratic: the pending text was copied and scanned again
// from its start on every delta, 69 s for the paragraph and 6.3 s for the code block).
func BenchmarkStreamLongParagraph(b *testing.B) {
	words := make([]string, 100_000)
	for i := range words {
		words[i] = "word" + strconv.Itoa(i) + " "
	}
	b.Run("copy", func(b *testing.B) {
		for b.Loop() {
			var sb strings.Builder
			for _, w := range words {
				sb.WriteString(w)
			}
		}
	})
	code := []string{"```go\n"} // a 20,000-line code block: a line at a time, in two deltas each
	for i := range 20_000 {
		code = append(code, "x"+strconv.Itoa(i)+" := f(", strconv.Itoa(i)+")\n")
	}
	for _, c := range []struct {
		name   string
		deltas []string
	}{{"transcript", words}, {"transcript-code", code}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				tr := New(look.NewStyles(), 80, 24, time.Now)
				tr.OnEvent(streamEvent(llm.Event{Type: llm.EventContentBlockStart, ContentBlock: &llm.ContentBlock{Type: llm.TypeText}}))
				for _, w := range c.deltas {
					tr.OnEvent(streamEvent(llm.Event{Type: llm.EventContentBlockDelta, Delta: &llm.Delta{Type: llm.DeltaText, Text: w}}))
				}
			}
		})
	}
}

// Scanning text a piece at a time finds the break completeParagraphs finds in the whole.
func FuzzParagraphScanInPieces(f *testing.F) {
	f.Add("one\n\ntwo\n```\ncode\n\n```\n\nthree", uint8(3))
	f.Add("~~~\n```\n\n~~~\nx\n\n", uint8(1))
	f.Fuzz(func(t *testing.T, text string, step uint8) {
		n := int(step%16) + 1
		var p paragraphScan
		for end := n; ; end += n {
			end = min(end, len(text))
			done, _ := completeParagraphs(text[:end])
			if cut := p.advance(text[:end]); cut != len(done) {
				t.Fatalf("%q up to %d: cut %d, the whole text's %d", text, end, cut, len(done))
			}
			if end == len(text) {
				return
			}
		}
	})
}

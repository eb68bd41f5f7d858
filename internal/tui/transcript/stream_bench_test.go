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
// transcript a word at a time. Its yardstick, "copy", appends the same words to a Builder:
// the transcript should stay a small factor above it, whatever the paragraph's length (it
// was quadratic: the pending text was copied and scanned again on every delta).
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
	b.Run("transcript", func(b *testing.B) {
		for b.Loop() {
			tr := New(look.NewStyles(), 80, 24, time.Now)
			tr.OnEvent(streamEvent(llm.Event{Type: llm.EventContentBlockStart, ContentBlock: &llm.ContentBlock{Type: llm.TypeText}}))
			for _, w := range words {
				tr.OnEvent(streamEvent(llm.Event{Type: llm.EventContentBlockDelta, Delta: &llm.Delta{Type: llm.DeltaText, Text: w}}))
			}
		}
	})
}

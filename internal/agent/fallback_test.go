package agent

import (
	"context"
	"errors"
	"testing"

	"github.com/strata-agent/strata/internal/llm"
)

// Only an overloaded or unavailable main model, with nothing streamed, moves the run to the
// fallback model, once; the next request goes to it.
func TestSwitchToFallback(t *testing.T) {
	throttled := &llm.Error{Kind: llm.ErrThrottled}
	tests := []struct {
		name     string
		fallback string
		err      error
		started  bool
		want     bool
	}{
		{"throttled", "fb", throttled, false, true},
		{"server error", "fb", &llm.Error{Kind: llm.ErrTransient}, false, true},
		{"denied", "fb", &llm.Error{Kind: llm.ErrAccessDenied}, false, false},
		{"plain error", "fb", errors.New("x"), false, false},
		{"already streaming", "fb", throttled, true, false},
		{"no fallback", "", throttled, false, false},
		{"fallback is the model", "main", throttled, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var notices int
			s := New(Config{Model: "main", FallbackModel: tt.fallback, Sink: func(e Event) {
				if e.Kind == EventNotice {
					notices++
				}
			}}, nil)
			if got := s.switchToFallback(context.Background(), "main", tt.err, tt.started); got != tt.want {
				t.Fatalf("switch %v, want %v", got, tt.want)
			}
			if tt.want {
				if notices != 1 || s.buildRequest(10).Model != "fb" {
					t.Errorf("%d notices, next model %q", notices, s.buildRequest(10).Model)
				}
				if s.switchToFallback(context.Background(), "fb", tt.err, false) {
					t.Error("switched twice")
				}
			}
		})
	}
}

package llm

import (
	"encoding/json"
	"reflect"
	"testing"
)

// The fast path answers for the deltas the API sends and leaves everything else alone.
func TestContentDeltaFastPath(t *testing.T) {
	tests := []struct {
		in   string
		want *Event // nil: not for the fast path
	}{
		{`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}`,
			&Event{Type: EventContentBlockDelta, Delta: &Delta{Type: DeltaText, Text: "Hello"}}},
		{`{"type":"content_block_delta","index":12,"delta":{"type":"text_delta","text":"a\nb \"q\" \u00e9\ud83d\ude00"}}`,
			&Event{Type: EventContentBlockDelta, Index: 12, Delta: &Delta{Type: DeltaText, Text: "a\nb \"q\" é😀"}}},
		{`{"type":"content_block_delta","index":1,"delta":{"type":"thinking_delta","thinking":"hmm"}}`,
			&Event{Type: EventContentBlockDelta, Index: 1, Delta: &Delta{Type: DeltaThinking, Thinking: "hmm"}}},
		{`{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\"a\":"}}`,
			&Event{Type: EventContentBlockDelta, Index: 2, Delta: &Delta{Type: DeltaInputJSON, PartialJSON: `{"a":`}}},
		{`{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"c2ln"}}`,
			&Event{Type: EventContentBlockDelta, Delta: &Delta{Type: DeltaSignature, Signature: "c2ln"}}},
		{`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"ünï"}}`,
			&Event{Type: EventContentBlockDelta, Delta: &Delta{Type: DeltaText, Text: "ünï"}}},
		{`{"type":"content_block_delta", "index":0,"delta":{"type":"text_delta","text":"x"}}`, nil},
		{`{"type":"content_block_delta","index":01,"delta":{"type":"text_delta","text":"x"}}`, nil},
		{`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}, "extra":1}`, nil},
		{`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x","more":1}}`, nil},
		{`{"type":"content_block_delta","index":0,"delta":{"type":"citations_delta","citation":{}}}`, nil},
		{"{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"\xff\"}}", nil},
		{"{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\tb\"}}", nil},
		{`{"type":"message_stop"}`, nil},
	}
	for _, tt := range tests {
		var got Event
		ok := decodeContentDelta([]byte(tt.in), &got)
		if ok != (tt.want != nil) {
			t.Errorf("%s: fast path %v", tt.in, ok)
			continue
		}
		if ok && !reflect.DeepEqual(got, *tt.want) {
			t.Errorf("%s: got %+v %+v, want %+v", tt.in, got, got.Delta, tt.want.Delta)
		}
	}
}

// Wherever the fast path answers, the general decoder gives the same event.
func FuzzContentDeltaFastPath(f *testing.F) {
	f.Add([]byte(`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}`))
	f.Add([]byte(`{"type":"content_block_delta","index":3,"delta":{"type":"text_delta","text":"a\\u00e9\n\"\\/"}}`))
	f.Add([]byte(`{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"k\""}}`))
	f.Add([]byte(`{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"\ud800"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var fast Event
		if !decodeContentDelta(data, &fast) {
			return
		}
		var w wireEvent
		if err := json.Unmarshal(data, &w); err != nil {
			t.Fatalf("fast path accepted what encoding/json rejects (%v): %q", err, data)
		}
		slow := Event{Type: w.Type, Delta: w.Delta}
		if w.Index != nil {
			slow.Index = *w.Index
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Fatalf("%q: fast %+v %+v, general %+v %+v", data, fast, fast.Delta, slow, slow.Delta)
		}
	})
}

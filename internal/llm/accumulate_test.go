package llm

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// decodeEvents parses one event JSON per line.
func decodeEvents(t testing.TB, lines string) []Event {
	t.Helper()
	var evs []Event
	for _, line := range strings.Split(strings.TrimSpace(lines), "\n") {
		var ev Event
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		evs = append(evs, ev)
	}
	return evs
}

const toolTurn = `{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"us.anthropic.m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":1,"cache_creation_input_tokens":5,"cache_read_input_tokens":7}}}
{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}
{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"let me "}}
{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"look"}}
{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"c2ln"}}
{"type":"content_block_stop","index":0}
{"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}
{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Reading "}}
{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"the file."}}
{"type":"content_block_stop","index":1}
{"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_1","name":"Read","input":{}}}
{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":""}}
{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\"file_pa"}}
{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"th\":\"/a.go\"}"}}
{"type":"content_block_stop","index":2}
{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":42}}
{"type":"message_stop","amazon-bedrock-invocationMetrics":{"inputTokenCount":10,"outputTokenCount":42,"invocationLatency":900,"firstByteLatency":300}}`

func TestAccumulatorToolTurn(t *testing.T) {
	var acc Accumulator
	for _, ev := range decodeEvents(t, toolTurn) {
		if err := acc.Add(ev); err != nil {
			t.Fatalf("%s: %v", ev.Type, err)
		}
	}
	if !acc.Done() {
		t.Fatal("not done after message_stop")
	}
	r := acc.Response()
	if r.ID != "msg_1" || r.StopReason != StopToolUse {
		t.Fatalf("id/stop = %q/%q", r.ID, r.StopReason)
	}
	want := Usage{InputTokens: 10, OutputTokens: 42, CacheCreationInputTokens: 5, CacheReadInputTokens: 7}
	if r.Usage != want {
		t.Fatalf("usage = %+v, want %+v", r.Usage, want)
	}
	if len(r.Content) != 3 {
		t.Fatalf("content = %+v", r.Content)
	}
	if th := r.Content[0]; th.Thinking != "let me look" || th.Signature != "c2ln" {
		t.Errorf("thinking = %+v", th)
	}
	if r.Content[1].Text != "Reading the file." {
		t.Errorf("text = %q", r.Content[1].Text)
	}
	tu := r.Content[2]
	if tu.Name != "Read" || string(tu.Input) != `{"file_path":"/a.go"}` {
		t.Errorf("tool_use = %s %s", tu.Name, tu.Input)
	}
	if acc.Metrics == nil || acc.Metrics.OutputTokenCount != 42 {
		t.Errorf("metrics = %+v", acc.Metrics)
	}
	// The final message goes back to the model unchanged (B34).
	out, _ := json.Marshal(r.Message())
	if !strings.Contains(string(out), `{"type":"thinking","thinking":"let me look","signature":"c2ln"}`) {
		t.Errorf("assistant message lost the thinking block: %s", out)
	}
}

func TestAccumulatorResetsOnRestart(t *testing.T) {
	evs := decodeEvents(t, toolTurn)
	var acc Accumulator
	for _, ev := range evs[:9] { // cut in the middle of the text block
		if err := acc.Add(ev); err != nil {
			t.Fatal(err)
		}
	}
	for _, ev := range evs {
		if err := acc.Add(ev); err != nil {
			t.Fatal(err)
		}
	}
	if r := acc.Response(); len(r.Content) != 3 || r.Content[1].Text != "Reading the file." {
		t.Fatalf("restart left old content: %+v", r.Content)
	}
}

func TestAccumulatorTruncatedDropsOpenToolUse(t *testing.T) {
	evs := decodeEvents(t, toolTurn)
	var acc Accumulator
	for _, ev := range evs[:13] { // tool input half streamed
		if err := acc.Add(ev); err != nil {
			t.Fatal(err)
		}
	}
	r := acc.Truncated()
	if len(r.Content) != 2 || r.Content[1].Type != TypeText {
		t.Fatalf("truncated = %+v", r.Content)
	}
}

// A provider may close the tool call that max_tokens cut: the block is dropped, not an error.
func TestAccumulatorClosedCutToolCall(t *testing.T) {
	evs := decodeEvents(t, toolTurn)
	var acc Accumulator
	for _, ev := range evs[:13] { // tool input half streamed
		if err := acc.Add(ev); err != nil {
			t.Fatal(err)
		}
	}
	tail := decodeEvents(t, `{"type":"content_block_stop","index":2}
{"type":"message_delta","delta":{"stop_reason":"max_tokens"},"usage":{"output_tokens":40}}
{"type":"message_stop"}`)
	for _, ev := range tail {
		if err := acc.Add(ev); err != nil {
			t.Fatalf("%s: %v", ev.Type, err)
		}
	}
	if r := acc.Truncated(); len(r.Content) != 2 || acc.Response().StopReason != StopMaxTokens {
		t.Fatalf("truncated = %+v", r.Content)
	}
}

func TestAccumulatorErrors(t *testing.T) {
	cases := []struct{ name, events string }{
		{"delta before start", `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}}`},
		{"block before message", `{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`},
		{"bad tool json", `{"type":"message_start","message":{"id":"m","type":"message","role":"assistant","model":"x","content":[],"usage":{"input_tokens":1,"output_tokens":1}}}
{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"t","name":"Bash","input":{}}}
{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"comm"}}
{"type":"content_block_stop","index":0}
{"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":5}}
{"type":"message_stop"}`},
		{"skipped index", `{"type":"message_start","message":{"id":"m","type":"message","role":"assistant","model":"x","content":[],"usage":{"input_tokens":1,"output_tokens":1}}}
{"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}`},
		{"error event", `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var acc Accumulator
			var err error
			for _, ev := range decodeEvents(t, tc.events) {
				if err = acc.Add(ev); err != nil {
					break
				}
			}
			if err == nil {
				t.Fatal("no error")
			}
		})
	}
}

func TestEventRoundTrip(t *testing.T) {
	for _, line := range strings.Split(toolTurn, "\n") {
		var ev Event
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatal(err)
		}
		out, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := string(out), compactJSON(t, line); got != want {
			t.Errorf("\n got %s\nwant %s", got, want)
		}
	}
}

func TestUnknownEventKept(t *testing.T) {
	in := `{"type":"future_event","x":[1]}`
	var ev Event
	if err := json.Unmarshal([]byte(in), &ev); err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(ev)
	if string(out) != in {
		t.Fatalf("got %s", out)
	}
	var acc Accumulator
	if err := acc.Add(ev); err != nil {
		t.Fatalf("unknown event must be ignored: %v", err)
	}
}

func FuzzAccumulator(f *testing.F) {
	f.Add([]byte(toolTurn))
	f.Fuzz(func(t *testing.T, data []byte) {
		var acc Accumulator
		for _, line := range strings.Split(string(data), "\n") {
			var ev Event
			if json.Unmarshal([]byte(line), &ev) != nil {
				continue
			}
			if acc.Add(ev) != nil {
				return
			}
		}
		r := acc.Truncated()
		for _, b := range r.Content {
			if b.Type == TypeToolUse && b.Input != nil && !json.Valid(b.Input) {
				t.Fatalf("invalid tool input kept: %s", b.Input)
			}
		}
	})
}

func BenchmarkAccumulate(b *testing.B) {
	evs := decodeEvents(b, toolTurn)
	b.ReportAllocs()
	for b.Loop() {
		var acc Accumulator
		for _, ev := range evs {
			if err := acc.Add(ev); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// A restart event drops the abandoned answer and adds what it was billed to Billed, whether
// the provider says how much or the Accumulator only knows what the attempt reported.
func TestAccumulatorRestartCountsAbandonedUsage(t *testing.T) {
	var a Accumulator
	start := func(in int) Event {
		return Event{Type: EventMessageStart, Message: &Response{Role: RoleAssistant, Usage: Usage{InputTokens: in}}}
	}
	feed := []Event{
		start(10),
		{Type: EventContentBlockStart, Index: 0, ContentBlock: &ContentBlock{Type: TypeText}},
		{Type: EventContentBlockDelta, Index: 0, Delta: &Delta{Type: DeltaText, Text: "lost"}},
		{Type: EventMessageDelta, Usage: &Usage{OutputTokens: 3}},
		{Type: EventRestart, Billed: &Usage{InputTokens: 10, OutputTokens: 3}},
		start(20),
		{Type: EventRestart}, // no figure from the provider: the attempt's own usage counts
		start(30),
		{Type: EventContentBlockStart, Index: 0, ContentBlock: &ContentBlock{Type: TypeText}},
		{Type: EventContentBlockDelta, Index: 0, Delta: &Delta{Type: DeltaText, Text: "kept"}},
		{Type: EventMessageDelta, Delta: &Delta{StopReason: StopEndTurn}, Usage: &Usage{OutputTokens: 5}},
		{Type: EventMessageStop},
	}
	for i, ev := range feed {
		if err := a.Add(ev); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
	}
	if got := a.Response().Message().Text(); got != "kept" {
		t.Fatalf("text %q, want only the last attempt's", got)
	}
	if got, want := a.Billed(), (Usage{InputTokens: 60, OutputTokens: 8}); got != want {
		t.Fatalf("billed %+v, want %+v", got, want)
	}
	if got := a.Response().Usage; got != (Usage{InputTokens: 30, OutputTokens: 5}) {
		t.Fatalf("the response's own usage %+v changed", got)
	}
}

// longAnswer is a 100k-token answer as a provider streams it: a delta of about three tokens
// (a dozen bytes) at a time.
func longAnswer() []Event {
	const deltas = 100_000 / 3
	evs := make([]Event, 0, deltas+4)
	evs = append(evs, Event{Type: EventMessageStart, Message: &Response{ID: "m", Role: "assistant"}},
		Event{Type: EventContentBlockStart, Index: 0, ContentBlock: &ContentBlock{Type: TypeText}})
	for i := range deltas {
		evs = append(evs, Event{Type: EventContentBlockDelta, Index: 0, Delta: &Delta{Type: DeltaText, Text: fmt.Sprintf(" word%05d", i)}})
	}
	return append(evs, Event{Type: EventContentBlockStop, Index: 0},
		Event{Type: EventMessageDelta, Delta: &Delta{StopReason: StopEndTurn}}, Event{Type: EventMessageStop})
}

// BenchmarkAccumulateLongAnswer builds a 100k-token answer. Its yardstick, "copy", only appends
// the same deltas to one Builder: the Accumulator should stay within a small factor of it at
// any size (appending to a string made it quadratic: seconds at this size).
func BenchmarkAccumulateLongAnswer(b *testing.B) {
	evs := longAnswer()
	b.Run("copy", func(b *testing.B) {
		for b.Loop() {
			var sb strings.Builder
			for _, ev := range evs {
				if ev.Delta != nil {
					sb.WriteString(ev.Delta.Text)
				}
			}
		}
	})
	b.Run("accumulator", func(b *testing.B) {
		for b.Loop() {
			var acc Accumulator
			for _, ev := range evs {
				if err := acc.Add(ev); err != nil {
					b.Fatal(err)
				}
			}
			if len(acc.Response().Content[0].Text) < 300_000 {
				b.Fatal("answer lost")
			}
		}
	})
}

// A long answer arrives whole, and a second Response call does not repeat it.
func TestAccumulatorLongAnswerWhole(t *testing.T) {
	var acc Accumulator
	var want strings.Builder
	for _, ev := range longAnswer() {
		if ev.Delta != nil {
			want.WriteString(ev.Delta.Text)
		}
		if err := acc.Add(ev); err != nil {
			t.Fatal(err)
		}
	}
	for range 2 {
		if got := acc.Response().Content[0].Text; got != want.String() {
			t.Fatalf("text of %d bytes, want %d", len(got), want.Len())
		}
	}
}

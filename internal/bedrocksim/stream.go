package bedrocksim

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	"github.com/strata-agent/strata/internal/llm"
)

// streamEvent is one Anthropic event of an answer and the output tokens it carries (for the
// per-token latency).
type streamEvent struct {
	ev     llm.Event
	tokens int
}

// events lays out the answer as the Anthropic stream: message_start, each block as
// start/deltas/stop, message_delta and message_stop (whose metrics are filled when sent).
func (a *answer) events(msgID, model string, usage llm.Usage) []streamEvent {
	start := usage
	start.OutputTokens = 1
	out := []streamEvent{{ev: llm.Event{Type: llm.EventMessageStart, Message: &llm.Response{
		ID: msgID, Type: "message", Role: llm.RoleAssistant, Model: model, Usage: start}}}}
	for i, b := range a.blocks {
		out = append(out, a.blockEvents(i, b)...)
	}
	final := usage
	out = append(out,
		streamEvent{ev: llm.Event{Type: llm.EventMessageDelta, Delta: &llm.Delta{StopReason: a.stop, StopSequence: a.stopSeq}, Usage: &final}},
		streamEvent{ev: llm.Event{Type: llm.EventMessageStop}})
	return out
}

func (a *answer) blockEvents(i int, b llm.ContentBlock) []streamEvent {
	delta := func(d llm.Delta, tokens int) streamEvent {
		return streamEvent{ev: llm.Event{Type: llm.EventContentBlockDelta, Index: i, Delta: &d}, tokens: tokens}
	}
	startBlock := llm.ContentBlock{Type: b.Type}
	var deltas []streamEvent
	switch b.Type {
	case llm.TypeText:
		for _, w := range splitWords(b.Text) {
			deltas = append(deltas, delta(llm.Delta{Type: llm.DeltaText, Text: w}, estimateTokens(w)))
		}
	case llm.TypeThinking:
		for _, w := range splitWords(b.Thinking) {
			deltas = append(deltas, delta(llm.Delta{Type: llm.DeltaThinking, Thinking: w}, estimateTokens(w)))
		}
		deltas = append(deltas, delta(llm.Delta{Type: llm.DeltaSignature, Signature: b.Signature}, 0))
	case llm.TypeRedactedThinking:
		startBlock.Data = b.Data
	case llm.TypeToolUse:
		startBlock.ID, startBlock.Name = b.ID, b.Name
		in := string(b.Input)
		if a.open && i == len(a.blocks)-1 {
			in = a.partial
		}
		for _, part := range splitJSON(in, 4) {
			deltas = append(deltas, delta(llm.Delta{Type: llm.DeltaInputJSON, PartialJSON: part}, estimateTokens(part)))
		}
	}
	out := []streamEvent{{ev: llm.Event{Type: llm.EventContentBlockStart, Index: i, ContentBlock: &startBlock}}}
	out = append(out, deltas...)
	if !a.open || i < len(a.blocks)-1 || a.closeOpen {
		out = append(out, streamEvent{ev: llm.Event{Type: llm.EventContentBlockStop, Index: i}})
	}
	return out
}

// splitWords cuts text into word-sized deltas, each word with the spaces after it.
func splitWords(s string) []string {
	var out []string
	start, inSpace := 0, false
	for i, r := range s {
		space := unicode.IsSpace(r)
		if !space && inSpace && i > start {
			out = append(out, s[start:i])
			start = i
		}
		inSpace = space
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// splitJSON cuts s into about n pieces on character boundaries.
func splitJSON(s string, n int) []string {
	size := max(1, (len(s)+n-1)/n)
	var out []string
	for len(s) > 0 {
		cut := min(size, len(s))
		for cut < len(s) && !utf8.RuneStart(s[cut]) {
			cut++
		}
		out = append(out, s[:cut])
		s = s[cut:]
	}
	return out
}

// frameWriter writes event-stream frames with the SDK's encoder and flushes each one, so the
// client sees events as they come.
type frameWriter struct {
	w    http.ResponseWriter
	enc  *eventstream.Encoder
	sent int
}

func newFrameWriter(w http.ResponseWriter) *frameWriter {
	return &frameWriter{w: w, enc: eventstream.NewEncoder()}
}

func (fw *frameWriter) write(msg eventstream.Message) error {
	if err := fw.enc.Encode(fw.w, msg); err != nil {
		return err
	}
	if f, ok := fw.w.(http.Flusher); ok {
		f.Flush()
	}
	fw.sent++
	return nil
}

// chunk sends one Anthropic event as Bedrock does: a chunk whose payload holds the event
// JSON, base64-encoded, under "bytes".
func (fw *frameWriter) chunk(ev llm.Event) error {
	inner, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	payload, _ := json.Marshal(map[string]string{"bytes": base64.StdEncoding.EncodeToString(inner)})
	var h eventstream.Headers
	h.Set(":event-type", eventstream.StringValue("chunk"))
	h.Set(":content-type", eventstream.StringValue("application/json"))
	h.Set(":message-type", eventstream.StringValue("event"))
	return fw.write(eventstream.Message{Headers: h, Payload: payload})
}

// exception sends an exception frame, which ends the stream with that error.
func (fw *frameWriter) exception(typ, message string) error {
	payload, _ := json.Marshal(map[string]string{"message": message})
	var h eventstream.Headers
	h.Set(":exception-type", eventstream.StringValue(typ))
	h.Set(":content-type", eventstream.StringValue("application/json"))
	h.Set(":message-type", eventstream.StringValue("exception"))
	return fw.write(eventstream.Message{Headers: h, Payload: payload})
}

// sleep waits d unless the client goes away first; it reports whether the client is still there.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// abort cuts the connection without finishing the response, like a dropped stream: the
// client sees the connection close (FIN) in the middle of the body.
func abort() { panic(http.ErrAbortHandler) }

// reset cuts the connection with a TCP reset (RST), which clients report as "connection
// reset by peer" rather than as an early end of the body.
func reset(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		abort()
	}
	raw := conn
	if tc, ok := conn.(*tls.Conn); ok {
		raw = tc.NetConn()
	}
	if tcp, ok := raw.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = raw.Close()
	panic(http.ErrAbortHandler)
}

// cut ends the response early the way the fault asks.
func cut(w http.ResponseWriter, f *fault) {
	if f.reset {
		reset(w)
	}
	abort()
}

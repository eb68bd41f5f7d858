package llm

import "encoding/json"

// Stream event types (B33).
const (
	EventMessageStart      = "message_start"
	EventContentBlockStart = "content_block_start"
	EventContentBlockDelta = "content_block_delta"
	EventContentBlockStop  = "content_block_stop"
	EventMessageDelta      = "message_delta"
	EventMessageStop       = "message_stop"
	EventPing              = "ping"
	EventError             = "error"

	// EventRestart is strata's own event, never sent on the wire: the provider abandoned
	// the answer streamed so far after a transient failure and a fresh message_start
	// follows. Billed is what the abandoned attempt had consumed: Bedrock bills it though
	// its answer is dropped, so whoever reads the stream counts it (Accumulator.Billed).
	EventRestart = "restart"
)

// Delta types inside content_block_delta.
const (
	DeltaText      = "text_delta"
	DeltaInputJSON = "input_json_delta"
	DeltaThinking  = "thinking_delta"
	DeltaSignature = "signature_delta"
)

// Event is one Anthropic stream event. Only the fields of its Type are meaningful.
type Event struct {
	Type         string
	Message      *Response          // message_start
	Index        int                // content_block_*
	ContentBlock *ContentBlock      // content_block_start
	Delta        *Delta             // content_block_delta, message_delta
	Usage        *Usage             // message_delta (cumulative output tokens)
	Metrics      *InvocationMetrics // message_stop on Bedrock
	Error        *StreamError       // error
	Billed       *Usage             // restart: the abandoned attempt's usage
	Raw          json.RawMessage    // an event of unknown type, verbatim
}

// Delta is the changing part of a content_block_delta or message_delta.
type Delta struct {
	Type         string  `json:"type,omitempty"`
	Text         string  `json:"text,omitempty"`
	PartialJSON  string  `json:"partial_json,omitempty"`
	Thinking     string  `json:"thinking,omitempty"`
	Signature    string  `json:"signature,omitempty"`
	StopReason   string  `json:"stop_reason,omitempty"`
	StopSequence *string `json:"stop_sequence,omitempty"`
}

// InvocationMetrics is what Bedrock adds to message_stop.
type InvocationMetrics struct {
	InputTokenCount   int `json:"inputTokenCount"`
	OutputTokenCount  int `json:"outputTokenCount"`
	InvocationLatency int `json:"invocationLatency"`
	FirstByteLatency  int `json:"firstByteLatency"`
}

// StreamError is the body of an in-stream error event.
type StreamError struct {
	Type    string `json:"type"`
	Message string `json:"message"`
}

type wireEvent struct {
	Type         string             `json:"type"`
	Message      *Response          `json:"message,omitempty"`
	Index        *int               `json:"index,omitempty"`
	ContentBlock *ContentBlock      `json:"content_block,omitempty"`
	Delta        *Delta             `json:"delta,omitempty"`
	Usage        *deltaUsage        `json:"usage,omitempty"`
	Metrics      *InvocationMetrics `json:"amazon-bedrock-invocationMetrics,omitempty"`
	Error        *StreamError       `json:"error,omitempty"`
}

// MarshalJSON writes the event with exactly the keys its type carries.
func (e Event) MarshalJSON() ([]byte, error) {
	if len(e.Raw) > 0 {
		return e.Raw, nil
	}
	w := wireEvent{Type: e.Type, Message: e.Message, ContentBlock: e.ContentBlock,
		Delta: e.Delta, Metrics: e.Metrics, Error: e.Error}
	if e.Usage != nil {
		u := deltaUsage(*e.Usage)
		w.Usage = &u
	}
	switch e.Type {
	case EventContentBlockStart, EventContentBlockDelta, EventContentBlockStop:
		idx := e.Index
		w.Index = &idx
	}
	return json.Marshal(w)
}

// UnmarshalJSON reads any event; unknown types keep their JSON in Raw.
func (e *Event) UnmarshalJSON(data []byte) error {
	if decodeContentDelta(data, e) {
		return nil
	}
	var w wireEvent
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*e = Event{Type: w.Type, Message: w.Message, ContentBlock: w.ContentBlock, Delta: w.Delta,
		Metrics: w.Metrics, Error: w.Error}
	if w.Usage != nil {
		u := Usage(*w.Usage)
		e.Usage = &u
	}
	if w.Index != nil {
		e.Index = *w.Index
	}
	switch w.Type {
	case EventMessageStart, EventContentBlockStart, EventContentBlockDelta, EventContentBlockStop,
		EventMessageDelta, EventMessageStop, EventPing, EventError:
	default:
		e.Raw = append(json.RawMessage(nil), data...)
	}
	return nil
}

// MarshalJSON writes the response in the API's key order, with stop_reason null while it is
// unknown and content an empty array rather than null.
func (r Response) MarshalJSON() ([]byte, error) {
	w := struct {
		ID           string         `json:"id"`
		Type         string         `json:"type"`
		Role         string         `json:"role"`
		Model        string         `json:"model"`
		Content      []ContentBlock `json:"content"`
		StopReason   *string        `json:"stop_reason"`
		StopSequence *string        `json:"stop_sequence"`
		Usage        Usage          `json:"usage"`
	}{r.ID, r.Type, r.Role, r.Model, r.Content, nil, r.StopSequence, r.Usage}
	if r.StopReason != "" {
		w.StopReason = &r.StopReason
	}
	if w.Content == nil {
		w.Content = []ContentBlock{}
	}
	return json.Marshal(w)
}

// MarshalJSON writes exactly the keys of the delta's type: content deltas carry their payload
// even when empty, a message_delta carries stop_reason and stop_sequence.
func (d Delta) MarshalJSON() ([]byte, error) {
	switch d.Type {
	case DeltaText:
		return json.Marshal(struct {
			Type string `json:"type"`
			Text string `json:"text"`
		}{d.Type, d.Text})
	case DeltaInputJSON:
		return json.Marshal(struct {
			Type        string `json:"type"`
			PartialJSON string `json:"partial_json"`
		}{d.Type, d.PartialJSON})
	case DeltaThinking:
		return json.Marshal(struct {
			Type     string `json:"type"`
			Thinking string `json:"thinking"`
		}{d.Type, d.Thinking})
	case DeltaSignature:
		return json.Marshal(struct {
			Type      string `json:"type"`
			Signature string `json:"signature"`
		}{d.Type, d.Signature})
	case "":
		w := struct {
			StopReason   *string `json:"stop_reason"`
			StopSequence *string `json:"stop_sequence"`
		}{StopSequence: d.StopSequence}
		if d.StopReason != "" {
			w.StopReason = &d.StopReason
		}
		return json.Marshal(w)
	}
	type plain Delta
	return json.Marshal(plain(d))
}

// deltaUsage is the usage of a message_delta: only the counts that are sent.
type deltaUsage struct {
	InputTokens              int `json:"input_tokens,omitempty"`
	OutputTokens             int `json:"output_tokens"`
	CacheCreationInputTokens int `json:"cache_creation_input_tokens,omitempty"`
	CacheReadInputTokens     int `json:"cache_read_input_tokens,omitempty"`
}

package bedrock

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/schemas"
	smithy "github.com/aws/smithy-go"
	"github.com/aws/smithy-go/transport/http/protocol/restjson1"

	"github.com/strata-agent/strata/internal/llm"
)

// Stream sends req with InvokeModelWithResponseStream and returns its events as they arrive.
// A stream that breaks before message_stop is sent again transparently, with an
// llm.NoticeRestart: the new attempt starts with a fresh message_start.
func (c *Client) Stream(ctx context.Context, req *llm.Request) (llm.Stream, error) {
	cl, err := c.newCall(ctx, req)
	if err != nil {
		return nil, err
	}
	s := &stream{ctx: ctx, call: cl, idle: c.s.cfg.StreamIdleTimeout}
	if s.idle <= 0 {
		s.idle = DefaultStreamIdleTimeout
	}
	if err := s.open(); err != nil {
		return nil, err
	}
	return s, nil
}

// stream reads one logical response, through restarts.
type stream struct {
	ctx  context.Context
	call *call
	idle time.Duration

	// The current attempt: its HTTP body, read by frames, and the context whose cancellation
	// ends the exchange (with an idleError as the cause when the watchdog fired).
	body   io.ReadCloser
	frames *frameReader
	actx   context.Context
	cancel context.CancelCauseFunc
	events int       // events of the current attempt
	billed llm.Usage // what the current attempt reported so far (message_start, message_delta)

	done bool  // message_stop was returned
	err  error // final error, returned by every later Recv
}

// open starts an attempt (retrying the opening itself as the table says).
func (s *stream) open() error {
	return s.call.run(s.ctx, func(ctx context.Context, st *awsState) error {
		client := st.runtime[s.call.region]
		actx, cancel := context.WithCancelCause(ctx)
		limit := s.call.s.cfg.RequestTimeout
		stop := time.AfterFunc(limit, func() { cancel(&idleError{after: limit.String()}) })
		var body io.ReadCloser
		out, err := client.InvokeModelWithResponseStream(actx, &bedrockruntime.InvokeModelWithResponseStreamInput{
			ModelId: aws.String(s.call.model), Body: s.call.body,
			ContentType: aws.String("application/json"), Accept: aws.String("application/json"),
		}, bedrockruntime.WithAPIOptions(takeEventStream(&body)), ownDecoder)
		stop.Stop()
		if err != nil {
			if body != nil { // taken, then failed further up the SDK's stack
				body.Close()
			}
			cause := context.Cause(actx)
			cancel(nil)
			var idle *idleError
			if errors.As(cause, &idle) {
				return idle
			}
			return err
		}
		out.GetStream().Close() // it was handed an empty body: the frames are read here
		watch := &watchdog{r: body, idle: s.idle}
		watch.timer = time.AfterFunc(s.idle, func() { cancel(&idleError{after: s.idle.String()}) })
		watch.timer.Stop()
		s.body, s.frames, s.actx, s.cancel, s.events = body, newFrameReader(watch), actx, cancel, 0
		return nil
	})
}

// watchdog is the idle timeout of a stream: it runs while a read of the body waits, and
// ends the exchange when nothing arrives for idle.
type watchdog struct {
	r     io.Reader
	idle  time.Duration
	timer *time.Timer
}

func (w *watchdog) Read(p []byte) (int, error) {
	w.timer.Reset(w.idle)
	n, err := w.r.Read(p)
	w.timer.Stop()
	return n, err
}

// ownDecoder gives each stream its own protocol instance. The SDK's restJson1 protocol keeps one
// event-stream decoder (with its payload buffer) per client, so two streams read at the same
// time through one client race on it and can mix up each other's events (found with -race).
func ownDecoder(o *bedrockruntime.Options) {
	o.Protocol = restjson1.New(schemas.AmazonBedrockFrontendService)
}

// Recv returns the next event; io.EOF after message_stop.
func (s *stream) Recv() (llm.Event, error) {
	if s.err != nil {
		return llm.Event{}, s.err
	}
	if s.done {
		return llm.Event{}, io.EOF
	}
	for {
		ev, err := s.next()
		if err == nil {
			return ev, nil
		}
		s.closeAttempt()
		if s.ctx.Err() != nil {
			s.err = s.ctx.Err()
			return llm.Event{}, s.err
		}
		billed, err := s.restart(err)
		if err != nil {
			s.err = err
			return llm.Event{}, err
		}
		// The reader learns of the restart in the stream itself, so whoever reads it (a
		// turn, a compaction, a sub-agent, a WebFetch question) counts the billed usage.
		return llm.Event{Type: llm.EventRestart, Billed: &billed}, nil
	}
}

// next reads one event of the current attempt, under the idle watchdog.
func (s *stream) next() (llm.Event, error) {
	data, err := s.frames.next()
	if err == nil {
		s.events++
		return s.decode(data)
	}
	var idle *idleError
	if errors.As(context.Cause(s.actx), &idle) {
		return llm.Event{}, idle
	}
	if err == io.EOF {
		return llm.Event{}, &cutError{events: s.events}
	}
	return llm.Event{}, err
}

// decode turns one chunk (one Anthropic stream event as JSON) into an llm.Event.
func (s *stream) decode(data []byte) (llm.Event, error) {
	var ev llm.Event
	// Straight to the event's decoder: json.Unmarshal would scan every payload once more
	// to validate it before the decoder (which validates it itself) runs.
	if err := ev.UnmarshalJSON(data); err != nil {
		return llm.Event{}, &badEventError{err: err}
	}
	switch ev.Type {
	case llm.EventMessageStart:
		if ev.Message != nil {
			s.billed = ev.Message.Usage
		}
	case llm.EventMessageDelta:
		if ev.Usage != nil && ev.Usage.OutputTokens > s.billed.OutputTokens {
			s.billed.OutputTokens = ev.Usage.OutputTokens // cumulative: the latest count is the total
		}
	case llm.EventError:
		return llm.Event{}, streamEventError(ev.Error)
	case llm.EventMessageStop:
		s.done = true
		s.closeAttempt()
	}
	return ev, nil
}

// restart sends the request again after a mid-stream failure, if the failure is transient
// and the budget allows; the observer sees a NoticeRestart while it waits. It returns what
// the abandoned attempt was billed. On failure the attempt's usage stays in the events the
// reader already has.
func (s *stream) restart(cause error) (llm.Usage, error) {
	f := classify(cause)
	if f.class == classCredentials || f.class == classOnDemand || !f.retryable() {
		return llm.Usage{}, f.toError(s.call.s, s.call.model, s.call.region, s.call.failed+1)
	}
	if err := s.call.wait(s.ctx, f, llm.NoticeRestart); err != nil {
		return llm.Usage{}, err
	}
	billed := s.billed
	s.billed = llm.Usage{}
	return billed, s.open()
}

// closeAttempt ends the current HTTP exchange at once.
func (s *stream) closeAttempt() {
	if s.body == nil {
		return
	}
	s.cancel(context.Canceled)
	s.body.Close()
	s.body, s.frames = nil, nil
}

// Close releases the stream; Recv fails afterwards.
func (s *stream) Close() error {
	s.closeAttempt()
	if s.err == nil && !s.done {
		s.err = errors.New("bedrock: stream closed")
	}
	return nil
}

// badEventError is a chunk that is not an Anthropic event.
type badEventError struct{ err error }

func (e *badEventError) Error() string {
	return "Bedrock sent a stream chunk that is not JSON: " + e.err.Error()
}
func (e *badEventError) Unwrap() error { return e.err }

// streamEventError turns an Anthropic "error" event (overloaded_error, api_error, …) into an
// API-style error the classifier understands.
func streamEventError(se *llm.StreamError) error {
	if se == nil {
		return &eventError{code: "api_error", msg: "an error event without details"}
	}
	return &eventError{code: se.Type, msg: se.Message}
}

type eventError struct{ code, msg string }

func (e *eventError) Error() string        { return fmt.Sprintf("%s: %s", e.code, e.msg) }
func (e *eventError) ErrorCode() string    { return e.code }
func (e *eventError) ErrorMessage() string { return e.msg }
func (e *eventError) ErrorFault() smithy.ErrorFault {
	return smithy.FaultServer
}

package agent

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/strata-agent/strata/internal/llm"
)

// readStream sends req and feeds every event of the answer to acc, then to each (nil for
// none). It returns when the stream ends; a failure part-way leaves in acc what had arrived.
func readStream(ctx context.Context, client llm.Client, req *llm.Request, acc *llm.Accumulator, each func(llm.Event)) error {
	stream, err := client.Stream(ctx, req)
	if err != nil {
		return err
	}
	defer stream.Close()
	for {
		ev, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := acc.Add(ev); err != nil {
			return fmt.Errorf("reading the model's answer: %w", err)
		}
		if each != nil && ev.Type != llm.EventRestart { // the Accumulator counted it; the message_start that follows resets displays
			each(ev)
		}
	}
}

// collect sends a request and reads the whole answer. billed is every token the provider
// billed for it, restarted attempts and an answer cut by a failure included: callers count it
// whether or not err is nil.
func collect(ctx context.Context, client llm.Client, req *llm.Request) (resp *llm.Response, billed llm.Usage, err error) {
	var acc llm.Accumulator
	err = readStream(ctx, client, req, &acc, nil)
	billed = acc.Billed()
	if err != nil {
		return nil, billed, err
	}
	if !acc.Started() {
		return nil, billed, errors.New("the model's answer ended before it began")
	}
	return acc.Response(), billed, nil
}

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
		if each != nil {
			each(ev)
		}
	}
}

// collect sends a request and reads the whole answer.
func collect(ctx context.Context, client llm.Client, req *llm.Request) (*llm.Response, error) {
	var acc llm.Accumulator
	if err := readStream(ctx, client, req, &acc, nil); err != nil {
		return nil, err
	}
	if !acc.Started() {
		return nil, errors.New("the model's answer ended before it began")
	}
	return acc.Response(), nil
}

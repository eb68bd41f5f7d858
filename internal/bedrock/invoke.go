package bedrock

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"

	"github.com/strata-agent/strata/internal/llm"
)

// Invoke sends req with InvokeModel and returns the whole answer: for short one-shot questions
// to the small/fast model, where streaming buys nothing. Retries, refreshes and the on-demand
// recovery work as for Stream.
func (c *Client) Invoke(ctx context.Context, req *llm.Request) (*llm.Response, error) {
	cl, err := c.newCall(ctx, req)
	if err != nil {
		return nil, err
	}
	var resp *llm.Response
	err = cl.run(ctx, func(ctx context.Context, st *awsState) error {
		limit := c.s.cfg.RequestTimeout
		actx, cancel := context.WithTimeoutCause(ctx, limit, &idleError{after: limit.String()})
		defer cancel()
		out, err := st.runtime[cl.region].InvokeModel(actx, &bedrockruntime.InvokeModelInput{
			ModelId: aws.String(cl.model), Body: cl.body,
			ContentType: aws.String("application/json"), Accept: aws.String("application/json"),
		})
		if err != nil {
			var idle *idleError
			if cause := context.Cause(actx); errors.As(cause, &idle) {
				return idle
			}
			return err
		}
		var r llm.Response
		if err := json.Unmarshal(out.Body, &r); err != nil {
			return &badEventError{err: err}
		}
		resp = &r
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

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
	if req == nil {
		return nil, errors.New("bedrock: nil request")
	}
	cl, err := c.newCall(ctx, nonStreaming(req, c.s.cfg.MaxOutputTokens))
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

const (
	// maxNonStreamingTokens: above this max_tokens, Anthropic models require streaming.
	maxNonStreamingTokens = 21333
	// defaultInvokeTokens is max_tokens for a one-shot question that sets none.
	defaultInvokeTokens = 4096
)

// nonStreaming returns req with a max_tokens a non-streaming call may use.
func nonStreaming(req *llm.Request, configured int) *llm.Request {
	r := *req
	if r.MaxTokens <= 0 {
		r.MaxTokens = configured
	}
	if r.MaxTokens <= 0 {
		r.MaxTokens = defaultInvokeTokens
	}
	r.MaxTokens = min(r.MaxTokens, maxNonStreamingTokens)
	return &r
}

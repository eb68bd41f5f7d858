package bedrock

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/models"
)

// backoff computes retry waits: base, doubling with each failed attempt, capped at max, with
// jitter so that clients throttled together do not retry together.
type backoff struct {
	base, max time.Duration
}

func newBackoff(base, max time.Duration) backoff {
	if base <= 0 {
		base = 500 * time.Millisecond
	}
	if max <= 0 {
		max = 20 * time.Second
	}
	return backoff{base: base, max: max}
}

// delay is the wait after the n-th failed attempt (1-based): a random point in the upper half
// of min(base·2^(n-1), max).
func (b backoff) delay(n int) time.Duration {
	d := b.max
	if n <= 31 {
		if exp := b.base << (n - 1); exp > 0 && exp < b.max {
			d = exp
		}
	}
	return d/2 + rand.N(d/2+1)
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// call is one logical request, through all its attempts: the body, where it goes, and what
// has been spent on it (failed attempts, its one credential refresh, its one switch from a
// base model ID to an inference profile, the models it moved away from).
type call struct {
	s      *shared
	small  bool
	model  string // the ID sent; may become an inference profile or a fallback model
	region string
	body   []byte

	req    *llm.Request // what the body is built from, rebuilt when the model changes
	origin string       // the model the caller asked for (aliases resolved, no [1m] suffix)
	oneM   bool         // the caller asked for the 1M-token context window
	choice Choice       // how origin was chosen: only defaults and aliases may be replaced
	role   models.Role

	failed    int  // attempts that failed transiently
	refreshed bool // this request already caused (or waited for) a credential refresh
	reloaded  bool // this request already reloaded the AWS configuration (no refresh command)
	recovered string
	resolving *resolution // set once a default or alias model was refused
}

// use makes id the model of the call and builds the body for it.
func (cl *call) use(ctx context.Context, id string) error {
	info := cl.s.modelInfo(ctx, cl.region, id)
	info.oneM = info.oneM || cl.oneM
	body, warnings, err := buildBody(cl.req, info, cl.s.cfg)
	if err != nil {
		return err
	}
	for _, w := range warnings {
		cl.s.warnOnce(ctx, w)
	}
	cl.model, cl.body = info.id, body
	return nil
}

// maxAttempts is the whole budget: the first attempt plus CLAUDE_CODE_MAX_RETRIES.
func (cl *call) maxAttempts() int { return cl.s.cfg.MaxRetries + 1 }

// run calls send until it succeeds or a failure is final, following BEDROCK.md's table.
func (cl *call) run(ctx context.Context, send func(context.Context, *awsState) error) error {
	// A request from a caller that marks no turns is a turn of its own: a credential command
	// that failed for it is not run again for its next attempt.
	ctx = llm.WithTurn(ctx)
	for {
		// The generation is read first: a refresh landing between the two reads then makes
		// this request retry rather than start a second refresh.
		gen := cl.s.refresher.generation()
		st := cl.s.current()
		err := cl.s.checkCredentials(ctx, st)
		if err == nil {
			err = send(ctx, st)
		}
		if err == nil {
			cl.succeeded(ctx)
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err := cl.recover(ctx, classify(err), gen, llm.NoticeRetry); err != nil {
			return err
		}
	}
}

// recover decides what happens after a failed attempt: nil means try again (after waiting,
// refreshing or switching model), an error ends the request.
func (cl *call) recover(ctx context.Context, f failure, gen uint64, notice llm.NoticeKind) error {
	switch {
	case cl.s.opts.NoRecovery:
		return cl.finalError(f)
	case f.class == classCredentials:
		return cl.refresh(ctx, f, gen)
	case f.class == classOnDemand && cl.recovered == "":
		return cl.useProfile(ctx, f)
	case (f.class == classDenied || f.class == classNotFound) && cl.choice != ChoiceExplicit:
		return cl.resolve(ctx, f)
	case f.retryable():
		return cl.wait(ctx, f, notice)
	}
	return f.toError(cl.s, cl.model, cl.region, cl.failed+1)
}

// finalError is the error of a failure that is not recovered from.
func (cl *call) finalError(f failure) error {
	if f.class == classCredentials {
		return cl.s.credentialError(f, cl.model, cl.region, nil)
	}
	return f.toError(cl.s, cl.model, cl.region, cl.failed+1)
}

// wait spends one attempt of the budget and sleeps before the next, telling the observer.
func (cl *call) wait(ctx context.Context, f failure, notice llm.NoticeKind) error {
	cl.failed++
	if cl.failed >= cl.maxAttempts() {
		return f.toError(cl.s, cl.model, cl.region, cl.failed)
	}
	d := cl.s.backoff.delay(cl.failed)
	llm.Notify(ctx, llm.Notice{Kind: notice, Attempt: cl.failed, MaxAttempts: cl.maxAttempts(),
		Delay: d, Err: f.noticeError(cl.s, cl.model, cl.region), Model: cl.model, Text: f.short(cl.s, cl.region)})
	return sleep(ctx, d)
}

// noticeError is the short error carried by a retry notice: what failed, not yet final.
func (f failure) noticeError(c *shared, model, region string) *llm.Error {
	kind := llm.ErrTransient
	if f.class == classThrottled {
		kind = llm.ErrThrottled
	}
	return &llm.Error{Kind: kind, Code: f.code, Status: f.status, Err: c.secrets.wrap(f.err),
		Message: "Bedrock request to " + model + " " + c.endpoint.where(region) + " failed: " + f.describe(c.secrets)}
}

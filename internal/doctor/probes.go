package doctor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/strata-agent/strata/internal/bedrock"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/models"
)

// maxFallbackProbes bounds the requests spent finding the model a refused default falls back to.
const maxFallbackProbes = 3

// Prompts of the probes; each says which probe it is, so that a request log (or an emulator
// script) can tell them apart.
const (
	invokePrompt = "strata doctor model check: reply with OK."
	streamPrompt = "strata doctor stream check: reply with OK."
	cachePrompt  = "strata doctor prompt-cache check: reply with OK."
)

// probeRequest is the smallest request a model answers: one token, no thinking.
func probeRequest(model, prompt string) *llm.Request {
	return &llm.Request{Model: model, MaxTokens: 1, Thinking: &llm.Thinking{Type: "disabled"},
		Messages: []llm.Message{{Role: llm.RoleUser, Content: []llm.ContentBlock{llm.TextBlock(prompt)}}}}
}

// invoke sends a 1-token InvokeModel request.
func invoke(ctx context.Context, client *bedrock.Client, model string) error {
	_, err := client.Invoke(ctx, probeRequest(model, invokePrompt))
	return err
}

// model checks the model of one client view with a 1-token request and says what Bedrock
// answered. It returns the model strata would end up using ("" when none answers): the
// configured one, or the profile or fallback strata switches to by itself.
func (r *run) model(ctx context.Context, c *Check, client *bedrock.Client, variable, source string) string {
	id, region := client.Model(), client.Region()
	label := id + " (" + source + ")"
	err := invoke(ctx, client, id)
	if err == nil {
		r.answered(c, client, label, id)
		return id
	}
	msg, fix := explain(err)
	var e *llm.Error
	errors.As(err, &e)
	code := ""
	if e != nil && e.Code != "" {
		code = fmt.Sprintf(" (%d %s)", e.Status, e.Code)
	}
	switch {
	case bedrock.NeedsProfile(err):
		return r.needsProfile(ctx, c, client, label, variable)
	case llm.KindOf(err) == llm.ErrAccessDenied:
		if fb := r.fallback(ctx, client); fb != "" {
			c.set(StatusWarn, fmt.Sprintf("%s: not granted to this account in %s%s; strata falls back to %s, which answers",
				label, region, code, fb), fmt.Sprintf("Enable %s in the Amazon Bedrock console (Model access) in %s, "+
				"or choose the fallback yourself:\n  export %s=%s", id, region, variable, fb))
			return fb
		}
		c.set(StatusFail, fmt.Sprintf("%s: not granted to this account in %s%s", label, region, code), fix)
	case llm.KindOf(err) == llm.ErrNotFound:
		c.set(StatusFail, fmt.Sprintf("%s: not offered in %s%s", label, region, code), fix)
	case llm.KindOf(err) == llm.ErrThrottled:
		c.set(StatusWarn, fmt.Sprintf("%s: throttled just now%s; access is granted, the quota is used up", label, code), fix)
		return id
	default:
		c.set(StatusFail, label+": "+msg, fix)
	}
	return ""
}

// answered reports a model that answered; for an application-profile ARN, also which model it
// runs, since thinking, limits and prices follow that model.
func (r *run) answered(c *Check, client *bedrock.Client, label, id string) {
	detail := label + ": answers in " + client.Region()
	if a, ok := models.ParseARN(id); ok && a.Kind == models.KindApplicationInferenceProfile {
		m, known := client.BaseModel(id)
		if !known {
			c.set(StatusWarn, detail+", but strata cannot tell which model it runs: thinking, limits and "+
				"prices for it are not applied", "State the model it runs:\n  export ANTHROPIC_MODEL_BASE=<base model ID, "+
				"e.g. anthropic.claude-sonnet-4-5-20250929-v1:0>")
			return
		}
		detail += "; runs " + m.Name
	}
	c.set(StatusOK, detail, "")
}

// needsProfile reports a base model ID that Bedrock does not serve on demand: strata switches
// to the matching inference profile by itself (with a warning each session), so the check
// tells which one, and whether it answers.
func (r *run) needsProfile(ctx context.Context, c *Check, client *bedrock.Client, label, variable string) string {
	region := client.Region()
	profile, how := client.FindProfile(ctx, client.Model())
	if profile == "" {
		c.set(StatusFail, label+": a base model ID that cannot be invoked on demand in "+region+
			", and no inference profile containing it was found",
			"Use an inference-profile ID or ARN; to list them:\n  aws bedrock list-inference-profiles --region "+region)
		return ""
	}
	if err := invoke(ctx, client, profile); err != nil {
		msg, fix := explain(err)
		c.set(StatusFail, label+": needs an inference profile, and "+profile+" failed too: "+msg, fix)
		return ""
	}
	c.set(StatusWarn, fmt.Sprintf("%s: a base model ID cannot be invoked on demand in %s; it needs the inference "+
		"profile %s (%s), which answers. strata switches to it at every start", label, region, profile, how),
		fmt.Sprintf("Set the inference profile yourself:\n  export %s=%s", variable, profile))
	return profile
}

// fallback is the first of a default model's fallbacks that answers, "" when none does (or the
// model was configured, which strata never replaces).
func (r *run) fallback(ctx context.Context, client *bedrock.Client) string {
	fallbacks := client.Fallbacks(ctx)
	for i, fb := range fallbacks {
		if i == maxFallbackProbes {
			break
		}
		if invoke(ctx, client, fb) == nil {
			return fb
		}
	}
	return ""
}

// stream checks that a streaming answer comes back as Bedrock's event stream: a proxy or
// gateway that rewrites it breaks every turn (B33).
func (r *run) stream(ctx context.Context, c *Check, client *bedrock.Client, model string) {
	err := drain(ctx, client, probeRequest(model, streamPrompt))
	if err == nil {
		c.set(StatusOK, "InvokeModelWithResponseStream answers with application/vnd.amazon.eventstream ("+model+")", "")
		return
	}
	msg, fix := explain(err)
	if ct, ok := bedrock.RewrittenContentType(err); ok {
		c.set(StatusFail, fmt.Sprintf("the streaming answer came back as %q instead of application/vnd.amazon.eventstream: "+
			"a proxy or gateway between strata and Bedrock rewrote it", ct), fix)
		return
	}
	if k := llm.KindOf(err); k == llm.ErrThrottled || k == llm.ErrTransient {
		// A busy quota or a passing fault says nothing about the stream's format; exiting 1
		// for it would make doctor in CI fail at random.
		c.set(StatusWarn, "InvokeModelWithResponseStream could not be checked just now: "+msg, fix)
		return
	}
	c.set(StatusFail, "InvokeModelWithResponseStream failed: "+msg, fix)
}

// drain streams a request to its end.
func drain(ctx context.Context, client *bedrock.Client, req *llm.Request) error {
	s, err := client.Stream(ctx, req)
	if err != nil {
		return err
	}
	defer s.Close()
	for {
		if _, err := s.Recv(); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
	}
}

// unknownCacheMin is the cache probe's minimum for a model the catalog cannot tell: the
// largest minimum of any Claude model on Bedrock.
const unknownCacheMin = 4096

// promptCache sends two identical requests whose system prompt is above the model's minimum
// cacheable length: the second must read it from the cache (B23, B32).
func (r *run) promptCache(ctx context.Context, c *Check, client *bedrock.Client, model string) {
	minTokens := unknownCacheMin
	if m, ok := client.BaseModel(model); ok {
		minTokens = m.CacheMinTokens
	}
	switch {
	case r.d.NoProbe:
		c.set(StatusSkip, "not probed (--no-probe)", "")
		return
	case r.cfg.DisablePromptCaching:
		c.set(StatusSkip, "off (DISABLE_PROMPT_CACHING)", "")
		return
	case minTokens == 0:
		c.set(StatusSkip, model+" has no prompt caching on Bedrock", "")
		return
	}
	req := cacheRequest(model, minTokens)
	first, err := client.Invoke(ctx, req)
	var second *llm.Response
	if err == nil {
		second, err = client.Invoke(ctx, req)
	}
	if err != nil {
		msg, fix := explain(err)
		c.set(StatusWarn, "the probe failed: "+msg, fix)
		return
	}
	if read := second.Usage.CacheReadInputTokens; read > 0 {
		c.set(StatusOK, fmt.Sprintf("the second of two identical requests read %d tokens from the cache (%s, %d written by the first)",
			read, model, first.Usage.CacheCreationInputTokens), "")
		return
	}
	c.set(StatusWarn, fmt.Sprintf("the second of two identical requests read nothing from the cache (%s)", model),
		"Prompt caching may not be available for this model in "+client.Region()+", or a gateway removes "+
			"cache_control; without it every turn pays the full input price.")
}

// cacheRequest is a 1-token request with a system prompt comfortably above minTokens (about
// six bytes per token counted, more than any tokenizer gives for this text), deterministic so
// that repeated runs read the same cache entry.
func cacheRequest(model string, minTokens int) *llm.Request {
	var b strings.Builder
	b.WriteString("strata doctor prompt-cache probe. Nothing to do here: answer with OK.\n")
	for i := 0; b.Len() < minTokens*6; i++ {
		fmt.Fprintf(&b, "Line %04d of the probe: a cached prefix is read back by the next identical request.\n", i)
	}
	req := probeRequest(model, cachePrompt)
	req.System = []llm.ContentBlock{llm.TextBlock(b.String())}
	return req
}

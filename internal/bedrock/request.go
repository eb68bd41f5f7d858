package bedrock

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/models"
)

// AnthropicVersion is the body's anthropic_version on Bedrock (B31).
const AnthropicVersion = "bedrock-2023-05-31"

const (
	minThinkingBudget = 1024
	// maxCacheBreakpoints is Bedrock's limit per request (B32).
	maxCacheBreakpoints = 4
	// unknownModelMaxTokens is the default max_tokens for a model the catalog does not know
	// (an application-inference-profile ARN): small enough for every Claude model.
	unknownModelMaxTokens = 8192
	// defaultMaxTokens caps the default for known models, whose MaxOutput can reach 128K:
	// Bedrock reserves max_tokens against the throughput quota (seed, B24).
	defaultMaxTokens = 32000
)

// wireRequest is the Invoke body: the Messages request plus Bedrock's version and betas. The
// model goes in the path and "stream" is implied by the operation, so neither is in the body.
type wireRequest struct {
	AnthropicVersion string   `json:"anthropic_version"`
	AnthropicBeta    []string `json:"anthropic_beta,omitempty"`
	*llm.Request
}

// buildBody turns req into the body Bedrock accepts for the model: limits the model can
// satisfy, the thinking shape it takes, only the betas it accepts, and cache breakpoints. It
// never changes req. The warnings say what was corrected.
func buildBody(req *llm.Request, info modelInfo, cfg *Config) (body []byte, warnings []string, err error) {
	r := *req
	b := &bodyBuilder{r: &r, info: info, cfg: cfg}
	b.maxTokens()
	b.thinking()
	b.cache()
	body, err = json.Marshal(wireRequest{AnthropicVersion, b.betas(req.Betas), &r})
	if err != nil {
		return nil, nil, fmt.Errorf("encoding the request for %s: %w", info.id, err)
	}
	return body, b.warnings, nil
}

type bodyBuilder struct {
	r        *llm.Request
	info     modelInfo
	cfg      *Config
	warnings []string
}

func (b *bodyBuilder) warn(format string, args ...any) {
	b.warnings = append(b.warnings, fmt.Sprintf(format, args...))
}

// maxTokens: the request's value, else CLAUDE_CODE_MAX_OUTPUT_TOKENS, else a default; never
// more than the model allows.
func (b *bodyBuilder) maxTokens() {
	n := b.r.MaxTokens
	if n <= 0 {
		n = b.cfg.MaxOutputTokens
	}
	if n <= 0 {
		n = unknownModelMaxTokens
		if b.info.known {
			n = min(b.info.model.MaxOutput, defaultMaxTokens)
		}
	}
	if b.info.known && n > b.info.model.MaxOutput {
		b.warn("max_tokens %d is more than %s allows; using %d.", n, b.info.id, b.info.model.MaxOutput)
		n = b.info.model.MaxOutput
	}
	b.r.MaxTokens = n
}

// wantedThinking is the thinking the caller asked for: the request's, else MAX_THINKING_TOKENS.
// MAX_THINKING_TOKENS=0 turns thinking off (B24). nil means none.
func (b *bodyBuilder) wantedThinking() *llm.Thinking {
	t := b.r.Thinking
	if t == nil && b.cfg.MaxThinkingTokens > 0 {
		t = &llm.Thinking{Type: "enabled", BudgetTokens: b.cfg.MaxThinkingTokens}
	}
	if t == nil || t.Type == "disabled" || b.cfg.MaxThinkingTokens == 0 {
		return nil
	}
	return t
}

// thinking shapes the thinking request to what the model takes (B24, B31).
func (b *bodyBuilder) thinking() {
	want := b.wantedThinking()
	mode := models.ThinkingBudget
	if b.info.known {
		mode = b.info.model.Thinking
	} else if want != nil && want.Type == "adaptive" {
		mode = models.ThinkingAdaptive // unknown model: trust the caller
	}
	required := b.info.known && b.info.model.ThinkingRequired
	auto := want != nil && want.Type == llm.ThinkingDefault
	if auto && (!b.info.known || b.forcedTool()) {
		want = nil // the default thinks only where it is known to work, and never in the way
	}
	if (want != nil || required) && b.forcedTool() {
		// Thinking cannot be combined with a forced tool choice: drop thinking where the model
		// allows it, else relax the tool choice.
		if required {
			b.warn("%s always thinks, which rules out forcing a tool; letting the model choose instead.", b.info.id)
			b.r.ToolChoice = json.RawMessage(`{"type":"auto"}`)
		} else {
			b.warn("Extended thinking cannot be combined with a forced tool choice; sending this request without thinking.")
			want = nil
		}
	}
	b.r.Thinking = nil
	switch mode {
	case models.ThinkingNone:
		if want != nil && !auto {
			b.warn("%s has no extended thinking; sending the request without it.", b.info.id)
		}
		b.r.OutputConfig = nil
	case models.ThinkingAdaptive:
		b.adaptive(want != nil || required)
	case models.ThinkingBudget:
		if b.info.known {
			b.r.OutputConfig = nil // effort belongs to adaptive models ("Extra inputs are not permitted")
		}
		if want != nil {
			b.budget(want)
		}
	}
	if b.r.Thinking != nil {
		b.r.Temperature = nil // thinking rejects non-default sampling
	}
}

func (b *bodyBuilder) adaptive(on bool) {
	if !on {
		b.r.OutputConfig = nil
		return
	}
	b.r.Thinking = &llm.Thinking{Type: "adaptive"}
	effort := b.info.model.DefaultEffort
	if b.r.OutputConfig != nil && b.r.OutputConfig.Effort != "" {
		effort = b.r.OutputConfig.Effort
	}
	b.r.OutputConfig = nil
	if effort != "" {
		b.r.OutputConfig = &llm.OutputConfig{Effort: effort}
	}
}

// forcedTool reports a tool_choice that forces tool use.
func (b *bodyBuilder) forcedTool() bool {
	var tc struct{ Type string }
	if len(b.r.ToolChoice) == 0 || json.Unmarshal(b.r.ToolChoice, &tc) != nil {
		return false
	}
	return tc.Type == "any" || tc.Type == "tool"
}

// budget sets {"type":"enabled","budget_tokens":N} with 1024 ≤ N < max_tokens, lowering the
// budget (never raising max_tokens, which counts against the quota) or, when max_tokens has
// no room for the minimum, leaving thinking off.
func (b *bodyBuilder) budget(want *llm.Thinking) {
	n, maxTokens := want.BudgetTokens, b.r.MaxTokens
	if want.Type == llm.ThinkingDefault {
		if maxTokens > minThinkingBudget { // as Claude Code: all of max_tokens but one
			b.r.Thinking = &llm.Thinking{Type: "enabled", BudgetTokens: maxTokens - 1}
		}
		return
	}
	if n <= 0 {
		n = max(minThinkingBudget, maxTokens/2)
	}
	switch {
	case maxTokens <= minThinkingBudget:
		b.warn("Thinking needs max_tokens above %d, and it is %d; sending the request without thinking.",
			minThinkingBudget, maxTokens)
		return
	case n < minThinkingBudget:
		b.warn("A thinking budget of %d is below Bedrock's minimum; using %d.", n, minThinkingBudget)
		n = minThinkingBudget
	case n >= maxTokens:
		fixed := max(minThinkingBudget, maxTokens/2)
		b.warn("A thinking budget of %d does not fit under max_tokens %d; using %d "+
			"(raise CLAUDE_CODE_MAX_OUTPUT_TOKENS to think more).", n, maxTokens, fixed)
		n = fixed
	}
	b.r.Thinking = &llm.Thinking{Type: "enabled", BudgetTokens: n}
}

// betas keeps the wanted betas the model accepts, adding the ones strata's own choices need.
// For a model the catalog does not know, none are sent: an unknown beta is a 400.
func (b *bodyBuilder) betas(wanted []string) []string {
	if !b.info.known {
		return nil
	}
	want := slices.Clone(wanted)
	if b.info.oneM {
		want = append(want, models.BetaContext1M)
	}
	if b.r.Thinking != nil && b.r.Thinking.Type == "enabled" {
		want = append(want, models.BetaInterleavedThinking)
	}
	var out []string
	for _, beta := range want {
		if b.info.model.AcceptsBeta(beta) && !slices.Contains(out, beta) {
			out = append(out, beta)
		}
	}
	return out
}

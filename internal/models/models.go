// Package models is strata's catalog of Claude models on Amazon Bedrock: their IDs, families,
// limits, thinking modes, accepted betas, prompt-cache minimums, inference-profile
// geographies, prices and retirement dates, plus the rules built on it (model IDs and ARNs
// understood, role defaults, the sonnet/opus/haiku aliases, successors of retired models and
// cost estimates).
//
// The facts live in one table (catalog.go) so that changing a default or a price is a one-line
// edit. Where the sources disagree or are weak, the entry carries a comment with the source key
// of /work/shared/notes/bedrock-models.md. The package has no state: every function reads the
// table afresh.
package models

import "time"

// Role is the job a model is chosen for.
type Role int

const (
	// RoleMain is the model that runs the conversation (B21: Sonnet family by default).
	RoleMain Role = iota
	// RoleSmallFast is the model for quick side tasks such as titles, WebFetch answers and
	// compaction summaries (B21: Haiku family by default).
	RoleSmallFast
)

// String names the role the way the configuration does.
func (r Role) String() string {
	switch r {
	case RoleMain:
		return "main"
	case RoleSmallFast:
		return "small/fast"
	}
	return "unknown role"
}

// ThinkingMode is the kind of `thinking` object a model accepts in the request body.
type ThinkingMode int

const (
	// ThinkingNone: the model has no extended thinking; send no `thinking` key.
	ThinkingNone ThinkingMode = iota
	// ThinkingBudget: `{"type":"enabled","budget_tokens":N}` (N ≥ 1024 and < max_tokens).
	ThinkingBudget
	// ThinkingAdaptive: `{"type":"adaptive"}` with an optional `output_config.effort`; the
	// model decides how much to think.
	ThinkingAdaptive
)

// String names the mode as it appears in `thinking.type`.
func (t ThinkingMode) String() string {
	switch t {
	case ThinkingNone:
		return "none"
	case ThinkingBudget:
		return "enabled"
	case ThinkingAdaptive:
		return "adaptive"
	}
	return "unknown thinking mode"
}

// Families of the catalog. Aliases exist for the first three.
const (
	FamilySonnet = "sonnet"
	FamilyOpus   = "opus"
	FamilyHaiku  = "haiku"
	FamilyFable  = "fable"
)

// Beta flags that may appear in Model.Betas. Bedrock answers 400 "invalid beta flag" to any
// beta a model does not accept, so only these are ever listed.
const (
	BetaInterleavedThinking = "interleaved-thinking-2025-05-14"
	BetaContext1M           = "context-1m-2025-08-07"
)

// Price is a model's price in USD per million tokens. A zero cache price means the model
// does not offer that kind of caching on Bedrock.
type Price struct {
	Input, Output, CacheWrite5m, CacheWrite1h, CacheRead float64
}

// Usage is the token accounting of one response, as Bedrock reports it in `usage`.
type Usage struct {
	InputTokens, OutputTokens, CacheCreationInputTokens, CacheReadInputTokens int
}

// Cost prices u. Cache writes are priced at the 5-minute rate, strata's default TTL (the
// `usage` object does not say which TTL a write used); see Cost1h.
func (p Price) Cost(u Usage) float64 {
	return p.cost(u, p.CacheWrite5m)
}

// Cost1h prices u with cache writes at the 1-hour rate, for requests whose breakpoints ask
// for the 1-hour TTL (ENABLE_PROMPT_CACHING_1H). A model without a 1-hour price is priced
// at its 5-minute rate.
func (p Price) Cost1h(u Usage) float64 {
	if p.CacheWrite1h == 0 {
		return p.Cost(u)
	}
	return p.cost(u, p.CacheWrite1h)
}

func (p Price) cost(u Usage, write float64) float64 {
	const perToken = 1e-6
	return perToken * (float64(u.InputTokens)*p.Input +
		float64(u.OutputTokens)*p.Output +
		float64(u.CacheCreationInputTokens)*write +
		float64(u.CacheReadInputTokens)*p.CacheRead)
}

// Model is one catalog entry.
type Model struct {
	// BaseID is the foundation-model ID, e.g. anthropic.claude-sonnet-4-5-20250929-v1:0.
	BaseID string
	// Name is the human-readable name, e.g. "Claude Sonnet 4.5".
	Name string
	// Family is one of the Family constants.
	Family string
	// Generation orders models within a family, larger is newer: 100×major + 10×minor +
	// revision (350 for 3.5 Sonnet, 351 for its v2, 450 for 4.5).
	Generation int
	// ContextWindow is the input window in tokens without any beta.
	ContextWindow int
	// MaxOutput is the largest `max_tokens` the model accepts.
	MaxOutput int
	// Thinking is the `thinking` shape the model takes.
	Thinking ThinkingMode
	// DefaultEffort is the effort adaptive models use when none is sent ("" unless adaptive).
	DefaultEffort string
	// ThinkingRequired means thinking cannot be turned off: sending `disabled` or a budget is a
	// 400, and so are non-default sampling parameters.
	ThinkingRequired bool
	// Betas are the `anthropic_beta` values Bedrock's Invoke API accepts for this model. It is
	// an allow-list: a request sends a beta only when it needs it and it is listed here.
	Betas []string
	// CacheMinTokens is the smallest prefix a cache breakpoint can cache; 0 means the model
	// has no prompt caching on Bedrock and requests must carry no `cache_control`.
	CacheMinTokens int
	// Geos are the inference-profile prefixes that exist for the model (global, us, eu, apac,
	// jp, au, us-gov), as far as the sources confirm them.
	Geos []string
	// NeedsProfile means the base ID is refused for on-demand use ("…with on-demand throughput
	// isn't supported…"): an inference-profile ID or ARN is needed.
	NeedsProfile bool
	// Global is the price through a `global.` profile; Regional through an in-region or geo
	// profile (about 10% more for the 4.5 generation and later).
	Global, Regional Price
	// GovCloud is the `us-gov.` price when it differs from Regional; zero means Regional.
	GovCloud Price
	// Retired is the Bedrock end-of-life date (from that day on the ID is refused); zero means
	// no date is known.
	Retired time.Time
}

// ProfileID is the inference-profile ID of the model in geography geo ("us" gives
// us.anthropic…); an empty geo gives the base ID.
func (m Model) ProfileID(geo string) string {
	if geo == "" {
		return m.BaseID
	}
	return geo + "." + m.BaseID
}

// IsRetired reports whether Bedrock no longer serves the model at now.
func (m Model) IsRetired(now time.Time) bool {
	return !m.Retired.IsZero() && !now.Before(m.Retired)
}

// Active reports whether Bedrock still serves the model at now.
func (m Model) Active(now time.Time) bool { return !m.IsRetired(now) }

// HasGeo reports whether an inference profile with prefix geo exists for the model.
func (m Model) HasGeo(geo string) bool {
	for _, g := range m.Geos {
		if g == geo {
			return true
		}
	}
	return false
}

// AcceptsBeta reports whether beta may be sent to the model.
func (m Model) AcceptsBeta(beta string) bool {
	for _, b := range m.Betas {
		if b == beta {
			return true
		}
	}
	return false
}

// Window is the usable input window: 1M tokens when oneM is asked for (a `[1m]` model ID)
// and the model takes the 1M-context beta, ContextWindow otherwise.
func (m Model) Window(oneM bool) int {
	if oneM && m.AcceptsBeta(BetaContext1M) {
		return 1_000_000
	}
	return m.ContextWindow
}

// PriceForGeo is the price of calls through the profile prefix geo ("" for the base ID).
func (m Model) PriceForGeo(geo string) Price {
	switch geo {
	case "", "global":
		// Base-ID prices equal the global ones (notes §intro); for models before 4.5 the
		// global and regional prices are the same anyway.
		return m.Global
	case "us-gov":
		if m.GovCloud != (Price{}) {
			return m.GovCloud
		}
	}
	return m.Regional
}

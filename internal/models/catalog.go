package models

import (
	"slices"
	"time"
)

// Source keys in the comments ([LL], [ABR], [AWS-PC], …) refer to §10 of
// /work/shared/notes/bedrock-models.md. "unverified" marks a value taken from one weak source
// or inferred; "⚠" marks sources that disagree, with the value chosen and why.

// roleDefaults lists, per role, the base IDs tried in order: the first active one reachable
// from the region is the default, the rest are fallbacks when the default is not granted.
//
// Why a list and not "the newest of the family": B21 fixes today's defaults to the ones the
// reference CLI uses (Sonnet 4.5, Haiku 4.5), although newer Sonnets exist. Those stay first;
// they are followed by the rest of the family, newest first, so that a retirement or a missing
// grant moves to the most capable model that is still served. The seed's own defaults (3.7
// Sonnet, 3.5 Haiku) stay at the end and drop out by their retirement dates.
func roleDefaults(r Role) []string {
	switch r {
	case RoleMain:
		return []string{
			"anthropic.claude-sonnet-4-5-20250929-v1:0", // B21: the reference CLI's default today
			"anthropic.claude-sonnet-5-5",
			"anthropic.claude-sonnet-5",
			"anthropic.claude-sonnet-4-6",
			"anthropic.claude-sonnet-4-20250514-v1:0",
			"anthropic.claude-3-7-sonnet-20250219-v1:0", // the seed's default; retired 2026-04-28
		}
	case RoleSmallFast:
		return []string{
			"anthropic.claude-haiku-4-5-20251001-v1:0", // B21: the reference CLI's default today
			"anthropic.claude-haiku-5-5",
			"anthropic.claude-3-5-haiku-20241022-v1:0", // the seed's default; retired 2026-06-19
			"anthropic.claude-3-haiku-20240307-v1:0",
		}
	}
	return nil
}

// table is the catalog, built once when the program starts (microseconds); nothing writes
// to it. Lookup and the role lists walk it for every model a request names, so building it
// anew for each of them cost milliseconds per start. What leaves the package is a copy
// (Model.own).
var table = catalog()

// own returns m with its slices copied, so a caller may keep or change what it gets without
// touching the table.
func (m Model) own() Model {
	m.Betas, m.Geos = slices.Clone(m.Betas), slices.Clone(m.Geos)
	return m
}

// catalog builds the table; All hands out a fresh one, so callers may keep or change it.
func catalog() []Model {
	return []Model{
		// ── Haiku ───────────────────────────────────────────────────────────────────────
		{
			BaseID: "anthropic.claude-3-haiku-20240307-v1:0", Name: "Claude 3 Haiku",
			Family: FamilyHaiku, Generation: 300,
			ContextWindow: 200_000, MaxOutput: 4096, Thinking: ThinkingNone,
			CacheMinTokens: 0,                            // not in the AWS caching list [AWS-PC]
			Geos:           []string{"us", "eu", "apac"}, // [ABR-old]
			NeedsProfile:   false,                        // unverified (notes §1: 3.x on-demand)
			Global:         price(0.25, 1.25, 0, 0, 0), Regional: price(0.25, 1.25, 0, 0, 0),
			Retired: day(2026, 9, 10), // [AWSL-LC], secondary
		},
		{
			BaseID: "anthropic.claude-3-5-haiku-20241022-v1:0", Name: "Claude 3.5 Haiku",
			Family: FamilyHaiku, Generation: 350,
			ContextWindow: 200_000, MaxOutput: 8192, Thinking: ThinkingNone,
			CacheMinTokens: 2048, // [LL] only; not in the Sep-2026 AWS list
			Geos:           []string{"us"},
			NeedsProfile:   false, // unverified
			Global:         price(0.80, 4, 1, 0, 0.08), Regional: price(0.80, 4, 1, 0, 0.08),
			Retired: day(2026, 6, 19), // [AWSL-LC-old]
		},
		{
			BaseID: "anthropic.claude-haiku-4-5-20251001-v1:0", Name: "Claude Haiku 4.5",
			Family: FamilyHaiku, Generation: 450,
			ContextWindow: 200_000, MaxOutput: 64_000, Thinking: ThinkingBudget,
			Betas:          []string{BetaInterleavedThinking}, // [LL-PR19877]; per-model unverified
			CacheMinTokens: 4096,                              // [AWS-PC]
			// jp and apac profiles appear only in [LL]; left out so defaults use global instead.
			Geos:         []string{"global", "us", "eu", "au"},
			NeedsProfile: true, // [MNT]
			Global:       price(1, 5, 1.25, 2, 0.10), Regional: price(1.10, 5.50, 1.375, 2.20, 0.11),
			// Retirement: "not sooner than 2026-10-15" [AMO-10b]; no Bedrock date found.
		},
		{
			BaseID: "anthropic.claude-haiku-5-5", Name: "Claude Haiku 5.5",
			Family: FamilyHaiku, Generation: 550,
			ContextWindow: 1_000_000, MaxOutput: 128_000,
			Thinking: ThinkingAdaptive, DefaultEffort: "medium", // [AMO-10]
			CacheMinTokens: 1024, // unverified: no Bedrock figure
			// us [VAI]; eu/au/jp from a secondary source; global and us-gov unverified.
			Geos:         []string{"us", "eu", "au", "jp"},
			NeedsProfile: true, // unverified; every 4.5+ model so far is profile-only
			// Anthropic list price ≤100K prompt [A-H55]; Bedrock price unverified, regional
			// assumed +10% as for every 4.5+ model [ABR].
			Global:   price(0.10, 0.50, 0.125, 0.20, 0.01),
			Regional: price(0.11, 0.55, 0.1375, 0.22, 0.011),
		},

		// ── Sonnet ──────────────────────────────────────────────────────────────────────
		{
			BaseID: "anthropic.claude-3-sonnet-20240229-v1:0", Name: "Claude 3 Sonnet",
			Family: FamilySonnet, Generation: 300,
			ContextWindow: 200_000, MaxOutput: 4096, Thinking: ThinkingNone,
			Geos:   []string{"us"}, // unverified
			Global: price(3, 15, 0, 0, 0), Regional: price(3, 15, 0, 0, 0),
			Retired: day(2026, 7, 30), // [AWSL-LC]
		},
		{
			BaseID: "anthropic.claude-3-5-sonnet-20240620-v1:0", Name: "Claude 3.5 Sonnet",
			Family: FamilySonnet, Generation: 350,
			ContextWindow: 200_000, MaxOutput: 4096, Thinking: ThinkingNone,
			Geos:   []string{"us", "eu", "apac"}, // [LL]
			Global: price(3, 15, 0, 0, 0), Regional: price(3, 15, 0, 0, 0),
			Retired: day(2026, 7, 30), // ⚠ [AWSL-LC] 2026-07-30 vs [EDU] 2026-03-01: the later one
		},
		{
			BaseID: "anthropic.claude-3-5-sonnet-20241022-v2:0", Name: "Claude 3.5 Sonnet v2",
			Family: FamilySonnet, Generation: 351,
			ContextWindow: 200_000, MaxOutput: 8192, Thinking: ThinkingNone,
			CacheMinTokens: 1024,           // preview, 5m only [AWS-PC]
			Geos:           []string{"us"}, // eu/apac only in [LL]
			Global:         price(3, 15, 3.75, 0, 0.30), Regional: price(3, 15, 3.75, 0, 0.30),
			Retired: day(2026, 7, 30), // ⚠ same conflict as 3.5 Sonnet
		},
		{
			BaseID: "anthropic.claude-3-7-sonnet-20250219-v1:0", Name: "Claude 3.7 Sonnet",
			Family: FamilySonnet, Generation: 370,
			// 64k/128k output with thinking or the output-128k beta is unverified on Bedrock.
			ContextWindow: 200_000, MaxOutput: 8192, Thinking: ThinkingBudget,
			CacheMinTokens: 1024, // 5m only [AWS-PC]
			Geos:           []string{"us", "eu", "apac"},
			NeedsProfile:   true, // unverified; moot since its retirement
			Global:         price(3, 15, 3.75, 0, 0.30), Regional: price(3, 15, 3.75, 0, 0.30),
			Retired: day(2026, 4, 28), // [AWSL-LC-old], [BL]
		},
		{
			BaseID: "anthropic.claude-sonnet-4-20250514-v1:0", Name: "Claude Sonnet 4",
			Family: FamilySonnet, Generation: 400,
			ContextWindow: 200_000, MaxOutput: 64_000, Thinking: ThinkingBudget,
			Betas:          []string{BetaInterleavedThinking, BetaContext1M}, // [ABR-es], [I-LL14444]
			CacheMinTokens: 1024,                                             // unverified: in neither AWS table
			Geos:           []string{"global", "us", "eu", "apac"},
			NeedsProfile:   true,
			// Above 200k input the price doubles (6 / 22.50); Cost does not model that tier.
			Global: price(3, 15, 3.75, 0, 0.30), Regional: price(3, 15, 3.75, 0, 0.30),
			Retired: day(2026, 10, 14), // [AWSL-LC], secondary
		},
		{
			BaseID: "anthropic.claude-sonnet-4-5-20250929-v1:0", Name: "Claude Sonnet 4.5",
			Family: FamilySonnet, Generation: 450,
			ContextWindow: 200_000, MaxOutput: 64_000, Thinking: ThinkingBudget,
			// Interleaved: the reference CLI sends it [CCW]. 1M beta: ⚠ older docs [ABR-es] and
			// [AWS-ST] say yes, late-2026 [ABR] lists 200k only; kept because [AWS-ST] is AWS.
			Betas:          []string{BetaInterleavedThinking, BetaContext1M},
			CacheMinTokens: 1024, // ⚠ Sep-2026 [AWS-PC] 1,024 vs May-2026 4,096: the newer one
			Geos:           []string{"global", "us", "eu", "jp", "au", "us-gov"},
			NeedsProfile:   true, // [ABR]
			Global:         price(3, 15, 3.75, 6, 0.30),
			Regional:       price(3.30, 16.50, 4.125, 6.60, 0.33),
			GovCloud:       price(3.60, 18, 4.50, 7.20, 0.36), // [LL]
		},
		{
			BaseID: "anthropic.claude-sonnet-4-6", Name: "Claude Sonnet 4.6",
			Family: FamilySonnet, Generation: 460,
			// ⚠ max output 64k [AMO-02], [LL] vs 128K [AMO-09]: the lower one, because asking for
			// more than a model allows is a 400 and asking for less is harmless.
			ContextWindow: 1_000_000, MaxOutput: 64_000,
			Thinking: ThinkingAdaptive, DefaultEffort: "high", // effort default unverified
			CacheMinTokens: 1024,
			Geos:           []string{"global", "us", "eu", "jp", "au"},
			NeedsProfile:   true,
			Global:         price(3, 15, 3.75, 6, 0.30),
			Regional:       price(3.30, 16.50, 4.125, 6.60, 0.33),
		},
		{
			BaseID: "anthropic.claude-sonnet-5", Name: "Claude Sonnet 5",
			Family: FamilySonnet, Generation: 500,
			ContextWindow: 1_000_000, MaxOutput: 128_000,
			Thinking: ThinkingAdaptive, DefaultEffort: "high", ThinkingRequired: true, // [AWSL-J], [AMO-09]
			CacheMinTokens: 1024,
			Geos:           []string{"global", "us", "eu", "au", "jp"},
			NeedsProfile:   true, // [AWSL-J]
			// ⚠ [AWSL-PC] calls $2/$10 introductory until 2026-08-31; Sep/Oct lists still show it.
			Global:   price(2, 10, 2.50, 4, 0.20),
			Regional: price(2.20, 11, 2.75, 4.40, 0.22),
		},
		{
			BaseID: "anthropic.claude-sonnet-5-5", Name: "Claude Sonnet 5.5",
			Family: FamilySonnet, Generation: 550,
			ContextWindow: 1_000_000, MaxOutput: 128_000,
			Thinking: ThinkingAdaptive, DefaultEffort: "high", // [AMO-10]
			CacheMinTokens: 512,                      // unverified (one AWS-derived fixture)
			Geos:           []string{"global", "us"}, // eu/au/jp unverified
			NeedsProfile:   true,
			// [PL]; 1h write derived as 2× input (unverified).
			Global:   price(2, 10, 2.50, 4, 0.20),
			Regional: price(2.20, 11, 2.75, 4.40, 0.22),
		},

		// ── Opus ────────────────────────────────────────────────────────────────────────
		{
			BaseID: "anthropic.claude-3-opus-20240229-v1:0", Name: "Claude 3 Opus",
			Family: FamilyOpus, Generation: 300,
			ContextWindow: 200_000, MaxOutput: 4096, Thinking: ThinkingNone,
			Geos:   []string{"us"}, // [ABR-es]
			Global: price(15, 75, 0, 0, 0), Regional: price(15, 75, 0, 0, 0),
			// Bedrock end-of-life date not found (notes §9.1).
		},
		{
			BaseID: "anthropic.claude-opus-4-20250514-v1:0", Name: "Claude Opus 4",
			Family: FamilyOpus, Generation: 400,
			ContextWindow: 200_000, MaxOutput: 32_000, Thinking: ThinkingBudget,
			Betas:          []string{BetaInterleavedThinking},
			CacheMinTokens: 1024, // [AWS-PC-old]
			Geos:           []string{"us"},
			NeedsProfile:   true,
			Global:         price(15, 75, 18.75, 0, 1.50), Regional: price(15, 75, 18.75, 0, 1.50),
			Retired: day(2026, 5, 31), // [AWSL-LC-old]
		},
		{
			BaseID: "anthropic.claude-opus-4-1-20250805-v1:0", Name: "Claude Opus 4.1",
			Family: FamilyOpus, Generation: 410,
			ContextWindow: 200_000, MaxOutput: 32_000, Thinking: ThinkingBudget,
			Betas:          []string{BetaInterleavedThinking},
			CacheMinTokens: 1024, // unverified: [LL] only
			Geos:           []string{"us"},
			NeedsProfile:   true,
			Global:         price(15, 75, 18.75, 0, 1.50), Regional: price(15, 75, 18.75, 0, 1.50),
			Retired: day(2027, 1, 8), // [AWSL-LC]
		},
		{
			BaseID: "anthropic.claude-opus-4-5-20251101-v1:0", Name: "Claude Opus 4.5",
			Family: FamilyOpus, Generation: 450,
			// Effort would need the effort-2025-11-24 beta; strata does not send it.
			ContextWindow: 200_000, MaxOutput: 64_000, Thinking: ThinkingBudget,
			Betas:          []string{BetaInterleavedThinking},
			CacheMinTokens: 4096, // [AWS-PC]
			Geos:           []string{"global", "us", "eu"},
			NeedsProfile:   true,
			Global:         price(5, 25, 6.25, 10, 0.50),
			Regional:       price(5.50, 27.50, 6.875, 11, 0.55),
		},
		{
			BaseID: "anthropic.claude-opus-4-6-v1", Name: "Claude Opus 4.6", // "-v1:0" is invalid
			Family: FamilyOpus, Generation: 460,
			ContextWindow: 1_000_000, MaxOutput: 128_000, // ⚠ Feb-2026: 200K + beta [AMO-02]
			Thinking: ThinkingAdaptive, DefaultEffort: "high", // [CCW]
			CacheMinTokens: 4096,
			Geos:           []string{"global", "us", "eu", "jp", "apac", "au"},
			NeedsProfile:   true,
			Global:         price(5, 25, 6.25, 10, 0.50),
			Regional:       price(5.50, 27.50, 6.875, 11, 0.55),
		},
		{
			BaseID: "anthropic.claude-opus-4-7", Name: "Claude Opus 4.7",
			Family: FamilyOpus, Generation: 470,
			ContextWindow: 1_000_000, MaxOutput: 128_000,
			Thinking: ThinkingAdaptive, DefaultEffort: "high", ThinkingRequired: true, // [AWS-AT]
			CacheMinTokens: 4096, // ⚠ [AWS-PC] 4,096 vs [LL] 2,048: AWS
			Geos:           []string{"global", "us", "eu", "jp", "au"},
			NeedsProfile:   true,
			Global:         price(5, 25, 6.25, 10, 0.50),
			Regional:       price(5.50, 27.50, 6.875, 11, 0.55),
		},
		{
			BaseID: "anthropic.claude-opus-4-8", Name: "Claude Opus 4.8",
			Family: FamilyOpus, Generation: 480,
			ContextWindow: 1_000_000, MaxOutput: 128_000, // ⚠ 1M [ABR], [LL], [AMO-09] vs 200K [AWSL-PC]
			Thinking: ThinkingAdaptive, DefaultEffort: "high", // [AMO-09]
			CacheMinTokens: 1024,
			Geos:           []string{"global", "us", "eu", "jp", "au"},
			NeedsProfile:   true,
			Global:         price(5, 25, 6.25, 10, 0.50),
			Regional:       price(5.50, 27.50, 6.875, 11, 0.55),
		},
		{
			BaseID: "anthropic.claude-opus-5", Name: "Claude Opus 5",
			Family: FamilyOpus, Generation: 500,
			ContextWindow: 1_000_000, MaxOutput: 128_000,
			Thinking: ThinkingAdaptive, DefaultEffort: "high", // [AMO-09]
			CacheMinTokens: 512,
			Geos:           []string{"global", "us", "eu", "au", "jp"},
			NeedsProfile:   true,
			Global:         price(5, 25, 6.25, 10, 0.50),
			Regional:       price(5.50, 27.50, 6.875, 11, 0.55),
		},
		{
			BaseID: "anthropic.claude-opus-5-5", Name: "Claude Opus 5.5",
			Family: FamilyOpus, Generation: 550,
			ContextWindow: 1_000_000, MaxOutput: 128_000,
			Thinking: ThinkingAdaptive, DefaultEffort: "medium", ThinkingRequired: true, // [AMO-10]
			CacheMinTokens: 1024, // unverified: no Bedrock figure
			Geos:           []string{"global", "us", "eu", "jp", "au"},
			NeedsProfile:   true, // [CM]: INFERENCE_PROFILE only
			Global:         price(4, 20, 5, 8, 0.20),
			// Regional 1h write not published [PL]; derived as 2× input (unverified).
			Regional: price(4.40, 22, 5.50, 8.80, 0.22),
		},

		// ── Fable (no alias) ────────────────────────────────────────────────────────────
		{
			BaseID: "anthropic.claude-fable-5", Name: "Claude Fable 5",
			Family: FamilyFable, Generation: 500,
			ContextWindow: 1_000_000, MaxOutput: 128_000,
			// Needs the account-level provider_data_share opt-in [AWSL-J]. Default effort unverified.
			Thinking: ThinkingAdaptive, DefaultEffort: "high", ThinkingRequired: true,
			CacheMinTokens: 512,
			Geos:           []string{"global", "us", "eu"},
			NeedsProfile:   true,
			Global:         price(10, 50, 12.50, 20, 1),
			Regional:       price(11, 55, 13.75, 22, 1.10),
		},
		{
			BaseID: "anthropic.claude-fable-5-1", Name: "Claude Fable 5.1",
			Family: FamilyFable, Generation: 510,
			ContextWindow: 1_000_000, MaxOutput: 128_000,
			Thinking: ThinkingAdaptive, DefaultEffort: "high", ThinkingRequired: true,
			CacheMinTokens: 512,
			Geos:           []string{"global", "us", "eu"},
			NeedsProfile:   true,
			// [PL]; 1h write derived as 2× input (unverified).
			Global:   price(10, 50, 12.50, 20, 0.25),
			Regional: price(11, 55, 13.75, 22, 0.275),
		},
	}
}

func price(in, out, write5m, write1h, read float64) Price {
	return Price{Input: in, Output: out, CacheWrite5m: write5m, CacheWrite1h: write1h, CacheRead: read}
}

// day is the start (UTC) of a calendar day.
func day(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

package bedrocksim

import (
	"slices"

	"github.com/strata-agent/strata/internal/models"
)

// Beta flags Bedrock's Invoke API takes in the body's anthropic_beta, and the models that take
// each. This table is the emulator's own: strata's catalog lists only the betas strata sends,
// while Bedrock accepts more, and other clients (the reference CLI, SDK users) send them.
//
// Sources (shared/notes/bedrock-models.md §6): the AWS list quoted by LiteLLM PR #19877
// [LL-PR19877], LiteLLM's Bedrock Invoke header map [LL-BH], and what the reference CLI 2.1.197
// sends by default, taken as evidence of acceptance where the notes are unverified. Observed
// rejections stay rejections for the models they were observed on. docs/bedrocksim.md repeats
// the table with its sources.
const (
	betaComputerUse2410          = "computer-use-2024-10-22"
	betaComputerUse2501          = "computer-use-2025-01-24"
	betaComputerUse2511          = "computer-use-2025-11-24"
	betaTokenEfficientTools      = "token-efficient-tools-2025-02-19"
	betaOutput128k               = "output-128k-2025-02-19"
	betaDevFullThinking          = "dev-full-thinking-2025-05-14"
	betaFineGrainedToolStreaming = "fine-grained-tool-streaming-2025-05-14"
	betaContextManagement        = "context-management-2025-06-27"
	betaEffort                   = "effort-2025-11-24"
	betaToolSearch               = "tool-search-tool-2025-10-19"
	betaToolExamples             = "tool-examples-2025-10-29"
	betaCompact                  = "compact-2026-01-12"
	betaMidConvOutputConfig      = "mid-conversation-output-config-2026-07-01"
	betaMidConvToolChanges       = "mid-conversation-tool-changes-2026-07-01"
	betaThinkingBinding          = "thinking-binding-controls-2026-08-01"
	betaThinkingDisplay          = "thinking-display-updates-2026-08-18"
	betaDangerousToolUse         = "dangerous-tool-use-2026-09-03"
)

// Generations that the rules below name (models.Model.Generation: 100×major + 10×minor).
const (
	gen35SonnetV2 = 351
	gen37         = 370
	gen4          = 400
	gen45         = 450
	gen5          = 500
)

// opus47 is the model on which Bedrock was seen to refuse effort and tool-search [I-cc49370].
const opus47 = "anthropic.claude-opus-4-7"

// betaRules says, per beta, which models take it.
var betaRules = map[string]func(m models.Model) bool{
	betaComputerUse2410: func(m models.Model) bool { return m.Generation == gen35SonnetV2 },
	betaComputerUse2501: func(m models.Model) bool { return m.Generation >= gen37 },
	betaComputerUse2511: func(m models.Model) bool { return m.Generation >= gen45 },
	// Built into the Claude 4 models; accepted (as a no-op) from 3.7 on.
	betaTokenEfficientTools: thinks,
	betaOutput128k:          func(m models.Model) bool { return m.Generation == gen37 },
	// Every model with thinking: the reference sends it for all of them, and Opus 4.7 was
	// seen accepting only this one [I-cc49370].
	models.BetaInterleavedThinking: thinks,
	betaDevFullThinking:            thinks,
	// Sonnet 4 and 4.5 need it for 1M; the 1M-native models take it as a no-op.
	models.BetaContext1M: func(m models.Model) bool {
		return m.AcceptsBeta(models.BetaContext1M) || m.ContextWindow >= 1_000_000
	},
	betaFineGrainedToolStreaming: func(m models.Model) bool { return m.Generation >= gen4 },
	betaContextManagement:        func(m models.Model) bool { return m.Generation >= gen4 },
	betaEffort:                   func(m models.Model) bool { return m.Generation >= gen45 && m.BaseID != opus47 },
	// The reference sends it by default with Sonnet 4.5.
	betaToolSearch:          func(m models.Model) bool { return m.Generation >= gen45 && m.BaseID != opus47 },
	betaToolExamples:        func(m models.Model) bool { return m.Generation >= gen45 },
	betaCompact:             func(m models.Model) bool { return m.Generation >= gen45 },
	betaMidConvOutputConfig: func(m models.Model) bool { return m.Generation >= gen5 },
	betaMidConvToolChanges:  func(m models.Model) bool { return m.Generation >= gen5 },
	// Refused on Sonnet 4.5 [I-LL41203]; taken by the models of its own time.
	betaThinkingBinding:  func(m models.Model) bool { return m.Generation >= gen5 },
	betaThinkingDisplay:  func(m models.Model) bool { return m.Thinking == models.ThinkingAdaptive },
	betaDangerousToolUse: func(m models.Model) bool { return m.Generation >= gen5 },
}

func thinks(m models.Model) bool { return m.Thinking != models.ThinkingNone }

// acceptsBeta reports whether Bedrock's Invoke API takes beta for model m. Betas not in the
// table — claude-code-20250219 and extended-cache-ttl-2025-04-11 were seen refused in the
// body [I-cc49370], [I-cc56595] — are refused everywhere.
func acceptsBeta(m models.Model, beta string) bool {
	rule, ok := betaRules[beta]
	return ok && rule(m)
}

// betaClaudeCode is refused in InvokeModel bodies [I-cc49370], yet the reference CLI 2.1.197
// puts it (with its other header betas) into every CountTokens body it sends to Bedrock, by
// default, for /context and token warnings. CountTokens takes it; InvokeModel does not.
const betaClaudeCode = "claude-code-20250219"

// acceptsBetaFor is acceptsBeta for an operation.
func acceptsBetaFor(op string, m models.Model, beta string) bool {
	return acceptsBeta(m, beta) || (op == OpCountTokens && beta == betaClaudeCode)
}

// BetasFor lists the betas the emulator accepts for model m, sorted (for docs and tests).
func BetasFor(m models.Model) []string {
	var out []string
	for b, rule := range betaRules {
		if rule(m) {
			out = append(out, b)
		}
	}
	slices.Sort(out)
	return out
}

// midConversationSystem reports whether m takes `role: "system"` messages inside `messages`
// on InvokeModel: Fable 5.1, Fable 5, Opus 5 and Opus 4.8, with no beta; not Sonnet 5 nor the
// ARN-versioned models (notes §1, [ABR]).
func midConversationSystem(m models.Model) bool {
	switch m.BaseID {
	case "anthropic.claude-fable-5-1", "anthropic.claude-fable-5", "anthropic.claude-opus-5", "anthropic.claude-opus-4-8":
		return true
	}
	return false
}

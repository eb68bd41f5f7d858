package bedrocksim

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/models"
)

func itoa(i int) string { return strconv.Itoa(i) }

const (
	docsFeatureCompat = "Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#feature-compatibility"
	docsThinking      = "Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking"
)

func (r *request) checkThinking(top map[string]json.RawMessage) *apiError {
	raw, ok := top["thinking"]
	if !ok {
		return nil
	}
	m, _ := objectKeys(raw)
	typRaw, ok := m["type"]
	if !ok {
		return modelError("thinking.type: Field required")
	}
	_ = json.Unmarshal(typRaw, &r.thinking)
	model := r.res.model
	switch r.thinking {
	case "enabled":
		if model.ThinkingRequired {
			return modelError(`"thinking.type.enabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.`)
		}
		return r.checkBudget(m)
	case "adaptive":
		if model.Thinking != models.ThinkingAdaptive {
			return modelError("thinking: Input tag 'adaptive' found using 'type' does not match any of the expected tags: 'disabled', 'enabled'")
		}
		if k, bad := extraKey(m, "type", "display"); bad {
			return modelError("thinking.adaptive.%s: Extra inputs are not permitted", k)
		}
	case "disabled":
		if model.ThinkingRequired {
			return modelError(`"thinking.type.disabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.`)
		}
		if k, bad := extraKey(m, "type"); bad {
			return modelError("thinking.disabled.%s: Extra inputs are not permitted", k)
		}
	default:
		expected := "'disabled', 'enabled'"
		if model.Thinking == models.ThinkingAdaptive {
			expected = "'adaptive', 'disabled', 'enabled'"
		}
		return modelError("thinking: Input tag '%s' found using 'type' does not match any of the expected tags: %s", r.thinking, expected)
	}
	return nil
}

func (r *request) checkBudget(m map[string]json.RawMessage) *apiError {
	if k, bad := extraKey(m, "type", "budget_tokens"); bad {
		return modelError("thinking.enabled.%s: Extra inputs are not permitted", k)
	}
	raw, ok := m["budget_tokens"]
	if !ok {
		return modelError("thinking.enabled.budget_tokens: Field required")
	}
	if jsonTypeName(raw) != "Integer" || json.Unmarshal(raw, &r.budget) != nil {
		return modelError("thinking.enabled.budget_tokens: Input should be a valid integer")
	}
	if r.budget < 1024 {
		return validationError(msgBudgetTooLow)
	}
	if r.budget >= r.maxTokens {
		return modelError("%s", msgBudgetTooBig)
	}
	return nil
}

// checkSampling applies the sampling limits of thinking, and the rule that thinking may not
// be combined with a forced tool choice.
func (r *request) checkSampling(top map[string]json.RawMessage) *apiError {
	for _, k := range []string{"temperature", "top_p"} {
		raw, ok := top[k]
		if !ok {
			continue
		}
		if v, _ := strconv.ParseFloat(string(raw), 64); v > 1 {
			return modelError("%s: Input should be less than or equal to 1", k)
		} else if v < 0 {
			return modelError("%s: Input should be greater than or equal to 0", k)
		}
	}
	if raw, ok := top["top_k"]; ok {
		if v, _ := strconv.ParseFloat(string(raw), 64); v < 0 {
			return modelError("top_k: Input should be greater than or equal to 0")
		}
	}
	if !r.thinkingOn() {
		return nil
	}
	if raw, ok := top["temperature"]; ok {
		if t, _ := strconv.ParseFloat(string(raw), 64); t != 1 {
			return modelError("`temperature` may only be set to 1 when thinking is enabled. %s", docsFeatureCompat)
		}
	}
	if raw, ok := top["top_p"]; ok {
		if p, _ := strconv.ParseFloat(string(raw), 64); p < 0.95 {
			return modelError("`top_p` must be greater than or equal to 0.95 or unset when thinking is enabled. %s", docsFeatureCompat)
		}
	}
	if _, ok := top["top_k"]; ok {
		return modelError("`top_k` is not supported when thinking is enabled. %s", docsFeatureCompat)
	}
	if raw, ok := top["tool_choice"]; ok {
		m, _ := objectKeys(raw)
		var typ string
		_ = json.Unmarshal(m["type"], &typ)
		if typ == "any" || typ == "tool" {
			return modelError("Thinking may not be enabled when tool_choice forces tool use.")
		}
	}
	return nil
}

// checkConversation applies the rules on the sequence of messages: roles, non-empty content,
// tool_use/tool_result pairing, thinking signatures and the leading thinking block.
func (r *request) checkConversation(sigs *signatureBook) *apiError {
	checks := []func() *apiError{r.checkRoles, r.checkToolPairs,
		func() *apiError { return r.checkSignatures(sigs) }, r.checkLeadingThinking}
	for _, c := range checks {
		if err := c(); err != nil {
			return err
		}
	}
	return nil
}

func (r *request) checkRoles() *apiError {
	last := len(r.messages) - 1
	for i, m := range r.messages {
		if i == 0 && m.Role != llm.RoleUser {
			return modelError(`messages: first message must use the "user" role`)
		}
		if i > 0 && m.Role == r.messages[i-1].Role {
			return modelError(`messages: roles must alternate between "user" and "assistant", but found multiple %q roles in a row`, m.Role)
		}
		if len(m.Content) == 0 && !(i == last && m.Role == llm.RoleAssistant) {
			return modelError("messages.%d: all messages must have non-empty content except for the optional final assistant message", i)
		}
	}
	return nil
}

func (r *request) checkToolPairs() *apiError {
	for i, m := range r.messages {
		if m.Role == llm.RoleAssistant {
			if err := r.checkAnswered(i); err != nil {
				return err
			}
			continue
		}
		var offered []string
		if i > 0 {
			for _, b := range r.messages[i-1].ToolUses() {
				offered = append(offered, b.ID)
			}
		}
		for j, b := range m.Content {
			if b.Type == llm.TypeToolResult && !slices.Contains(offered, b.ToolUseID) {
				return modelError("messages.%d.content.%d: unexpected `tool_use_id` found in `tool_result` blocks: %s. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.", i, j, b.ToolUseID)
			}
		}
	}
	return nil
}

// checkAnswered requires every tool_use of assistant message i to have its tool_result in the
// next message.
func (r *request) checkAnswered(i int) *apiError {
	answered := map[string]bool{}
	if i+1 < len(r.messages) {
		for _, b := range r.messages[i+1].Content {
			if b.Type == llm.TypeToolResult {
				answered[b.ToolUseID] = true
			}
		}
	}
	var missing []string
	for _, b := range r.messages[i].ToolUses() {
		if !answered[b.ID] {
			missing = append(missing, b.ID)
		}
	}
	if len(missing) > 0 {
		return modelError("messages.%d: `tool_use` ids were found without `tool_result` blocks immediately after: %s. Each `tool_use` block must have a corresponding `tool_result` block in the next message.", i, strings.Join(missing, ", "))
	}
	return nil
}

// checkSignatures rejects thinking blocks whose text or signature was changed on the way back
// (B34: they must be returned unchanged).
func (r *request) checkSignatures(sigs *signatureBook) *apiError {
	for i, m := range r.messages {
		for j, b := range m.Content {
			if b.Type == llm.TypeThinking && !sigs.valid(b.Thinking, b.Signature) {
				return modelError("messages.%d.content.%d: Invalid `signature` in `thinking` block", i, j)
			}
		}
	}
	return nil
}

// checkLeadingThinking: with budgeted thinking on, an assistant turn that is being continued
// with tool results must start with its thinking block.
func (r *request) checkLeadingThinking() *apiError {
	n := len(r.messages)
	if r.thinking != "enabled" || n < 2 || r.messages[n-1].Role != llm.RoleUser {
		return nil
	}
	hasResult := slices.ContainsFunc(r.messages[n-1].Content, func(b llm.ContentBlock) bool { return b.Type == llm.TypeToolResult })
	prev := r.messages[n-2]
	if !hasResult || len(prev.Content) == 0 {
		return nil
	}
	if t := prev.Content[0].Type; t != llm.TypeThinking && t != llm.TypeRedactedThinking {
		return modelError("messages.%d.content.0.type: Expected `thinking` or `redacted_thinking`, but found `%s`. When `thinking` is enabled, a final `assistant` message must start with a thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable `thinking`. %s", n-2, t, docsThinking)
	}
	return nil
}

// checkCache applies the breakpoint rules: at most 4, a 1h TTL never after a 5m one, and none
// at all on a model without prompt caching.
func (r *request) checkCache() *apiError {
	count, seen5m := 0, false
	for _, u := range r.units {
		if !u.mark {
			continue
		}
		count++
		if u.ttl1h && seen5m {
			return modelError("%s.cache_control.ttl: a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block. Note that blocks are processed in the following order: `tools`, `system`, `messages`.", u.path)
		}
		seen5m = seen5m || !u.ttl1h
	}
	if count > 4 {
		return modelError("A maximum of 4 blocks with cache_control may be provided. Found %d.", count)
	}
	if count > 0 && r.res.model.CacheMinTokens == 0 {
		return accessDenied(msgCacheDenied)
	}
	return nil
}

// checkWindow rejects prompts that do not fit the model's context window.
func (r *request) checkWindow() *apiError {
	r.tokens = 0
	for _, u := range r.units {
		r.tokens += u.tokens
	}
	window := r.res.model.Window(slices.Contains(r.betas, models.BetaContext1M))
	if r.tokens > window {
		return validationError(msgInputTooLong)
	}
	if r.tokens+r.maxTokens > window {
		return modelError("input length and `max_tokens` exceed context limit: %d + %d > %d, decrease input length or `max_tokens` and try again", r.tokens, r.maxTokens, window)
	}
	return nil
}

// lastUser returns the last message if it is a user message.
func (r *request) lastUser() (llm.Message, bool) {
	if n := len(r.messages); n > 0 && r.messages[n-1].Role == llm.RoleUser {
		return r.messages[n-1], true
	}
	return llm.Message{}, false
}

// lastUserText is the text of the last user message's text blocks.
func (r *request) lastUserText() string {
	m, _ := r.lastUser()
	return m.Text()
}

// lastToolResultText is the text inside the tool_result blocks of the last user message.
func (r *request) lastToolResultText() string {
	m, _ := r.lastUser()
	var parts []string
	for _, b := range m.Content {
		if b.Type != llm.TypeToolResult {
			continue
		}
		for _, c := range b.Content {
			if c.Type == llm.TypeText {
				parts = append(parts, c.Text)
			}
		}
	}
	return strings.Join(parts, "\n")
}

// systemText is the text of the system prompt's blocks, joined.
func (r *request) systemText() string {
	parts := make([]string, 0, len(r.system))
	for _, b := range r.system {
		parts = append(parts, b.Text)
	}
	return strings.Join(parts, "\n")
}

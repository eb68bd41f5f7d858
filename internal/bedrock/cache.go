package bedrock

import (
	"slices"
	"strings"

	"github.com/strata-agent/strata/internal/llm"
)

// cache places prompt-cache breakpoints (B23, B32) on copies of the request's blocks: on the
// last system block and on the last cacheable block of the last message, keeping those the
// caller set (e.g. on the last tool), never more than Bedrock's four. With caching off, or for
// a model without prompt caching on Bedrock, every cache_control is removed.
func (b *bodyBuilder) cache() {
	r := b.r
	r.Tools = slices.Clone(r.Tools)
	r.System = cloneBlocks(r.System)
	r.Messages = slices.Clone(r.Messages)
	for i := range r.Messages {
		r.Messages[i].Content = cloneBlocks(r.Messages[i].Content)
	}
	if b.cfg.DisablePromptCaching || (b.info.known && b.info.model.CacheMinTokens == 0) {
		for _, s := range b.slots() {
			*s.cc = nil
		}
		return
	}
	if i := lastCacheable(r.System); i >= 0 && r.System[i].CacheControl == nil {
		r.System[i].CacheControl = llm.Ephemeral()
	}
	if n := len(r.Messages); n > 0 {
		content := r.Messages[n-1].Content
		if i := lastCacheable(content); i >= 0 && content[i].CacheControl == nil {
			content[i].CacheControl = llm.Ephemeral()
		}
	}
	b.limitBreakpoints()
	if b.cfg.PromptCache1h {
		b.oneHour()
	}
}

// oneHour gives every breakpoint without a TTL the 1-hour one (copies: the blocks may be
// shared with the caller). Bedrock takes `ttl` without a beta header.
func (b *bodyBuilder) oneHour() {
	for _, s := range b.slots() {
		if cc := *s.cc; cc != nil && cc.TTL == "" {
			*s.cc = &llm.CacheControl{Type: cc.Type, TTL: "1h"}
		}
	}
}

// slot is a place that may hold a breakpoint; keep orders which to drop first (lowest first).
type slot struct {
	cc   **llm.CacheControl
	keep int
}

const (
	keepOlderMessage = iota // breakpoints in earlier messages go first, oldest first
	keepTool
	keepSystem
	keepLastMessage
)

// slots lists every block that can carry cache_control, in request order (tools, system,
// messages, including blocks nested in tool results).
func (b *bodyBuilder) slots() []slot {
	var out []slot
	r := b.r
	for i := range r.Tools {
		out = append(out, slot{&r.Tools[i].CacheControl, keepTool})
	}
	for i := range r.System {
		out = append(out, slot{&r.System[i].CacheControl, keepSystem})
	}
	for m := range r.Messages {
		keep := keepOlderMessage
		if m == len(r.Messages)-1 {
			keep = keepLastMessage
		}
		out = appendBlockSlots(out, r.Messages[m].Content, keep)
	}
	return out
}

func appendBlockSlots(out []slot, blocks []llm.ContentBlock, keep int) []slot {
	for i := range blocks {
		out = append(out, slot{&blocks[i].CacheControl, keep})
		out = appendBlockSlots(out, blocks[i].Content, keep)
	}
	return out
}

// limitBreakpoints removes breakpoints beyond Bedrock's limit, least useful first.
func (b *bodyBuilder) limitBreakpoints() {
	var set []slot
	for _, s := range b.slots() {
		if *s.cc != nil {
			set = append(set, s)
		}
	}
	slices.SortStableFunc(set, func(x, y slot) int { return x.keep - y.keep })
	for i := 0; len(set)-i > maxCacheBreakpoints; i++ {
		*set[i].cc = nil
	}
}

// lastCacheable is the index of the last block that may carry a breakpoint, or -1. Thinking
// blocks may not (Bedrock: "Cache point cannot be inserted after reasoning block"), nor may
// empty text.
func lastCacheable(blocks []llm.ContentBlock) int {
	for i := len(blocks) - 1; i >= 0; i-- {
		if cacheable(blocks[i]) {
			return i
		}
	}
	return -1
}

func cacheable(b llm.ContentBlock) bool {
	switch b.Type {
	case llm.TypeText:
		return b.Text != ""
	case llm.TypeImage, llm.TypeToolUse, llm.TypeToolResult:
		return true
	case llm.TypeThinking, llm.TypeRedactedThinking:
		return false
	}
	return len(b.Raw) > 0 && !strings.Contains(b.Type, "thinking")
}

// cloneBlocks copies blocks and the content nested in them, so breakpoints can be changed
// without touching the caller's request.
func cloneBlocks(blocks []llm.ContentBlock) []llm.ContentBlock {
	if blocks == nil {
		return nil
	}
	out := slices.Clone(blocks)
	for i := range out {
		if out[i].Content != nil {
			out[i].Content = cloneBlocks(out[i].Content)
		}
	}
	return out
}

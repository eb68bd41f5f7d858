package session

import (
	"slices"

	"github.com/strata-agent/strata/internal/llm"
)

// Interrupted is the error text of the tool results Resume adds for tool calls that never
// finished.
const Interrupted = "interrupted: the session ended before this tool finished"

// conversation turns a transcript's main chain (see mainChain) into the messages to send:
// those after the latest compaction (a compact boundary, whose summary message follows it, or
// an older strata summary entry, sent as SummaryMessage), without what was never sent (side
// chains, virtual messages, failed requests shown as replies, system notes). It returns the
// tool_use ids of a final assistant message that has no results yet, for the caller to answer.
//
// The result is made valid to send, whatever the file holds: consecutive messages of one role
// are merged (the reference writes each block of a response as an entry of its own; the API
// would merge them anyway) with tool results first; a tool call answered nowhere gets an
// Interrupted error result; a tool result that answers no call of the message before it is
// dropped, and so is an empty message, as the API would refuse either.
func conversation(chain []Entry) (msgs []llm.Message, open []string) {
	start := 0
	for i, e := range chain {
		if e.Type == TypeSummary || e.Type == TypeSystem && e.Subtype == SubtypeCompactBoundary {
			start = i
		}
	}
	if start < len(chain) && chain[start].Type == TypeSummary {
		msgs = append(msgs, SummaryMessage(chain[start].Summary))
	}
	for _, e := range chain[start:] {
		if !sent(e) {
			continue
		}
		m := e.Message.LLM(e.Type)
		if n := len(msgs); n > 0 && msgs[n-1].Role == m.Role {
			msgs[n-1].Content = slices.Concat(msgs[n-1].Content, m.Content)
			continue
		}
		msgs = append(msgs, m)
	}
	return pairToolCalls(msgs)
}

// sent reports whether an entry's message goes to the model.
func sent(e Entry) bool {
	if e.Type != TypeUser && e.Type != TypeAssistant || e.Message == nil || len(e.Message.Content) == 0 {
		return false // the API refuses empty messages
	}
	return !e.IsSidechain && !e.IsVirtual && !e.IsAPIErrorMessage
}

// pairToolCalls makes every tool_use answered by the next message and every tool_result
// answer the message before.
func pairToolCalls(msgs []llm.Message) (out []llm.Message, open []string) {
	for _, m := range msgs {
		if m.Role == llm.RoleAssistant {
			// Two assistant messages meet only when the user message between them held
			// nothing but stray results, and then the first made no calls: merge them.
			if n := len(out); n > 0 && out[n-1].Role == llm.RoleAssistant && len(open) == 0 {
				out[n-1].Content = slices.Concat(out[n-1].Content, m.Content)
			} else {
				out = append(out, m)
			}
			open = toolUseIDs(out[len(out)-1])
			continue
		}
		m = answer(m, open)
		open = nil
		if len(m.Content) > 0 {
			out = append(out, m)
		}
	}
	return out, open
}

// answer rebuilds a user message so that it answers exactly the calls in open: their results
// first (an Interrupted error for a call it does not answer), then its other blocks.
func answer(m llm.Message, open []string) llm.Message {
	results := map[string]llm.ContentBlock{}
	var rest []llm.ContentBlock
	for _, b := range m.Content {
		if b.Type != llm.TypeToolResult {
			rest = append(rest, b)
		} else if _, dup := results[b.ToolUseID]; !dup && slices.Contains(open, b.ToolUseID) {
			results[b.ToolUseID] = b
		}
	}
	content := make([]llm.ContentBlock, 0, len(open)+len(rest))
	for _, id := range open {
		b, ok := results[id]
		if !ok {
			b = llm.ToolResultBlock(id, Interrupted, true)
		}
		content = append(content, b)
	}
	return llm.Message{Role: llm.RoleUser, Content: append(content, rest...)}
}

// interruptedResults answers each call in ids with an Interrupted error.
func interruptedResults(ids []string) llm.Message {
	return answer(llm.Message{Role: llm.RoleUser}, ids)
}

func toolUseIDs(m llm.Message) []string {
	var ids []string
	for _, b := range m.ToolUses() {
		ids = append(ids, b.ID)
	}
	return ids
}

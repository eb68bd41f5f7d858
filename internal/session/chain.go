package session

import (
	"slices"
	"strings"

	"github.com/strata-agent/strata/internal/llm"
)

// mainChain picks, as Claude Code 2.1.197 does on resume, the conversation a transcript
// continues with, in order, and the uuid to give the next entry as its parent.
//
// A transcript is a tree: each entry names its parent, a rewind or an edited prompt starts a
// branch, sub-agents write side chains, and a compaction starts a new root. The conversation
// is the path from the root to the leaf: the user or assistant entry reached by walking up
// from the last entry of the main chain in the file. The reference writes each content block
// of a response as an entry of its own, all with the response's message id, and parallel
// tool calls fork the chain (each result's parent is its call); those siblings are put back
// after the chain's last entry of that message, as the reference does. Progress entries are
// skipped, their children taken by their parent.
func mainChain(entries []Entry) (chain []Entry, last string) {
	chain, last, _ = chainTo(entries, "")
	return chain, last
}

// chainTo is mainChain ending at the entry whose uuid is at (the Agent SDK's
// --resume-session-at) instead of the file's last one; ok is false when there is no such
// entry on the message tree. at "" means the last entry.
func chainTo(entries []Entry, at string) (chain []Entry, last string, ok bool) {
	byID := map[string]int{}
	skipped := map[string]*string{} // progress uuid → the parent to use instead
	lastIdx := -1
	rewound, cleared := "", false // the leaf a rewind chose, while nothing follows it
	for i := range entries {
		e := &entries[i]
		if e.Type == TypeLastPrompt {
			rewound, cleared = rewindMark(*e, rewound)
			continue
		}
		if e.UUID == "" {
			continue
		}
		if e.ParentUUID != nil {
			if p, ok := skipped[*e.ParentUUID]; ok {
				e.ParentUUID = p
			}
		}
		if !onChain(*e) {
			if e.Type == "progress" {
				skipped[e.UUID] = e.ParentUUID
			}
			continue
		}
		byID[e.UUID] = i
		if !e.IsSidechain && at == "" {
			lastIdx = i
		}
		if !e.IsSidechain {
			rewound, cleared = "", false
		}
	}
	if at == "" && cleared {
		return nil, "", true // rewound to before the first prompt
	}
	if i, found := byID[rewound]; at == "" && found && !entries[i].IsSidechain {
		lastIdx = i
	}
	if at != "" {
		i, found := byID[at]
		if !found || entries[i].IsSidechain {
			return nil, "", false
		}
		lastIdx = i
	}
	if lastIdx < 0 {
		return nil, "", true
	}
	leaf := lastIdx
	for i, seen := lastIdx, map[int]bool{}; !seen[i]; {
		seen[i] = true
		if t := entries[i].Type; t == TypeUser || t == TypeAssistant {
			leaf = i
			break
		}
		p, ok := parentOf(entries, byID, i)
		if !ok {
			break
		}
		i = p
	}
	on := map[int]bool{}
	for i := leaf; !on[i]; {
		on[i] = true
		chain = append(chain, entries[i])
		p, ok := parentOf(entries, byID, i)
		if !ok {
			break
		}
		i = p
	}
	slices.Reverse(chain)
	return recoverParallel(entries, chain, on), entries[lastIdx].UUID, true
}

// rewindMark reads a last-prompt entry as the reference does: an explicit one (a rewind)
// makes its leaf the end of the conversation — none at all when the leaf is null — until a
// message follows; another one naming a different leaf undoes that.
func rewindMark(e Entry, rewound string) (string, bool) {
	switch {
	case e.Explicit && e.LeafUUID == "":
		return "", true
	case e.Explicit:
		return e.LeafUUID, false
	case e.LeafUUID != rewound:
		return "", false
	}
	return rewound, false
}

// onChain reports whether an entry takes part in the message tree: messages and system notes,
// and the compaction marks strata's older transcripts wrote as summaries without a leaf.
func onChain(e Entry) bool {
	switch e.Type {
	case TypeUser, TypeAssistant, TypeSystem, "attachment":
		return true
	case TypeSummary:
		return e.LeafUUID == ""
	}
	return false
}

func parentOf(entries []Entry, byID map[string]int, i int) (int, bool) {
	p := entries[i].ParentUUID
	if p == nil {
		return 0, false
	}
	j, ok := byID[*p]
	return j, ok
}

// recoverParallel puts back the blocks and tool results of a response that the chain passed
// by: after the chain's last entry of each message id come the other entries of that message
// not on the chain, then the tool results answering any of them, each group in time order.
func recoverParallel(entries []Entry, chain []Entry, on map[int]bool) []Entry {
	lastOf := map[string]string{} // message id → uuid of its last entry on the chain
	for _, e := range chain {
		if e.Type == TypeAssistant && e.Message != nil && e.Message.ID != "" {
			lastOf[e.Message.ID] = e.UUID
		}
	}
	if len(lastOf) == 0 {
		return chain
	}
	blocks := map[string][]int{} // message id → its entries off the chain
	msgOf := map[string]string{} // uuid of any assistant entry of those messages → message id
	for i, e := range entries {
		if e.Type != TypeAssistant || e.IsSidechain || e.Message == nil || lastOf[e.Message.ID] == "" {
			continue
		}
		msgOf[e.UUID] = e.Message.ID
		if !on[i] {
			blocks[e.Message.ID] = append(blocks[e.Message.ID], i)
		}
	}
	results := map[string][]int{}
	for i, e := range entries {
		if on[i] || e.Type != TypeUser || e.IsSidechain || e.ParentUUID == nil || !hasToolResult(e) {
			continue
		}
		if id := msgOf[*e.ParentUUID]; id != "" {
			results[id] = append(results[id], i)
		}
	}
	byTime := func(a, b int) int { return strings.Compare(stampKey(entries[a]), stampKey(entries[b])) }
	var out []Entry
	for _, e := range chain {
		out = append(out, e)
		if e.Type != TypeAssistant || e.Message == nil || lastOf[e.Message.ID] != e.UUID {
			continue
		}
		id := e.Message.ID
		slices.SortStableFunc(blocks[id], byTime)
		slices.SortStableFunc(results[id], byTime)
		for _, i := range slices.Concat(blocks[id], results[id]) {
			out = append(out, entries[i])
		}
	}
	return out
}

func stampKey(e Entry) string {
	return e.Timestamp.Time().UTC().Format("2006-01-02T15:04:05.000000000")
}

func hasToolResult(e Entry) bool {
	if e.Message == nil {
		return false
	}
	return slices.ContainsFunc(e.Message.Content, func(b llm.ContentBlock) bool { return b.Type == llm.TypeToolResult })
}

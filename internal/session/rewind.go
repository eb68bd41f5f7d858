package session

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/strata-agent/strata/internal/llm"
)

// Prompt is a prompt the user sent in the conversation a transcript continues.
type Prompt struct {
	UUID    string
	Content []llm.ContentBlock
	Time    time.Time
}

// Prompts lists the user's prompts in the conversation as it stands (since its latest
// compaction), oldest first: the points /rewind can go back to.
func (t *Transcript) Prompts() ([]Prompt, error) {
	t.mu.Lock()
	path, parent := t.path, t.parent
	t.mu.Unlock()
	if parent == "" {
		return nil, nil
	}
	p, err := readTranscript(path)
	if err != nil {
		return nil, err
	}
	chain, _, ok := chainTo(p.entries, parent)
	if !ok {
		return nil, nil
	}
	start := 0
	for i, e := range chain {
		if e.Type == TypeSummary || e.Type == TypeSystem && e.Subtype == SubtypeCompactBoundary {
			start = i
		}
	}
	var out []Prompt
	for _, e := range chain[start:] {
		if isPrompt(e) {
			out = append(out, Prompt{UUID: e.UUID, Content: e.Message.Content, Time: e.Timestamp.Time()})
		}
	}
	return out, nil
}

// isPrompt reports whether an entry is a prompt the user typed: a user message with more
// than tool results, not a summary or a note.
func isPrompt(e Entry) bool {
	if e.Type != TypeUser || !sent(e) || e.IsMeta || e.IsCompactSummary || e.IsVisibleInTranscriptOnly {
		return false
	}
	for _, b := range e.Message.Content {
		if b.Type != llm.TypeToolResult {
			return true
		}
	}
	return false
}

// rewindLine is the reference's record of a rewind: the conversation ends at leafUuid (null:
// before the first message) until a message follows.
type rewindLine struct {
	Type      string  `json:"type"`
	LeafUUID  *string `json:"leafUuid"`
	Explicit  bool    `json:"explicit"`
	Rewound   bool    `json:"rewound"`
	SessionID string  `json:"sessionId"`
}

// RewindTo cuts the conversation back to just before the prompt whose entry has uuid
// prompt: a last-prompt entry records the cut, so that a resume continues from there and
// the file stays whole (what followed stays in it, as a branch), and the next entries
// continue from the entry before the prompt. It returns the conversation to send from now
// on.
func (t *Transcript) RewindTo(prompt string) ([]llm.Message, error) {
	t.mu.Lock()
	path := t.path
	t.mu.Unlock()
	p, err := readTranscript(path)
	if err != nil {
		return nil, err
	}
	anchor, ok := anchorOf(p.entries, prompt)
	if !ok {
		return nil, fmt.Errorf("session: no prompt %s in this conversation", prompt)
	}
	var chain []Entry
	if anchor != "" {
		if chain, _, ok = chainTo(p.entries, anchor); !ok {
			return nil, fmt.Errorf("session: cannot find the conversation before prompt %s", prompt)
		}
	}
	line := rewindLine{Type: TypeLastPrompt, Explicit: true, Rewound: true, SessionID: t.id}
	if anchor != "" {
		line.LeafUUID = &anchor
	}
	if err := t.AppendLine(line); err != nil {
		return nil, err
	}
	t.mu.Lock()
	t.parent = anchor
	t.mu.Unlock()
	msgs, open := conversation(chain)
	if len(open) > 0 {
		answer := interruptedResults(open)
		if err := t.AppendUser(answer); err != nil {
			return nil, err
		}
		msgs = append(msgs, answer)
	}
	return msgs, nil
}

// anchorOf finds the entry before the prompt: its parent, passing over entries that are not
// on the message tree (progress). "" means the prompt began the conversation.
func anchorOf(entries []Entry, prompt string) (string, bool) {
	byID := map[string]int{}
	for i, e := range entries {
		if e.UUID != "" {
			byID[e.UUID] = i
		}
	}
	i, ok := byID[prompt]
	if !ok || !isPrompt(entries[i]) {
		return "", false
	}
	for seen := map[int]bool{i: true}; ; {
		parent := entries[i].ParentUUID
		if parent == nil {
			return "", true
		}
		j, ok := byID[*parent]
		if !ok || seen[j] {
			return "", true
		}
		if onChain(entries[j]) {
			return entries[j].UUID, true
		}
		seen[j], i = true, j
	}
}

// AppendLine writes v, a JSON object, as a line of its own that is not part of the message
// tree (a file checkpoint, a rewind), through the redactor like every line.
func (t *Transcript) AppendLine(v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("session: encode a transcript line: %w", err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.f == nil {
		return fmt.Errorf("session: transcript %s is closed", t.path)
	}
	t.line = append(append(t.line[:0], t.red.JSON(raw)...), '\n')
	if _, err := t.f.Write(t.line); err != nil {
		return fmt.Errorf("session: write transcript %s: %w", t.path, err)
	}
	return nil
}

// Package llm holds the provider-neutral Anthropic Messages types that strata, its Bedrock
// client and the bedrocksim emulator share: requests, messages, content blocks, tools, stream
// events, usage, and the Accumulator that turns a stream into a final message. It also defines
// the Client interface the agent calls. It imports nothing but the standard library.
//
// Content blocks of a type this package does not know are kept as raw JSON, so a round trip
// (decode, store in a transcript, send again) never loses anything.
package llm

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Block types this package understands. Anything else is carried as raw JSON.
const (
	TypeText             = "text"
	TypeImage            = "image"
	TypeToolUse          = "tool_use"
	TypeToolResult       = "tool_result"
	TypeThinking         = "thinking"
	TypeRedactedThinking = "redacted_thinking"
)

// Roles of a message.
const (
	RoleUser      = "user"
	RoleAssistant = "assistant"
)

// CacheControl marks a prompt-cache breakpoint.
type CacheControl struct {
	Type string `json:"type"`          // always "ephemeral"
	TTL  string `json:"ttl,omitempty"` // "5m" (default) or "1h"
}

// Ephemeral is the default cache breakpoint.
func Ephemeral() *CacheControl { return &CacheControl{Type: "ephemeral"} }

// ImageSource is the inline data of an image block.
type ImageSource struct {
	Type      string `json:"type"` // "base64"
	MediaType string `json:"media_type"`
	Data      string `json:"data"`
}

// ContentBlock is one block of a message. Which fields matter depends on Type; Raw holds the
// original JSON of a block whose type is unknown, and is written back unchanged.
type ContentBlock struct {
	Type string

	Text string // text

	Source *ImageSource // image

	ID    string          // tool_use
	Name  string          // tool_use
	Input json.RawMessage // tool_use: the input object ({} when empty)

	ToolUseID string         // tool_result
	Content   []ContentBlock // tool_result: text and image blocks
	IsError   bool           // tool_result

	Thinking  string // thinking
	Signature string // thinking
	Data      string // redacted_thinking

	CacheControl *CacheControl

	Raw json.RawMessage // a block of unknown type, verbatim
}

// TextBlock returns a text block.
func TextBlock(s string) ContentBlock { return ContentBlock{Type: TypeText, Text: s} }

// ToolResultBlock returns a tool_result block holding text.
func ToolResultBlock(toolUseID, text string, isError bool) ContentBlock {
	return ContentBlock{Type: TypeToolResult, ToolUseID: toolUseID, IsError: isError,
		Content: []ContentBlock{TextBlock(text)}}
}

// Wire shapes, one per known type, so each type writes exactly the keys Anthropic expects.
type (
	wireText struct {
		Type         string        `json:"type"`
		Text         string        `json:"text"`
		CacheControl *CacheControl `json:"cache_control,omitempty"`
	}
	wireImage struct {
		Type         string        `json:"type"`
		Source       *ImageSource  `json:"source"`
		CacheControl *CacheControl `json:"cache_control,omitempty"`
	}
	wireToolUse struct {
		Type         string          `json:"type"`
		ID           string          `json:"id"`
		Name         string          `json:"name"`
		Input        json.RawMessage `json:"input"`
		CacheControl *CacheControl   `json:"cache_control,omitempty"`
	}
	wireToolResult struct {
		Type         string         `json:"type"`
		ToolUseID    string         `json:"tool_use_id"`
		Content      []ContentBlock `json:"content,omitempty"`
		IsError      bool           `json:"is_error,omitempty"`
		CacheControl *CacheControl  `json:"cache_control,omitempty"`
	}
	wireThinking struct {
		Type      string `json:"type"`
		Thinking  string `json:"thinking"`
		Signature string `json:"signature"`
	}
	wireRedacted struct {
		Type string `json:"type"`
		Data string `json:"data"`
	}
)

// MarshalJSON writes the block in Anthropic's wire form.
func (b ContentBlock) MarshalJSON() ([]byte, error) {
	switch b.Type {
	case TypeText:
		return json.Marshal(wireText{b.Type, b.Text, b.CacheControl})
	case TypeImage:
		return json.Marshal(wireImage{b.Type, b.Source, b.CacheControl})
	case TypeToolUse:
		in := b.Input
		if len(bytes.TrimSpace(in)) == 0 {
			in = json.RawMessage("{}")
		}
		return json.Marshal(wireToolUse{b.Type, b.ID, b.Name, in, b.CacheControl})
	case TypeToolResult:
		return json.Marshal(wireToolResult{b.Type, b.ToolUseID, b.Content, b.IsError, b.CacheControl})
	case TypeThinking:
		// Bedrock rejects cache_control on thinking blocks, so it is never written here.
		return json.Marshal(wireThinking{b.Type, b.Thinking, b.Signature})
	case TypeRedactedThinking:
		return json.Marshal(wireRedacted{b.Type, b.Data})
	}
	return b.marshalRaw()
}

// marshalRaw writes an unknown block back, adding cache_control when a breakpoint was placed
// on it.
func (b ContentBlock) marshalRaw() ([]byte, error) {
	if len(b.Raw) == 0 {
		return nil, fmt.Errorf("llm: content block of type %q has no data", b.Type)
	}
	if b.CacheControl == nil && !bytes.Contains(b.Raw, []byte(`"cache_control"`)) {
		return b.Raw, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b.Raw, &m); err != nil {
		return nil, fmt.Errorf("llm: content block of type %q: %w", b.Type, err)
	}
	// The block's breakpoint is CacheControl, not what the raw JSON held: the provider moves
	// and removes breakpoints (DISABLE_PROMPT_CACHING, the limit of 4).
	delete(m, "cache_control")
	if b.CacheControl != nil {
		cc, _ := json.Marshal(b.CacheControl)
		m["cache_control"] = cc
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads a block of any type; unknown types are kept in Raw.
func (b *ContentBlock) UnmarshalJSON(data []byte) error {
	var head struct {
		Type         string          `json:"type"`
		Text         string          `json:"text"`
		Source       *ImageSource    `json:"source"`
		ID           string          `json:"id"`
		Name         string          `json:"name"`
		Input        json.RawMessage `json:"input"`
		ToolUseID    string          `json:"tool_use_id"`
		Content      json.RawMessage `json:"content"`
		IsError      bool            `json:"is_error"`
		Thinking     string          `json:"thinking"`
		Signature    string          `json:"signature"`
		Data         string          `json:"data"`
		CacheControl *CacheControl   `json:"cache_control"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return err
	}
	*b = ContentBlock{Type: head.Type, CacheControl: head.CacheControl}
	switch head.Type {
	case TypeText:
		b.Text = head.Text
	case TypeImage:
		b.Source = head.Source
	case TypeToolUse:
		b.ID, b.Name, b.Input = head.ID, head.Name, head.Input
	case TypeToolResult:
		b.ToolUseID, b.IsError = head.ToolUseID, head.IsError
		content, err := decodeContent(head.Content)
		if err != nil {
			return fmt.Errorf("tool_result content: %w", err)
		}
		b.Content = content
	case TypeThinking:
		b.Thinking, b.Signature = head.Thinking, head.Signature
	case TypeRedactedThinking:
		b.Data = head.Data
	default:
		b.Raw = append(json.RawMessage(nil), data...)
	}
	return nil
}

// decodeContent accepts Anthropic's two content forms: a plain string or an array of blocks.
func decodeContent(raw json.RawMessage) ([]ContentBlock, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		return []ContentBlock{TextBlock(s)}, nil
	}
	var blocks []ContentBlock
	err := json.Unmarshal(raw, &blocks)
	return blocks, err
}

// Message is one turn of the conversation.
type Message struct {
	Role    string         `json:"role"`
	Content []ContentBlock `json:"content"`
}

// UnmarshalJSON accepts content as a string or as an array of blocks.
func (m *Message) UnmarshalJSON(data []byte) error {
	var w struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	content, err := decodeContent(w.Content)
	if err != nil {
		return fmt.Errorf("message content: %w", err)
	}
	m.Role, m.Content = w.Role, content
	return nil
}

// Text joins the text blocks of a message.
func (m Message) Text() string {
	var buf bytes.Buffer
	for _, b := range m.Content {
		if b.Type == TypeText {
			buf.WriteString(b.Text)
		}
	}
	return buf.String()
}

// ToolUses returns the tool_use blocks of a message, in order.
func (m Message) ToolUses() []ContentBlock {
	var out []ContentBlock
	for _, b := range m.Content {
		if b.Type == TypeToolUse {
			out = append(out, b)
		}
	}
	return out
}

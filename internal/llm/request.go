package llm

import "encoding/json"

// Request is a Messages API request without anything provider-specific: the Bedrock client
// adds anthropic_version and anthropic_beta and puts the model in the URL path, never in the
// body. Model and Betas therefore do not serialise.
type Request struct {
	Model string   `json:"-"` // model ID, alias already resolved; sent by the provider its own way
	Betas []string `json:"-"` // wanted beta features; the provider drops those the model rejects

	MaxTokens     int             `json:"max_tokens"`
	System        []ContentBlock  `json:"system,omitempty"` // text blocks
	Messages      []Message       `json:"messages"`
	Tools         []Tool          `json:"tools,omitempty"`
	ToolChoice    json.RawMessage `json:"tool_choice,omitempty"`
	Thinking      *Thinking       `json:"thinking,omitempty"`
	OutputConfig  *OutputConfig   `json:"output_config,omitempty"`
	Temperature   *float64        `json:"temperature,omitempty"`
	StopSequences []string        `json:"stop_sequences,omitempty"`
	Metadata      *Metadata       `json:"metadata,omitempty"`
}

// Tool is a tool definition offered to the model.
type Tool struct {
	Name         string          `json:"name"`
	Description  string          `json:"description"`
	InputSchema  json.RawMessage `json:"input_schema"`
	CacheControl *CacheControl   `json:"cache_control,omitempty"`
}

// Thinking configures extended thinking: {"type":"enabled","budget_tokens":N} for models with a
// budget, {"type":"adaptive"} for the newest models, {"type":"disabled"} to turn it off.
type Thinking struct {
	Type         string `json:"type"`
	BudgetTokens int    `json:"budget_tokens,omitempty"`
}

// ThinkingDefault is the Thinking Type of a request that thinks the way Claude Code does when
// nothing chose otherwise: on for models that think (adaptive, or a budget of max_tokens-1),
// silently off for the others. The client turns it into the wire form; it is never sent.
const ThinkingDefault = "default"

// OutputConfig carries the effort level used with adaptive thinking.
type OutputConfig struct {
	Effort string `json:"effort,omitempty"`
}

// Metadata is request metadata.
type Metadata struct {
	UserID string `json:"user_id,omitempty"`
}

// Usage counts tokens of one response. Input tokens do not include cache reads or writes.
type Usage struct {
	InputTokens              int `json:"input_tokens"`
	OutputTokens             int `json:"output_tokens"`
	CacheCreationInputTokens int `json:"cache_creation_input_tokens"`
	CacheReadInputTokens     int `json:"cache_read_input_tokens"`
}

// Add sums two usages.
func (u Usage) Add(o Usage) Usage {
	return Usage{
		InputTokens:              u.InputTokens + o.InputTokens,
		OutputTokens:             u.OutputTokens + o.OutputTokens,
		CacheCreationInputTokens: u.CacheCreationInputTokens + o.CacheCreationInputTokens,
		CacheReadInputTokens:     u.CacheReadInputTokens + o.CacheReadInputTokens,
	}
}

// TotalInput is every input token of the request: uncached, written to cache and read from it.
func (u Usage) TotalInput() int {
	return u.InputTokens + u.CacheCreationInputTokens + u.CacheReadInputTokens
}

// Stop reasons.
const (
	StopEndTurn      = "end_turn"
	StopToolUse      = "tool_use"
	StopMaxTokens    = "max_tokens"
	StopSequence     = "stop_sequence"
	StopRefusal      = "refusal"
	StopPauseTurn    = "pause_turn"
	StopContextLimit = "model_context_window_exceeded"
)

// Response is the message object of a response (message_start carries it with empty content;
// the Accumulator completes it).
type Response struct {
	ID           string         `json:"id"`
	Type         string         `json:"type"` // "message"
	Role         string         `json:"role"`
	Model        string         `json:"model"`
	Content      []ContentBlock `json:"content"`
	StopReason   string         `json:"stop_reason"`
	StopSequence *string        `json:"stop_sequence"`
	Usage        Usage          `json:"usage"`
}

// Message returns the response as an assistant message for the next request.
func (r *Response) Message() Message {
	return Message{Role: RoleAssistant, Content: r.Content}
}

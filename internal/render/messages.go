package render

import (
	"cmp"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/strata-agent/strata/internal/agent"
	"github.com/strata-agent/strata/internal/llm"
)

// The stream-json message shapes, key for key as the reference 2.1.197 writes them
// (../shared/spec/AGENT-SDK.md §5.1); messages_test.go compares the key sets.

// message is an assistant or stream_event line.
type message struct {
	Type            string     `json:"type"`
	Message         any        `json:"message,omitempty"`
	Event           *llm.Event `json:"event,omitempty"`
	ParentToolUseID *string    `json:"parent_tool_use_id"` // null at the top level
	SessionID       string     `json:"session_id"`
	UUID            string     `json:"uuid"`
}

// assistantBody is an assistant line's message as the reference writes it: the response with
// context_management, which the API sends null unless the request managed the context
// (strata's never do).
type assistantBody struct{ *llm.Response }

func (a assistantBody) MarshalJSON() ([]byte, error) {
	if a.Response == nil {
		return []byte("null"), nil
	}
	b, err := json.Marshal(a.Response)
	if err != nil || len(b) < 2 {
		return b, err
	}
	return append(b[:len(b)-1], `,"context_management":null}`...), nil
}

// userMessage is a user line: tool results echoed back, with when and what they returned.
type userMessage struct {
	Type            string       `json:"type"`
	Message         *llm.Message `json:"message"`
	ParentToolUseID *string      `json:"parent_tool_use_id"`
	SessionID       string       `json:"session_id"`
	UUID            string       `json:"uuid"`
	Timestamp       string       `json:"timestamp,omitempty"`
	ToolUseResult   any          `json:"tool_use_result,omitempty"`
}

func userLine(m *llm.Message, sessionID string, isBash func(id string) bool) userMessage {
	u := userMessage{Type: "user", Message: m, SessionID: sessionID, UUID: uuid.NewString()}
	for _, b := range m.Content {
		if b.Type == llm.TypeToolResult {
			u.Timestamp = time.Now().UTC().Format("2006-01-02T15:04:05.000Z")
			u.ToolUseResult = toolResultText(b)
			if !b.IsError && isBash != nil && isBash(b.ToolUseID) {
				u.ToolUseResult = bashResult{Stdout: toolResultText(b)}
			}
			break
		}
	}
	return u
}

// bashResult is the reference's tool_use_result of a Bash call that ran: its output, which
// strata's Bash tool gives as one text (stderr merged into it).
type bashResult struct {
	Stdout           string `json:"stdout"`
	Stderr           string `json:"stderr"`
	Interrupted      bool   `json:"interrupted"`
	IsImage          bool   `json:"isImage"`
	NoOutputExpected bool   `json:"noOutputExpected"`
}

// toolResultText is a tool_result's text, the tool_use_result of calls that returned text;
// a refused or failed call's is "Error: …" as in the reference.
func toolResultText(b llm.ContentBlock) string {
	text := b.Text
	for _, c := range b.Content {
		if c.Type == llm.TypeText {
			text += c.Text
		}
	}
	if b.IsError {
		return "Error: " + text
	}
	return text
}

// initMessage is the system/init line, sent at the start of every turn.
type initMessage struct {
	Type              string      `json:"type"`
	Subtype           string      `json:"subtype"`
	Cwd               string      `json:"cwd"`
	SessionID         string      `json:"session_id"`
	Tools             []string    `json:"tools"`
	MCPServers        []MCPServer `json:"mcp_servers"`
	Model             string      `json:"model"`
	PermissionMode    string      `json:"permissionMode"`
	SlashCommands     []string    `json:"slash_commands"`
	APIKeySource      string      `json:"apiKeySource"`
	Version           string      `json:"claude_code_version"`
	OutputStyle       string      `json:"output_style"`
	Agents            []string    `json:"agents"`
	Skills            []string    `json:"skills"`
	Plugins           []Plugin    `json:"plugins"`
	AnalyticsDisabled bool        `json:"analytics_disabled"`
	FeedbackDisabled  bool        `json:"product_feedback_disabled"`
	UUID              string      `json:"uuid"`
	MemoryPaths       struct{}    `json:"memory_paths"` // strata keeps no automatic memory
	FastModeState     string      `json:"fast_mode_state"`
}

func initLine(in Init, tools []string, servers []MCPServer) initMessage {
	m := initMessage{Type: "system", Subtype: "init", Cwd: in.Cwd, SessionID: in.SessionID, Tools: tools,
		MCPServers: servers, Model: in.Model, PermissionMode: in.PermissionMode, SlashCommands: []string{},
		APIKeySource: in.APIKeySource, Version: in.Version, OutputStyle: in.OutputStyle, Agents: []string{"general-purpose"},
		Skills: []string{}, Plugins: append([]Plugin{}, in.Plugins...), AnalyticsDisabled: true, FeedbackDisabled: true, UUID: uuid.NewString(), FastModeState: "off"}
	if m.APIKeySource == "" {
		m.APIKeySource = "none"
	}
	if m.OutputStyle == "" {
		m.OutputStyle = "default"
	}
	return m
}

// result is the result object (A5), field for field in the reference's order. Success
// results carry "result"; error subtypes carry "errors", always an array, instead.
type result struct {
	Type           string                `json:"type"`
	Subtype        string                `json:"subtype"`
	IsError        bool                  `json:"is_error"`
	APIErrorStatus any                   `json:"api_error_status,omitempty"` // null or a status on success subtypes only
	DurationMS     int64                 `json:"duration_ms"`
	DurationAPIMS  int64                 `json:"duration_api_ms"`
	NumTurns       int                   `json:"num_turns"`
	Result         *string               `json:"result,omitempty"`
	StopReason     *string               `json:"stop_reason"`
	SessionID      string                `json:"session_id"`
	TotalCostUSD   float64               `json:"total_cost_usd"`
	Usage          llm.ReportedUsage     `json:"usage"` // never-null fields, as the Agent SDK types them
	ModelUsage     map[string]modelUsage `json:"modelUsage"`
	Denials        []agent.Denial        `json:"permission_denials"`
	TerminalReason string                `json:"terminal_reason"`
	FastModeState  string                `json:"fast_mode_state,omitempty"` // success subtypes only
	Errors         []string              `json:"errors,omitempty"`
	Structured     json.RawMessage       `json:"structured_output,omitempty"`
	UUID           string                `json:"uuid"`
}

// modelUsage is one model's entry of modelUsage.
type modelUsage struct {
	InputTokens              int     `json:"inputTokens"`
	OutputTokens             int     `json:"outputTokens"`
	CacheReadInputTokens     int     `json:"cacheReadInputTokens"`
	CacheCreationInputTokens int     `json:"cacheCreationInputTokens"`
	WebSearchRequests        int     `json:"webSearchRequests"`
	CostUSD                  float64 `json:"costUSD"`
	ContextWindow            int     `json:"contextWindow"`
	MaxOutputTokens          int     `json:"maxOutputTokens"`
}

// contextWindow is the context size of the Claude models on Bedrock strata runs.
const contextWindow = 200000

// defaultMaxOutput stands in for a model whose limits the session did not learn: the
// client's default max_tokens.
const defaultMaxOutput = 32000

func resultObject(res *agent.Result, sessionID string) result {
	r := result{Type: "result", Subtype: res.Subtype, IsError: res.IsError, SessionID: sessionID,
		NumTurns: res.NumTurns, DurationMS: res.Duration.Milliseconds(), DurationAPIMS: res.APIDuration.Milliseconds(),
		TotalCostUSD: math.Round(res.CostUSD*1e6) / 1e6, Usage: res.Usage.Reported(), Denials: res.Denials, Structured: res.Structured,
		ModelUsage: map[string]modelUsage{}, TerminalReason: terminalReason(res), UUID: uuid.NewString()}
	if r.Denials == nil {
		r.Denials = []agent.Denial{}
	}
	if res.StopReason != "" {
		r.StopReason = &res.StopReason
	}
	for m, u := range res.ModelUsage {
		r.ModelUsage[m] = modelUsage{InputTokens: u.Usage.InputTokens, OutputTokens: u.Usage.OutputTokens,
			CacheReadInputTokens: u.Usage.CacheReadInputTokens, CacheCreationInputTokens: u.Usage.CacheCreationInputTokens,
			CostUSD: math.Round(u.CostUSD*1e6) / 1e6, ContextWindow: cmp.Or(u.ContextWindow, contextWindow),
			MaxOutputTokens: cmp.Or(u.MaxOutputTokens, defaultMaxOutput)}
	}
	status := httpStatus(res.Err)
	switch {
	case res.Subtype == agent.SubtypeSuccess:
		r.success(res.Text, nil)
	case status != nil:
		// A failed model request is reported as the reference does: a "success" subtype
		// marked is_error, with the API's status and message.
		r.Subtype = agent.SubtypeSuccess
		r.success("API Error: "+res.Err.Error(), *status)
	case res.Subtype == agent.SubtypeStructuredRetries:
		r.Errors = []string{"The model ended its turn without a valid structured answer"}
	case res.Subtype == agent.SubtypeMaxBudget:
		r.Errors = []string{"Reached maximum budget"}
	case res.Subtype == agent.SubtypeMaxTurns:
		r.Errors = []string{"Reached maximum number of turns (" + strconv.Itoa(res.NumTurns) + ")"}
	case agent.IsCanceled(res.Err):
		r.Errors = []string{"Interrupted by the user"}
	case res.Err != nil:
		r.Errors = []string{res.Err.Error()}
	default:
		r.Errors = []string{"the turn ended with an error"}
	}
	return r
}

// success fills the fields only success subtypes have.
func (r *result) success(text string, status any) {
	r.Result, r.APIErrorStatus, r.FastModeState = &text, status, "off"
	if status == nil {
		r.APIErrorStatus = json.RawMessage("null")
	}
}

func terminalReason(res *agent.Result) string {
	switch {
	case res.Subtype == agent.SubtypeMaxTurns:
		return "max_turns"
	case res.Subtype == agent.SubtypeMaxBudget:
		return "max_budget"
	case agent.IsCanceled(res.Err):
		return "aborted_tools"
	case res.Err != nil:
		return "error"
	}
	return "completed"
}

// httpStatus is the HTTP status of a failed model request, nil when there was none.
func httpStatus(err error) *int {
	var e *llm.Error
	if errors.As(err, &e) && e.Status > 0 {
		s := e.Status
		return &s
	}
	return nil
}

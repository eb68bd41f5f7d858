// Package agent runs the conversation loop: it sends the history to the model, streams the
// answer, runs the tool calls the model asks for (after the permission check), appends their
// results and repeats until the model ends its turn, the turn limit is reached, the context is
// cancelled or something breaks. The loop is split into named steps (model step, tool step)
// and publishes Events; it knows nothing about terminals. Terminal events (assistant
// messages, tool results, notices) are always delivered; the Sink must not block for long.
package agent

import (
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/sandbox"
	"github.com/strata-agent/strata/internal/tool"
)

// Config is everything a session needs. All of it is passed in; nothing is reached for.
type Config struct {
	Client    llm.Client
	Model     string
	MaxTokens int // 0: the provider's default for the model

	// Small answers one-shot questions (WebFetch) with SmallModel; nil disables them.
	Small      llm.Client
	SmallModel string

	System string // the system prompt, complete
	Memory string // CLAUDE.md content for the first user message (A9); "" for none

	Tools []tool.Tool
	// More offers tools that come and go during the session (MCP servers connecting in the
	// background); asked at every model step, after Tools. nil offers none.
	More ToolSource
	// Cwd, Environ and Todos are where the session's tools start: the working directory,
	// the whole environment of subprocesses (already scrubbed of secrets) and who receives
	// TodoWrite lists. The session builds its own tool.Env from them, so nothing one
	// conversation's tools remember (files read, cd, background jobs, the model they ask)
	// reaches another conversation.
	Cwd     string
	Environ []string
	// ShellEnv is the script Bash runs before each command (what hooks left in
	// CLAUDE_ENV_FILE); nil or "" runs none.
	ShellEnv func() string
	Todos    func([]tool.Todo)
	// Sandbox confines Bash commands (shared by the sessions of one strata); nil: rules only.
	Sandbox *sandbox.Sandbox
	// ReleaseEnv stops what tools left running in a session's Env (background Bash jobs)
	// when the session or a sub-agent is closed; nil does nothing.
	ReleaseEnv  func(*tool.Env)
	Permissions *permission.Checker
	Approver    permission.Approver
	// OnAllowAlways saves a rule the user chose to allow always (the cli writes it to
	// .claude/settings.local.json); nil keeps it for this session only.
	OnAllowAlways func(rule string) error
	// SubAgentTypes are the kinds of sub-agent the Agent tool may start, by name; nil runs
	// every requested type as a plain copy of this session (no Agent tool of its own).
	SubAgentTypes map[string]SubAgentType
	// Hooks runs the user's hooks (A12); nil runs none.
	Hooks    HookRunner
	MaxTurns int // 0: no limit

	// Redact masks secrets in what tools return before the model, the transcript or the
	// screen sees it (B15); nil leaves results as they are.
	Redact func(string) string

	Transcript Recorder // nil: nothing is recorded
	// Checkpoints saves the files the tools change, prompt by prompt, for /rewind; nil keeps
	// none. Sub-agents' changes count as their parent's prompt's.
	Checkpoints Checkpointer
	// SessionID and TranscriptPath tell hooks which session they run for (it changes with
	// /clear and /resume while the hook runner stays the same).
	SessionID, TranscriptPath string
	// MetadataUserID goes into every request as metadata.user_id ("" sends none): the
	// reference's JSON string naming the device and session, which gateways use to
	// attribute usage.
	MetadataUserID string
	// FallbackModel answers for the rest of a run once Model stays overloaded or unavailable
	// after the client's retries (--fallback-model, settings fallbackModel); "" has none.
	FallbackModel string
	Sink          func(Event)
	// Cost prices a response's usage for a model; nil means cost is not tracked.
	Cost func(model string, u llm.Usage) (usd float64, known bool)
	// Limits, when set, gives a model's context window and default max_tokens for the usage
	// report (a result's modelUsage).
	Limits func(model string) (contextWindow, maxOutputTokens int)
	Now    func() time.Time
	// CompactAt is the input size, in tokens, at which the conversation is summarised before
	// the next request (compact.go); nil or a result of 0 turns automatic compaction off.
	CompactAt func(model string) int
	// RequireStructured: the turn must end with a StructuredOutput call (--json-schema); the
	// model is reminded when it ends without one, a few times, then the run fails.
	RequireStructured bool
	// Thinking, Effort and Betas go into every main-model request as asked (--thinking,
	// --max-thinking-tokens, --effort, --betas); the provider keeps what the model takes.
	Thinking *llm.Thinking
	Effort   string
	Betas    []string
	// MaxBudgetUSD ends a run once the session's cost reaches it (0: no limit).
	MaxBudgetUSD float64
}

// ToolSource is a changing set of tools (internal/mcp's Manager).
type ToolSource interface {
	// Tools lists the tools on offer now.
	Tools() []tool.Tool
	// Tool finds one by name, also one no longer listed (a server that died answers its
	// calls with an error instead of leaving the model with "no such tool").
	Tool(name string) (tool.Tool, bool)
}

// Recorder stores the conversation as it happens (the session transcript).
type Recorder interface {
	AppendUser(m llm.Message) error
	AppendAssistant(r *llm.Response, model string) error
	// Sync makes everything appended durable; called before each model request.
	Sync() error
}

// Checkpointer keeps file checkpoints (internal/checkpoint through the host). It reports its
// own failures: a checkpoint that cannot be saved never stops a prompt or a write.
type Checkpointer interface {
	// Snapshot records the tracked files' state before the prompt whose transcript entry has
	// the uuid promptID.
	Snapshot(promptID string)
	// Track saves the file at path before a tool's first change to it in this prompt.
	Track(path string)
}

// Result is the outcome of one Run, shaped for print mode's result object (A5).
type Result struct {
	Subtype     string // SubtypeSuccess, SubtypeMaxTurns or SubtypeError
	IsError     bool
	Text        string // the final assistant text
	NumTurns    int
	Duration    time.Duration
	APIDuration time.Duration
	Usage       llm.Usage // summed over every model call of the session
	CostUSD     float64
	Denials     []Denial
	Err         error                 // the error that ended the run, for SubtypeError
	StopReason  string                // the last model response's stop_reason
	ModelUsage  map[string]ModelUsage // usage and cost per model, for modelUsage
	Structured  json.RawMessage       // the StructuredOutput answer, with Config.RequireStructured
}

// Result subtypes (A5).
const (
	SubtypeSuccess  = "success"
	SubtypeMaxTurns = "error_max_turns"
	SubtypeError    = "error_during_execution"
	// SubtypeStructuredRetries: the model kept ending its turn without a valid structured answer.
	SubtypeStructuredRetries = "error_max_structured_output_retries"
	// SubtypeMaxBudget: the session's cost reached Config.MaxBudgetUSD.
	SubtypeMaxBudget = "error_max_budget_usd"
)

// Denial is a tool call that permissions refused, as listed in permission_denials.
type Denial struct {
	ToolName  string          `json:"tool_name"`
	ToolUseID string          `json:"tool_use_id"`
	ToolInput json.RawMessage `json:"tool_input"`
}

// ModelUsage is what one model consumed in a session.
type ModelUsage struct {
	Usage   llm.Usage
	CostUSD float64
	Known   bool // false when the model has no price in the catalog
	// ContextWindow and MaxOutputTokens are the model's limits as the client applies them
	// (Config.Limits); 0 when unknown.
	ContextWindow, MaxOutputTokens int
}

// Session is one conversation. It is not safe for concurrent Runs. It owns everything the
// conversation accumulates: the messages, usage and cost, denials, and its tools' Env (read
// stamps, working directory, background jobs, the sub-agents and model questions they start).
type Session struct {
	cfg      Config
	env      *tool.Env
	messages []llm.Message
	usage    map[string]*ModelUsage
	apiTime  time.Duration
	denials  []Denial
	tools    map[string]tool.Tool
	// lastInput is the whole input of the latest main-model response, for CompactAt.
	lastInput int
	subAgent  bool // an Agent-tool sub-agent: no prompt hooks; its Stop is SubagentStop
	// agentID and agentType name a sub-agent run for its hooks.
	agentID, agentType string

	mu       sync.Mutex // guards what concurrent tool calls write: denials, hookStop
	hookStop string     // why a hook said "continue": false, until the run ends
	// structured is the StructuredOutput answer of the current run, set by the tool step.
	structured json.RawMessage
	// fallback is set once the main model was overloaded or unavailable in this run and
	// Config.FallbackModel answers instead, until the run ends.
	fallback bool
}

// New starts a session, continuing history when it is not empty (resume).
func New(cfg Config, history []llm.Message) *Session {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Sink == nil {
		cfg.Sink = func(Event) {}
	}
	if cfg.Permissions == nil {
		cfg.Permissions = &permission.Checker{Mode: permission.ModeDefault}
	}
	if cfg.Approver == nil {
		cfg.Approver = permission.DenyApprover{}
	}
	s := &Session{cfg: cfg, messages: append([]llm.Message(nil), history...),
		usage: map[string]*ModelUsage{}, tools: map[string]tool.Tool{}}
	for _, t := range cfg.Tools {
		s.tools[t.Name()] = t
	}
	s.env = tool.NewEnv(cfg.Cwd)
	s.env.Environ, s.env.Todos, s.env.Now, s.env.Sandbox = cfg.Environ, cfg.Todos, cfg.Now, cfg.Sandbox
	s.env.ShellEnv = cfg.ShellEnv
	// Searches and listings hide what the Read rules keep from the model: one decision, the
	// checker's, for every tool that reads.
	filter := cfg.Permissions.ReadFilter()
	s.env.CanRead, s.env.CanReadWalk = filter.Allows, filter.ForWalk
	s.env.Mode, s.env.SetMode = cfg.Permissions.CurrentMode, cfg.Permissions.SetMode
	s.env.SubAgents = subAgents{s}
	s.env.Grant = func(rules []string, source string) error {
		var errs []error
		for _, r := range rules {
			errs = append(errs, cfg.Permissions.Grant(r, source))
		}
		return errors.Join(errs...)
	}
	if cfg.Small != nil {
		s.env.Model = asker{s}
	}
	if cfg.Checkpoints != nil {
		s.env.BeforeWrite = cfg.Checkpoints.Track
	}
	return s
}

// tool finds a tool by the name a call gives: a fixed one first (the Agent tool also answers
// to its old name Task, which models trained on it may still use), then one of cfg.More.
func (s *Session) tool(name string) (tool.Tool, bool) {
	if t, ok := s.tools[name]; ok {
		return t, true
	}
	if t, ok := s.tools[AgentToolName]; ok && name == LegacyAgentToolName {
		return t, true
	}
	if s.cfg.More != nil {
		return s.cfg.More.Tool(name)
	}
	return nil, false
}

// allTools is the fixed tools and then those cfg.More offers now, without duplicate names.
func (s *Session) allTools() []tool.Tool {
	if s.cfg.More == nil {
		return s.cfg.Tools
	}
	out := append([]tool.Tool(nil), s.cfg.Tools...)
	for _, t := range s.cfg.More.Tools() {
		if _, fixed := s.tools[t.Name()]; !fixed {
			out = append(out, t)
		}
	}
	return out
}

// Close stops what the session's tools left running (background jobs). The session must not
// run again afterwards.
func (s *Session) Close() {
	if s.cfg.ReleaseEnv != nil {
		s.cfg.ReleaseEnv(s.env)
	}
}

// Cwd is the session's working directory, which Bash's cd moves.
func (s *Session) Cwd() string { return s.env.Cwd() }

// SessionID is the ID hooks are told (the transcript's).
func (s *Session) SessionID() string { return s.cfg.SessionID }

// Messages returns the conversation so far.
func (s *Session) Messages() []llm.Message { return append([]llm.Message(nil), s.messages...) }

// Usage returns per-model usage and cost so far.
func (s *Session) Usage() map[string]ModelUsage {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]ModelUsage{}
	for m, u := range s.usage {
		out[m] = *u
	}
	return out
}

// SetModel switches the main model for the next turns (/model).
func (s *Session) SetModel(model string) { s.cfg.Model = model }

// SetThinking changes extended thinking for the next turns (the Agent SDK's
// set_max_thinking_tokens); nil leaves it to the model's default.
func (s *Session) SetThinking(t *llm.Thinking) { s.cfg.Thinking = t }

// SetSystem replaces the system prompt for the next turns (/output-style). Like SetModel it
// is called between turns.
func (s *Session) SetSystem(system string) { s.cfg.System = system }

// Model is the main model in use.
func (s *Session) Model() string { return s.cfg.Model }

// Rewind replaces the conversation with history, what /rewind cut it back to (before one of
// its prompts). What Read showed is forgotten: those results may have left the conversation.
// Like SetModel it is called between turns.
func (s *Session) Rewind(history []llm.Message) {
	s.messages = append([]llm.Message(nil), history...)
	s.env.ForgetViews()
}

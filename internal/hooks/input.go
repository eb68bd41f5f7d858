package hooks

import (
	"context"
	"encoding/json"
)

// Input describes one event for the hooks. Fields that do not belong to the event are left
// empty and are not sent.
type Input struct {
	Event          Event
	SessionID      string // "" means the Runner's
	TranscriptPath string // "" means the Runner's
	Cwd            string // the session's working directory; "" means the project directory
	PermissionMode string

	// PreToolUse and PostToolUse.
	ToolName     string
	ToolUseID    string
	ToolInput    json.RawMessage
	ToolResponse json.RawMessage // PostToolUse only
	Error        string          // PostToolUseFailure: what the tool reported; StopFailure: why the turn failed

	Prompt string // UserPromptSubmit

	StopHookActive bool // Stop: the model is already going on because a Stop hook said so

	Source             string // SessionStart: startup, resume, clear or compact; ConfigChange: user_settings…
	Reason             string // SessionEnd: clear, logout, prompt_input_exit or other
	Trigger            string // PreCompact: manual or auto
	CustomInstructions string // PreCompact: the /compact focus, if any
	CompactSummary     string // PostCompact: the summary that replaced the history
	Message            string // Notification: the text shown to the user
	NotificationType   string // Notification: what it is about (permission_prompt, idle_prompt…)

	AgentID   string // SubagentStart, SubagentStop: this run of the sub-agent
	AgentType string // SubagentStart, SubagentStop: its kind (general-purpose, Explore, a custom name)
	// LastAssistantMessage is the sub-agent's final text (SubagentStop).
	LastAssistantMessage string

	DeniedReason   string // PermissionDenied: why the call was refused
	OldCwd, NewCwd string // CwdChanged
	// InstructionsLoaded: the memory file (and ConfigChange: the settings file), its kind (User, Project, Local, Managed) and why
	// it was read (session_start…).
	FilePath, MemoryType, LoadReason string
	// FileEvent is what happened to FilePath (FileChanged): change, add or unlink.
	FileEvent string

	// Ask answers prompt hooks with the small/fast model, counted in the session's cost;
	// nil where no session runs (prompt hooks are then reported and skipped).
	Ask func(ctx context.Context, system, prompt string) (string, error)
}

// wire is the JSON object a hook reads on stdin, with the reference's field names.
func (in Input) wire() map[string]any {
	m := map[string]any{
		"session_id":      in.SessionID,
		"transcript_path": in.TranscriptPath,
		"cwd":             in.Cwd,
		"hook_event_name": string(in.Event),
	}
	if in.PermissionMode != "" {
		m["permission_mode"] = in.PermissionMode
	}
	raw := func(r json.RawMessage) json.RawMessage {
		if len(r) == 0 || !json.Valid(r) {
			return json.RawMessage("{}")
		}
		return r
	}
	switch in.Event {
	case PreToolUse, PostToolUse:
		m["tool_name"] = in.ToolName
		m["tool_input"] = raw(in.ToolInput)
		if in.ToolUseID != "" {
			m["tool_use_id"] = in.ToolUseID
		}
		if in.Event == PostToolUse {
			m["tool_response"] = raw(in.ToolResponse)
		}
	case PostToolUseFailure, PermissionRequest:
		m["tool_name"] = in.ToolName
		m["tool_input"] = raw(in.ToolInput)
		if in.ToolUseID != "" {
			m["tool_use_id"] = in.ToolUseID
		}
		if in.Event == PostToolUseFailure {
			m["error"] = in.Error
		}
	case PermissionDenied:
		m["tool_name"], m["tool_input"], m["reason"] = in.ToolName, raw(in.ToolInput), in.DeniedReason
		if in.ToolUseID != "" {
			m["tool_use_id"] = in.ToolUseID
		}
	case CwdChanged:
		m["old_cwd"], m["new_cwd"] = in.OldCwd, in.NewCwd
	case InstructionsLoaded:
		m["file_path"], m["memory_type"], m["load_reason"] = in.FilePath, in.MemoryType, in.LoadReason
	case FileChanged:
		m["file_path"], m["event"] = in.FilePath, in.FileEvent
	case UserPromptSubmit:
		m["prompt"] = in.Prompt
	case Stop:
		m["stop_hook_active"] = in.StopHookActive
	case SessionStart:
		m["source"] = in.Source
	case ConfigChange:
		m["source"] = in.Source
		if in.FilePath != "" {
			m["file_path"] = in.FilePath
		}
	case SessionEnd:
		m["reason"] = in.Reason
	case PreCompact:
		m["trigger"] = in.Trigger
		m["custom_instructions"] = in.CustomInstructions
	case PostCompact:
		m["trigger"] = in.Trigger
		m["compact_summary"] = in.CompactSummary
	case StopFailure:
		m["error"] = in.Error
	case SubagentStart:
		m["agent_id"], m["agent_type"] = in.AgentID, in.AgentType
	case SubagentStop:
		m["agent_id"], m["agent_type"] = in.AgentID, in.AgentType
		m["stop_hook_active"] = in.StopHookActive
		m["last_assistant_message"] = in.LastAssistantMessage
	case Notification:
		m["message"] = in.Message
		if in.NotificationType != "" {
			m["notification_type"] = in.NotificationType
		}
	}
	return m
}

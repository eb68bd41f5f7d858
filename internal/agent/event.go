package agent

import (
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/tool"
)

// EventKind says what an Event reports.
type EventKind int

const (
	// EventStream carries one raw model stream event (token deltas), for live display.
	EventStream EventKind = iota + 1
	// EventAssistant carries a complete assistant message.
	EventAssistant
	// EventToolStart says a tool call is about to run.
	EventToolStart
	// EventToolResult carries a finished tool call's result.
	EventToolResult
	// EventUser carries the user message of tool results sent back to the model.
	EventUser
	// EventNotice carries client progress: retries, credential refreshes, warnings.
	EventNotice
	// EventDenied says a tool call was refused by permissions.
	EventDenied
)

// Event is something that happened during a Run.
type Event struct {
	Kind      EventKind
	Stream    *llm.Event
	Assistant *llm.Response
	Model     string            // with EventAssistant: the model that answered
	User      *llm.Message      // EventUser
	ToolUse   *llm.ContentBlock // EventToolStart, EventToolResult, EventDenied
	Result    *tool.Result      // EventToolResult
	Notice    *llm.Notice       // EventNotice
	Reason    string            // EventDenied
	// UUID, with EventAssistant, is the transcript entry's uuid, for hosts that show it.
	UUID string
}

func (s *Session) emit(ev Event) { s.cfg.Sink(ev) }

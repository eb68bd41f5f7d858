package render

import "github.com/google/uuid"

// HookActivity is one hook starting or ending, for stream-json's hook_started and
// hook_response system messages.
type HookActivity struct {
	ID, Name, Event        string
	Done                   bool
	Stdout, Stderr, Output string
	ExitCode               *int // left out when nil
	Outcome                string
}

// Hook writes a hook's start or end in stream-json; other formats show nothing.
func (p *Printer) Hook(h HookActivity) {
	if p.opts.Format != FormatStreamJSON {
		return
	}
	if !h.Done {
		p.line(struct {
			Type      string `json:"type"`
			Subtype   string `json:"subtype"`
			HookID    string `json:"hook_id"`
			HookName  string `json:"hook_name"`
			HookEvent string `json:"hook_event"`
			UUID      string `json:"uuid"`
			SessionID string `json:"session_id"`
		}{"system", "hook_started", h.ID, h.Name, h.Event, uuid.NewString(), p.opts.SessionID})
		return
	}
	p.line(struct {
		Type      string `json:"type"`
		Subtype   string `json:"subtype"`
		HookID    string `json:"hook_id"`
		HookName  string `json:"hook_name"`
		HookEvent string `json:"hook_event"`
		Output    string `json:"output"`
		Stdout    string `json:"stdout"`
		Stderr    string `json:"stderr"`
		ExitCode  *int   `json:"exit_code,omitempty"`
		Outcome   string `json:"outcome"`
		UUID      string `json:"uuid"`
		SessionID string `json:"session_id"`
	}{"system", "hook_response", h.ID, h.Name, h.Event, h.Output, h.Stdout, h.Stderr, h.ExitCode, h.Outcome,
		uuid.NewString(), p.opts.SessionID})
}

// PermissionMode writes the status message the reference sends when the permission mode
// changes (status null, the new permissionMode), in stream-json only.
func (p *Printer) PermissionMode(mode string) {
	if p.opts.Format != FormatStreamJSON {
		return
	}
	p.line(struct {
		Type           string  `json:"type"`
		Subtype        string  `json:"subtype"`
		Status         *string `json:"status"`
		PermissionMode string  `json:"permissionMode"`
		UUID           string  `json:"uuid"`
		SessionID      string  `json:"session_id"`
	}{"system", "status", nil, mode, uuid.NewString(), p.opts.SessionID})
}

package session

import (
	"encoding/json"
	"fmt"
)

// TypePermissionMode is the reference's line recording the session's permission mode, as
// {"type":"permission-mode","permissionMode":…,"sessionId":…}: metadata outside the chain of
// messages, the last one counting. Resuming reads it back (SavedPermissionMode).
const TypePermissionMode = "permission-mode"

// savedMode is the mode the entries record last: the last permission-mode line.
func savedMode(entries []Entry) string {
	for i := len(entries) - 1; i >= 0; i-- {
		if e := entries[i]; e.Type == TypePermissionMode && e.PermissionMode != "" {
			return e.PermissionMode
		}
	}
	return ""
}

// SavedPermissionMode is the permission mode the transcript recorded last, as read when it
// was resumed or written since; "" when it records none. Whether to apply it is the
// caller's decision (the reference never restores plan or bypassPermissions).
func (t *Transcript) SavedPermissionMode() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.recorded
}

// RecordPermissionMode appends a permission-mode line when mode differs from the one the
// transcript records last ("default" is what a transcript without one means). The line is
// metadata, like the reference's: it has no uuid and the chain of messages does not pass
// through it.
func (t *Transcript) RecordPermissionMode(mode string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if mode == t.recorded || mode == "default" && t.recorded == "" || mode == "" {
		return nil
	}
	if t.f == nil {
		return fmt.Errorf("session: transcript %s is closed", t.path)
	}
	raw, err := json.Marshal(struct {
		Type           string `json:"type"`
		PermissionMode string `json:"permissionMode"`
		SessionID      string `json:"sessionId"`
	}{TypePermissionMode, mode, t.id})
	if err != nil {
		return err
	}
	line := append(t.red.JSON(raw), '\n') // nothing secret in it, but every line goes through the redactor
	if _, err := t.f.Write(line); err != nil {
		return fmt.Errorf("session: write transcript %s: %w", t.path, err)
	}
	t.recorded = mode
	return nil
}

package session

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// TypeCustomTitle is the line the reference's /rename writes: the name the user gave the
// session, which its /resume list shows instead of the first prompt.
const TypeCustomTitle = "custom-title"

// AppendTitle names the session (/rename), as the reference does: a line of its own with
// only the type, the title and the session ID. It has no uuid and is no link of the
// conversation's parentUuid chain, so the next message still follows the last one.
func (t *Transcript) AppendTitle(title string) error {
	title = strings.TrimSpace(title)
	if title == "" {
		return errors.New("a session name cannot be empty")
	}
	raw, err := json.Marshal(struct {
		Type        string `json:"type"`
		CustomTitle string `json:"customTitle"`
		SessionID   string `json:"sessionId"`
	}{TypeCustomTitle, title, t.id})
	if err != nil {
		return fmt.Errorf("session: encode title: %w", err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.f == nil {
		return fmt.Errorf("session: transcript %s is closed", t.path)
	}
	line := append(t.red.JSON(raw), '\n')
	if _, err := t.f.Write(line); err != nil {
		return fmt.Errorf("session: write transcript %s: %w", t.path, err)
	}
	return nil
}

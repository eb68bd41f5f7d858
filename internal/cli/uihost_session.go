package cli

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/strata-agent/strata/internal/tui"
)

// The host's side of /rename and /fork: the conversation's name, and a copy of it under a new
// session ID.

// RenameSession names the running conversation in its transcript (/rename).
func (h *host) RenameSession(name string) error {
	tr := h.transcript()
	if tr == nil {
		return errors.New("no conversation is running")
	}
	return tr.AppendTitle(name)
}

// ForkSession is /fork: the conversation so far is written into a new transcript, as
// --fork-session writes it, titled as the reference titles a fork ("<name> (fork)"), and the
// UI continues there. The old transcript is left as it was. The new session starts with the
// old one's usage, so the cost shown goes on from what building the conversation cost.
func (h *host) ForkSession(title string) (tui.Session, string, error) {
	old, oldTr := h.current(), h.transcript()
	if old == nil || oldTr == nil {
		return nil, "", errors.New("no conversation is running")
	}
	history := old.Messages()
	if len(history) == 0 {
		return nil, "", errors.New("there is nothing to fork yet: the conversation is empty")
	}
	if title == "" {
		title = h.sessionName(oldTr.ID()) + " (fork)"
	}
	tr, err := h.store.Create("", h.a.env.Cwd, h.st.redactor)
	if err != nil {
		return nil, "", err
	}
	if err := copyHistory(tr, history, old.Model()); err == nil {
		err = tr.AppendTitle(title)
	}
	if err != nil {
		_ = tr.Close()
		_ = os.Remove(tr.Path()) // a half-written fork would show up in /resume
		return nil, "", fmt.Errorf("writing the new session: %w", err)
	}
	usage, model := old.Usage(), old.Model()
	h.switchTo(tr, history, "resume")
	sess := h.current()
	sess.SetModel(model) // a model chosen with /model stays chosen
	for m, u := range usage {
		sess.AddPastUsage(m, u.Usage)
	}
	return sess, tr.ID(), nil
}

// sessionName is what a session is called in /resume: its title, else its first prompt.
func (h *host) sessionName(id string) string {
	infos, _ := h.store.List(h.a.env.Cwd)
	for _, in := range infos {
		if in.ID != id {
			continue
		}
		if in.Title != "" {
			return in.Title
		}
		if p := strings.TrimSpace(in.FirstPrompt); p != "" {
			return p
		}
	}
	return "Forked session"
}

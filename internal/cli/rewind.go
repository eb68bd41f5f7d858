package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/strata-agent/strata/internal/agent"
	"github.com/strata-agent/strata/internal/checkpoint"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/session"
	"github.com/strata-agent/strata/internal/settings"
	"github.com/strata-agent/strata/internal/tui"
)

// disableCheckpointsEnv turns file checkpoints off, as it does in the reference.
const disableCheckpointsEnv = "CLAUDE_CODE_DISABLE_FILE_CHECKPOINTING"

// checkpointsOff says why the interactive UI keeps no file checkpoints, or "" when it does:
// settings fileCheckpointingEnabled false, or CLAUDE_CODE_DISABLE_FILE_CHECKPOINTING. A
// setting that is not a boolean is ignored (checkpoints stay on), never an error. Print mode
// keeps none, as the reference's does unless its SDK asks.
func checkpointsOff(env Env, s *settings.Settings) string {
	if on, _ := settings.Truthy(env.Getenv(disableCheckpointsEnv)); on {
		return disableCheckpointsEnv + " is set"
	}
	if s == nil {
		return ""
	}
	var enabled bool
	if raw, ok := s.Extra["fileCheckpointingEnabled"]; ok && json.Unmarshal(raw, &enabled) == nil && !enabled {
		return "fileCheckpointingEnabled is false in " + s.ExtraSource["fileCheckpointingEnabled"].Path
	}
	return ""
}

// checkpoints is a conversation's file checkpoints as the agent uses them; it tells the user,
// through notices, what could not be saved.
type checkpoints struct {
	store *checkpoint.Store
	note  func(string)
}

func (c checkpoints) Snapshot(promptID string) {
	if err := c.store.Snapshot(promptID); err != nil {
		c.note("checkpoint: " + err.Error())
	}
}

func (c checkpoints) Track(path string) {
	if err := c.store.Track(checkpoint.RealPath(path)); err != nil {
		c.note(err.Error() + " (a /rewind will leave it as it is)")
	}
}

// openCheckpoints gives the conversation on tr its checkpoint store, with the snapshots its
// transcript holds when it is resumed. nil when checkpoints are off or cannot be kept (said
// in a warning through w).
func (h *host) openCheckpoints(tr *session.Transcript, resumed bool, w func(string)) *checkpoint.Store {
	if h.cpOff = checkpointsOff(h.a.env, h.st.settings); h.cpOff != "" {
		return nil
	}
	cp, err := checkpoint.New(checkpoint.Options{Root: filepath.Join(configDir(h.a.env), "file-history"),
		SessionID: tr.ID(), Cwd: h.a.env.Cwd, Persist: func(l checkpoint.Line) error { return tr.AppendLine(l) }})
	if err == nil && resumed {
		var lines []checkpoint.Line
		if lines, err = checkpoint.ReadLines(tr.Path()); err == nil {
			err = cp.Load(lines, tr.ID())
		}
	}
	if err != nil {
		w("file checkpoints: " + err.Error())
		if cp == nil {
			h.cpOff = "file checkpoints are unavailable"
		}
	}
	return cp
}

// agentCheckpoints is cp as the agent takes it: a nil interface when there is none.
func (h *host) agentCheckpoints(cp *checkpoint.Store) agent.Checkpointer {
	if cp == nil {
		return nil
	}
	return checkpoints{store: cp, note: func(text string) {
		h.bridge.Event(agent.Event{Kind: agent.EventNotice, Notice: &llm.Notice{Kind: llm.NoticeWarning, Text: text}})
	}}
}

// RewindPoints lists the conversation's prompts for /rewind, with what restoring the code
// to before each would change (tui.Rewinder).
func (h *host) RewindPoints() ([]tui.RewindPoint, error) {
	h.mu.Lock()
	tr, cp, off := h.tr, h.cp, h.cpOff
	h.mu.Unlock()
	prompts, err := tr.Prompts()
	if err != nil {
		return nil, err
	}
	out := make([]tui.RewindPoint, 0, len(prompts))
	for _, p := range prompts {
		point := tui.RewindPoint{ID: p.UUID, Content: p.Content, Time: p.Time, Off: off}
		if cp != nil {
			if c, ok := cp.Changes(p.UUID); ok {
				point.Checkpoint, point.Files, point.Insertions, point.Deletions, point.Skipped =
					true, c.Files, c.Insertions, c.Deletions, c.Skipped
			}
		}
		out = append(out, point)
	}
	return out, nil
}

// Rewind restores the files, the conversation or both to before the prompt id (tui.Rewinder).
// Restoring a file is refused where a deny rule now forbids editing it.
func (h *host) Rewind(id string, code, conversation bool) (tui.RewindResult, error) {
	h.mu.Lock()
	tr, sess, cp := h.tr, h.sess, h.cp
	h.mu.Unlock()
	var res tui.RewindResult
	var errs []error
	if code {
		if cp == nil {
			errs = append(errs, errors.New("the code was not restored: file checkpoints are off"))
		} else {
			files, err := cp.Rewind(id, h.mayRestore)
			res.Files = files
			if err != nil {
				errs = append(errs, err)
			}
		}
	}
	if conversation {
		msgs, err := tr.RewindTo(id)
		if err != nil {
			errs = append(errs, fmt.Errorf("the conversation was not restored: %w", err))
		} else {
			sess.Rewind(msgs)
			res.Conversation = true
		}
	}
	return res, errors.Join(errs...)
}

// mayRestore refuses a file a deny rule keeps the file tools from editing now, and a
// protected one (settings files, .git, shell start-up files…) no allow rule names: putting an
// earlier settings.local.json back could bring back allow rules the user has since removed,
// so those are named for the user to restore by hand. Asking for the rewind answers every
// other question an edit would ask.
func (h *host) mayRestore(abs string) error {
	input, _ := json.Marshal(map[string]string{"file_path": abs})
	d := h.st.checker.Check(permission.Call{Tool: "Write", Input: input, Class: permission.ClassEdit, Cwd: h.a.env.Cwd})
	switch {
	case d.Behavior == permission.Deny && d.Rule != "":
		return errors.New(d.Reason)
	case d.Protected && d.Behavior != permission.Allow:
		return fmt.Errorf("%s was not restored: it is a protected file (settings, .git, shell start-up files); restore it yourself if you mean to", abs)
	}
	return nil
}

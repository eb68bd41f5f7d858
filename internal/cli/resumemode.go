package cli

import (
	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/session"
)

// restoreMode applies the permission mode a continued or resumed session recorded (-c, -r),
// as the reference does (its sessionRestore): only when no mode was chosen now (modeChosen)
// and only acceptEdits or dontAsk. plan and bypassPermissions are never restored: bypassing
// needs the flag again. It returns a note for the user, "" when nothing changed.
func restoreMode(st *stack, opts *Options) string {
	if st.transcript == nil || len(st.history) == 0 || modeChosen(st, opts) {
		return ""
	}
	saved, ok := restorable(st.transcript)
	if !ok {
		return ""
	}
	st.checker.SetMode(saved)
	st.mode = saved
	return restoredNote(saved)
}

// modeChosen reports whether the mode at start was chosen — by --permission-mode,
// --dangerously-skip-permissions, or (stricter than the reference) the settings'
// defaultMode — so that no saved mode replaces it.
func modeChosen(st *stack, opts *Options) bool {
	return opts.PermissionMode != "" || opts.SkipPerms || st.mode != permission.ModeDefault
}

// restorable is the mode tr recorded, when it is one a resume may restore.
func restorable(tr *session.Transcript) (permission.Mode, bool) {
	saved := permission.Mode(tr.SavedPermissionMode())
	return saved, saved == permission.ModeAcceptEdits || saved == permission.ModeDontAsk
}

func restoredNote(mode permission.Mode) string {
	return "permission mode " + string(mode) + " restored from the session (shift+tab changes it)"
}

// restoreResumed is restoreMode for /resume in the UI: the resumed session's mode replaces
// the default mode unless the mode at start was chosen. It runs before the switch, so the
// new conversation's SessionStart hooks see the mode; the UI reads it through CurrentMode.
func (h *host) restoreResumed(tr *session.Transcript) {
	if h.modeChosen || h.st.checker.CurrentMode() != permission.ModeDefault {
		return
	}
	if saved, ok := restorable(tr); ok {
		h.st.checker.SetMode(saved) // not recorded: tr already records it, the old one must not
	}
}

// CurrentMode is the running session's permission mode, for the UI to show after /resume.
func (h *host) CurrentMode() permission.Mode { return h.st.checker.CurrentMode() }

// recordMode writes the session's permission mode into its transcript when it changed, so
// that -c and -r can restore it. A failed write only loses that.
func (h *host) recordMode(mode permission.Mode) {
	h.mu.Lock()
	tr := h.tr
	h.mu.Unlock()
	if tr != nil {
		_ = tr.RecordPermissionMode(string(mode))
	}
}

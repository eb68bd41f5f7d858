package cli

import (
	"github.com/strata-agent/strata/internal/permission"
)

// restoreMode applies the permission mode a continued or resumed session recorded (-c, -r),
// as the reference does (its sessionRestore): only when no mode was chosen now — not by
// --permission-mode or --dangerously-skip-permissions, and, stricter than the reference, not
// by the settings' defaultMode either — and only acceptEdits or dontAsk. plan and
// bypassPermissions are never restored: bypassing needs the flag again. It returns a note
// for the user, "" when nothing changed.
func restoreMode(st *stack, opts *Options) string {
	if st.transcript == nil || len(st.history) == 0 || opts.PermissionMode != "" || opts.SkipPerms ||
		st.mode != permission.ModeDefault {
		return ""
	}
	saved := permission.Mode(st.transcript.SavedPermissionMode())
	if saved != permission.ModeAcceptEdits && saved != permission.ModeDontAsk {
		return ""
	}
	st.checker.SetMode(saved)
	st.mode = saved
	return "permission mode " + string(saved) + " restored from the session (shift+tab changes it)"
}

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

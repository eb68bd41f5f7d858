package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/strata-agent/strata/internal/settings"
)

// The host's side of /add-dir: a working directory added while strata runs, for the
// permission decision at once and, when the user asks, for later sessions through the local
// settings' permissions.additionalDirectories. Only the user's own /add-dir widens the
// working directories here: nothing the model or the repository says reaches these calls.

// CheckDir resolves path (~ is the home directory, a relative path starts at the working
// directory) and says, as the reference does, why it cannot be added.
func (h *host) CheckDir(path string) (string, error) {
	path = strings.TrimSpace(path)
	if path == "" {
		return "", errors.New("please give a directory path")
	}
	abs := path
	if abs == "~" || strings.HasPrefix(abs, "~/") {
		abs = filepath.Join(h.a.env.Home, strings.TrimPrefix(abs, "~"))
	}
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(h.a.env.Cwd, abs)
	}
	abs = filepath.Clean(abs)
	fi, err := os.Stat(abs)
	switch {
	case err != nil:
		return "", fmt.Errorf("path %s was not found", abs)
	case !fi.IsDir():
		return "", fmt.Errorf("%s is not a directory; did you mean its parent directory %s?", path, filepath.Dir(abs))
	}
	for i, d := range h.st.checker.WorkingDirs() {
		rel, err := filepath.Rel(d, abs)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			continue
		}
		which := "the additional working directory"
		if i == 0 {
			which = "the current working directory"
		}
		if rel == "." {
			return "", fmt.Errorf("%s is already %s", path, strings.TrimPrefix(which, "the additional "))
		}
		return "", fmt.Errorf("%s is already reachable within %s %s", path, which, d)
	}
	return abs, nil
}

// AddDir makes abs a working directory for the rest of the session, and with remember saves
// it to the local settings (.claude/settings.local.json, which a repository does not ship).
func (h *host) AddDir(abs string, remember bool) (string, error) {
	h.st.checker.AddDir(abs)
	if st := h.st; st.compose != nil { // the system prompt names the working directories
		h.mu.Lock()
		st.system = st.compose(st.style)
		if h.sess != nil {
			h.sess.SetSystem(st.system)
		}
		h.mu.Unlock()
	}
	if !remember {
		return "Added " + abs + " as a working directory for this session", nil
	}
	path := settings.LocalPath(h.a.env.Cwd)
	if err := settings.AddToList(path, settings.ScopeLocal, []string{"permissions", "additionalDirectories"}, abs); err != nil {
		return "", fmt.Errorf("added %s as a working directory for this session, but saving it failed: %w", abs, err)
	}
	return "Added " + abs + " as a working directory and saved it to " + path, nil
}

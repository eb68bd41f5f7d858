package hooks

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/strata-agent/strata/internal/lazyre"
)

// A SessionStart, CwdChanged or FileChanged command hook may leave environment for the
// session's later Bash commands, as in the reference: its CLAUDE_ENV_FILE names a file of its
// own, <EnvDir>/<session id>/<event>-hook-<n>.sh, where it writes `export NAME=value` lines;
// SessionEnv joins those files into the script Bash runs before each command. A CwdChanged
// empties what the CwdChanged and FileChanged hooks wrote before (that environment belonged
// to the old directory); SessionStart's stays.

// envFileName matches the files hooks write; group 1 is the event, group 2 the hook's index.
var envFileName = lazyre.New(`^(setup|sessionstart|cwdchanged|filechanged)-hook-(\d+)\.sh$`)

// envRank orders the files by event, as the reference reads them; -1 for events without
// an environment file.
func envRank(event string) int {
	switch strings.ToLower(event) {
	case "setup":
		return 0
	case "sessionstart":
		return 1
	case "cwdchanged":
		return 2
	case "filechanged":
		return 3
	}
	return -1
}

// sessionEnvDir is the folder of one session's files; "" when there is none (no EnvDir, or
// a session ID that is not a plain name).
func (r *Runner) sessionEnvDir(sessionID string) string {
	if r.opts.EnvDir == "" || sessionID == "" || sessionID == "." || sessionID == ".." ||
		strings.ContainsAny(sessionID, `/\`) {
		return ""
	}
	return filepath.Join(r.opts.EnvDir, sessionID)
}

// envFileVar is the CLAUDE_ENV_FILE setting for the i-th command hook of in, or nil.
func (r *Runner) envFileVar(in Input, i int) []string {
	dir := r.sessionEnvDir(in.SessionID)
	if dir == "" || envRank(string(in.Event)) < 0 {
		return nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil
	}
	name := fmt.Sprintf("%s-hook-%d.sh", strings.ToLower(string(in.Event)), i)
	return []string{"CLAUDE_ENV_FILE=" + filepath.Join(dir, name)}
}

// clearCwdEnv empties the CwdChanged and FileChanged hooks' files of a session.
func (r *Runner) clearCwdEnv(sessionID string) {
	dir := r.sessionEnvDir(sessionID)
	if dir == "" {
		return
	}
	for _, name := range envFiles(dir) {
		if rank := envRank(envFileName().FindStringSubmatch(name)[1]); rank >= envRank(string(CwdChanged)) {
			_ = os.WriteFile(filepath.Join(dir, name), nil, 0o600)
		}
	}
}

// SessionEnv is the script Bash runs before each command of a session: strata's own
// CLAUDE_ENV_FILE, then what the session's hooks wrote to theirs, in event and hook order.
// "" when there is none.
func (r *Runner) SessionEnv(sessionID string) string {
	if r == nil {
		return ""
	}
	var parts []string
	add := func(path string) {
		if data, err := os.ReadFile(path); err == nil {
			if text := strings.TrimSpace(string(data)); text != "" {
				parts = append(parts, text)
			}
		}
	}
	if r.opts.EnvFile != "" {
		add(r.opts.EnvFile)
	}
	if dir := r.sessionEnvDir(sessionID); dir != "" {
		for _, name := range envFiles(dir) {
			add(filepath.Join(dir, name))
		}
	}
	return strings.Join(parts, "\n")
}

// envFiles lists the hook files in dir, in the order SessionEnv reads them.
func envFiles(dir string) []string {
	list, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range list {
		if !e.IsDir() && envFileName().MatchString(e.Name()) {
			names = append(names, e.Name())
		}
	}
	key := func(name string) (int, int) {
		m := envFileName().FindStringSubmatch(name)
		n, _ := strconv.Atoi(m[2])
		return envRank(m[1]), n
	}
	sort.Slice(names, func(i, j int) bool {
		ri, ni := key(names[i])
		rj, nj := key(names[j])
		return ri < rj || ri == rj && ni < nj
	})
	return names
}

// WatchedFiles are the paths the FileChanged matchers name, relative ones joined to cwd, in
// settings order without duplicates.
func (r *Runner) WatchedFiles(cwd string) []string {
	if r == nil {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, m := range r.table()[FileChanged] {
		for _, name := range matcherFiles(m.text, cwd) {
			if !seen[name] {
				seen[name] = true
				out = append(out, name)
			}
		}
	}
	return out
}

// matcherFiles reads a FileChanged matcher as the reference does: file names joined by |,
// each relative to cwd unless absolute.
func matcherFiles(matcher, cwd string) []string {
	var out []string
	for _, name := range strings.Split(matcher, "|") {
		name = strings.TrimSpace(name)
		if name == "" || name == "*" {
			continue
		}
		if !filepath.IsAbs(name) {
			name = filepath.Join(cwd, name)
		}
		out = append(out, filepath.Clean(name))
	}
	return out
}

// namesFile reports whether a FileChanged matcher names path as one of the files it watches,
// so that a matcher written as a path also matches, besides one that matches the base name.
func namesFile(matcher, cwd, path string) bool {
	for _, name := range matcherFiles(matcher, cwd) {
		if name == filepath.Clean(path) {
			return true
		}
	}
	return false
}

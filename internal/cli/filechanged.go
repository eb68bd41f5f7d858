package cli

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"

	"github.com/strata-agent/strata/internal/filewatch"
	"github.com/strata-agent/strata/internal/hooks"
)

// fileHooks runs the FileChanged hooks while strata runs, as the reference does: the files
// the hooks' matchers name (relative to the working directory) and those SessionStart,
// CwdChanged and FileChanged hooks return in watchPaths are watched (internal/filewatch),
// and each settled change runs the hooks matching the file with the current conversation's
// session. A CwdChanged resolves the matchers against the new directory and replaces the
// paths hooks added with what its own hooks return. Messages go to report (stderr, or the
// UI's notices). close stops the watcher and a hook still running; nothing outlives it.
type fileHooks struct {
	runner *hooks.Runner
	watch  *filewatch.Watcher
	ctx    context.Context
	cancel context.CancelFunc
	mode   func() string // the permission mode hooks are told

	mu                 sync.Mutex
	report             func(string)
	cwd                string
	extra              []string // paths hooks asked for (watchPaths), sorted
	sessionID, txnPath string
}

// newFileHooks starts watching for r's FileChanged hooks; nil when there are none.
func newFileHooks(r *hooks.Runner, cwd string, mode func() string, report func(string)) *fileHooks {
	if !r.Has(hooks.FileChanged) {
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	f := &fileHooks{runner: r, ctx: ctx, cancel: cancel, mode: mode, report: report, cwd: cwd}
	w, err := filewatch.New(f.changed, func(err error) { f.say("FileChanged: watcher error: " + err.Error()) }, 0)
	if err != nil {
		cancel()
		report("FileChanged hooks will not run: the files cannot be watched: " + err.Error())
		return nil
	}
	f.watch = w
	f.refresh()
	return f
}

func (f *fileHooks) say(msg string) {
	f.mu.Lock()
	report := f.report
	f.mu.Unlock()
	report(msg)
}

// setReport changes where messages go (the UI takes over from stderr).
func (f *fileHooks) setReport(report func(string)) {
	if f == nil {
		return
	}
	f.mu.Lock()
	f.report = report
	f.mu.Unlock()
}

// setSession names the conversation the hooks are told about (a new one after /clear).
func (f *fileHooks) setSession(id, path string) {
	if f == nil {
		return
	}
	f.mu.Lock()
	f.sessionID, f.txnPath = id, path
	f.mu.Unlock()
}

// watchPaths takes the paths a SessionStart or FileChanged hook asked for: they replace
// those hooks asked for before, as in the reference; nothing changes when there are none.
func (f *fileHooks) watchPaths(paths []string) {
	if f == nil || len(paths) == 0 {
		return
	}
	sorted := slices.Clone(paths)
	sort.Strings(sorted)
	f.mu.Lock()
	same := slices.Equal(sorted, f.extra)
	f.extra = sorted
	f.mu.Unlock()
	if !same {
		f.refresh()
	}
}

// moved follows the session to a new working directory, with the paths its CwdChanged
// hooks returned (none drops what hooks asked for before).
func (f *fileHooks) moved(cwd string, paths []string) {
	if f == nil {
		return
	}
	sorted := slices.Clone(paths)
	sort.Strings(sorted)
	f.mu.Lock()
	f.cwd, f.extra = cwd, sorted
	f.mu.Unlock()
	f.refresh()
}

// refresh gives the watcher the paths to watch now.
func (f *fileHooks) refresh() {
	f.mu.Lock()
	paths := append(f.runner.WatchedFiles(f.cwd), f.extra...)
	f.mu.Unlock()
	if err := f.watch.Set(paths); err != nil && f.ctx.Err() == nil {
		f.say("FileChanged: some paths cannot be watched: " + err.Error())
	}
}

// changed runs the hooks for one settled change (on the watcher's callback goroutine).
func (f *fileHooks) changed(path string, kind filewatch.Kind) {
	f.mu.Lock()
	in := hooks.Input{Event: hooks.FileChanged, FilePath: path, FileEvent: string(kind), Cwd: f.cwd,
		SessionID: f.sessionID, TranscriptPath: f.txnPath}
	f.mu.Unlock()
	if f.mode != nil {
		in.PermissionMode = f.mode()
	}
	out := f.runner.Run(f.ctx, in)
	if f.ctx.Err() != nil {
		return
	}
	for _, m := range out.Messages {
		f.say(m)
	}
	f.watchPaths(out.WatchPaths)
}

// close stops watching and the hook that may be running, and waits for both.
func (f *fileHooks) close() {
	if f == nil {
		return
	}
	f.cancel()
	_ = f.watch.Close()
}

// hooksChanged follows a change of the session's hooks (the --agent's own joined them,
// settings or plugins changed): the FileChanged watcher starts, or watches what the
// matchers name now.
func (st *stack) hooksChanged() {
	if st.files == nil {
		report := func(m string) { fmt.Fprintln(st.warn, "strata: hook:", m) }
		if st.live != nil && st.live.report != nil {
			report = st.live.report
		}
		st.files = newFileHooks(st.hooks, st.cwd, func() string { return string(st.checker.CurrentMode()) }, report)
		return
	}
	st.files.refresh()
}

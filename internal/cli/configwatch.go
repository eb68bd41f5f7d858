package cli

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/strata-agent/strata/internal/hooks"
	"github.com/strata-agent/strata/internal/settings"
)

// configWatch notices settings files the session loaded that changed or went away, for the
// ConfigChange hooks. It compares each file's size and modification time at each turn
// start with what it saw before (the reference watches the files; a check per turn start
// applies a change before the next request). A change its ConfigChange hooks do not block
// (exit 2 or "decision": "block"; managed settings cannot be blocked) is applied in part
// (apply, configlive.go): hooks, and permission rules that restrict.
type configWatch struct {
	mu    sync.Mutex
	files []watchedFile
	// apply makes the safe part of changed files take effect (configlive.go) and says
	// what it did; nil only reports.
	apply func([]watchedFile) []string
}

type watchedFile struct {
	path, source string
	stamp        fileStamp
}

// fileStamp is what tells one version of a file from another; the zero value is a
// missing file.
type fileStamp struct {
	size int64
	mod  time.Time
}

func stampOf(path string) fileStamp {
	fi, err := os.Stat(path)
	if err != nil {
		return fileStamp{}
	}
	return fileStamp{fi.Size(), fi.ModTime()}
}

// configSource names a settings layer as ConfigChange hooks see it ("" for layers that
// are no file one could edit: flags and inline JSON).
func configSource(src settings.Source) string {
	if src.Path == "" || src.Path == settings.InlinePath {
		return ""
	}
	switch src.Scope {
	case settings.ScopeUser:
		return "user_settings"
	case settings.ScopeProject:
		return "project_settings"
	case settings.ScopeLocal:
		return "local_settings"
	case settings.ScopeManaged:
		return "policy_settings"
	}
	return ""
}

// newConfigWatch remembers how the loaded settings files look now.
func newConfigWatch(loaded []settings.Source) *configWatch {
	w := &configWatch{}
	for _, src := range loaded {
		if s := configSource(src); s != "" {
			w.files = append(w.files, watchedFile{path: src.Path, source: s, stamp: stampOf(src.Path)})
		}
	}
	return w
}

// changed lists the files that differ from when last seen, and remembers them as they are.
func (w *configWatch) changed() []watchedFile {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []watchedFile
	for i := range w.files {
		f := &w.files[i]
		if now := stampOf(f.path); now != f.stamp {
			f.stamp = now
			out = append(out, *f)
		}
	}
	return out
}

// watchedHooks is the session's hook runner with the settings check at each turn start:
// the main session's UserPromptSubmit (sub-agents never fire it). The ConfigChange hooks'
// messages join that event's, so the user sees them as the turn starts.
type watchedHooks struct {
	*hooks.Runner
	watch *configWatch
	// files is the FileChanged watcher now (nil without FileChanged hooks): a live reload
	// may start one after this runner was made.
	files func() *fileHooks
}

func (h watchedHooks) Run(ctx context.Context, in hooks.Input) hooks.Outcome {
	if in.Event == hooks.CwdChanged {
		out := h.Runner.Run(ctx, in)
		h.files().moved(in.NewCwd, out.WatchPaths)
		return out
	}
	if in.Event != hooks.UserPromptSubmit {
		return h.Runner.Run(ctx, in)
	}
	var msgs []string
	var apply []watchedFile
	for _, f := range h.watch.changed() {
		out := h.Runner.Run(ctx, hooks.Input{Event: hooks.ConfigChange, Source: f.source, FilePath: f.path,
			SessionID: in.SessionID, TranscriptPath: in.TranscriptPath, Cwd: in.Cwd, PermissionMode: in.PermissionMode})
		msgs = append(msgs, out.Messages...)
		if out.Block && f.source != "policy_settings" {
			msgs = append(msgs, fmt.Sprintf("the change to %s is not applied: a ConfigChange hook blocked it: %s", f.path, out.Reason))
			continue
		}
		apply = append(apply, f)
	}
	if len(apply) > 0 && h.watch.apply != nil {
		msgs = append(msgs, h.watch.apply(apply)...)
		// A watcher the reload started gets the conversation its hooks report on.
		if in.SessionID != "" {
			h.files().setSession(in.SessionID, in.TranscriptPath)
		}
	}
	out := h.Runner.Run(ctx, in)
	out.Messages = append(msgs, out.Messages...)
	return out
}

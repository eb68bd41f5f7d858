package cli

import (
	"context"
	"os"
	"sync"
	"time"

	"github.com/strata-agent/strata/internal/hooks"
	"github.com/strata-agent/strata/internal/settings"
)

// configWatch notices settings files the session loaded that changed or went away, for the
// ConfigChange hooks. It compares each file's size and modification time at each turn
// start with what it saw before (the reference watches the files; a check per turn is
// enough for hooks that report). strata keeps the settings it started with, so a change
// is reported, not applied, and a hook has nothing to block.
type configWatch struct {
	mu    sync.Mutex
	files []watchedFile
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
	files *fileHooks // follows CwdChanged; nil without FileChanged hooks
}

func (h watchedHooks) Run(ctx context.Context, in hooks.Input) hooks.Outcome {
	if in.Event == hooks.CwdChanged {
		out := h.Runner.Run(ctx, in)
		h.files.moved(in.NewCwd, out.WatchPaths)
		return out
	}
	if in.Event != hooks.UserPromptSubmit {
		return h.Runner.Run(ctx, in)
	}
	var msgs []string
	for _, f := range h.watch.changed() {
		out := h.Runner.Run(ctx, hooks.Input{Event: hooks.ConfigChange, Source: f.source, FilePath: f.path,
			SessionID: in.SessionID, TranscriptPath: in.TranscriptPath, Cwd: in.Cwd, PermissionMode: in.PermissionMode})
		msgs = append(msgs, out.Messages...)
	}
	out := h.Runner.Run(ctx, in)
	out.Messages = append(msgs, out.Messages...)
	return out
}

// Package filewatch tells its owner when files it names are added, changed or removed, for
// the FileChanged hooks. A change is reported once the file has been quiet for a moment (the
// reference waits half a second), so a write in several parts or an editor's save by rename
// is one change, and its kind is read from the file itself: it exists now and did not
// before (add), it existed and still does (change), or it is gone (unlink).
//
// The parent folders are watched through fsnotify, not the files: a file that does not exist
// yet is reported when it appears, and one replaced by rename stays watched. A path that is
// a folder reports its direct entries. Callbacks run one at a time on a goroutine of their
// own, so a slow one never stalls the reading of events; Close stops both goroutines and
// waits for them.
package filewatch

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Kind is what happened to a file, in the reference's words.
type Kind string

// The kinds of change.
const (
	Add    Kind = "add"
	Change Kind = "change"
	Unlink Kind = "unlink"
)

// DefaultSettle is how long a file must be quiet before its change is reported.
const DefaultSettle = 500 * time.Millisecond

// Watcher watches a set of paths. Its methods are safe for concurrent use.
type Watcher struct {
	fs       *fsnotify.Watcher
	onChange func(path string, kind Kind)
	onError  func(error)
	settle   time.Duration

	mu      sync.Mutex
	paths   []string        // as Set last gave them, sorted
	files   map[string]bool // watched files (and folders' entries) → whether each existed when last seen
	folders map[string]bool // paths that are folders: their direct entries are reported
	dirs    map[string]bool // the folders fsnotify watches
	closed  bool

	queue chan []change // settled changes, for the callback goroutine
	done  chan struct{}
	wg    sync.WaitGroup
}

type change struct {
	path string
	kind Kind
}

// New starts a watcher of nothing; Set gives it paths. onChange is told of each settled
// change; onError, when not nil, of the watch's own failures (a folder that cannot be
// watched, an overflowing event queue). settle 0 means DefaultSettle.
func New(onChange func(path string, kind Kind), onError func(error), settle time.Duration) (*Watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	if settle <= 0 {
		settle = DefaultSettle
	}
	w := &Watcher{fs: fw, onChange: onChange, onError: onError, settle: settle,
		files: map[string]bool{}, folders: map[string]bool{}, dirs: map[string]bool{},
		queue: make(chan []change, 16), done: make(chan struct{})}
	w.wg.Add(2)
	go w.read()
	go w.deliver()
	return w, nil
}

// Paths lists what the watcher watches, as Set gave it (cleaned, sorted, without duplicates).
func (w *Watcher) Paths() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.paths...)
}

// Set replaces the watched paths (absolute; others are ignored). It returns the folders it
// could not watch, joined; the other paths are watched all the same.
func (w *Watcher) Set(paths []string) error {
	want := normalise(paths)
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return errors.New("filewatch: the watcher is closed")
	}
	w.paths = want
	files, folders, dirs := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, p := range want {
		fi, err := os.Stat(p)
		if err == nil && fi.IsDir() {
			folders[p], dirs[p] = true, true
			for _, e := range entries(p) {
				files[e] = true
			}
			continue
		}
		files[p] = err == nil
		dirs[filepath.Dir(p)] = true
	}
	var errs []error
	for d := range w.dirs {
		if !dirs[d] {
			_ = w.fs.Remove(d)
		}
	}
	for d := range dirs {
		if !w.dirs[d] {
			if err := w.fs.Add(d); err != nil {
				errs = append(errs, err)
				delete(dirs, d)
			}
		}
	}
	w.files, w.folders, w.dirs = files, folders, dirs
	return errors.Join(errs...)
}

// Close stops watching and waits until no callback runs any more. Changes not yet settled
// are dropped.
func (w *Watcher) Close() error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return nil
	}
	w.closed = true
	w.mu.Unlock()
	close(w.done)
	err := w.fs.Close()
	w.wg.Wait()
	return err
}

// read takes fsnotify's events, keeps those of watched paths until they settle, and hands
// the settled changes to deliver.
func (w *Watcher) read() {
	defer w.wg.Done()
	defer close(w.queue)
	pending := map[string]bool{}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	for {
		select {
		case <-w.done:
			return
		case ev, ok := <-w.fs.Events:
			if !ok {
				return
			}
			if ev.Op == fsnotify.Chmod || !w.watched(ev.Name) {
				continue
			}
			pending[filepath.Clean(ev.Name)] = true
			timer.Reset(w.settle)
		case err, ok := <-w.fs.Errors:
			if !ok {
				return
			}
			if w.onError != nil && err != nil {
				w.onError(err)
			}
		case <-timer.C:
			if batch := w.settled(pending); len(batch) > 0 {
				select {
				case w.queue <- batch:
				case <-w.done:
					return
				}
			}
			pending = map[string]bool{}
		}
	}
}

// watched reports whether an event's path is one the owner asked about.
func (w *Watcher) watched(path string) bool {
	path = filepath.Clean(path)
	w.mu.Lock()
	defer w.mu.Unlock()
	_, ok := w.files[path]
	return ok || w.folders[filepath.Dir(path)]
}

// settled reads what became of each pending path, in path order, and remembers it.
func (w *Watcher) settled(pending map[string]bool) []change {
	paths := make([]string, 0, len(pending))
	for p := range pending {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []change
	for _, p := range paths {
		_, err := os.Lstat(p)
		now, before := err == nil, w.files[p]
		w.files[p] = now
		switch {
		case now && !before:
			out = append(out, change{p, Add})
		case now && before:
			out = append(out, change{p, Change})
		case before:
			out = append(out, change{p, Unlink})
		}
	}
	return out
}

// deliver runs the callback for each settled change, one at a time.
func (w *Watcher) deliver() {
	defer w.wg.Done()
	for batch := range w.queue {
		for _, c := range batch {
			select {
			case <-w.done:
				continue // closing: drain without calling back
			default:
			}
			w.onChange(c.path, c.kind)
		}
	}
}

// normalise cleans, sorts and deduplicates absolute paths.
func normalise(paths []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range paths {
		if !filepath.IsAbs(p) {
			continue
		}
		p = filepath.Clean(p)
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// entries lists a folder's direct entries, as paths.
func entries(dir string) []string {
	list, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	out := make([]string, 0, len(list))
	for _, e := range list {
		out = append(out, filepath.Join(dir, e.Name()))
	}
	return out
}

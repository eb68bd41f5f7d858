// Package checkpoint keeps the file checkpoints behind /rewind: before the first change a
// file tool (Write, Edit, MultiEdit) makes to a file during a prompt, the file's content is
// saved, and at every prompt the state of every file changed so far is recorded, so that the
// files can be put back as they were before any earlier prompt.
//
// The layout is the reference CLI's (Claude Code 2.1.197), so that each tool can rewind the
// other's sessions: a file's saved versions live in <config>/file-history/<session-id>/ as
// <first 16 hex digits of sha256(absolute path)>@v<version>, with the file's mode; the
// snapshots — per prompt, which version of each tracked file stands for the state before it —
// are transcript lines {"type":"file-history-snapshot","messageId":…,"snapshot":{…},
// "isSnapshotUpdate":…}, the last line for a prompt winning. A version is written only when
// the file changed since the version before, so unchanged files cost nothing per prompt.
//
// What is not covered, and said so to the user: files only Bash commands or other programs
// changed are never recorded (only the file tools' writes track a file; once tracked, a
// file's state at each later prompt is recorded whoever changed it). Files larger than MaxFileBytes
// are not saved (their changes are left alone on rewind, and the rewind names them). Binary
// files are saved byte for byte like any other. At most MaxSnapshots prompts are kept.
package checkpoint

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/strata-agent/strata/internal/lazyre"
)

const (
	// MaxSnapshots is how many prompts' snapshots are kept, as the reference keeps.
	MaxSnapshots = 100
	// MaxFileBytes bounds the files saved: larger ones (data, build outputs) would fill the
	// disk a version at a time, and are not what an edit tool changes by hand.
	MaxFileBytes = 32 << 20
	// LineType is the transcript entry type of a snapshot.
	LineType = "file-history-snapshot"
)

// Backup is one tracked file's state in a snapshot.
type Backup struct {
	// BackupFileName names the saved copy in the session's backup directory; nil means the
	// file did not exist then (a rewind removes it).
	BackupFileName *string   `json:"backupFileName"`
	Version        int       `json:"version"`
	BackupTime     time.Time `json:"backupTime"`
}

// Snapshot is the state of the tracked files before one prompt, keyed by the path as the
// reference keys it: relative to the working directory when inside it, else absolute.
type Snapshot struct {
	MessageID          string            `json:"messageId"`
	TrackedFileBackups map[string]Backup `json:"trackedFileBackups"`
	Timestamp          time.Time         `json:"timestamp"`
}

// Line is a snapshot as a transcript line.
type Line struct {
	Type             string   `json:"type"`
	MessageID        string   `json:"messageId"`
	Snapshot         Snapshot `json:"snapshot"`
	IsSnapshotUpdate bool     `json:"isSnapshotUpdate"`
}

// Store is one session's checkpoints. Its methods are safe for concurrent use.
type Store struct {
	mu      sync.Mutex
	dir     string // <root>/<session-id>: the saved versions
	cwd     string
	persist func(Line) error
	snaps   []Snapshot
	tracked []string          // tracking paths, in the order they were first tracked
	skipped map[string]string // absolute path → why it is not saved (too large, unreadable)
	now     func() time.Time
}

// Options are what a Store needs.
type Options struct {
	Root      string // <config>/file-history
	SessionID string
	Cwd       string // the working directory tracking paths are relative to
	// Persist records a snapshot line in the session transcript; nil records nothing.
	Persist func(Line) error
	Now     func() time.Time // nil: time.Now
}

// New returns the store of a session with no snapshots yet.
func New(o Options) (*Store, error) {
	if o.Root == "" || !filepath.IsAbs(o.Root) {
		return nil, fmt.Errorf("checkpoint: the backup directory %q is not an absolute path", o.Root)
	}
	if !validSession().MatchString(o.SessionID) {
		return nil, fmt.Errorf("checkpoint: %q is not a session id", o.SessionID)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Persist == nil {
		o.Persist = func(Line) error { return nil }
	}
	return &Store{dir: filepath.Join(o.Root, o.SessionID), cwd: RealPath(o.Cwd), persist: o.Persist,
		skipped: map[string]string{}, now: o.Now}, nil
}

var (
	validSession = lazyre.New(`^[0-9a-fA-F-]{1,64}$`)
	// validBackup is every name a saved version may have: anything else read from a
	// transcript could name a file outside the backup directory.
	validBackup = lazyre.New(`^[0-9a-f]{16}@v[0-9]{1,9}$`)
)

// backupName is the reference's name for version v of the file at abs.
func backupName(abs string, v int) string {
	sum := sha256.Sum256([]byte(abs))
	return fmt.Sprintf("%s@v%d", hex.EncodeToString(sum[:])[:16], v)
}

// trackingPath is how a snapshot names abs: relative to the working directory inside it.
func (s *Store) trackingPath(abs string) string {
	if rel, err := filepath.Rel(s.cwd, abs); err == nil && rel != "." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && rel != ".." {
		return rel
	}
	return abs
}

// absPath undoes trackingPath.
func (s *Store) absPath(p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(s.cwd, p)
}

// Snapshot records, for the prompt messageID about to run, the state of every tracked file:
// a new version of each that changed since its last one, the last one otherwise.
func (s *Store) Snapshot(messageID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	files := map[string]Backup{}
	var last *Snapshot
	if n := len(s.snaps); n > 0 {
		last = &s.snaps[n-1]
	}
	var errs []error
	for _, tp := range s.tracked {
		var prev *Backup
		if last != nil {
			if b, ok := last.TrackedFileBackups[tp]; ok {
				prev = &b
			}
		}
		b, err := s.current(s.absPath(tp), prev)
		if err != nil {
			errs = append(errs, err)
			if prev != nil {
				files[tp] = *prev
			}
			continue
		}
		files[tp] = b
	}
	snap := Snapshot{MessageID: messageID, TrackedFileBackups: files, Timestamp: s.stamp()}
	s.snaps = append(s.snaps, snap)
	if len(s.snaps) > MaxSnapshots {
		s.snaps = slices.Delete(s.snaps, 0, len(s.snaps)-MaxSnapshots)
	}
	if err := s.persist(Line{Type: LineType, MessageID: messageID, Snapshot: snap}); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// current is the backup that stands for abs now: prev when the file is as prev saved it, a
// new version otherwise.
func (s *Store) current(abs string, prev *Backup) (Backup, error) {
	version := 1
	if prev != nil {
		version = prev.Version + 1
	}
	fi, err := os.Lstat(abs)
	if errors.Is(err, fs.ErrNotExist) {
		if prev != nil && prev.BackupFileName == nil {
			return *prev, nil
		}
		return Backup{Version: version, BackupTime: s.stamp()}, nil
	}
	if err != nil {
		return Backup{}, fmt.Errorf("checkpoint: %w", err)
	}
	if prev != nil && prev.BackupFileName != nil && s.sameAsSaved(abs, fi, *prev.BackupFileName) {
		return *prev, nil
	}
	return s.save(abs, fi, version)
}

// sameAsSaved reports whether the file at abs holds what the saved version name holds.
func (s *Store) sameAsSaved(abs string, fi fs.FileInfo, name string) bool {
	saved, err := os.Stat(filepath.Join(s.dir, name))
	if err != nil || saved.Size() != fi.Size() || saved.Mode().Perm() != fi.Mode().Perm() {
		return false
	}
	if fi.ModTime().Before(saved.ModTime()) {
		return true // last changed before it was saved, as the reference judges it
	}
	a, err1 := os.ReadFile(abs)
	b, err2 := os.ReadFile(filepath.Join(s.dir, name))
	return err1 == nil && err2 == nil && string(a) == string(b)
}

// save copies the file at abs into the backup directory as version v.
func (s *Store) save(abs string, fi fs.FileInfo, v int) (Backup, error) {
	if !fi.Mode().IsRegular() {
		return Backup{}, fmt.Errorf("checkpoint: %s is not a regular file; not saved", abs)
	}
	if fi.Size() > MaxFileBytes {
		s.skipped[abs] = "larger than " + humanSize(MaxFileBytes)
		return Backup{}, fmt.Errorf("checkpoint: %s is larger than %s; not saved", abs, humanSize(MaxFileBytes))
	}
	data, err := os.ReadFile(abs)
	if err != nil {
		s.skipped[abs] = "unreadable"
		return Backup{}, fmt.Errorf("checkpoint: reading %s: %w", abs, err)
	}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return Backup{}, fmt.Errorf("checkpoint: %w", err)
	}
	name := backupName(abs, v)
	// Not synced, as the reference does not: a version lost to a machine crash makes a
	// rewind say so; a sync per file would cost each prompt milliseconds per changed file.
	if err := writeFileAtomic(filepath.Join(s.dir, name), data, fi.Mode().Perm(), false); err != nil {
		return Backup{}, err
	}
	return Backup{BackupFileName: &name, Version: v, BackupTime: s.stamp()}, nil
}

// Track saves the file at abs (absolute, its directories' links resolved) before a file
// tool's first change to it in the current prompt. A file already tracked by the current
// prompt's snapshot costs nothing; one seen for the first time is saved as version 1 into
// that snapshot. Without a snapshot (no prompt yet) nothing is recorded.
func (s *Store) Track(abs string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.snaps)
	if n == 0 {
		return nil
	}
	last := &s.snaps[n-1]
	tp := s.trackingPath(abs)
	if _, ok := last.TrackedFileBackups[tp]; ok {
		return nil
	}
	if slices.Contains(s.tracked, tp) {
		// Tracked before, but its state at this prompt was not recorded (it could not be
		// read then): there is no version to go back to for this prompt.
		return nil
	}
	delete(s.skipped, abs)
	b, err := s.current(abs, nil)
	if err != nil {
		return err
	}
	s.tracked = append(s.tracked, tp)
	files := make(map[string]Backup, len(last.TrackedFileBackups)+1)
	for k, v := range last.TrackedFileBackups {
		files[k] = v
	}
	files[tp] = b
	last.TrackedFileBackups = files
	return s.persist(Line{Type: LineType, MessageID: last.MessageID, Snapshot: *last, IsSnapshotUpdate: true})
}

// Load takes the snapshots a transcript holds (ReadLines), as they were when it was last
// written, for a resumed session. from is the session whose backup directory they name:
// when it is another (a forked session), its saved versions are linked (or copied) into this
// session's directory first, as the reference does.
func (s *Store) Load(lines []Line, from string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	byID := map[string]int{}
	s.snaps, s.tracked = nil, nil
	seen := map[string]bool{}
	for _, l := range lines {
		snap := l.Snapshot
		snap.MessageID = l.MessageID
		clean := map[string]Backup{}
		for p, b := range snap.TrackedFileBackups {
			if b.BackupFileName != nil && !validBackup().MatchString(*b.BackupFileName) {
				continue // not a name this store writes: never followed
			}
			tp := s.trackingPath(s.absPath(p))
			clean[tp] = b
			if !seen[tp] {
				seen[tp] = true
				s.tracked = append(s.tracked, tp)
			}
		}
		snap.TrackedFileBackups = clean
		if i, ok := byID[snap.MessageID]; ok {
			s.snaps[i] = snap
			continue
		}
		byID[snap.MessageID] = len(s.snaps)
		s.snaps = append(s.snaps, snap)
	}
	if len(s.snaps) > MaxSnapshots {
		s.snaps = slices.Delete(s.snaps, 0, len(s.snaps)-MaxSnapshots)
	}
	if from == "" || from == filepath.Base(s.dir) || !validSession().MatchString(from) {
		return nil
	}
	return s.adopt(filepath.Join(filepath.Dir(s.dir), from))
}

// adopt links every saved version the snapshots name from another session's directory.
func (s *Store) adopt(old string) error {
	var errs []error
	for _, snap := range s.snaps {
		for _, b := range snap.TrackedFileBackups {
			if b.BackupFileName == nil {
				continue
			}
			dst := filepath.Join(s.dir, *b.BackupFileName)
			if _, err := os.Lstat(dst); err == nil {
				continue
			}
			if err := os.MkdirAll(s.dir, 0o700); err != nil {
				return fmt.Errorf("checkpoint: %w", err)
			}
			src := filepath.Join(old, *b.BackupFileName)
			if err := os.Link(src, dst); err != nil {
				if err := copyFile(src, dst); err != nil {
					errs = append(errs, err)
				}
			}
		}
	}
	return errors.Join(errs...)
}

// ReadLines reads the snapshot lines of a transcript file, in order; other lines and lines
// it cannot read are skipped (the transcript's own reader reports damage).
func ReadLines(transcript string) ([]Line, error) {
	data, err := os.ReadFile(transcript)
	if err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	var out []Line
	marker := []byte(`"` + LineType + `"`)
	for len(data) > 0 {
		line := data
		if i := slices.Index(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		if !containsBytes(line, marker) {
			continue
		}
		var l Line
		if json.Unmarshal(line, &l) == nil && l.Type == LineType && l.MessageID != "" {
			out = append(out, l)
		}
	}
	return out, nil
}

func containsBytes(b, sub []byte) bool { return strings.Contains(string(b), string(sub)) }

// Has reports whether there is a snapshot for the prompt messageID.
func (s *Store) Has(messageID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.find(messageID) != nil
}

func (s *Store) find(messageID string) *Snapshot {
	for i := len(s.snaps) - 1; i >= 0; i-- {
		if s.snaps[i].MessageID == messageID {
			return &s.snaps[i]
		}
	}
	return nil
}

// target is the backup a rewind to snap applies to the tracked file tp: the snapshot's own,
// or — for a file first tracked after it — its first version, what it held before any tool
// touched it. ok is false when neither is known.
func (s *Store) target(snap *Snapshot, tp string) (Backup, bool) {
	if b, ok := snap.TrackedFileBackups[tp]; ok {
		return b, true
	}
	for _, other := range s.snaps {
		if b, ok := other.TrackedFileBackups[tp]; ok && b.Version == 1 {
			return b, true
		}
	}
	return Backup{}, false
}

// stamp is the time now as the reference records it: UTC, in milliseconds.
func (s *Store) stamp() time.Time { return s.now().UTC().Truncate(time.Millisecond) }

func humanSize(n int64) string { return fmt.Sprintf("%d MiB", n>>20) }

package checkpoint

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	udiff "github.com/aymanbagabas/go-udiff"
)

// Changes is what rewinding to a prompt would do to the files.
type Changes struct {
	Files                 []string // absolute paths that would change, in the order tracked
	Insertions, Deletions int      // lines, as a diff from now to then counts them
	// Skipped names files a file tool changed that were not saved, and why (too large): a
	// rewind leaves them as they are.
	Skipped []string
}

// Changes reports what Rewind(messageID) would change, without changing anything. ok is
// false when there is no snapshot for that prompt.
func (s *Store) Changes(messageID string) (c Changes, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	snap := s.find(messageID)
	if snap == nil {
		return Changes{}, false
	}
	for _, tp := range s.tracked {
		b, known := s.target(snap, tp)
		if !known {
			continue
		}
		abs := s.absPath(tp)
		now, nowErr := os.ReadFile(abs)
		exists := nowErr == nil
		if b.BackupFileName == nil {
			if exists {
				c.Files = append(c.Files, abs)
				c.Deletions += lineCount(now)
			}
			continue
		}
		then, err := os.ReadFile(filepath.Join(s.dir, *b.BackupFileName))
		if err != nil || exists && bytes.Equal(now, then) {
			continue
		}
		c.Files = append(c.Files, abs)
		ins, del := diffStat(now, then)
		c.Insertions += ins
		c.Deletions += del
	}
	for p, why := range s.skipped {
		c.Skipped = append(c.Skipped, p+" ("+why+")")
	}
	slices.Sort(c.Skipped)
	return c, true
}

// Rewind puts every tracked file back as it was before the prompt messageID: files that did
// not exist then are removed, others get their saved content and mode (missing ones, and
// their directories, are created). It returns the files it changed. A file whose path now
// leads through a symbolic link, or is no longer a regular file, is not touched: the error
// names it, and the other files are still restored. check, when not nil, may refuse a path
// (the permission rules that deny edits).
func (s *Store) Rewind(messageID string, check func(abs string) error) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	snap := s.find(messageID)
	if snap == nil {
		return nil, fmt.Errorf("checkpoint: no checkpoint for that prompt (only the last %d prompts are kept)", MaxSnapshots)
	}
	var changed []string
	var errs []error
	for _, tp := range s.tracked {
		b, known := s.target(snap, tp)
		if !known {
			continue
		}
		abs := s.absPath(tp)
		did, err := s.restore(abs, b, check)
		if err != nil {
			errs = append(errs, err)
		}
		if did {
			changed = append(changed, abs)
		}
	}
	return changed, errors.Join(errs...)
}

// restore applies one backup to abs; did says whether the file changed.
func (s *Store) restore(abs string, b Backup, check func(string) error) (did bool, err error) {
	if err := safeTarget(abs); err != nil {
		return false, err
	}
	if check != nil {
		if err := check(abs); err != nil {
			return false, fmt.Errorf("%s not restored: %w", abs, err)
		}
	}
	now, nowErr := os.ReadFile(abs)
	if b.BackupFileName == nil {
		if errors.Is(nowErr, fs.ErrNotExist) {
			return false, nil
		}
		if err := os.Remove(abs); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return false, fmt.Errorf("removing %s: %w", abs, err)
		}
		return true, nil
	}
	src := filepath.Join(s.dir, *b.BackupFileName)
	fi, err := os.Stat(src)
	if err != nil {
		return false, fmt.Errorf("%s not restored: its saved copy is gone (%v)", abs, err)
	}
	then, err := os.ReadFile(src)
	if err != nil {
		return false, fmt.Errorf("%s not restored: %w", abs, err)
	}
	if nowErr == nil && bytes.Equal(now, then) {
		if cur, err := os.Stat(abs); err == nil && cur.Mode().Perm() != fi.Mode().Perm() {
			return true, os.Chmod(abs, fi.Mode().Perm())
		}
		return false, nil
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return false, fmt.Errorf("%s not restored: %w", abs, err)
	}
	if err := safeTarget(abs); err != nil { // MkdirAll follows links: look again
		return false, err
	}
	if err := writeFileAtomic(abs, then, fi.Mode().Perm(), true); err != nil {
		return false, err
	}
	return true, nil
}

// safeTarget refuses a path that now leads through a symbolic link or names something other
// than a regular file: a rewind writes exactly the file a tool wrote, never where a link put
// in its place since would send it.
func safeTarget(abs string) error {
	fi, err := os.Lstat(abs)
	switch {
	case err == nil && !fi.Mode().IsRegular():
		return fmt.Errorf("%s not restored: it is now %s, not a regular file", abs, describeMode(fi.Mode()))
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s not restored: %w", abs, err)
	}
	dir := filepath.Dir(abs)
	for d := dir; ; d = filepath.Dir(d) {
		real, err := filepath.EvalSymlinks(d)
		if err == nil {
			if real != d {
				return fmt.Errorf("%s not restored: %s is now reached through a symbolic link", abs, d)
			}
			return nil
		}
		if !errors.Is(err, fs.ErrNotExist) || filepath.Dir(d) == d {
			return fmt.Errorf("%s not restored: %w", abs, err)
		}
	}
}

func describeMode(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsDir():
		return "a directory"
	}
	return "a special file"
}

// RealPath is the path a tracked file is known by: abs with the links of its directories
// (and of the file itself, when it is one) resolved, so the file is restored where it was
// written and safeTarget can hold a later link against it.
func RealPath(abs string) string {
	abs = filepath.Clean(abs)
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real
	}
	dir, base := filepath.Dir(abs), filepath.Base(abs)
	var missing []string
	for {
		if real, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(append(append([]string{real}, missing...), base)...)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return abs
		}
		missing = append([]string{filepath.Base(dir)}, missing...)
		dir = parent
	}
}

// diffStat counts the lines a diff from a to b adds and removes.
func diffStat(a, b []byte) (ins, del int) {
	if !textual(a) || !textual(b) {
		return 0, 0
	}
	u, err := udiff.ToUnifiedDiff("", "", string(a), udiff.Lines(string(a), string(b)), 0)
	if err != nil {
		return 0, 0
	}
	for _, h := range u.Hunks {
		for _, l := range h.Lines {
			switch l.Kind {
			case udiff.Insert:
				ins++
			case udiff.Delete:
				del++
			}
		}
	}
	return ins, del
}

// textual reports whether data is worth a line diff: not binary, not huge.
func textual(data []byte) bool {
	return len(data) <= 2<<20 && !bytes.ContainsRune(data, 0)
}

func lineCount(data []byte) int {
	if !textual(data) || len(data) == 0 {
		return 0
	}
	n := bytes.Count(data, []byte{'\n'})
	if data[len(data)-1] != '\n' {
		n++
	}
	return n
}

// writeFileAtomic writes data to path through a temporary file renamed over it, with mode
// perm, so a crash of strata never leaves half a file; sync also survives a crash of the
// machine.
func writeFileAtomic(path string, data []byte, perm fs.FileMode, sync bool) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".strata-*")
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(perm)
	}
	if err == nil && sync {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("checkpoint: writing %s: %w", path, err)
	}
	return nil
}

func copyFile(src, dst string) error {
	fi, err := os.Stat(src)
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return writeFileAtomic(dst, data, fi.Mode().Perm(), false)
}

package fsutil

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/strata-agent/strata/internal/tool"
)

// AbsPath checks that p, the value of the input field named field, is an absolute path and
// returns it cleaned. The model is told to pass absolute paths; a relative one would depend
// on a working directory it cannot see reliably, so it is refused rather than guessed.
func AbsPath(field, p string) (string, error) {
	if p == "" {
		return "", fmt.Errorf("%s is required: pass the absolute path of the file", field)
	}
	if !filepath.IsAbs(p) {
		return "", fmt.Errorf("%s must be an absolute path, not %q (for example %s)",
			field, p, filepath.Join(string(filepath.Separator), "path", "to", p))
	}
	return filepath.Clean(p), nil
}

// Key is the name under which a file's stamp is recorded in the Env: the path with its
// symlinks resolved, so reading a file through a link and editing it through its target (or
// the other way round) count as the same file. A path that does not resolve (not created
// yet) is used as given.
func Key(path string) string {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		return real
	}
	return filepath.Clean(path)
}

// StampOf is the stamp recorded for a file the model has just seen or written.
func StampOf(fi fs.FileInfo) tool.FileStamp {
	return tool.FileStamp{ModTime: fi.ModTime(), Size: fi.Size()}
}

// Record stores the current stamp of path in env after a read or a write.
func Record(env *tool.Env, path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("recording the state of %s: %w", path, err)
	}
	env.RecordRead(Key(path), StampOf(fi))
	return nil
}

// CheckFresh refuses to change an existing file the model has not read in this session, or
// one that changed on disk (another program, the user, a formatter) since it was last read
// or written here: in both cases the model would be editing text it has not seen.
func CheckFresh(env *tool.Env, path string, fi fs.FileInfo) error {
	st, ok := env.LastRead(Key(path))
	if !ok {
		return fmt.Errorf("%s has not been read in this session; Read it first, then retry the change", path)
	}
	if !st.ModTime.Equal(fi.ModTime()) || st.Size != fi.Size() {
		return fmt.Errorf("%s changed on disk since it was last read (it may have been edited by the user or another program); Read it again before changing it", path)
	}
	return nil
}

// CheckWritable refuses non-regular files and files that are read-only. The mode bits are
// checked explicitly because an atomic replace (write a temporary file, rename it over the
// original) would otherwise succeed on a read-only file, and root bypasses permissions.
func CheckWritable(path string, fi fs.FileInfo) error {
	if fi.IsDir() {
		return fmt.Errorf("%s is a directory, not a file", path)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file (%s); only regular files can be changed", path, fi.Mode().Type())
	}
	if fi.Mode().Perm()&0o222 == 0 {
		return fmt.Errorf("%s is read-only (mode %04o); it was left unchanged. If it should be modified, make it writable first (chmod u+w)", path, fi.Mode().Perm())
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("%s is not writable by this user (permission denied); it was left unchanged", path)
	}
	if err == nil {
		f.Close()
	}
	return nil
}

// HumanSize renders a byte count for messages ("3.2 MiB").
func HumanSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// SearchRoot resolves the optional path input of the search tools (Glob, Grep, LS-like
// callers) against the working directory and returns it with what it is. A missing path is
// an error the model can act on.
func SearchRoot(env *tool.Env, p string) (string, fs.FileInfo, error) {
	root := env.Cwd()
	if p != "" {
		if filepath.IsAbs(p) {
			root = filepath.Clean(p)
		} else {
			root = filepath.Join(root, p)
		}
	}
	st, err := os.Stat(root)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", nil, fmt.Errorf("path %s does not exist", root)
	case err != nil:
		return "", nil, fmt.Errorf("cannot search %s: %v", root, err)
	}
	return root, st, nil
}

package fsutil

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/strata-agent/strata/internal/tool"
)

// maxLinkHops bounds symlink chains, as the kernel does (ELOOP).
const maxLinkHops = 40

// WriteTracked is how a file tool changes a file: env.BeforeWrite first (the checkpoint of
// the file as it is now), then WriteFile.
func WriteTracked(env *tool.Env, path string, data []byte, perm fs.FileMode) error {
	if env.BeforeWrite != nil {
		env.BeforeWrite(path)
	}
	return WriteFile(path, data, perm)
}

// WriteFile replaces the contents of path with data. When path is a symlink the file it
// points at is written and the link stays a link. The write is atomic (a temporary file in
// the same directory, synced, then renamed over the target) so a crash never leaves half a
// file, except for files with several hard links, which are rewritten in place so the links
// keep sharing one file. A new file and its missing parent directories are created; an
// existing file keeps its permission bits and, where the platform allows, its owner. perm is
// used only for a new file.
func WriteFile(path string, data []byte, perm fs.FileMode) error {
	target, err := resolveLinks(path)
	if err != nil {
		return err
	}
	fi, err := os.Stat(target)
	switch {
	case err == nil:
		perm = fi.Mode().Perm()
		if linkCount(fi) > 1 {
			return writeInPlace(target, data)
		}
	case errors.Is(err, fs.ErrNotExist):
		fi = nil
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return fmt.Errorf("creating the directory for %s: %w", path, err)
		}
	default:
		return fmt.Errorf("checking %s before writing: %w", path, err)
	}
	err = writeAtomic(target, data, perm, fi)
	if errors.Is(err, fs.ErrPermission) && fi != nil {
		// The directory refuses new entries but the file itself may be writable.
		return writeInPlace(target, data)
	}
	return err
}

// resolveLinks follows path through any chain of symlinks to the file that should be
// written, even when the last link dangles (the write then creates its target).
func resolveLinks(path string) (string, error) {
	p := path
	for range maxLinkHops {
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return p, nil
		}
		if err != nil {
			return "", fmt.Errorf("checking %s before writing: %w", p, err)
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			return p, nil
		}
		dest, err := os.Readlink(p)
		if err != nil {
			return "", fmt.Errorf("reading the symlink %s: %w", p, err)
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(p), dest)
		}
		p = dest
	}
	return "", fmt.Errorf("%s: too many levels of symbolic links; fix the link loop first", path)
}

func writeAtomic(target string, data []byte, perm fs.FileMode, old fs.FileInfo) error {
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".strata-*")
	if err != nil {
		return fmt.Errorf("creating a temporary file next to %s: %w", target, err)
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("writing %s: %w", target, err)
	}
	if err := tmp.Chmod(perm); err != nil {
		return fmt.Errorf("setting the mode of %s: %w", target, err)
	}
	if old != nil {
		copyOwner(tmp, old)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("flushing %s to disk: %w", target, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", target, err)
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		return fmt.Errorf("replacing %s: %w", target, err)
	}
	done = true
	return nil
}

func writeInPlace(target string, data []byte) error {
	f, err := os.OpenFile(target, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return fmt.Errorf("opening %s for writing: %w", target, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", target, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("flushing %s to disk: %w", target, err)
	}
	return f.Close()
}

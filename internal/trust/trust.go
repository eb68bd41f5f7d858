// Package trust remembers the folders the user trusts: a project's settings (hooks, permission
// rules, AWS credential commands, env values, the status line) take effect in an interactive
// session only once the user has said they trust the folder, as the reference CLI's "Do you
// trust the files in this folder?" does.
//
// strata writes its own file in its state directory and never the reference's ~/.claude.json,
// which that program owns and rewrites whole (a concurrent write by strata could lose either
// program's changes). It reads the reference's answers too, so a folder already trusted in
// Claude Code is trusted here. Trust in a folder covers the folders below it. The home
// directory is never remembered, as the reference does not remember it: a home directory holds
// too much to trust wholesale.
package trust

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Store is where trust is remembered. The zero Reference skips the reference's file.
type Store struct {
	Path      string // strata's own file, e.g. ~/.local/state/strata/trusted-folders.json
	Reference string // the reference CLI's .claude.json, read only
	Home      string // the home directory: never remembered, and its trust covers nothing
}

// file is the format of Store.Path.
type file struct {
	Folders map[string]folder `json:"folders"`
}

type folder struct {
	TrustedAt time.Time `json:"trustedAt"`
}

// Trusted reports whether dir, or a folder above it other than the home directory, is
// trusted in either file. A file that cannot be read or parsed counts as trusting nothing
// (so strata asks again) but a broken own file is reported.
func (s Store) Trusted(dir string) (bool, error) {
	own, err := s.load()
	ref := s.reference()
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if d != filepath.Clean(s.Home) {
			if _, ok := own.Folders[d]; ok || ref[d] {
				return true, nil
			}
		}
		if parent := filepath.Dir(d); parent == d {
			return false, err
		}
	}
}

// Remember records that the user trusts dir. The home directory is not recorded: trusting it
// lasts for the session that asked.
func (s Store) Remember(dir string, now time.Time) error {
	dir = filepath.Clean(dir)
	if dir == filepath.Clean(s.Home) {
		return nil
	}
	f, err := s.load()
	if err != nil {
		return err
	}
	f.Folders[dir] = folder{TrustedAt: now.UTC()}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	return writeFile(s.Path, append(data, '\n'))
}

func (s Store) load() (file, error) {
	f := file{Folders: map[string]folder{}}
	data, err := os.ReadFile(s.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return f, nil
	}
	if err == nil {
		err = json.Unmarshal(data, &f)
	}
	if err != nil {
		return file{Folders: map[string]folder{}}, fmt.Errorf("reading the trusted folders in %s: %w", s.Path, err)
	}
	if f.Folders == nil {
		f.Folders = map[string]folder{}
	}
	return f, nil
}

// reference reads the folders the reference CLI was told to trust. Its file is not strata's
// to judge: when it cannot be read, strata asks.
func (s Store) reference() map[string]bool {
	if s.Reference == "" {
		return nil
	}
	data, err := os.ReadFile(s.Reference)
	if err != nil {
		return nil
	}
	var ref struct {
		Projects map[string]struct {
			HasTrustDialogAccepted bool `json:"hasTrustDialogAccepted"`
		} `json:"projects"`
	}
	if json.Unmarshal(data, &ref) != nil {
		return nil
	}
	out := map[string]bool{}
	for path, p := range ref.Projects {
		if p.HasTrustDialogAccepted {
			out[filepath.Clean(path)] = true
		}
	}
	return out
}

// writeFile replaces path with data through a temporary file, so a crash never leaves half a
// file; the directory is private to the user.
func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".trusted-folders-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing to remove
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Package session keeps every conversation as an append-only JSONL transcript (A10), one file
// per session, one entry per line, and rebuilds a conversation from it for --continue and
// --resume.
//
// Files live in <Store.Dir>/<project-key>/<session-id>.jsonl, where the project key is derived
// from the working directory. Each line is written with a single write to a file opened with
// O_APPEND, so once Append returns, the entry survives a crash of strata; Sync additionally
// survives a crash of the machine and is meant to be called before each model request. A
// crash therefore loses at most the turn in flight, and a line cut short by it is dropped
// (and the file repaired) on resume. Every line passes through a redact.Redactor first.
package session

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/redact"
)

// errNoRedactor is a caller's mistake: every transcript line passes through a redactor.
var errNoRedactor = errors.New("session: a transcript needs a redactor (redact.New() when there is nothing to hide)")

// ErrNoSession is wrapped by the errors of Latest and Resume when there is nothing to resume.
var ErrNoSession = errors.New("no saved session")

// Store is the directory holding every project's transcripts.
type Store struct {
	Dir string
	// Now stamps entries; nil means time.Now. Tests set it.
	Now func() time.Time
}

// DefaultDir is $XDG_STATE_HOME/strata/projects, or ~/.local/state/strata/projects when
// XDG_STATE_HOME is unset or not absolute (the XDG specification says to ignore relative
// paths there).
func DefaultDir(getenv func(string) string, home string) string {
	state := getenv("XDG_STATE_HOME")
	if state == "" || !filepath.IsAbs(state) {
		state = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(state, "strata", "projects")
}

// ProjectKey names the directory of a working directory's sessions: the path with every
// character other than letters, digits, '.' and '_' turned into '-', shortened to stay a
// reasonable file name, then a short hash of the whole path so that paths which read the same
// ("/a/b" and "/a-b") still differ.
func ProjectKey(cwd string) string {
	clean := filepath.Clean(cwd)
	sum := sha256.Sum256([]byte(clean))
	readable := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' {
			return r
		}
		return '-'
	}, clean)
	readable = strings.Trim(readable, "-")
	if len(readable) > 80 {
		readable = readable[len(readable)-80:] // the end of a path says more than its start
	}
	if readable == "" {
		readable = "root"
	}
	return readable + "-" + hex.EncodeToString(sum[:4])
}

// projectDir is where the sessions of cwd live. A relative cwd is made absolute first.
func (s Store) projectDir(cwd string) (string, error) {
	abs, err := filepath.Abs(cwd)
	if err != nil {
		return "", fmt.Errorf("session: working directory %q: %w", cwd, err)
	}
	return filepath.Join(s.Dir, ProjectKey(abs)), nil
}

func (s Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// checkID rejects anything but a UUID, which also keeps the id from naming another path.
func checkID(id string) error {
	if _, err := uuid.Parse(id); err != nil {
		return fmt.Errorf("session: %q is not a session id (a UUID such as %s)", id, uuid.Nil)
	}
	return nil
}

// Create starts a new transcript for cwd. An empty id gets a new random UUID; a given one
// must be a UUID not used yet in this project. red masks every line written; it is required
// (an empty redact.New() when there is nothing to hide), so no transcript can skip redaction.
func (s Store) Create(id, cwd string, red *redact.Redactor) (*Transcript, error) {
	if red == nil {
		return nil, errNoRedactor
	}
	if id == "" {
		id = uuid.NewString()
	} else if err := checkID(id); err != nil {
		return nil, err
	}
	dir, err := s.projectDir(cwd)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("session: create transcript directory: %w", err)
	}
	path := filepath.Join(dir, id+".jsonl")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|os.O_APPEND, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("session: %s already exists; resume it with --resume %s", id, id)
	}
	if err != nil {
		return nil, fmt.Errorf("session: create transcript: %w", err)
	}
	return newTranscript(f, path, id, cwd, "", red, s.now), nil
}

// Latest returns the id of the most recently written session of cwd. Without one the error
// wraps ErrNoSession.
func (s Store) Latest(cwd string) (string, error) {
	files, err := s.sessionFiles(cwd)
	if err != nil {
		return "", err
	}
	if len(files) == 0 {
		return "", fmt.Errorf("session: %w for %s yet; start one without --continue", ErrNoSession, cwd)
	}
	return files[0].id, nil
}

type sessionFile struct {
	id, path string
	modified time.Time
}

// sessionFiles lists the transcripts of cwd, newest first (ties by id, for a stable order).
func (s Store) sessionFiles(cwd string) ([]sessionFile, error) {
	dir, err := s.projectDir(cwd)
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("session: list sessions: %w", err)
	}
	var files []sessionFile
	for _, e := range entries {
		id, ok := strings.CutSuffix(e.Name(), ".jsonl")
		if !ok || e.IsDir() || checkID(id) != nil {
			continue
		}
		info, err := e.Info()
		if err != nil || info.Size() == 0 {
			// Removed while listing, or a session that never got a message (a blocked first
			// prompt, a UI closed at once): nothing to continue or resume.
			continue
		}
		files = append(files, sessionFile{id, filepath.Join(dir, e.Name()), info.ModTime()})
	}
	sort.Slice(files, func(i, j int) bool {
		a, b := files[i], files[j]
		if !a.modified.Equal(b.modified) {
			return a.modified.After(b.modified)
		}
		return a.id > b.id
	})
	return files, nil
}

// Resume reopens session id of cwd for appending and returns the conversation to send again:
// the messages after the latest summary (the summary itself first, as SummaryMessage), made
// valid to send (see conversation). A last line cut by a crash is dropped and truncated away.
//
// When the session stopped while tools were running — its last message is an assistant
// tool_use without results — Resume answers each such call with an error tool_result saying
// it was interrupted, and appends that message to the transcript too, so the file matches
// what will be sent.
func (s Store) Resume(id, cwd string, red *redact.Redactor) (*Transcript, []llm.Message, error) {
	if red == nil {
		return nil, nil, errNoRedactor
	}
	if err := checkID(id); err != nil {
		return nil, nil, err
	}
	dir, err := s.projectDir(cwd)
	if err != nil {
		return nil, nil, err
	}
	path := filepath.Join(dir, id+".jsonl")
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, nil, s.notHere(id, cwd)
	}
	p, err := readTranscript(path)
	if err != nil {
		return nil, nil, err
	}
	f, err := reopen(path, p)
	if err != nil {
		return nil, nil, err
	}
	parent := ""
	if n := len(p.entries); n > 0 {
		parent = p.entries[n-1].UUID
	}
	t := newTranscript(f, path, id, cwd, parent, red, s.now)
	msgs, open := conversation(p.entries)
	if len(open) > 0 {
		answer := interruptedResults(open)
		if err := t.AppendUser(answer); err != nil {
			t.Close()
			return nil, nil, err
		}
		msgs = append(msgs, answer)
	}
	return t, msgs, nil
}

// reopen opens a transcript for appending, first cutting away a damaged last line and
// completing a last line that lacks its end.
func reopen(path string, p parsed) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return nil, fmt.Errorf("session: open transcript for appending: %w", err)
	}
	info, err := f.Stat()
	if err == nil && info.Size() > p.keep {
		err = f.Truncate(p.keep)
	}
	if err == nil && p.newline {
		_, err = f.Write([]byte{'\n'})
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("session: repair the end of %s: %w", path, err)
	}
	return f, nil
}

// notHere explains a missing session: it may belong to another directory.
func (s Store) notHere(id, cwd string) error {
	matches, _ := filepath.Glob(filepath.Join(s.Dir, "*", id+".jsonl"))
	for _, m := range matches {
		if p, err := readTranscript(m); err == nil && len(p.entries) > 0 {
			return fmt.Errorf("session: %s was started in %s; run strata --resume %s from there", id, p.entries[0].Cwd, id)
		}
	}
	return fmt.Errorf("session: %w with id %s for %s; run strata --resume without an id to list them", ErrNoSession, id, cwd)
}

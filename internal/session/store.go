// Package session keeps every conversation as an append-only JSONL transcript (A10), one file
// per session, one entry per line, and rebuilds a conversation from it for --continue and
// --resume.
//
// Transcripts are written in Claude Code's format and place, <config>/projects/<project-key>/
// <session-id>.jsonl (config is CLAUDE_CONFIG_DIR or ~/.claude, the key is ClaudeProjectKey),
// so that either tool resumes the other's sessions. Sessions strata wrote before, under its
// state directory (Store.Legacy), are still listed and resumed. Each line is written with a
// single write to a file opened with O_APPEND, so once Append returns, the entry survives a
// crash of strata; Sync additionally survives a crash of the machine and is meant to be called
// before each model request. A crash therefore loses at most the turn in flight, and a line cut
// short by it is dropped (and the file repaired) on resume. Every line passes through a
// redact.Redactor first.
package session

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
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
var ErrNoSession = errors.New("no session found")

// Store is the directory holding every project's transcripts.
type Store struct {
	Dir string // <config>/projects (ProjectsDir): where transcripts are written, and the reference's are found
	// Legacy is where strata kept transcripts before it wrote the reference's format
	// (DefaultDir); they are still listed and resumed. Empty: none.
	Legacy string
	// Writer is recorded in every entry.
	Writer Writer
	// Now stamps entries; nil means time.Now. Tests set it.
	Now func() time.Time
}

// DefaultDir is strata's own state directory's projects folder: $XDG_STATE_HOME/strata/projects,
// or, when XDG_STATE_HOME is unset or not absolute (the XDG specification says to ignore
// relative paths there), ~/.local/state/strata/projects — on Windows
// %LOCALAPPDATA%\strata\projects, where Windows programs keep per-user state.
func DefaultDir(getenv func(string) string, home string) string {
	return defaultDir(runtime.GOOS, getenv, home)
}

func defaultDir(goos string, getenv func(string) string, home string) string {
	state := getenv("XDG_STATE_HOME")
	switch {
	case state != "" && filepath.IsAbs(state):
	case goos == "windows" && filepath.IsAbs(getenv("LOCALAPPDATA")):
		state = getenv("LOCALAPPDATA")
	case goos == "windows":
		state = filepath.Join(home, "AppData", "Local")
	default:
		state = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(state, "strata", "projects")
}

// ProjectKey names the directory of a working directory's sessions in strata's own state
// directory (older transcripts, the prompt history): the path with every
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

// projectDir is where new sessions of cwd go. A relative cwd is made absolute first; the
// second result is cwd as entries record it.
func (s Store) projectDir(cwd string) (dir, real string, err error) {
	real, err = realCwd(cwd)
	if err != nil {
		return "", "", fmt.Errorf("session: working directory %q: %w", cwd, err)
	}
	return filepath.Join(s.Dir, ClaudeProjectKey(real)), real, nil
}

// searchDirs are the directories that may hold sessions of cwd: the reference's, then
// strata's older ones.
func (s Store) searchDirs(cwd string) ([]searchDir, error) {
	real, err := realCwd(cwd)
	if err != nil {
		return nil, fmt.Errorf("session: working directory %q: %w", cwd, err)
	}
	var dirs []searchDir
	for _, d := range claudeDirs(s.Dir, real) {
		dirs = append(dirs, searchDir{d, false})
	}
	if s.Legacy != "" {
		abs, _ := filepath.Abs(cwd)
		dirs = append(dirs, searchDir{filepath.Join(s.Legacy, ProjectKey(abs)), true})
	}
	return dirs, nil
}

type searchDir struct {
	path   string
	legacy bool
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
	dir, real, err := s.projectDir(cwd)
	if err != nil {
		return nil, err
	}
	if _, err := s.exact(id, cwd); err == nil {
		return nil, fmt.Errorf("session: %s already exists; resume it with --resume %s", id, id)
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
	return s.transcript(f, path, id, real, "", red), nil
}

func (s Store) transcript(f *os.File, path, id, cwd, parent string, red *redact.Redactor) *Transcript {
	return &Transcript{f: f, path: path, id: id, cwd: cwd, parent: parent, who: s.Writer, red: red, now: s.now}
}

// Latest returns the id of the most recently written session of cwd that holds a message, of
// either tool. Without one the error wraps ErrNoSession.
func (s Store) Latest(cwd string) (string, error) {
	files, err := s.sessionFiles(cwd)
	if err != nil {
		return "", err
	}
	for _, f := range files {
		// The reference leaves files holding only titles or snapshots; nothing to continue.
		var info Info
		var lastMsg string
		if summarize(f.path, &info, &lastMsg); info.Messages > 0 {
			return f.id, nil
		}
	}
	return "", fmt.Errorf("session: %w for %s yet; start one without --continue", ErrNoSession, cwd)
}

type sessionFile struct {
	id, path string
	modified time.Time
	legacy   bool // in strata's older place
}

// sessionFiles lists the transcripts of cwd, newest first (ties by id, for a stable order). An
// id found in two places is listed once, from the first (the reference's place).
func (s Store) sessionFiles(cwd string) ([]sessionFile, error) {
	dirs, err := s.searchDirs(cwd)
	if err != nil {
		return nil, err
	}
	var files []sessionFile
	seen := map[string]bool{}
	for _, d := range dirs {
		entries, err := os.ReadDir(d.path)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("session: list sessions: %w", err)
		}
		for _, e := range entries {
			id, ok := strings.CutSuffix(e.Name(), ".jsonl")
			if !ok || e.IsDir() || checkID(id) != nil || seen[id] {
				continue
			}
			info, err := e.Info()
			if err != nil || info.Size() == 0 {
				// Removed while listing, or a session that never got a message (a blocked first
				// prompt, a UI closed at once): nothing to continue or resume.
				continue
			}
			seen[id] = true
			files = append(files, sessionFile{id, filepath.Join(d.path, e.Name()), info.ModTime(), d.legacy})
		}
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

// exact finds the transcript of session id among cwd's.
func (s Store) exact(id, cwd string) (sessionFile, error) {
	dirs, err := s.searchDirs(cwd)
	if err != nil {
		return sessionFile{}, err
	}
	for _, d := range dirs {
		path := filepath.Join(d.path, id+".jsonl")
		if info, err := os.Stat(path); err == nil && info.Mode().IsRegular() {
			return sessionFile{id, path, info.ModTime(), d.legacy}, nil
		}
	}
	return sessionFile{}, ErrNoSession
}

// Find names the session of cwd that ref stands for: a whole session id, or the start of
// exactly one. The errors say when nothing matched (wrapping ErrNoSession) or several did.
func (s Store) Find(ref, cwd string) (string, error) {
	f, err := s.find(ref, cwd)
	return f.id, err
}

func (s Store) find(ref, cwd string) (sessionFile, error) {
	ref = strings.ToLower(strings.TrimSpace(ref))
	if checkID(ref) == nil {
		if f, err := s.exact(ref, cwd); err == nil {
			return f, nil
		}
		return sessionFile{}, s.notHere(ref, cwd)
	}
	if ref == "" || strings.ContainsAny(ref, `/\`) {
		return sessionFile{}, fmt.Errorf("session: %w with id %q for %s; strata sessions lists them", ErrNoSession, ref, cwd)
	}
	files, err := s.sessionFiles(cwd)
	if err != nil {
		return sessionFile{}, err
	}
	var matches []sessionFile
	for _, f := range files {
		if strings.HasPrefix(f.id, ref) {
			matches = append(matches, f)
		}
	}
	switch len(matches) {
	case 0:
		return sessionFile{}, fmt.Errorf("session: %w with an id starting %q for %s; strata sessions lists them", ErrNoSession, ref, cwd)
	case 1:
		return matches[0], nil
	}
	ids := make([]string, 0, 3)
	for _, m := range matches[:min(3, len(matches))] {
		ids = append(ids, m.id)
	}
	more := ""
	if len(matches) > 3 {
		more = fmt.Sprintf(" and %d more", len(matches)-3)
	}
	return sessionFile{}, fmt.Errorf("session: %q is the start of %d sessions (%s%s); give more of the id",
		ref, len(matches), strings.Join(ids, ", "), more)
}

// Resume reopens the session ref names (see Find) for appending, and returns the conversation
// to send again: the main chain of the transcript (see mainChain) from its latest compaction,
// made valid to send (see conversation). A last line cut by a crash is dropped and truncated
// away.
//
// When the session stopped while tools were running — its last message is an assistant
// tool_use without results — Resume answers each such call with an error tool_result saying
// it was interrupted, and appends that message to the transcript too, so the file matches
// what will be sent.
func (s Store) Resume(ref, cwd string, red *redact.Redactor) (*Transcript, []llm.Message, error) {
	return s.ResumeAt(ref, cwd, "", red)
}

// ResumeAt is Resume with the conversation cut after the entry whose uuid is at (the Agent
// SDK's resumeSessionAt: an assistant message's uuid from the stream); what follows it in
// the file stays there, and the next entries branch off at it. at "" is Resume.
func (s Store) ResumeAt(ref, cwd, at string, red *redact.Redactor) (*Transcript, []llm.Message, error) {
	if red == nil {
		return nil, nil, errNoRedactor
	}
	file, err := s.find(ref, cwd)
	if err != nil {
		return nil, nil, err
	}
	p, err := readTranscript(file.path)
	if err != nil {
		return nil, nil, err
	}
	chain, last, ok := chainTo(p.entries, at)
	if !ok {
		return nil, nil, fmt.Errorf("session %s has no message %s to resume at", file.id, at)
	}
	f, err := reopen(file.path, p)
	if err != nil {
		return nil, nil, err
	}
	_, real, err := s.projectDir(cwd)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	t := s.transcript(f, file.path, file.id, real, last, red)
	t.recorded = savedMode(p.entries)
	msgs, open := conversation(chain)
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
	var matches []string
	for _, root := range []string{s.Dir, s.Legacy} {
		if root != "" {
			m, _ := filepath.Glob(filepath.Join(root, "*", id+".jsonl"))
			matches = append(matches, m...)
		}
	}
	for _, m := range matches {
		if p, err := readTranscript(m); err == nil {
			for _, e := range p.entries {
				if e.Cwd != "" {
					return fmt.Errorf("session: %w with id %s here: it was started in %s; run strata --resume %s from there",
						ErrNoSession, id, e.Cwd, id)
				}
			}
		}
	}
	return fmt.Errorf("session: %w with id %s for %s; strata sessions lists them", ErrNoSession, id, cwd)
}

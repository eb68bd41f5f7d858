package session

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/redact"
)

// Entry types.
const (
	TypeUser      = "user"
	TypeAssistant = "assistant"
	// TypeSummary marks a compaction: the conversation before it is replaced by its Summary.
	TypeSummary = "summary"
	// TypeSystem is a note for people reading the transcript; it is never sent to the model.
	TypeSystem = "system"
)

// Entry is one line of a transcript.
type Entry struct {
	Type       string    `json:"type"`
	UUID       string    `json:"uuid"`
	ParentUUID *string   `json:"parentUuid"` // the previous entry; null on the first
	SessionID  string    `json:"sessionId"`
	Timestamp  time.Time `json:"timestamp"`
	Cwd        string    `json:"cwd"`

	Message *llm.Message `json:"message,omitempty"` // user and assistant

	// Assistant entries: the model asked for, what the response reported.
	Model      string     `json:"model,omitempty"`
	ResponseID string     `json:"responseId,omitempty"`
	StopReason string     `json:"stopReason,omitempty"`
	Usage      *llm.Usage `json:"usage,omitempty"`

	Summary string `json:"summary,omitempty"` // summary entries
	Subtype string `json:"subtype,omitempty"` // system entries
	Text    string `json:"text,omitempty"`    // system entries
}

// Transcript appends entries to one session's file. Its methods are safe for concurrent use.
type Transcript struct {
	mu     sync.Mutex
	f      *os.File
	path   string
	id     string
	cwd    string
	parent string // uuid of the last entry written
	red    *redact.Redactor
	now    func() time.Time
	line   []byte // reused encoding buffer
}

func newTranscript(f *os.File, path, id, cwd, parent string, red *redact.Redactor, now func() time.Time) *Transcript {
	return &Transcript{f: f, path: path, id: id, cwd: cwd, parent: parent, red: red, now: now}
}

// ID is the session id.
func (t *Transcript) ID() string { return t.id }

// Path is the transcript file.
func (t *Transcript) Path() string { return t.path }

// AppendUser records a user message: a prompt, or the tool results of a turn. An empty role
// is taken as user.
func (t *Transcript) AppendUser(m llm.Message) error {
	if m.Role == "" {
		m.Role = llm.RoleUser
	}
	if m.Role != llm.RoleUser {
		return fmt.Errorf("session: AppendUser given a %q message", m.Role)
	}
	return t.append(Entry{Type: TypeUser, Message: &m})
}

// AppendAssistant records a model response; model is the model id the request named.
func (t *Transcript) AppendAssistant(r *llm.Response, model string) error {
	if r == nil {
		return errors.New("session: AppendAssistant given no response")
	}
	m := r.Message()
	u := r.Usage
	return t.append(Entry{Type: TypeAssistant, Message: &m, Model: model, ResponseID: r.ID,
		StopReason: r.StopReason, Usage: &u})
}

// AppendSummary records a compaction. text is exactly what replaces the earlier conversation:
// Resume turns it into the first user message with SummaryMessage, and the agent should use
// the same function for its own copy of the conversation.
func (t *Transcript) AppendSummary(text string) error {
	return t.append(Entry{Type: TypeSummary, Summary: text})
}

// AppendSystem records a note that is shown to people but never sent to the model (a model
// switch, an interruption). subtype says what kind of note it is.
func (t *Transcript) AppendSystem(subtype, text string) error {
	return t.append(Entry{Type: TypeSystem, Subtype: subtype, Text: text})
}

// SummaryMessage is the user message that stands for the conversation a summary replaced.
func SummaryMessage(text string) llm.Message {
	return llm.Message{Role: llm.RoleUser, Content: []llm.ContentBlock{llm.TextBlock(text)}}
}

// append stamps, encodes, redacts and writes e as one line with a single write, so that a
// crash leaves either the whole line or a cut last line, never two lines mixed.
func (t *Transcript) append(e Entry) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.f == nil {
		return fmt.Errorf("session: transcript %s is closed", t.path)
	}
	e.UUID = uuid.NewString()
	if t.parent != "" {
		parent := t.parent
		e.ParentUUID = &parent
	}
	e.SessionID, e.Cwd, e.Timestamp = t.id, t.cwd, t.now().UTC()
	raw, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("session: encode %s entry: %w", e.Type, err)
	}
	t.line = append(append(t.line[:0], t.red.JSON(raw)...), '\n')
	if _, err := t.f.Write(t.line); err != nil {
		return fmt.Errorf("session: write transcript %s: %w", t.path, err)
	}
	t.parent = e.UUID
	return nil
}

// Sync forces what was appended onto the disk, so that it survives a crash of the machine and
// not only of strata. Call it before each model request.
func (t *Transcript) Sync() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.f == nil {
		return fmt.Errorf("session: transcript %s is closed", t.path)
	}
	if err := t.f.Sync(); err != nil {
		return fmt.Errorf("session: sync transcript %s: %w", t.path, err)
	}
	return nil
}

// Close syncs and closes the file. Later appends fail; closing twice is harmless.
func (t *Transcript) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.f == nil {
		return nil
	}
	syncErr := t.f.Sync()
	closeErr := t.f.Close()
	t.f = nil
	if err := errors.Join(syncErr, closeErr); err != nil {
		return fmt.Errorf("session: close transcript %s: %w", t.path, err)
	}
	return nil
}

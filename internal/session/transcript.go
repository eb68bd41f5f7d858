package session

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
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
	// TypeSummary is, in a reference transcript, a title for the conversation ending at
	// LeafUUID, shown in listings and never sent. In strata's transcripts before it wrote the
	// reference's format, a summary without LeafUUID marked a compaction.
	TypeSummary = "summary"
	// TypeSystem is a note for people reading the transcript; it is never sent to the model.
	// Subtype SubtypeCompactBoundary starts the conversation afresh after a compaction.
	TypeSystem = "system"
	// TypeLastPrompt names the leaf of the conversation; with Explicit (a rewind) resume
	// continues from that leaf, or from nothing when it is null, until a message follows.
	TypeLastPrompt = "last-prompt"
)

// SubtypeCompactBoundary is the system entry the reference writes where a compaction replaced
// the conversation: its parentUuid is null, so the chain of messages restarts there.
const SubtypeCompactBoundary = "compact_boundary"

// Entry is one line of a transcript, in the format Claude Code 2.1.197 writes to
// ~/.claude/projects (field order too), plus the fields strata's older transcripts used.
// Fields the reference writes that strata has no use for (toolUseResult, snapshots, titles
// of other kinds) are skipped when reading.
type Entry struct {
	ParentUUID        *string  `json:"parentUuid"` // the previous entry; null on the first and on a compact boundary
	LogicalParentUUID *string  `json:"logicalParentUuid,omitempty"`
	IsSidechain       bool     `json:"isSidechain"` // a sub-agent's messages: never part of the main conversation
	UserType          string   `json:"userType,omitempty"`
	Entrypoint        string   `json:"entrypoint,omitempty"` // "strata" on the entries strata writes
	Cwd               string   `json:"cwd"`
	SessionID         string   `json:"sessionId"`
	Version           string   `json:"version,omitempty"`
	GitBranch         string   `json:"gitBranch,omitempty"`
	Type              string   `json:"type"`
	Message           *Message `json:"message,omitempty"` // user and assistant
	// PromptID groups a user's prompt with the tool results of the turn it started (user
	// entries only), as the reference's promptId does.
	PromptID string `json:"promptId,omitempty"`
	// PermissionMode is the permission mode in force when the user sent a prompt (prompts
	// only), and the mode of a "permission-mode" line (the reference's record of the
	// session's mode, the last one counting).
	PermissionMode string `json:"permissionMode,omitempty"`
	// SourceToolAssistantUUID names, on a tool result, the assistant entry whose tool_use it
	// answers; the reference links parallel results to their call by it.
	SourceToolAssistantUUID string `json:"sourceToolAssistantUUID,omitempty"`
	// ToolUseResult is, on a tool result, what the reference shows for it (displayRecord);
	// never sent to the model.
	ToolUseResult *writeOnly `json:"toolUseResult,omitempty"`

	// Marks on user and assistant entries.
	IsMeta                    bool `json:"isMeta,omitempty"`
	IsCompactSummary          bool `json:"isCompactSummary,omitempty"`
	IsVisibleInTranscriptOnly bool `json:"isVisibleInTranscriptOnly,omitempty"`
	IsVirtual                 bool `json:"isVirtual,omitempty"`         // shown, never sent
	IsAPIErrorMessage         bool `json:"isApiErrorMessage,omitempty"` // a failed request shown as a reply

	// System entries.
	Subtype         string          `json:"subtype,omitempty"`
	Content         json.RawMessage `json:"content,omitempty"` // the note's text
	Level           string          `json:"level,omitempty"`
	CompactMetadata *CompactMeta    `json:"compactMetadata,omitempty"`

	// Summary and last-prompt entries.
	Summary  string `json:"summary,omitempty"`
	LeafUUID string `json:"leafUuid,omitempty"`
	Explicit bool   `json:"explicit,omitempty"` // last-prompt: a rewind chose the leaf

	UUID      string `json:"uuid"`
	Timestamp Stamp  `json:"timestamp"`

	// Read only: where strata's older transcripts kept an assistant response's details, now
	// inside Message as the reference keeps them; and an older system note's text.
	Model      string     `json:"model,omitempty"`
	ResponseID string     `json:"responseId,omitempty"`
	StopReason string     `json:"stopReason,omitempty"`
	Usage      *llm.Usage `json:"usage,omitempty"`
	Text       string     `json:"text,omitempty"`
}

// CompactMeta describes a compaction (the reference's compactMetadata).
type CompactMeta struct {
	Trigger   string `json:"trigger"` // "manual" or "auto"
	PreTokens int    `json:"preTokens"`
}

// Message is an entry's message: the API message, and on assistant entries the response's
// other fields, as the reference records them.
type Message struct {
	ID           string             `json:"id,omitempty"`
	Type         string             `json:"type,omitempty"`
	Role         string             `json:"role"`
	Model        string             `json:"model,omitempty"`
	Content      []llm.ContentBlock `json:"content"`
	StopReason   *string            `json:"stop_reason,omitempty"`
	StopSequence *string            `json:"stop_sequence,omitempty"`
	Usage        *llm.Usage         `json:"usage,omitempty"`
}

// UnmarshalJSON accepts content as a string, as the reference writes a typed prompt.
func (m *Message) UnmarshalJSON(data []byte) error {
	var base llm.Message
	// Called directly: data was checked by the decoder that called this method; going through
	// json.Unmarshal would scan it once more.
	if err := base.UnmarshalJSON(data); err != nil {
		return err
	}
	var rest struct {
		ID, Type, Model string
		StopReason      *string    `json:"stop_reason"`
		StopSequence    *string    `json:"stop_sequence"`
		Usage           *llm.Usage `json:"usage"`
	}
	if err := json.Unmarshal(data, &rest); err != nil {
		return err
	}
	*m = Message{ID: rest.ID, Type: rest.Type, Role: base.Role, Model: rest.Model, Content: base.Content,
		StopReason: rest.StopReason, StopSequence: rest.StopSequence, Usage: rest.Usage}
	return nil
}

// MarshalJSON writes assistant messages as the reference does: stop_sequence even when null,
// and the usage with the fields Bedrock does not report (llm.ReportedUsage). User messages
// keep the API's two keys.
func (m Message) MarshalJSON() ([]byte, error) {
	type plain Message // no MarshalJSON: no recursion
	if m.Role != llm.RoleAssistant {
		return json.Marshal(plain(m))
	}
	var usage *llm.ReportedUsage
	if m.Usage != nil {
		u := m.Usage.Reported()
		usage = &u
	}
	// The fields below are shallower than plain's of the same name, so they replace them.
	return json.Marshal(struct {
		plain
		StopSequence *string            `json:"stop_sequence"`
		StopDetails  *struct{}          `json:"stop_details"` // null: the reference copies it from responses, which carry none
		Usage        *llm.ReportedUsage `json:"usage,omitempty"`
	}{plain(m), m.StopSequence, nil, usage})
}

// LLM is the message as sent to the model.
func (m *Message) LLM(role string) llm.Message { return llm.Message{Role: role, Content: m.Content} }

// Stamp is an entry's time, written as the reference writes it (UTC, milliseconds), so that
// the entries of both tools sort the same as text.
type Stamp time.Time

// Time is the stamp as a time.Time.
func (s Stamp) Time() time.Time { return time.Time(s) }

// MarshalJSON writes 2006-01-02T15:04:05.000Z.
func (s Stamp) MarshalJSON() ([]byte, error) {
	return []byte(`"` + time.Time(s).UTC().Format("2006-01-02T15:04:05.000Z07:00") + `"`), nil
}

// UnmarshalJSON reads any RFC 3339 time; a missing or empty one is the zero time.
func (s *Stamp) UnmarshalJSON(data []byte) error {
	var t time.Time
	if string(data) == "null" || string(data) == `""` {
		*s = Stamp{}
		return nil
	}
	if err := t.UnmarshalJSON(data); err != nil {
		return err
	}
	*s = Stamp(t)
	return nil
}

// SystemText is a system entry's note.
func (e Entry) SystemText() string {
	var s string
	if json.Unmarshal(e.Content, &s) == nil && s != "" {
		return s
	}
	return e.Text
}

// Writer says who writes a transcript; each entry carries it, as the reference's do.
type Writer struct {
	Version   string // strata's version
	GitBranch string // the branch checked out in the working directory; "" is written "HEAD"
}

// noBranch is the gitBranch of entries written outside a branch, as the reference writes it
// (it is what `git rev-parse --abbrev-ref HEAD` answers, and what the reference falls back to).
const noBranch = "HEAD"

// Transcript appends entries to one session's file. Its methods are safe for concurrent use.
type Transcript struct {
	mu     sync.Mutex
	f      *os.File
	path   string
	id     string
	cwd    string
	parent string // uuid of the last entry written
	prompt string // promptId of the turn in progress
	// calls holds the tool calls of the last assistant entry, by tool_use id.
	calls    map[string]call
	mode     func() string // the permission mode now; nil: not recorded
	who      Writer
	red      *redact.Redactor
	now      func() time.Time
	line     []byte // reused encoding buffer
	recorded string // the permission mode the file records last ("" none; mode.go)
}

// ID is the session id.
func (t *Transcript) ID() string { return t.id }

// Path is the transcript file.
func (t *Transcript) Path() string { return t.path }

// AppendUser records a user message: a prompt, or the tool results of a turn. An empty role
// is taken as user.
func (t *Transcript) AppendUser(m llm.Message) error {
	return t.AppendUserAs("", m)
}

// AppendUserAs is AppendUser with the entry's uuid chosen by the caller ("" for a fresh
// one), so that a prompt's file checkpoint and its entry share it, as the reference's do.
func (t *Transcript) AppendUserAs(id string, m llm.Message) error {
	if m.Role == "" {
		m.Role = llm.RoleUser
	}
	if m.Role != llm.RoleUser {
		return fmt.Errorf("session: AppendUser given a %q message", m.Role)
	}
	e := Entry{UUID: id, Type: TypeUser, Message: &Message{Role: m.Role, Content: m.Content}}
	t.mu.Lock()
	c, results := t.callOf(m.Content)
	e.SourceToolAssistantUUID = c.entry
	if results && len(m.Content) == 1 { // the reference's entries hold one result each
		if rec := displayRecord(c.tool, m.Content[0]); rec != nil {
			e.ToolUseResult = &writeOnly{rec}
		}
	}
	if !results || t.prompt == "" {
		// A prompt starts a turn; the tool results that follow belong to it.
		t.prompt = uuid.NewString()
	}
	if !results && t.mode != nil {
		e.PermissionMode = t.mode()
	}
	e.PromptID = t.prompt
	t.mu.Unlock()
	return t.append(e)
}

// SetPermissionMode gives the transcript the permission mode in force, which it records on
// each prompt as the reference does; mode is called once per prompt.
func (t *Transcript) SetPermissionMode(mode func() string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.mode = mode
}

// call is a tool call of the last assistant entry: the tool, and the entry's uuid.
type call struct{ tool, entry string }

// callOf says whether content holds tool results, and which call the first one answers (zero
// when its entry was written by another process, as before a resume). Called with t.mu held.
func (t *Transcript) callOf(content []llm.ContentBlock) (c call, results bool) {
	for _, b := range content {
		if b.Type == llm.TypeToolResult {
			return t.calls[b.ToolUseID], true
		}
	}
	return call{}, false
}

// displayRecord is the reference's toolUseResult for a tool result, where strata knows its
// shape for sure: an error's text after "Error: " (any tool), and a Bash run's output as the
// reference's Bash record, whose stdout is what the model saw (strata does not keep the two
// streams apart). Other tools get none: the reference then shows the call without its output,
// and never mistakes a guess for a record (its Read record, for one, stands for a file read).
func displayRecord(tool string, b llm.ContentBlock) any {
	// The record joins the line redacted in append, as every field does.
	var parts []string
	for _, c := range b.Content {
		if c.Type == llm.TypeText {
			parts = append(parts, c.Text)
		}
	}
	text := strings.Join(parts, "")
	switch {
	case b.IsError:
		return "Error: " + text
	case tool == "Bash":
		return bashRecord{Stdout: text}
	}
	return nil
}

// writeOnly is a value strata writes and never reads back: decoding skips it, so resuming a
// reference session does not build its records (a Read record repeats the whole file).
type writeOnly struct{ v any }

// MarshalJSON writes the value.
func (w writeOnly) MarshalJSON() ([]byte, error) { return json.Marshal(w.v) }

// UnmarshalJSON ignores what is there.
func (*writeOnly) UnmarshalJSON([]byte) error { return nil }

// bashRecord is the reference's toolUseResult of a Bash call.
type bashRecord struct {
	Stdout           string `json:"stdout"`
	Stderr           string `json:"stderr"`
	Interrupted      bool   `json:"interrupted"`
	IsImage          bool   `json:"isImage"`
	NoOutputExpected bool   `json:"noOutputExpected"`
}

// AppendAssistant records a model response; model is the model id the request named, kept
// when the response does not name one.
func (t *Transcript) AppendAssistant(r *llm.Response, model string) error {
	return t.AppendAssistantAs("", r, model)
}

// AppendAssistantAs is AppendAssistant with the entry's uuid chosen by the caller ("" for a
// fresh one), so that the stream-json message and the transcript entry share it, as the
// reference's do (resumeSessionAt names a message by it).
func (t *Transcript) AppendAssistantAs(id string, r *llm.Response, model string) error {
	if r == nil {
		return errors.New("session: AppendAssistant given no response")
	}
	m := Message{ID: r.ID, Type: "message", Role: llm.RoleAssistant, Model: r.Model, Content: r.Content,
		StopSequence: r.StopSequence}
	if m.Model == "" {
		m.Model = model
	}
	if r.StopReason != "" {
		stop := r.StopReason
		m.StopReason = &stop
	}
	u := r.Usage
	m.Usage = &u
	if id == "" {
		id = uuid.NewString()
	}
	calls := map[string]call{}
	for _, b := range r.Content {
		if b.Type == llm.TypeToolUse {
			calls[b.ID] = call{tool: b.Name, entry: id}
		}
	}
	if err := t.append(Entry{UUID: id, Type: TypeAssistant, Message: &m}); err != nil {
		return err
	}
	t.mu.Lock()
	t.calls = calls
	t.mu.Unlock()
	return nil
}

// AppendSummary records a compaction as the reference does: a compact boundary that starts
// the chain afresh, then the summary as a user message. text is exactly what replaces the
// earlier conversation: pass it through SummaryMessage, which the agent uses for its own copy
// of the conversation too.
func (t *Transcript) AppendSummary(text string) error {
	t.mu.Lock()
	prev := t.parent
	t.parent = "" // the boundary has no parent; logicalParentUuid keeps the link
	t.mu.Unlock()
	boundary := Entry{Type: TypeSystem, Subtype: SubtypeCompactBoundary, Content: json.RawMessage(`"Conversation compacted"`),
		Level: "info", CompactMetadata: &CompactMeta{Trigger: "auto"}}
	if prev != "" {
		boundary.LogicalParentUUID = &prev
	}
	if err := t.append(boundary); err != nil {
		return err
	}
	m := SummaryMessage(text)
	return t.append(Entry{Type: TypeUser, Message: &Message{Role: m.Role, Content: m.Content},
		IsCompactSummary: true, IsVisibleInTranscriptOnly: true})
}

// AppendSystem records a note that is shown to people but never sent to the model (a model
// switch, an interruption). subtype says what kind of note it is.
func (t *Transcript) AppendSystem(subtype, text string) error {
	content, err := json.Marshal(text)
	if err != nil {
		return fmt.Errorf("session: encode system note: %w", err)
	}
	return t.append(Entry{Type: TypeSystem, Subtype: subtype, Content: content, Level: "info"})
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
	if e.UUID == "" {
		e.UUID = uuid.NewString()
	}
	if t.parent != "" {
		parent := t.parent
		e.ParentUUID = &parent
	}
	e.SessionID, e.Cwd, e.Timestamp = t.id, t.cwd, Stamp(t.now().UTC())
	e.UserType, e.Entrypoint, e.Version, e.GitBranch = "external", entrypoint, t.who.Version, t.who.GitBranch
	if e.GitBranch == "" {
		e.GitBranch = noBranch
	}
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

// entrypoint marks the entries strata writes; the reference puts CLAUDE_CODE_ENTRYPOINT
// ("cli", "sdk-ts", …) there.
const entrypoint = "strata"

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

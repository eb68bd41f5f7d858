package tool

import (
	"context"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/sandbox"
)

// Env is the state one session's tools share. It is safe for concurrent use: read-only tools
// of one turn run in parallel.
type Env struct {
	mu  sync.Mutex
	cwd string

	// Environ is the environment given to subprocesses (Bash, background jobs), already
	// scrubbed of secrets by the caller. Nil means an empty environment, never os.Environ().
	Environ []string
	// ShellEnv, when set, returns a script Bash runs before each command, in the same
	// shell (the `export` lines hooks wrote to CLAUDE_ENV_FILE). May be nil.
	ShellEnv func() string
	// Sandbox confines Bash commands and background jobs (internal/sandbox). Nil runs them
	// with permission rules only.
	Sandbox *sandbox.Sandbox
	// Model answers one-shot questions with the small/fast model (WebFetch). May be nil.
	Model Asker
	// SubAgents runs a sub-agent with its own context (Task). May be nil.
	SubAgents SubAgentRunner
	// Grant adds permission allow rules for the rest of the session (a skill's
	// allowed-tools), each checked by the permission package; source names who asked. May
	// be nil: nothing is granted.
	Grant func(rules []string, source string) error
	// Todos receives the list written by TodoWrite. May be nil.
	Todos func([]Todo)
	// Mode reads the session's permission mode and SetMode changes it (ExitPlanMode leaves
	// plan mode). Either may be nil: the mode is then unknown, or stays as it is.
	Mode    func() permission.Mode
	SetMode func(permission.Mode)
	// Now is the clock, replaceable in tests. Nil means time.Now.
	Now func() time.Time
	// CanRead reports whether the model may see a path (absolute): its contents, its name,
	// or that it exists. The session sets it from its permission checker (the Read deny and
	// ask rules); every tool that reads, searches or lists consults it per file through
	// Readable, so a search never shows what a Read call would be refused. Nil allows all.
	CanRead func(path string) bool
	// BeforeWrite, when set, is called with the absolute path of a file a file tool is about
	// to change or create, before the change (the checkpoints /rewind restores); it reports
	// its own failures, which never stop the write. Every file tool writes through
	// fsutil.WriteTracked, which calls it.
	BeforeWrite func(path string)
	// CanReadWalk, when set, returns a CanRead for one search or listing that may remember
	// what it resolved (directories' real paths) while that call lasts (Visibility).
	CanReadWalk func() func(path string) bool

	reads map[string]FileStamp
	views map[string]View // what Read last showed of each file, while it is in the conversation
	jobs  map[string]any  // background jobs owned by the bash package, keyed by job id
}

// Readable reports whether path may be shown to the model (CanRead, or everything).
func (e *Env) Readable(path string) bool {
	return e.CanRead == nil || e.CanRead(path)
}

// Visibility is Readable for one search or listing: a tool asks for it once per call and
// checks every file it meets with it, which is much cheaper over a large tree.
func (e *Env) Visibility() func(path string) bool {
	if e.CanReadWalk != nil {
		return e.CanReadWalk()
	}
	return e.Readable
}

// NewEnv returns an Env whose working directory starts at cwd.
func NewEnv(cwd string) *Env {
	return &Env{cwd: cwd, reads: map[string]FileStamp{}, views: map[string]View{}, jobs: map[string]any{}}
}

// Cwd is the current working directory (Bash's `cd` moves it).
func (e *Env) Cwd() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.cwd
}

// SetCwd moves the working directory.
func (e *Env) SetCwd(dir string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.cwd = dir
}

// FileStamp records what a file looked like when the model last saw it in full or changed it.
type FileStamp struct {
	ModTime time.Time
	Size    int64
}

// RecordRead notes that path (absolute, cleaned) was read or written with this stamp. It
// forgets what Read showed of the file: after a write, that is no longer the content.
func (e *Env) RecordRead(path string, st FileStamp) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.reads[path] = st
	delete(e.views, path)
}

// View is a range of a file Read returned as text, and the file's stamp then.
type View struct {
	Stamp         FileStamp
	Offset, Limit int // as Read applied them: 1-based first line, line count
}

// RecordView notes that Read returned v of path (absolute, cleaned) to the model.
func (e *Env) RecordView(path string, v View) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.views[path] = v
}

// SameView reports whether the model was last shown exactly v of path — same range, file
// unchanged since — so that the earlier result still holds.
func (e *Env) SameView(path string, v View) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	old, ok := e.views[path]
	return ok && old.Offset == v.Offset && old.Limit == v.Limit &&
		old.Stamp.Size == v.Stamp.Size && old.Stamp.ModTime.Equal(v.Stamp.ModTime)
}

// ForgetViews drops every recorded View: the session calls it when earlier tool results
// leave the conversation (compaction), since a Read can then no longer refer to them.
func (e *Env) ForgetViews() {
	e.mu.Lock()
	defer e.mu.Unlock()
	clear(e.views)
}

// LastRead returns the stamp recorded for path, if any.
func (e *Env) LastRead(path string) (FileStamp, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	st, ok := e.reads[path]
	return st, ok
}

// Job returns the background job stored under id.
func (e *Env) Job(id string) (any, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	j, ok := e.jobs[id]
	return j, ok
}

// PutJob stores a background job under id.
func (e *Env) PutJob(id string, job any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.jobs[id] = job
}

// JobIDs lists the ids of all stored background jobs, sorted, so that whoever ends the
// session can stop every job still running (see bash.Shutdown).
func (e *Env) JobIDs() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Sorted(maps.Keys(e.jobs))
}

// Time returns the current time from Now or the wall clock.
func (e *Env) Time() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

// Asker answers a single prompt with the small/fast model and returns its text.
type Asker interface {
	Ask(ctx context.Context, system, prompt string) (string, error)
}

// SubAgentRunner runs a sub-agent to completion and returns its final text.
type SubAgentRunner interface {
	RunSubAgent(ctx context.Context, description, prompt, subagentType string) (string, error)
}

// Todo is one entry of the TodoWrite list.
type Todo struct {
	Content    string `json:"content"`
	Status     string `json:"status"` // pending, in_progress, completed
	ActiveForm string `json:"activeForm"`
}

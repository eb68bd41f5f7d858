// Package tui is strata's interactive terminal UI (A11), built on Bubble Tea v2. It runs in the
// normal screen, like a shell session: finished output (the prompt, the model's answers
// rendered as markdown, tool calls and their results, diffs, notices) is printed above a
// small live area and stays in the terminal's scrollback; the live area holds only what is
// still changing — the streaming answer, running tools, the status line, a permission dialog
// and the input box.
//
// The UI is made of parts with narrow roles, each in a sub-package that owns its state:
// input (the box, history, prompt keys), transcript (the print queue, the streaming answer,
// tool blocks), dialog (permission requests and the type-ahead guard), complete (@ paths and
// slash commands) and status (spinner, mode, cost and usage); look holds what they draw with.
// They are sub-packages so that Go's visibility enforces the roles: no part can reach into
// another's state, and each can be tested alone. This package's Model only composes them,
// routes messages and keys between them, runs the slash commands and the background work,
// and asks the Host for everything outside the UI.
//
// The agent runs on its own goroutine and reports through a Bridge: its events, TodoWrite
// lists and permission requests become messages of the Bubble Tea program, in the order they
// happened. The UI reaches the rest of strata only through the Session and Host interfaces
// and the plain values of Options, so tests drive it with fakes, key events and a fixed
// terminal size. Only this package and its parts import Bubble Tea.
package tui

import (
	"context"
	"errors"
	"io"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-agent/strata/internal/agent"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/permission"
)

// Session is one conversation with the model; *agent.Session implements it. Run, Compact and
// SetModel are only called while no other call of them is in progress.
type Session interface {
	Run(ctx context.Context, prompt []llm.ContentBlock) (*agent.Result, error)
	Compact(ctx context.Context, focus string) (*agent.Compaction, error)
	Usage() map[string]agent.ModelUsage
	Model() string
	SetModel(model string)
}

// Fact is a labelled line of /status.
type Fact struct {
	Label string
	Value string
}

// Rules are the permission rules in force, each as "Rule (source)".
type Rules struct {
	Allow, Ask, Deny []string
}

// ModelInfo is what the UI shows of a model.
type ModelInfo struct {
	Name          string // the catalog's name ("Claude Sonnet 4.5"); "" when unknown
	ContextWindow int    // in tokens; 0 when unknown
}

// SessionInfo describes a saved conversation of this directory, for /resume.
type SessionInfo struct {
	ID          string
	Modified    time.Time
	Messages    int
	FirstPrompt string
	Title       string // the session's name (/rename), or "" for none
}

// MemoryFile is a memory file (CLAUDE.md) strata reads at the start of a session.
type MemoryFile struct {
	Path  string
	Scope string // project, user, …
	Lines int
}

// ShellResult is what a !command did.
type ShellResult struct {
	Output   string // stdout and stderr as they came, capped, secrets masked
	ExitCode int    // its exit status when it ran to its end
	Err      error  // it could not start or did not end by itself; nil otherwise
}

// Host is what the UI asks the rest of strata for. internal/cli implements it. Calls come from
// the UI's goroutine, except ListFiles, Shell and Doctor, which run on their own.
type Host interface {
	// Status describes the configuration for /status and /doctor, never with secrets.
	Status() []Fact
	// Rules lists the permission rules for /permissions.
	Rules() Rules
	// SetMode changes the permission mode of the running session (Shift+Tab).
	SetMode(mode permission.Mode)
	// ResolveModel turns an alias, model ID, inference-profile ID or ARN into the ID to send.
	ResolveModel(name string) (string, error)
	// ModelChoices lists the aliases and what they resolve to, for /model without arguments.
	ModelChoices() []Fact
	// ModelInfo names a model and gives its context window, as far as strata knows them.
	ModelInfo(id string) ModelInfo
	// NewConversation starts a fresh conversation with its own transcript (/clear) and
	// returns it with its session ID.
	NewConversation() (Session, string, error)
	// Resume reopens a saved session of this directory (/resume ID).
	Resume(id string) (Session, error)
	// SavedSessions lists the saved sessions of this directory, newest first.
	SavedSessions() ([]SessionInfo, error)
	// Doctor runs strata doctor's checks, without the probes that cost tokens, and returns
	// its report one line per check.
	Doctor(ctx context.Context) []string
	// ListFiles lists the working directory's files for @ completion: relative,
	// slash-separated, directories ending in "/", ignore files honoured. A listing cut short
	// (ctx, a size limit) is still useful.
	ListFiles(ctx context.Context) []string
	// Shell runs a !command in the working directory with the session's scrubbed
	// environment; the end of ctx (Esc) kills it.
	Shell(ctx context.Context, command string) ShellResult
	// AttachFile reads a file mentioned with @path (relative to the working directory) for
	// the next prompt, under the same permission decision as the model's Read; an error says
	// why it is not attached.
	AttachFile(ctx context.Context, path string) (Attachment, error)
	// AddNote appends a #note to the project memory, ./CLAUDE.md.
	AddNote(note string) error
	// MemoryFiles lists the memory files a session reads, for /memory.
	MemoryFiles() ([]MemoryFile, error)
	// AllowAlways allows rules for the rest of the session and saves them to
	// .claude/settings.local.json: the "always" answer for a command line of several
	// commands, one rule each. (A single rule travels with the permission.Answer.)
	AllowAlways(rules []string) error
	// Commands lists the custom commands (.claude/commands, ~/.claude/commands) and the
	// skills the user may invoke as /name, for / completion and /help.
	Commands() []CommandInfo
	// ExpandCommand turns "/name args" into the prompt it stands for (arguments, !`…`
	// output, @files), with the model the command asks for ("" keeps the session's); ok is
	// false when text names no custom command.
	ExpandCommand(ctx context.Context, text string) (prompt, model string, ok bool, err error)
	// Extensions lists what /agents, /skills, /hooks and /plugin show: kind is "agents",
	// "skills", "hooks" or "plugins".
	Extensions(kind string) []Fact
	// MCP answers /mcp: with no argument the servers and their state, one line each;
	// "reconnect NAME" connects a server again; "approve NAME" starts a project server
	// from .mcp.json for this session.
	MCP(args string) []string
	// MCPPrompt fetches an MCP server's prompt for /mcp__server__prompt ARGS (the words fill
	// the prompt's arguments in order) and returns its text. Called off the UI goroutine.
	MCPPrompt(ctx context.Context, command, args string) (string, error)
	// Sandbox shows the Bash sandbox's state (action ""), or turns it "on" or "off" for the
	// rest of the session and then shows it (/sandbox).
	Sandbox(action string) (string, error)
	// OutputStyle lists the output styles, the current one marked (name ""), or switches
	// the conversation to the one named, from its next turn on (/output-style).
	OutputStyle(name string) ([]string, error)
	// StatusLine runs the user's statusLine command and returns the first line it printed;
	// ok is false when there is none, and the UI stops asking. Called off the UI goroutine.
	StatusLine(ctx context.Context) (line string, ok bool, err error)
}

// CommandInfo describes a custom command or user-invocable skill.
type CommandInfo struct {
	Name, ArgumentHint, Description string
	Scope                           string // project, user or skill
}

// Attachment is a file mentioned with @path, as the model receives it.
type Attachment struct {
	Blocks  []llm.ContentBlock // added to the prompt
	Summary string             // what the user sees: "Read 12 lines"
}

// Options are the UI's dependencies and settings.
type Options struct {
	Session   Session
	SessionID string
	Host      Host
	Bridge    *Bridge

	Mode  permission.Mode   // the permission mode at start
	Modes []permission.Mode // what Shift+Tab cycles through, in order
	// Cost prices a response's usage, so the status line can follow a turn as it runs.
	Cost func(model string, u llm.Usage) (float64, bool)

	Cwd       string // the working directory: shown, and where project commands live
	ConfigDir string // ~/.claude or CLAUDE_CONFIG_DIR: where user commands live
	// DialogGrace is how long a new permission dialog ignores keys other than Esc, so that
	// typing ahead cannot answer a question not yet read; 0 means dialog.DefaultGrace and a
	// negative value none (tests).
	DialogGrace time.Duration
	HistoryPath string // the prompt history file of this project; "" keeps none

	Prompt   string   // the first prompt (strata "prompt"), sent at start
	Warnings []string // shown at start (configuration warnings)
	Resumed  int      // messages of a saved conversation the session continues (-c, -r)

	Width, Height int              // the terminal size until the first resize; 0: 80×24
	Now           func() time.Time // the clock; nil means time.Now
}

// Run shows the UI on the terminal until the user exits. in and out are the terminal; env is
// the process environment (for the terminal type and colours).
func Run(ctx context.Context, opts Options, in io.Reader, out io.Writer, env []string) error {
	m := New(ctx, opts)
	m.live, m.sized = true, false
	p := tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out),
		tea.WithEnvironment(env))
	_, err := p.Run()
	m.shutdown()
	if errors.Is(err, tea.ErrInterrupted) || ctx.Err() != nil && errors.Is(err, tea.ErrProgramKilled) {
		return context.Canceled // a signal ended strata: not a failure of the UI
	}
	return err
}

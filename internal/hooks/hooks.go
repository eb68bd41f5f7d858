// Package hooks runs the user's hooks (AGENT.md A12) at fixed points of a session:
// PreToolUse, PermissionRequest, PostToolUse, PostToolUseFailure, UserPromptSubmit, Stop,
// StopFailure, SubagentStart, SubagentStop, SessionStart, SessionEnd, PreCompact, PostCompact,
// Notification, ConfigChange, CwdChanged, FileChanged and InstructionsLoaded. Hooks come from every settings file, already concatenated
// by settings (and from sub-agent definitions, see Scoped), filtered by the hook policy
// (disableAllHooks, allowManagedHooksOnly, allowedHttpHookUrls).
// A hook is a command, an http endpoint the event is POSTed to, or a prompt the small model
// answers about the event.
//
// Each matching command runs with `sh -c` in the project directory, reads a JSON
// description of the event on stdin, and gets the scrubbed environment of tool subprocesses
// (no AWS secrets, B15) plus CLAUDE_PROJECT_DIR. Matching commands of one event run in
// parallel; identical commands run once. Exit status 0 is success (stdout may carry a JSON
// answer), 2 blocks (stderr says why), anything else is an error shown to the user that
// blocks nothing. A hook that outlives its timeout (60 s unless the hook sets `timeout` in
// seconds) is killed with its whole process group and reported; the session goes on.
package hooks

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/strata-agent/strata/internal/lazyre"
	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/proc"
	"github.com/strata-agent/strata/internal/redact"
	"github.com/strata-agent/strata/internal/settings"
)

// Event names a point of the session where hooks run.
type Event string

// The events of A12.
const (
	PreToolUse       Event = "PreToolUse"
	PostToolUse      Event = "PostToolUse"
	UserPromptSubmit Event = "UserPromptSubmit"
	Stop             Event = "Stop"
	SessionStart     Event = "SessionStart"
	SessionEnd       Event = "SessionEnd"
	PreCompact       Event = "PreCompact"
	Notification     Event = "Notification"
	// SubagentStart fires when a sub-agent starts (matcher: its type); its additional
	// context reaches the sub-agent. SubagentStop fires when it would end, and may send it
	// back to work as Stop does for the main agent.
	SubagentStart Event = "SubagentStart"
	SubagentStop  Event = "SubagentStop"
	// PostToolUseFailure replaces PostToolUse for a call that failed (matcher: the tool).
	PostToolUseFailure Event = "PostToolUseFailure"
	// PermissionRequest fires before the user is asked about a call (matcher: the tool);
	// its decision may answer for the user.
	PermissionRequest Event = "PermissionRequest"
	// PostCompact follows a compaction (matcher: manual or auto) with its summary.
	PostCompact Event = "PostCompact"
	// StopFailure fires instead of Stop when the turn ends on an error (the model could not
	// be reached, the stream broke); its hooks cannot change that.
	StopFailure Event = "StopFailure"
	// PermissionDenied follows a call the permission rules, a hook or the user refused
	// (matcher: the tool), with the reason the model is given; it cannot undo the refusal.
	PermissionDenied Event = "PermissionDenied"
	// CwdChanged follows a Bash command that changed the session's working directory.
	CwdChanged Event = "CwdChanged"
	// InstructionsLoaded fires for each memory file (CLAUDE.md, rules) a session reads
	// (matcher: why it was loaded, e.g. session_start).
	InstructionsLoaded Event = "InstructionsLoaded"
	// ConfigChange fires when a settings file the session loaded changed or went away
	// (matcher: user_settings, project_settings, local_settings or policy_settings). A hook
	// that exits 2 or answers "decision": "block" keeps the change from being applied to
	// the session (except for policy settings); the caller applies the rest.
	ConfigChange Event = "ConfigChange"
	// FileChanged follows a change to a watched file (Input.FileEvent: change, add or
	// unlink). Its matchers are the files to watch, names joined by | relative to the
	// working directory (WatchedFiles), and match the changed file's base name; hooks of
	// this event, SessionStart and CwdChanged may name more paths in
	// hookSpecificOutput.watchPaths (Outcome.WatchPaths).
	FileChanged Event = "FileChanged"
)

// knownEvent reports the events strata fires. Settings may name others (the reference CLI
// has more); their hooks are kept out with a warning rather than refused, since other
// programs share these files.
func knownEvent(e Event) bool {
	switch e {
	case PreToolUse, PostToolUse, UserPromptSubmit, Stop, SessionStart, SessionEnd, PreCompact, Notification,
		SubagentStart, SubagentStop, PostToolUseFailure, PermissionRequest, PostCompact, StopFailure,
		PermissionDenied, CwdChanged, InstructionsLoaded, ConfigChange, FileChanged:
		return true
	}
	return false
}

// DefaultTimeout is how long a hook may run unless its settings say otherwise.
const DefaultTimeout = 60 * time.Second

// Options configure a Runner.
type Options struct {
	Hooks map[string][]settings.HookMatcher // from settings.Settings.Hooks
	// Env is the environment hook commands start from: normally the tool subprocess
	// environment. It is scrubbed again (redact.ScrubEnv with PassEnv), so a Runner never
	// hands AWS secrets to a hook even when given the full environment.
	Env        []string
	PassEnv    []string
	ProjectDir string // the commands' working directory and CLAUDE_PROJECT_DIR
	// SessionID and TranscriptPath fill the inputs that leave them empty.
	SessionID, TranscriptPath string
	// Stderr, when not nil, receives the messages meant for the user (failures, timeouts,
	// systemMessage) as they happen; they are also in each Outcome.
	Stderr  io.Writer
	Timeout time.Duration // default per-hook timeout; 0 means DefaultTimeout
	Shell   string        // runs `Shell -c command`; "" means /bin/sh
	// Procs, when set, tracks running hooks so that they can be stopped when strata exits.
	Procs *proc.Tracker

	// DisableAll (disableAllHooks outside managed settings) turns off every hook but the
	// managed ones; DisableManaged (disableAllHooks in managed settings) those too.
	// ManagedOnly (allowManagedHooksOnly, managed settings) keeps only managed hooks.
	DisableAll, DisableManaged, ManagedOnly bool
	// AllowedHTTPURLs (allowedHttpHookUrls), when not nil, are the URL patterns (* matches
	// anything) http hooks may post to; others are left out with a warning.
	AllowedHTTPURLs []string
	// HTTP posts http hooks; nil means a client that does not follow redirects.
	HTTP *http.Client
	// EnvDir, when set, is where SessionStart, CwdChanged and FileChanged command hooks
	// leave environment for later Bash commands: each gets CLAUDE_ENV_FILE naming a file
	// in EnvDir/<session id> (envfile.go). EnvFile is strata's own CLAUDE_ENV_FILE, read
	// first by SessionEnv.
	EnvDir, EnvFile string
}

// Runner runs hooks. It is safe for concurrent use; a nil Runner runs nothing.
type Runner struct {
	opts Options
	env  []string
	// byEvent and warnings change only as a whole, under state (Reload, Extend,
	// AddCallbacks): a map once published is never written again, so table's answer may
	// be read without the lock.
	state    sync.RWMutex
	byEvent  map[Event][]matcher
	warnings []string
	call     Callback       // runs callback hooks (AddCallbacks); nil when there are none
	observe  func(Activity) // told of hook starts and ends (Observe); nil when nobody is
	mu       sync.Mutex     // serialises writes to opts.Stderr
}

// matcher is one settings entry: which targets it applies to and its commands.
type matcher struct {
	text      string // as written, for Listing
	match     func(target string) bool
	commands  []settings.HookCommand
	callbacks []callbackHook // hooks the SDK host runs (AddCallbacks)
	source    string
	pinned    bool // the main session's own (Extend): Reload keeps it
}

// New checks the hooks and prepares a Runner. A matcher that is not a valid pattern is an
// error naming its settings file; hook types other than "command" and unknown events are
// left out with a warning (see Warnings).
func New(o Options) (*Runner, error) {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Shell == "" {
		o.Shell = "/bin/sh"
	}
	r := &Runner{opts: o, byEvent: map[Event][]matcher{}}
	r.env = append(withoutVar(redact.ScrubEnv(o.Env, o.PassEnv), "CLAUDE_PROJECT_DIR"), "CLAUDE_PROJECT_DIR="+o.ProjectDir)
	if o.HTTP == nil {
		o.HTTP = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		r.opts.HTTP = o.HTTP
	}
	for name, ms := range o.Hooks {
		ev := Event(name)
		if !knownEvent(ev) {
			r.warnings = append(r.warnings, fmt.Sprintf("hooks for %q are ignored: strata has no such event", name))
			continue
		}
		for _, m := range ms {
			if !o.keeps(m.Source.Scope) {
				continue
			}
			fn, err := compileMatcher(m.Matcher)
			if err != nil {
				return nil, fmt.Errorf("%s: hooks.%s: matcher %q is not a valid pattern: %v", m.Source.Path, name, m.Matcher, err)
			}
			var cmds []settings.HookCommand
			for _, hc := range m.Hooks {
				if w := o.refuse(hc); w != "" {
					r.warnings = append(r.warnings, fmt.Sprintf("%s: a %s hook %s", m.Source.Path, name, w))
					continue
				}
				cmds = append(cmds, hc)
			}
			r.byEvent[ev] = append(r.byEvent[ev], matcher{text: m.Matcher, match: fn, commands: cmds, source: m.Source.Path})
		}
	}
	return r, nil
}

// keeps says whether hooks from a settings layer run under the hook policy.
func (o Options) keeps(scope settings.Scope) bool {
	if scope == settings.ScopeManaged {
		return !o.DisableManaged
	}
	return !o.DisableAll && !o.DisableManaged && !o.ManagedOnly
}

// refuse says why a hook is left out, or "".
func (o Options) refuse(hc settings.HookCommand) string {
	switch hc.Type {
	case "", "command":
		return ""
	case "http":
		if hc.URL == "" {
			return "of type http has no url and is ignored"
		}
		if o.AllowedHTTPURLs != nil && !urlAllowed(hc.URL, o.AllowedHTTPURLs) {
			return fmt.Sprintf("posting to %s is ignored: allowedHttpHookUrls does not list it", hc.URL)
		}
		return ""
	case "prompt":
		if strings.TrimSpace(hc.Prompt) == "" {
			return "of type prompt has no prompt and is ignored"
		}
		return ""
	}
	return fmt.Sprintf("of type %q is ignored: strata runs command, http and prompt hooks", hc.Type)
}

// urlAllowed matches a URL against allowedHttpHookUrls patterns, where * stands for any
// run of characters.
func urlAllowed(u string, patterns []string) bool {
	for _, p := range patterns {
		re := "^" + strings.ReplaceAll(regexp.QuoteMeta(p), `\*`, ".*") + "$"
		if ok, _ := regexp.MatchString(re, u); ok {
			return true
		}
	}
	return false
}

// Listed is one configured hook, for /hooks.
type Listed struct {
	Event   Event
	Matcher string
	Hook    settings.HookCommand
	Source  string
}

// Listing lists the hooks that run, by event name and then in settings order.
func (r *Runner) Listing() []Listed {
	if r == nil {
		return nil
	}
	events := make([]string, 0, len(r.table()))
	table := r.table()
	for ev := range table {
		events = append(events, string(ev))
	}
	sort.Strings(events)
	var out []Listed
	for _, ev := range events {
		for _, m := range table[Event(ev)] {
			for _, c := range m.commands {
				out = append(out, Listed{Event: Event(ev), Matcher: m.text, Hook: c, Source: m.source})
			}
		}
	}
	return out
}

// Warnings lists the hooks New left out, for the user.
func (r *Runner) Warnings() []string {
	if r == nil {
		return nil
	}
	r.state.RLock()
	defer r.state.RUnlock()
	return r.warnings
}

// Has reports whether any hook is configured for the event.
func (r *Runner) Has(ev Event) bool { return r != nil && len(r.table()[ev]) > 0 }

// plainMatcher is a matcher of tool names only, joined by |: compared exactly, not as a
// regular expression.
var plainMatcher = lazyre.New(`^[A-Za-z0-9_|-]+$`)

// compileMatcher reads a matcher the way the reference does: empty or * matches every
// target, names joined by | match exactly (`Edit|Write`), anything else is a regular
// expression that must match the whole target (`mcp__github__.*`).
func compileMatcher(m string) (func(string) bool, error) {
	m = strings.TrimSpace(m)
	if m == "" || m == "*" {
		return func(string) bool { return true }, nil
	}
	if plainMatcher().MatchString(m) {
		names := strings.Split(m, "|")
		return func(t string) bool {
			for _, n := range names {
				// Task is the Agent tool's old name; matchers written for it still apply.
				if n == t || n == "Task" && t == "Agent" {
					return true
				}
			}
			return false
		}, nil
	}
	re, err := regexp.Compile(`^(?:` + m + `)$`)
	if err != nil {
		return nil, err
	}
	return re.MatchString, nil
}

// matchTarget is what an event's matchers compare with; "" for events without matchers.
func (in Input) matchTarget() (string, bool) {
	switch in.Event {
	case PreToolUse, PostToolUse, PostToolUseFailure, PermissionRequest, PermissionDenied:
		return in.ToolName, true
	case InstructionsLoaded:
		return in.LoadReason, true
	case SubagentStart, SubagentStop:
		return in.AgentType, true
	case SessionStart, ConfigChange:
		return in.Source, true
	case SessionEnd:
		return in.Reason, true
	case PreCompact, PostCompact:
		return in.Trigger, true
	case Notification:
		return in.NotificationType, true
	case FileChanged:
		return filepath.Base(in.FilePath), true
	}
	return "", false
}

// commandsFor lists the commands to run for in, each once, in settings order.
func (r *Runner) commandsFor(in Input) []settings.HookCommand {
	target, matched := in.matchTarget()
	cwd := in.Cwd
	if cwd == "" {
		cwd = r.opts.ProjectDir
	}
	var out []settings.HookCommand
	seen := map[string]bool{}
	for _, m := range r.table()[in.Event] {
		if matched && !m.match(target) && !(in.Event == FileChanged && namesFile(m.text, cwd, in.FilePath)) {
			continue
		}
		for _, c := range m.commands {
			key := c.Type + "\x00" + c.Command + "\x00" + c.URL + "\x00" + c.Prompt
			if !seen[key] {
				seen[key] = true
				out = append(out, c)
			}
		}
	}
	return out
}

// Run runs the hooks of in.Event that match it and combines their answers. It never fails:
// a hook that cannot start, fails or times out is reported in Outcome.Messages.
func (r *Runner) Run(ctx context.Context, in Input) Outcome {
	if r == nil {
		return Outcome{}
	}
	cmds, cbs := r.commandsFor(in), r.callbacksFor(in)
	if len(cmds) == 0 && len(cbs) == 0 {
		return Outcome{}
	}
	if in.SessionID == "" {
		in.SessionID = r.opts.SessionID
	}
	if in.TranscriptPath == "" {
		in.TranscriptPath = r.opts.TranscriptPath
	}
	if in.Cwd == "" {
		in.Cwd = r.opts.ProjectDir
	}
	stdin, err := json.Marshal(in.wire())
	if err != nil {
		return Outcome{Messages: []string{fmt.Sprintf("%s hooks not run: encoding their input: %v", in.Event, err)}}
	}
	if in.Event == CwdChanged {
		r.clearCwdEnv(in.SessionID)
	}
	results := make([]result, len(cmds)+len(cbs))
	var wg sync.WaitGroup
	for i, c := range cmds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			done := r.started(in)
			results[i] = r.runOne(ctx, c, stdin, in.Ask, r.envFileVar(in, i))
			done(results[i])
		}()
	}
	for i, cb := range cbs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[len(cmds)+i] = r.runCallback(ctx, cb, in, stdin)
		}()
	}
	wg.Wait()
	var out Outcome
	for _, res := range results {
		out.add(in.Event, res)
	}
	r.report(out.Messages)
	return out
}

func (r *Runner) report(msgs []string) {
	if r.opts.Stderr == nil || len(msgs) == 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, m := range msgs {
		fmt.Fprintln(r.opts.Stderr, "strata: hook:", m)
	}
}

func withoutVar(env []string, name string) []string {
	out := make([]string, 0, len(env)+1)
	for _, kv := range env {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}

// Outcome is what the hooks of one event decided, combined.
type Outcome struct {
	// Block is set when a hook exited 2 or answered "block"/"deny". Reason joins what the
	// blocking hooks said: for the model on PreToolUse (the call does not run), PostToolUse
	// (added to the tool result) and Stop (the model goes on); for the user on
	// UserPromptSubmit (the prompt is dropped) and PreCompact.
	Block  bool
	Reason string
	// Decision is a PreToolUse answer (allow, ask or deny; deny beats ask beats allow when
	// several hooks answer), "" when no hook decided. A deny also sets Block.
	Decision       permission.Behavior
	DecisionReason string
	// Stop is set when a hook answered "continue": false: the session stops after this
	// step, and StopReason is shown to the user (not the model).
	Stop       bool
	StopReason string
	Context    []string // extra context for the model (additionalContext; UserPromptSubmit and SessionStart stdout)
	Messages   []string // for the user: failures, timeouts, systemMessage
	// WatchPaths are absolute paths SessionStart, CwdChanged and FileChanged hooks asked to
	// watch for FileChanged (hookSpecificOutput.watchPaths).
	WatchPaths []string
}

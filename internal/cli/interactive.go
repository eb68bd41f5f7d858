package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/strata-agent/strata/internal/agent"
	"github.com/strata-agent/strata/internal/checkpoint"
	"github.com/strata-agent/strata/internal/doctor"
	"github.com/strata-agent/strata/internal/hooks"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/models"
	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/session"
	"github.com/strata-agent/strata/internal/settings"
	"github.com/strata-agent/strata/internal/tui"
)

// errNoTerminal is the answer to `strata` without a terminal to draw on.
var errNoTerminal = errors.New("the interactive UI needs a terminal on stdin and stdout; " +
	"without one, use print mode: strata -p \"your prompt\"")

// runInteractive opens the terminal UI (A1, A11).
func runInteractive(a *app, opts *Options) error {
	if !a.io.CanPrompt() {
		return usageError{errNoTerminal}
	}
	// Before the UI starts and before anything from the folder takes effect.
	if err := a.confirmTrust(); err != nil {
		return err
	}
	defer a.io.HoldTypeahead()() // Enter typed while strata starts must still send the prompt
	// What strata would print on stderr while it starts (configuration warnings) is shown in
	// the UI instead: once the UI runs, nothing may write to the terminal behind its back.
	startup := &startupLog{}
	quiet := *a.io
	quiet.ErrOut = startup
	st, err := (&app{ctx: a.ctx, io: &quiet, env: a.env, trusted: a.trusted}).build(a.ctx, opts)
	if err != nil {
		_, _ = a.io.ErrOut.Write([]byte(startup.stop()))
		return err
	}
	defer st.close()
	warnings := append(startupWarnings(startup.stop()), pendingMCP(st.mcp)...)
	if st.debug != nil {
		path, err := st.debugToFile(a.env)
		if err != nil {
			return fmt.Errorf("opening the debug log: %w", err)
		}
		warnings = append(warnings, "debug log: "+path)
		st.debugStart()
	}

	chosen := modeChosen(st, opts)
	if note := restoreMode(st, opts); note != "" {
		warnings = append(warnings, note)
	}
	h := newHost(a, st)
	h.modeChosen = chosen
	source := "startup"
	if len(st.history) > 0 {
		source = "resume"
	}
	sess := h.start(st.transcript, st.history, source, func(m string) { warnings = append(warnings, m) })
	defer h.close()
	st.transcript = nil // the host owns it now, and closes it with its session
	uiErr := tui.Run(a.ctx, tui.Options{
		Session: sess, SessionID: h.sessionID(), Host: h, Bridge: h.bridge,
		Mode: st.mode, Modes: cycleModes(st), Cost: st.cost,
		Cwd: a.env.Cwd, ConfigDir: configDir(a.env),
		HistoryPath: historyPath(a.env), Prompt: opts.Prompt, Warnings: warnings, Resumed: len(st.history),
	}, a.io.In, a.io.Out, a.env.Environ())
	h.end("prompt_input_exit", func(m string) { fmt.Fprintln(a.io.ErrOut, "strata:", m) })
	fmt.Fprintf(a.io.Out, "Resume this session with: strata -r %s\n", h.sessionID())
	if uiErr != nil && !errors.Is(uiErr, context.Canceled) {
		return fmt.Errorf("the terminal UI failed: %w", uiErr)
	}
	return nil
}

// cycleModes are the permission modes Shift+Tab goes through; bypassPermissions only when the
// session started in it (as the reference does), never when settings disable it.
func cycleModes(st *stack) []permission.Mode {
	modes := []permission.Mode{permission.ModeDefault, permission.ModeAcceptEdits, permission.ModePlan}
	if st.mode == permission.ModeBypass {
		modes = append(modes, permission.ModeBypass)
	}
	return modes
}

// historyPath is the project's prompt history, beside the transcripts in the state directory.
func historyPath(env Env) string {
	state := filepath.Dir(session.DefaultDir(env.Getenv, env.Home))
	return filepath.Join(state, "history", session.ProjectKey(env.Cwd)+".jsonl")
}

// startupLog keeps what is written to it until stop, and drops everything after (the Bedrock
// client's copy of awsAuthRefresh output, which the UI shows from notices).
type startupLog struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	stopped bool
}

func (l *startupLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.stopped {
		l.buf.Write(p)
	}
	return len(p), nil
}

// stop ends the capture and returns what was written.
func (l *startupLog) stop() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stopped = true
	return l.buf.String()
}

func startupWarnings(text string) []string {
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, strings.TrimPrefix(strings.TrimPrefix(line, "strata: "), "warning: "))
		}
	}
	return out
}

// host answers the UI's questions about the configuration and switches its conversations
// (tui.Host). The UI calls it from its own goroutine, and never while a turn runs for the
// calls that change the session. It owns the current conversation: its transcript and the
// agent session recording into it; /clear and /resume close both and start afresh, so no
// state of one conversation (files read, cost, denials, sub-agents, hook session ID)
// reaches the next.
type host struct {
	a      *app
	st     *stack
	bridge *tui.Bridge
	store  session.Store
	rules  tui.Rules // the rules at start; "always" answers are added to added

	mu    sync.Mutex
	tr    *session.Transcript
	sess  *agent.Session
	cp    *checkpoint.Store // the conversation's file checkpoints (/rewind); nil when off
	cpOff string            // why there are none
	added []string

	started time.Time // for the status line's total_duration_ms
	// modeChosen: the flags or settings chose the mode at start; /resume keeps it.
	modeChosen bool
}

func newHost(a *app, st *stack) *host {
	h := &host{a: a, st: st, bridge: tui.NewBridge(),
		store: sessionStore(a.env), started: time.Now()}
	describe := func(rules []permission.Rule) []string {
		out := make([]string, len(rules))
		for i, r := range rules {
			out[i] = r.Text + " (" + r.Source + ")"
		}
		return out
	}
	c := st.checker
	h.rules = tui.Rules{Allow: describe(c.AllowRules), Ask: describe(c.AskRules), Deny: describe(c.DenyRules)}
	st.approver = notifyingApprover{ui: h.bridge, st: st, session: h.transcriptRef}
	st.onAlways = h.remember
	st.todos = h.bridge.Todos
	report := func(m string) {
		h.bridge.Event(agent.Event{Kind: agent.EventNotice, Notice: &llm.Notice{Kind: llm.NoticeWarning, Text: "hook: " + m}})
	}
	st.files.setReport(report)
	if st.live != nil {
		st.live.report = report
	}
	return h
}

// start runs the SessionStart hooks and begins a conversation on tr, which the host then
// owns. Hook messages go to w.
func (h *host) start(tr *session.Transcript, history []llm.Message, source string, w func(string)) *agent.Session {
	conv := h.st.sessionStart(h.a.ctx, tr, history, source, w)
	cp := h.openCheckpoints(tr, len(history) > 0, w)
	conv.checkpoints = h.agentCheckpoints(cp)
	sess := h.st.newSession(conv, h.bridge.Event, 0)
	if len(history) > 0 { // a resumed conversation's cost goes on from where it stopped
		if past, err := h.store.Usage(tr.ID(), h.a.env.Cwd); err == nil {
			for model, u := range past {
				if _, ok := h.st.client.Price(model); !ok {
					// Transcripts name the model as the response did, which need not be an ID
					// strata prices; the session's model is the best guess.
					model = h.st.bedrock.Model
				}
				sess.AddPastUsage(model, u)
			}
		}
	}
	h.mu.Lock()
	h.tr, h.sess, h.cp = tr, sess, cp
	h.mu.Unlock()
	h.recordMode(h.st.checker.CurrentMode())
	return sess
}

// end runs the SessionEnd hooks of the current conversation.
func (h *host) end(reason string, w func(string)) {
	h.st.sessionEnd(h.a.ctx, h.transcript(), reason, w)
}

// close stops the current conversation's background jobs and closes its transcript.
func (h *host) close() {
	h.mu.Lock()
	tr, sess := h.tr, h.sess
	h.tr, h.sess = nil, nil
	h.mu.Unlock()
	if sess != nil {
		sess.Close()
	}
	if tr != nil {
		_ = tr.Close() // every line is already written; a close error loses nothing
	}
}

func (h *host) transcript() *session.Transcript {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.tr
}

// transcriptRef names the current conversation for hooks that run outside a turn's session.
func (h *host) transcriptRef() (id, path string) {
	tr := h.transcript()
	if tr == nil {
		return "", ""
	}
	return tr.ID(), tr.Path()
}

func (h *host) sessionID() string { return h.transcript().ID() }

// Status is /status: the Bedrock configuration (never secrets) with the models in use and the
// regions they are called in.
func (h *host) Status() []tui.Fact {
	cfg := h.st.bedrock
	small := cfg.SmallFastRegion
	if small == "" {
		small = cfg.Region
	}
	h.mu.Lock()
	current := h.sess.Model()
	h.mu.Unlock()
	var out []tui.Fact
	for _, f := range cfg.Describe() {
		switch f.Label {
		case "Model":
			f.Value = current + " in " + cfg.Region
			if current == cfg.Model && cfg.ModelSource != "" {
				f.Value += " (from " + cfg.ModelSource + ")"
			} else if current != cfg.Model {
				f.Value += " (switched with /model)"
			}
		case "Small/fast model":
			f.Value = strings.Replace(f.Value, cfg.SmallFastModel, cfg.SmallFastModel+" in "+small, 1)
		}
		out = append(out, tui.Fact{Label: f.Label, Value: f.Value})
	}
	return out
}

// Rules lists the permission rules, with those the user allowed always during the session.
func (h *host) Rules() tui.Rules {
	h.mu.Lock()
	defer h.mu.Unlock()
	r := h.rules
	r.Allow = append(append([]string(nil), r.Allow...), h.added...)
	return r
}

// SetMode switches the permission mode of the running session (Shift+Tab); the next tool
// call is checked in the new mode.
func (h *host) SetMode(mode permission.Mode) {
	h.st.checker.SetMode(mode)
	h.recordMode(mode)
}

// ResolveModel accepts an alias (resolved for the region), a catalog model or profile ID, an
// ARN, or an ID that at least names Claude.
func (h *host) ResolveModel(name string) (string, error) {
	name = strings.TrimSpace(name)
	id, err := h.resolveAny(name)
	if err != nil {
		return "", err
	}
	if list, source, ok := availableModels(h.st.settings); ok && !models.Allowed(list, name, id) {
		return "", modelNotAvailable(name, list, source)
	}
	return id, nil
}

// resolveAny is ResolveModel without the availableModels check.
func (h *host) resolveAny(name string) (string, error) {
	r := h.st.resolver()
	if id, _, ok := r.Alias(name); ok {
		return id, nil
	}
	if id, ok := r.Override(name); ok {
		return id, nil
	}
	if _, ok := models.Lookup(name); ok || strings.HasPrefix(name, "arn:") ||
		strings.Contains(name, "anthropic.") || strings.Contains(name, "claude") {
		return name, nil
	}
	return "", fmt.Errorf("unknown model %q: use an alias (sonnet, opus, haiku), a model or inference-profile ID, or an ARN", name)
}

// ModelChoices lists what the aliases mean in this region today (Resolver.Describe), pins
// included.
func (h *host) ModelChoices() []tui.Fact {
	return aliasFacts(h.st.resolver())
}

// aliasFacts describes each alias /model lists.
func aliasFacts(r models.Resolver) []tui.Fact {
	var out []tui.Fact
	for _, alias := range r.Listed() {
		if d := r.Describe(alias); d != "" {
			out = append(out, tui.Fact{Label: alias, Value: d})
		}
	}
	return out
}

// NewConversation is /clear: a new transcript and a fresh session; the old one stays saved.
func (h *host) NewConversation() (tui.Session, string, error) {
	tr, err := h.store.Create("", h.a.env.Cwd, h.st.redactor)
	if err != nil {
		return nil, "", err
	}
	h.switchTo(tr, nil, "clear")
	return h.current(), tr.ID(), nil
}

// Resume is /resume ID (or the start of one).
func (h *host) Resume(ref string) (tui.Session, error) {
	id, err := h.store.Find(ref, h.a.env.Cwd) // the start of an id may name the running one
	if err != nil {
		return nil, err
	}
	if id == h.sessionID() {
		return nil, fmt.Errorf("session %s is the one running", id)
	}
	tr, history, err := h.store.Resume(id, h.a.env.Cwd, h.st.redactor)
	if err != nil {
		return nil, err
	}
	h.restoreResumed(tr)
	h.switchTo(tr, history, "resume")
	return h.current(), nil
}

// switchTo ends the current conversation (SessionEnd hooks, background jobs, transcript) and
// starts a fresh session on tr (SessionStart hooks with source). Hook messages are shown as
// notices of the new session.
func (h *host) switchTo(tr *session.Transcript, history []llm.Message, source string) {
	var msgs []string
	note := func(m string) { msgs = append(msgs, m) }
	// The reference's SessionEnd reasons include "clear" and "resume", the sources here.
	h.end(source, note)
	h.close()
	h.start(tr, history, source, note)
	for _, m := range msgs {
		h.bridge.Event(agent.Event{Kind: agent.EventNotice, Notice: &llm.Notice{Kind: llm.NoticeWarning, Text: "hook: " + m}})
	}
}

func (h *host) current() *agent.Session {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.sess
}

// Doctor runs the doctor's checks without the token-costing probes (/doctor).
func (h *host) Doctor(ctx context.Context) []string {
	d, _ := h.a.doctorDeps(true)
	return doctor.Run(ctx, d).Lines()
}

// remember saves a rule the user allowed always to .claude/settings.local.json and lists it
// for /permissions. The agent has already added it to the running checker, so a file that
// cannot be written only loses the rule for later sessions; the agent reports that.
func (h *host) remember(rule string) error {
	h.mu.Lock()
	h.added = append(h.added, rule+" (allowed for this project)")
	h.mu.Unlock()
	return settings.AddLocalAllowRule(h.a.env.Cwd, rule)
}

// notifyingApprover runs the Notification hooks before the permission dialog opens, so a user
// away from the terminal can be told that strata waits for them (A12).
type notifyingApprover struct {
	ui      permission.Approver
	st      *stack
	session func() (id, path string) // the conversation the hooks are told about
}

func (n notifyingApprover) Approve(ctx context.Context, req permission.Request) (permission.Answer, error) {
	if n.st.hooks != nil {
		in := hooks.Input{Event: hooks.Notification, NotificationType: "permission_prompt",
			Message: "strata needs your permission to use " + req.Call.Tool, PermissionMode: string(n.st.checker.CurrentMode())}
		if n.session != nil {
			in.SessionID, in.TranscriptPath = n.session()
		}
		n.st.hooks.Run(ctx, in)
	}
	return n.ui.Approve(ctx, req)
}

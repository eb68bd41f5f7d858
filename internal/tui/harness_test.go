package tui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/strata-agent/strata/internal/agent"
	"github.com/strata-agent/strata/internal/commands"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tool"
)

// fakeSession plays a scripted conversation: run is called for each prompt, on the agent's
// goroutine, with the bridge as sink and approver.
type fakeSession struct {
	mu       sync.Mutex
	bridge   *Bridge
	model    string
	usage    map[string]agent.ModelUsage
	prompts  [][]llm.ContentBlock
	compacts []string
	run      func(ctx context.Context, f *fakeSession, prompt []llm.ContentBlock) (*agent.Result, error)
	compact  func(ctx context.Context, focus string) (*agent.Compaction, error)
}

func (f *fakeSession) Run(ctx context.Context, prompt []llm.ContentBlock) (*agent.Result, error) {
	f.mu.Lock()
	f.prompts = append(f.prompts, prompt)
	f.mu.Unlock()
	if f.run == nil {
		f.say("ok")
		return &agent.Result{Subtype: agent.SubtypeSuccess, Text: "ok"}, nil
	}
	return f.run(ctx, f, prompt)
}

func (f *fakeSession) Compact(ctx context.Context, focus string) (*agent.Compaction, error) {
	f.mu.Lock()
	f.compacts = append(f.compacts, focus)
	f.mu.Unlock()
	if f.compact != nil {
		return f.compact(ctx, focus)
	}
	return &agent.Compaction{Replaced: 4, Summary: "summary"}, nil
}

func (f *fakeSession) Usage() map[string]agent.ModelUsage {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]agent.ModelUsage{}
	for k, v := range f.usage {
		out[k] = v
	}
	return out
}

func (f *fakeSession) Model() string         { return f.model }
func (f *fakeSession) SetModel(model string) { f.model = model }

func (f *fakeSession) promptTexts() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, p := range f.prompts {
		var parts []string
		for _, b := range p {
			parts = append(parts, b.Text)
		}
		out = append(out, strings.Join(parts, "\n--\n"))
	}
	return out
}

// stream sends the events of one streamed answer made of text deltas.
func (f *fakeSession) stream(deltas ...string) {
	b := f.bridge
	b.Event(agent.Event{Kind: agent.EventStream, Stream: &llm.Event{Type: llm.EventMessageStart,
		Message: &llm.Response{Model: f.model, Usage: llm.Usage{InputTokens: 1200}}}})
	b.Event(agent.Event{Kind: agent.EventStream, Stream: &llm.Event{Type: llm.EventContentBlockStart,
		ContentBlock: &llm.ContentBlock{Type: llm.TypeText}}})
	for _, d := range deltas {
		b.Event(agent.Event{Kind: agent.EventStream, Stream: &llm.Event{Type: llm.EventContentBlockDelta,
			Delta: &llm.Delta{Type: llm.DeltaText, Text: d}}})
	}
	b.Event(agent.Event{Kind: agent.EventStream, Stream: &llm.Event{Type: llm.EventContentBlockStop}})
	b.Event(agent.Event{Kind: agent.EventStream, Stream: &llm.Event{Type: llm.EventMessageDelta,
		Delta: &llm.Delta{StopReason: llm.StopEndTurn}, Usage: &llm.Usage{OutputTokens: 42}}})
	b.Event(agent.Event{Kind: agent.EventStream, Stream: &llm.Event{Type: llm.EventMessageStop}})
	f.mu.Lock()
	mu := f.usage[f.model]
	mu.Usage = mu.Usage.Add(llm.Usage{InputTokens: 1200, OutputTokens: 42})
	mu.CostUSD += 1242.0 / 1e5
	mu.Known = true
	f.usage[f.model] = mu
	f.mu.Unlock()
	b.Event(agent.Event{Kind: agent.EventAssistant, Model: f.model, Assistant: &llm.Response{
		Content: []llm.ContentBlock{llm.TextBlock(strings.Join(deltas, ""))},
		Usage:   llm.Usage{InputTokens: 1200, OutputTokens: 42}}})
}

func (f *fakeSession) say(text string) { f.stream(text) }

// toolCall reports a call that ran, with its result.
func (f *fakeSession) toolCall(id, name, input string, res tool.Result) {
	use := &llm.ContentBlock{Type: llm.TypeToolUse, ID: id, Name: name, Input: []byte(input)}
	f.bridge.Event(agent.Event{Kind: agent.EventToolStart, ToolUse: use})
	f.bridge.Event(agent.Event{Kind: agent.EventToolResult, ToolUse: use, Result: &res})
}

// fakeHost answers the UI's questions from fields.
type fakeHost struct {
	mu       sync.Mutex
	modes    []permission.Mode
	next     *fakeSession
	sessions []SessionInfo
	resumed  []string
	files    []string                                              // what ListFiles lists
	memory   []MemoryFile                                          // what MemoryFiles lists
	notes    []string                                              // the notes added
	noteErr  error                                                 // what AddNote fails with
	shell    func(ctx context.Context, command string) ShellResult // runs !commands; nil echoes
	commands []string                                              // the !commands run
	allowed  []string                                              // rules allowed always through the host
	// cwd and configDir are where the custom commands are read from, as the real host does.
	cwd, configDir string
	extensions     map[string][]Fact
	// statusLine answers StatusLine; nil means none is configured. statusRuns counts calls.
	statusLine func(n int) (string, bool, error)
	statusRuns int
}

func (h *fakeHost) StatusLine(context.Context) (string, bool, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.statusLine == nil {
		return "", false, nil
	}
	h.statusRuns++
	return h.statusLine(h.statusRuns)
}

func (h *fakeHost) runs() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.statusRuns
}

func (h *fakeHost) customs() []commands.Command {
	user, _ := commands.LoadDir(filepath.Join(h.configDir, "commands"), commands.ScopeUser)
	project, _ := commands.LoadDir(filepath.Join(h.cwd, ".claude", "commands"), commands.ScopeProject)
	return commands.Merge(user, project)
}

func (h *fakeHost) Commands() []CommandInfo {
	var out []CommandInfo
	for _, c := range h.customs() {
		out = append(out, CommandInfo{Name: c.Name, ArgumentHint: c.ArgumentHint, Description: c.Description, Scope: c.Scope})
	}
	return out
}

func (h *fakeHost) ExpandCommand(ctx context.Context, text string) (string, string, bool, error) {
	c, args, ok := commands.Find(h.customs(), text)
	if !ok {
		return "", "", false, nil
	}
	prompt, err := c.Expand(ctx, args, nil)
	return prompt, c.Model, true, err
}

func (h *fakeHost) Extensions(kind string) []Fact { return h.extensions[kind] }

func (h *fakeHost) Status() []Fact {
	return []Fact{{"Provider", "Amazon Bedrock"}, {"Region", "us-east-1 (from AWS_REGION)"},
		{"Credentials", "access keys from the environment (AWS_ACCESS_KEY_ID)"},
		{"Model", "us.anthropic.claude-sonnet-4-5-20250929-v1:0 in us-east-1"},
		{"Small/fast model", "us.anthropic.claude-haiku-4-5-20251001-v1:0 in us-east-1"}}
}
func (h *fakeHost) Rules() Rules {
	return Rules{Allow: []string{"Bash(go test:*) (.claude/settings.json)"}, Deny: []string{"WebFetch (--disallowedTools)"}}
}
func (h *fakeHost) Doctor(context.Context) []string {
	return []string{"✓ Bedrock mode: on (from CLAUDE_CODE_USE_BEDROCK)", "✗ Main model: not granted"}
}

func (h *fakeHost) SetMode(mode permission.Mode) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.modes = append(h.modes, mode)
}
func (h *fakeHost) ResolveModel(name string) (string, error) {
	switch name {
	case "opus":
		return "us.anthropic.claude-opus-4-1-20250805-v1:0", nil
	case "nonsense":
		return "", errors.New(`unknown model "nonsense": use an alias (sonnet, opus, haiku), a model ID or an ARN`)
	}
	return name, nil
}
func (h *fakeHost) ModelChoices() []Fact {
	return []Fact{{"sonnet", "us.anthropic.claude-sonnet-4-5-20250929-v1:0"}, {"opus", "us.anthropic.claude-opus-4-1-20250805-v1:0"}}
}
func (h *fakeHost) NewConversation() (Session, string, error) {
	return h.next, "22222222-2222-2222-2222-222222222222", nil
}
func (h *fakeHost) Resume(id string) (Session, error) {
	h.resumed = append(h.resumed, id)
	return h.next, nil
}
func (h *fakeHost) SavedSessions() ([]SessionInfo, error) { return h.sessions, nil }

func (h *fakeHost) ModelInfo(id string) ModelInfo {
	switch id {
	case "us.anthropic.claude-sonnet-4-5-20250929-v1:0":
		return ModelInfo{Name: "Claude Sonnet 4.5", ContextWindow: 200_000}
	case "us.anthropic.claude-opus-4-1-20250805-v1:0":
		return ModelInfo{Name: "Claude Opus 4.1", ContextWindow: 200_000}
	}
	return ModelInfo{}
}

func (h *fakeHost) ListFiles(context.Context) []string { return h.files }

// AttachFile attaches a listed file as one text block naming it; others are refused.
func (h *fakeHost) AttachFile(_ context.Context, path string) (Attachment, error) {
	for _, f := range h.files {
		if f == path {
			return Attachment{Blocks: []llm.ContentBlock{llm.TextBlock("contents of " + path)}, Summary: "Read 1 line"}, nil
		}
	}
	return Attachment{}, errors.New("no such file")
}

// Shell runs on a job's goroutine: what it records is read after the job has ended.
func (h *fakeHost) Shell(ctx context.Context, command string) ShellResult {
	h.mu.Lock()
	h.commands = append(h.commands, command)
	run := h.shell
	h.mu.Unlock()
	if run == nil {
		return ShellResult{Output: "ran " + command + "\n"}
	}
	return run(ctx, command)
}

func (h *fakeHost) AddNote(note string) error {
	if h.noteErr != nil {
		return h.noteErr
	}
	h.notes = append(h.notes, note)
	return nil
}

func (h *fakeHost) MemoryFiles() ([]MemoryFile, error) { return h.memory, nil }

func (h *fakeHost) Sandbox(action string) (string, error) {
	if action == "off" {
		return "", errors.New("the sandbox is required by managed settings and cannot be turned off")
	}
	return "Sandbox: off", nil
}

func (h *fakeHost) OutputStyle(name string) ([]string, error) {
	if name == "" {
		return []string{"* default", "  Explanatory"}, nil
	}
	if name != "Explanatory" {
		return nil, errors.New("no output style " + name)
	}
	return []string{"Output style: Explanatory"}, nil
}

func (h *fakeHost) AllowAlways(rules []string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.allowed = append(h.allowed, rules...)
	return nil
}

func (h *fakeHost) MCP(args string) []string {
	return []string{"MCP servers (fake host): " + args}
}

func (h *fakeHost) MCPPrompt(_ context.Context, command, args string) (string, error) {
	if command != "mcp__srv__review" {
		return "", fmt.Errorf("no MCP prompt /%s", command)
	}
	return "Review this: " + args, nil
}

// harness drives a Model as Bubble Tea would, but in the test's goroutine: messages are
// applied one at a time in the order they arrive, so a test can stop right after the one
// that made a condition true and look at the screen.
type harness struct {
	t        *testing.T
	m        *Model
	sess     *fakeSession
	host     *fakeHost
	now      time.Time
	printed  strings.Builder
	inflight atomic.Int32
	quit     bool
}

const testSessionID = "11111111-1111-1111-1111-111111111111"

func newHarness(t *testing.T, configure func(o *Options)) *harness {
	t.Helper()
	bridge := NewBridge()
	h := &harness{t: t, now: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC), host: &fakeHost{}}
	h.sess = &fakeSession{bridge: bridge, model: "us.anthropic.claude-sonnet-4-5-20250929-v1:0", usage: map[string]agent.ModelUsage{}}
	h.host.next = &fakeSession{bridge: bridge, model: "next-model", usage: map[string]agent.ModelUsage{}}
	dir := t.TempDir()
	opts := Options{Session: h.sess, SessionID: testSessionID, Host: h.host, Bridge: bridge,
		Mode: permission.ModeDefault, Cwd: dir, ConfigDir: t.TempDir(),
		Width: 80, Height: 30, Now: func() time.Time { return h.now }, DialogGrace: -1,
		Cost: func(model string, u llm.Usage) (float64, bool) {
			return float64(u.InputTokens+u.OutputTokens) / 1e5, true
		}}
	if configure != nil {
		configure(&opts)
	}
	h.host.cwd, h.host.configDir = opts.Cwd, opts.ConfigDir
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() {
		cancel()
		bridge.Close()
	})
	h.m = New(ctx, opts)
	h.m.transcript.SetPrinter(func(s string) tea.Cmd {
		h.printed.WriteString(ansi.Strip(s) + "\n")
		return nil
	})
	h.exec(h.m.Init())
	return h
}

// exec runs a command the way Bubble Tea does (on its own goroutine) and delivers its message
// through the bridge's queue.
func (h *harness) exec(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	h.inflight.Add(1)
	go func() {
		defer h.inflight.Add(-1)
		msg := cmd()
		if batch, ok := msg.(tea.BatchMsg); ok {
			for _, c := range batch {
				h.exec(c)
			}
			return
		}
		if msg != nil {
			h.inflight.Add(1) // counted until the harness has applied it
			h.m.opts.Bridge.msgs <- execResult{msg}
		}
	}()
}

// execResult is a command's message on its way to the model.
type execResult struct{ msg tea.Msg }

func (h *harness) update(msg tea.Msg) {
	if r, ok := msg.(execResult); ok {
		defer h.inflight.Add(-1)
		msg = r.msg
	}
	if _, ok := msg.(tea.QuitMsg); ok {
		h.quit = true
		return
	}
	_, cmd := h.m.Update(msg)
	h.exec(cmd)
}

// waitFor applies arriving messages until cond holds.
// busyTurn starts a turn that runs until the returned release is called, and waits until the
// UI shows it running: what the user does during a turn is tested from there.
func (h *harness) busyTurn() (release func()) {
	h.t.Helper()
	held := make(chan struct{})
	h.sess.run = func(ctx context.Context, f *fakeSession, _ []llm.ContentBlock) (*agent.Result, error) {
		<-held
		return &agent.Result{}, nil
	}
	h.enterLine("work")
	h.waitFor("busy", func() bool { return h.m.work.running() })
	return func() { close(held) }
}

func (h *harness) waitFor(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.After(10 * time.Second) // a guard against a hang, not a timing assertion
	for !cond() {
		select {
		case msg := <-h.m.opts.Bridge.msgs:
			h.update(msg)
		case <-time.After(5 * time.Millisecond): // a goroutine may end without a message
		case <-deadline:
			h.t.Fatalf("gave up waiting for %s\nscreen:\n%s\nprinted:\n%s", what, h.view(), h.printed.String())
		}
	}
}

// settle waits until nothing runs, nothing is queued and every print is done.
func (h *harness) settle() {
	h.t.Helper()
	h.waitFor("the UI to settle", func() bool {
		return !h.m.work.running() && h.m.transcript.Settled() && h.inflight.Load() == 0 &&
			len(h.m.opts.Bridge.msgs) == 0
	})
}

func (h *harness) view() string { return ansi.Strip(h.m.View().Content) }

// out is the scrollback: what was printed and what is queued to be.
func (h *harness) out() string {
	return h.printed.String() + ansi.Strip(h.m.transcript.Queued())
}

func (h *harness) key(names ...string) {
	for _, n := range names {
		h.update(keyPress(n))
	}
}

func (h *harness) typeText(s string) {
	for _, r := range s {
		h.update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// enterLine types s and presses Enter.
func (h *harness) enterLine(s string) {
	h.typeText(s)
	h.key("enter")
}

func keyPress(name string) tea.KeyPressMsg {
	switch name {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "shift+enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter, Mod: tea.ModShift}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "ctrl+c", "ctrl+d", "ctrl+o":
		return tea.KeyPressMsg{Code: rune(name[len(name)-1]), Mod: tea.ModCtrl}
	}
	r := []rune(name)[0]
	return tea.KeyPressMsg{Code: r, Text: name}
}

func (h *harness) mustShow(what string, wants ...string) {
	h.t.Helper()
	for _, w := range wants {
		if !strings.Contains(what, w) {
			h.t.Errorf("missing %q in:\n%s", w, what)
		}
	}
}

func (h *harness) mustNotShow(what string, unwanted ...string) {
	h.t.Helper()
	for _, w := range unwanted {
		if strings.Contains(what, w) {
			h.t.Errorf("unexpected %q in:\n%s", w, what)
		}
	}
}

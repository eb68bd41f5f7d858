package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-agent/strata/internal/agent"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tui/complete"
	"github.com/strata-agent/strata/internal/tui/dialog"
	"github.com/strata-agent/strata/internal/tui/input"
	"github.com/strata-agent/strata/internal/tui/look"
	"github.com/strata-agent/strata/internal/tui/picker"
	"github.com/strata-agent/strata/internal/tui/question"
	"github.com/strata-agent/strata/internal/tui/status"
	"github.com/strata-agent/strata/internal/tui/transcript"
)

// Model composes the parts of the UI and routes messages between them; what it owns itself is
// the conversation being driven and the background work. Its methods run on the Bubble Tea
// goroutine only; the agent talks to it through the Bridge.
type Model struct {
	opts Options
	ctx  context.Context
	host Host
	st   look.Styles
	now  func() time.Time

	// live is set when a real program runs the model: it then listens on the bridge and
	// ticks. Tests leave it off and deliver those messages themselves.
	live bool

	width, height int
	// sized is set once the terminal's size is known. Until then nothing is drawn or printed:
	// a frame drawn for a guessed width wraps on a narrower terminal, and the renderer, which
	// counts the rows it thinks it drew, then leaves stray lines behind.
	sized bool
	drawn []drawnFrame // the frames that may be on the screen, for printRoom

	// The parts.
	input      *input.Input
	transcript *transcript.Transcript
	dialog     *dialog.Dialog
	question   *question.Queue // the model's questions and plans; nil until the first
	local      *localAsk       // a form the UI put up itself (/setup-bedrock), waiting
	complete   *complete.Completion
	status     *status.Status
	picker     *picker.Picker // a list to choose from (/resume, /model), shown instead of the input box
	onPick     func(value string) tea.Cmd
	asking     *asking // a question the input box takes the answer to (ask.go)

	sess   Session
	sessID string
	work   work     // what runs in the background, if anything
	queue  []string // prompts typed while a turn ran
	extra  []string // context for the next prompt (!command output, # notes)

	// images are pasted images waiting for the prompt that holds their labels; imageCount
	// numbers them ("[Image #3]").
	images     []pastedImage
	imageCount int

	statusLine statusLineState
	lastEsc    time.Time // the last Esc on an empty input with no turn running (Esc Esc opens /rewind)

	quitting bool
}

// New builds the UI model.
func New(ctx context.Context, opts Options) *Model {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Width <= 0 || opts.Height <= 0 {
		opts.Width, opts.Height = 80, 24
	}
	if len(opts.Modes) == 0 {
		opts.Modes = []permission.Mode{permission.ModeDefault, permission.ModeAcceptEdits, permission.ModePlan}
	}
	if opts.Bridge == nil {
		opts.Bridge = NewBridge()
	}
	st := look.NewStyles()
	m := &Model{opts: opts, ctx: ctx, host: opts.Host, st: st, now: opts.Now, width: opts.Width, height: opts.Height,
		sessID: opts.SessionID, work: work{runs: &sync.WaitGroup{}}, sized: true, statusLine: statusLineState{delay: statusLineDelay}}
	m.input = input.New(m.width, opts.HistoryPath, m.now)
	m.transcript = transcript.New(st, m.width, m.height, m.now)
	m.dialog = dialog.New(st, opts.DialogGrace, m.now, m.allowAlways)
	m.complete = complete.New(st, m.listFiles, m.commandList)
	m.status = status.New(st, opts.Cost, m.now)
	m.status.SetMode(opts.Mode)
	if opts.Session != nil {
		m.useSession(opts.Session, opts.SessionID)
	}
	return m
}

// Init prints the warnings and sends the first prompt, if any.
func (m *Model) Init() tea.Cmd {
	var cmds []tea.Cmd
	if m.live {
		cmds = append(cmds, m.opts.Bridge.listen(), tea.RequestWindowSize)
	}
	t := m.transcript
	t.Emit(m.st.Accent.Render("✻ strata") + m.st.Dim.Render(" · "+m.opts.Cwd+" · /help for commands"))
	if n := m.opts.Resumed; n > 0 {
		t.Emit(m.st.Dim.Render(fmt.Sprintf("↻ Continuing session %s (%s so far)", m.sessID, look.Plural(n, "message"))))
		m.replay()
	}
	for _, w := range m.opts.Warnings {
		t.Emit(m.st.Warn.Render("⚠ " + w))
	}
	if p := strings.TrimSpace(m.opts.Prompt); p != "" {
		cmds = append(cmds, m.submit(p))
	}
	cmds = append(cmds, m.statusLineNow())
	if !m.sized {
		return tea.Batch(cmds...)
	}
	t.SetRoom(m.printRoom())
	return t.Next(tea.Batch(cmds...))
}

// Update handles one message.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case bridged:
		cmd = tea.Batch(m.handleBridged(msg.msg), m.opts.Bridge.listen())
	case tea.WindowSizeMsg:
		m.width, m.height, m.sized = max(msg.Width, 20), max(msg.Height, 8), true
		m.input.SetWidth(m.width)
		m.transcript.Resize(m.width, m.height)
	case tea.KeyPressMsg:
		cmd = m.handleKey(msg)
	case tea.PasteMsg:
		cmd = m.onPaste(msg)
	case tickMsg:
		// Only the loop of the current busy period goes on; ticks of an earlier one (a turn
		// that ended as a queued prompt started) and redraw-only ticks stop here.
		if m.work.running() && msg.loop == m.work.tickLoop {
			cmd = m.nextTick()
		}
	case transcript.PrintedMsg:
		m.transcript.Printed()
	default:
		cmd = m.handleBridged(msg) // tests deliver agent messages unwrapped; others are ignored
	}
	if m.quitting {
		return m, tea.Sequence(m.transcript.FlushAll(), tea.Quit)
	}
	if !m.sized {
		return m, cmd
	}
	m.transcript.SetRoom(m.printRoom())
	return m, m.transcript.Next(cmd)
}

// handleBridged hands what the agent side reports to the parts, in the order it happened.
func (m *Model) handleBridged(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case eventMsg:
		m.transcript.OnEvent(msg.ev)
		m.status.OnEvent(msg.ev)
		if msg.ev.Kind == agent.EventAssistant || msg.ev.Kind == agent.EventUser {
			return m.refreshStatusLine() // the conversation's messages changed
		}
	case statusDueMsg:
		return m.onStatusDue(msg)
	case statusLineMsg:
		m.onStatusLine(msg)
	case todosMsg:
		m.transcript.OnTodos(msg.todos)
	case dialog.Ask:
		m.pushAsk(msg)
	case runDoneMsg:
		return tea.Batch(m.onRunDone(msg), m.refreshStatusLine())
	case compactDoneMsg:
		m.onCompactDone(msg)
	case shellDoneMsg:
		m.onShellDone(msg)
	case doctorDoneMsg:
		m.onDoctorDone(msg)
	case expandedMsg:
		return m.onExpanded(msg)
	case mcpPromptMsg:
		return m.onMCPPrompt(msg)
	case stepMsg:
		return msg.then()
	case imageMsg:
		return m.onImage(msg)
	}
	return nil
}

// useSession makes sess the conversation the UI drives, and shows its model and usage.
func (m *Model) useSession(sess Session, id string) {
	m.sess, m.sessID = sess, id
	m.showModel(sess.Model())
	m.status.ResetUsage(sess.Usage(), true)
	m.statusLine.seq++ // a line computed for the previous conversation is stale
}

// replay shows the saved conversation the session continues, if the session can tell it.
func (m *Model) replay() {
	if h, ok := m.sess.(interface{ Messages() []llm.Message }); ok {
		m.transcript.Replay(h.Messages())
	}
}

// showModel tells the status line which model the session uses.
func (m *Model) showModel(id string) {
	var info ModelInfo
	if m.host != nil {
		info = m.host.ModelInfo(id)
	}
	m.status.SetModel(id, info.Name, info.ContextWindow)
}

// say prints an answer under the entry before it.
func (m *Model) say(text ...string) { m.transcript.Say(text...) }

// allowAlways keeps the rules of an "always" answer for a line of several commands.
func (m *Model) allowAlways(rules []string) error {
	if m.host == nil {
		return errors.New("nothing to keep the rules in")
	}
	return m.host.AllowAlways(rules)
}

// listFiles is what @ completion offers; the listing is the Host's.
func (m *Model) listFiles() []string {
	if m.host == nil {
		return nil
	}
	return m.host.ListFiles(m.ctx)
}

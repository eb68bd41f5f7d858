package tui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/strata-agent/strata/internal/permission"
)

// tickInterval paces the spinner and the elapsed time while something runs.
const tickInterval = 100 * time.Millisecond

// Model is the UI's state. Its methods run on the Bubble Tea goroutine only; the agent talks
// to it through the Bridge.
type Model struct {
	tickLoop    int       // the spinner loop of the current busy period
	dialogSince time.Time // when the dialog on show appeared (type-ahead guard)
	opts        Options
	ctx         context.Context
	sess        Session
	sessID      string
	st          styles
	md          *markdown
	now         func() time.Time

	// live is set when a real program runs the model: it then listens on the bridge and
	// ticks. Tests leave it off and deliver those messages themselves.
	live bool
	// print puts finished text into the terminal's scrollback; tests replace it.
	print func(text string) tea.Cmd

	width, height int
	input         textarea.Model
	history       *history
	complete      completion

	// Output waiting to be printed, in order; one print is in flight at a time.
	printQueue []string
	printing   bool
	lastBlank  bool // the last line queued is empty

	busy        bool   // a turn, a compaction or a shell command runs
	busyLabel   string // what the spinner says
	started     time.Time
	cancel      context.CancelFunc
	interrupted bool
	runs        *sync.WaitGroup

	turn   turnState
	status string    // a transient notice (retry, refresh) shown in the status line
	usage  usageBook // per-model usage, kept current during a turn

	dialogs    []approvalMsg // permission requests, the first one shown
	dialogSel  int
	askReason  bool // the dialog's "no" was chosen: the input takes the reason
	savedDraft string

	mode      permission.Mode
	queue     []string // prompts typed while a turn ran
	extra     []string // context for the next prompt (!command output, # notes)
	ctrlCAt   time.Time
	quitting  bool
	thinking  string // the latest thinking, for Ctrl-O
	modelName string // the session's model, as last asked or set
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
	st := newStyles()
	m := &Model{opts: opts, ctx: ctx, sess: opts.Session, sessID: opts.SessionID, st: st,
		md: newMarkdown(st), now: opts.Now, print: func(text string) tea.Cmd { return tea.Println(text) }, width: opts.Width, height: opts.Height,
		history: loadHistory(opts.HistoryPath), mode: opts.Mode, runs: &sync.WaitGroup{}}
	if m.mode == "" {
		m.mode = permission.ModeDefault
	}
	m.usage = newUsageBook(opts.Cost)
	if m.sess != nil {
		m.usage.reset(m.sess.Usage())
	}
	m.input = newInput(m.width)
	return m
}

func newInput(width int) textarea.Model {
	ta := textarea.New()
	ta.ShowLineNumbers = false
	ta.Placeholder = inputPlaceholder
	ta.SetPromptFunc(2, func(info textarea.PromptInfo) string {
		if info.LineNumber == 0 {
			return "> "
		}
		return "  "
	})
	ta.DynamicHeight = true
	ta.MinHeight = 1
	ta.MaxHeight = 8
	ta.CharLimit = 0
	ta.KeyMap.InsertNewline = key.NewBinding(key.WithKeys("shift+enter", "ctrl+j", "alt+enter"))
	ta.KeyMap.DeleteCharacterForward = key.NewBinding(key.WithKeys("delete"))
	s := textarea.DefaultDarkStyles()
	plain := lipgloss.NewStyle()
	s.Focused.CursorLine, s.Focused.Base, s.Focused.Text, s.Focused.Prompt = plain, plain, plain, plain
	s.Focused.Placeholder = lipgloss.NewStyle().Faint(true)
	s.Blurred = s.Focused
	ta.SetStyles(s)
	ta.SetVirtualCursor(false)
	ta.SetWidth(width)
	ta.Focus()
	return ta
}

// Init prints the warnings and sends the first prompt, if any.
func (m *Model) Init() tea.Cmd {
	var cmds []tea.Cmd
	if m.live {
		cmds = append(cmds, m.opts.Bridge.listen(), tea.RequestWindowSize)
	}
	m.emit(m.st.accent.Render("✻ strata") + m.st.dim.Render(" · "+m.opts.Cwd+" · /help for commands"))
	if n := m.opts.Resumed; n > 0 {
		m.emit(m.st.dim.Render(fmt.Sprintf("↻ Continuing session %s (%s so far)", m.sessID, plural(n, "message"))))
	}
	for _, w := range m.opts.Warnings {
		m.emit(m.st.warn.Render("⚠ " + w))
	}
	if p := strings.TrimSpace(m.opts.Prompt); p != "" {
		cmds = append(cmds, m.submit(p))
	}
	return m.withPrints(tea.Batch(cmds...))
}

// Update handles one message.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case bridged:
		cmd = tea.Batch(m.handleBridged(msg.msg), m.opts.Bridge.listen())
	case tea.WindowSizeMsg:
		m.width, m.height = max(msg.Width, 20), max(msg.Height, 8)
		m.input.SetWidth(m.width)
	case tea.KeyPressMsg:
		cmd = m.handleKey(msg)
	case tea.PasteMsg:
		m.input, cmd = m.input.Update(msg)
		m.refreshCompletion()
	case tickMsg:
		// Only the loop of the current busy period goes on; ticks of an earlier one (a turn
		// that ended as a queued prompt started) and redraw-only ticks stop here.
		if m.busy && msg.loop == m.tickLoop {
			cmd = m.nextTick()
		}
	case printedMsg:
		m.printing = false
	default:
		cmd = m.handleBridged(msg) // tests deliver agent messages unwrapped; others are ignored
	}
	if m.quitting {
		return m, tea.Sequence(m.flushAll(), tea.Quit)
	}
	return m, m.withPrints(cmd)
}

// handleBridged handles what the agent side reports, in the order it happened.
func (m *Model) handleBridged(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case eventMsg:
		m.onEvent(msg.ev)
	case todosMsg:
		m.onTodos(msg.todos)
	case approvalMsg:
		m.dialogs = append(m.dialogs, msg)
		if len(m.dialogs) == 1 {
			m.dialogSel, m.dialogSince = 0, m.now()
		}
	case runDoneMsg:
		return m.onRunDone(msg)
	case compactDoneMsg:
		m.onCompactDone(msg)
	case shellDoneMsg:
		m.onShellDone(msg)
	case doctorDoneMsg:
		m.onDoctorDone(msg)
	}
	return nil
}

type (
	tickMsg    struct{ loop int } // loop 0: a one-off redraw
	printedMsg struct{}
)

// tick starts the spinner's redraw loop for a new busy period.
func (m *Model) tick() tea.Cmd {
	m.tickLoop++
	return m.nextTick()
}

func (m *Model) nextTick() tea.Cmd {
	if !m.live {
		return nil
	}
	loop := m.tickLoop
	return tea.Tick(tickInterval, func(time.Time) tea.Msg { return tickMsg{loop: loop} })
}

// emit queues finished text for the scrollback.
func (m *Model) emit(text string) {
	m.printQueue = append(m.printQueue, text)
	m.lastBlank = text == ""
}

// withPrints adds the next print to cmd. Prints go one at a time, each followed by
// printedMsg, so that scrollback keeps the order things happened in.
func (m *Model) withPrints(cmd tea.Cmd) tea.Cmd {
	if m.printing || len(m.printQueue) == 0 {
		return cmd
	}
	text := strings.Join(m.printQueue, "\n")
	m.printQueue, m.printing = nil, true
	return tea.Batch(cmd, tea.Sequence(m.print(text), func() tea.Msg { return printedMsg{} }))
}

// flushAll prints everything still queued, for the way out.
func (m *Model) flushAll() tea.Cmd {
	m.flushStream()
	if len(m.printQueue) == 0 {
		return nil
	}
	text := strings.Join(m.printQueue, "\n")
	m.printQueue = nil
	return m.print(text)
}

// shutdown stops what still runs once the program has ended.
func (m *Model) shutdown() {
	if m.cancel != nil {
		m.cancel()
	}
	m.opts.Bridge.Close()
	m.runs.Wait()
}

// startBusy marks the start of work the spinner follows; it returns the work's context.
func (m *Model) startBusy(label string) (context.Context, tea.Cmd) {
	ctx, cancel := context.WithCancel(m.ctx)
	m.busy, m.busyLabel, m.started, m.cancel, m.interrupted = true, label, m.now(), cancel, false
	m.status = ""
	return ctx, m.tick()
}

func (m *Model) endBusy() {
	if m.cancel != nil {
		m.cancel()
	}
	m.busy, m.cancel, m.status = false, nil, ""
	m.complete.listed = false // the turn may have created files: @ lists them afresh
}

// interrupt cancels the running work (Esc, Ctrl-C); the session keeps what was said.
func (m *Model) interrupt() {
	if !m.busy || m.cancel == nil {
		return
	}
	m.cancel()
	m.interrupted = true
	m.status = "interrupting…"
	for _, d := range m.dialogs {
		d.reply <- permission.Answer{Reason: "the user interrupted the turn"}
	}
	m.dialogs, m.askReason = nil, false
}

func (m *Model) snapshotUsage() {
	if m.sess != nil {
		m.usage.reset(m.sess.Usage())
	}
}

package tui

import (
	"context"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-agent/strata/internal/tui/look"
)

// work is the background job in progress — a turn, a compaction, a !command or /doctor; one
// at a time. Its end comes back through the bridge, after the agent's own messages.
type work struct {
	cancel      context.CancelFunc // nil while nothing runs
	interrupted bool               // the user cancelled the job that runs or just ended
	tickLoop    int                // the spinner loop of the current busy period
	runs        *sync.WaitGroup    // the goroutines of jobs, waited for on the way out
}

func (w *work) running() bool { return w.cancel != nil }

type tickMsg struct{ loop int } // loop 0: a one-off redraw

// startBusy starts a job labelled label: the status line follows it and Esc cancels the
// context it returns.
func (m *Model) startBusy(label string) (context.Context, tea.Cmd) {
	ctx, cancel := context.WithCancel(m.ctx)
	m.work.cancel, m.work.interrupted = cancel, false
	m.status.Begin(label)
	m.work.tickLoop++
	return ctx, m.nextTick()
}

// endBusy ends the job; it reports whether the user interrupted it.
func (m *Model) endBusy() (interrupted bool) {
	if m.work.cancel != nil {
		m.work.cancel()
	}
	m.work.cancel = nil
	m.status.End()
	m.complete.Invalidate() // the job may have created files: @ lists them afresh
	return m.work.interrupted
}

// spawn runs job on its own goroutine; the message it returns goes through the bridge.
func (m *Model) spawn(job func() tea.Msg) {
	b, wg := m.opts.Bridge, m.work.runs
	wg.Add(1)
	go func() {
		defer wg.Done()
		b.send(job())
	}()
}

func (m *Model) nextTick() tea.Cmd {
	if !m.live {
		return nil
	}
	loop := m.work.tickLoop
	return tea.Tick(look.SpinnerFrame, func(time.Time) tea.Msg { return tickMsg{loop: loop} })
}

// interruptedReason refuses the permission requests open when the user interrupts the turn.
const interruptedReason = "The user interrupted the turn instead of answering; wait for the user to say how to go on."

// interrupt cancels the running job (Esc, Ctrl-C); the session keeps what was said, and open
// permission requests are refused.
func (m *Model) interrupt() {
	if !m.work.running() {
		return
	}
	// The open requests are answered first: the agent then tells the model the user
	// interrupted, rather than that waiting for an answer was cancelled.
	m.dropDialogs(interruptedReason)
	m.work.cancel()
	m.work.interrupted = true
	m.status.SetNotice("interrupting…")
}

// dropDialogs refuses the permission requests still open, and gives the input box back if a
// reason was being typed in it.
func (m *Model) dropDialogs(reason string) {
	m.dialog.DropAll(reason)
	if m.question != nil {
		m.question.DropAll(reason)
	}
	m.input.Return()
}

// shutdown stops what still runs once the program has ended.
func (m *Model) shutdown() {
	if m.work.cancel != nil {
		m.work.cancel()
	}
	m.opts.Bridge.Close()
	m.work.runs.Wait()
}

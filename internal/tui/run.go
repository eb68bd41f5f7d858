package tui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/strata-agent/strata/internal/agent"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/memory"
	"github.com/strata-agent/strata/internal/permission"
)

// Results of background work, delivered through the bridge after the agent's own messages.
type (
	runDoneMsg struct {
		res *agent.Result
		err error
	}
	compactDoneMsg struct {
		c   *agent.Compaction
		err error
	}
	shellDoneMsg struct {
		command string
		output  []byte
		err     error
	}
	doctorDoneMsg struct{ lines []string }
)

// Limits of !commands.
const (
	shellOutputMax   = 1 << 20 // bytes kept of a command's output
	shellShownLines  = 20
	shellContextMax  = 10_000 // bytes of it passed to the model with the next prompt
	shellWaitOnClose = 2 * time.Second
)

// submit acts on what the user entered: a prompt, a /command, a !command or a #note.
func (m *Model) submit(text string) tea.Cmd {
	text = strings.TrimRight(text, " \n")
	if strings.TrimSpace(text) == "" {
		return nil
	}
	m.history.add(text)
	switch {
	case strings.HasPrefix(text, "/") && looksLikeCommand(text):
		return m.runCommand(text)
	case strings.HasPrefix(text, "!"):
		return m.runShell(strings.TrimSpace(text[1:]))
	case strings.HasPrefix(text, "#"):
		m.addNote(strings.TrimSpace(text[1:]))
		return nil
	}
	return m.sendPrompt(text, text)
}

// looksLikeCommand tells "/help" from a prompt that starts with a path ("/etc/hosts is…").
func looksLikeCommand(text string) bool {
	name, _, _ := strings.Cut(text[1:], " ")
	name, _, _ = strings.Cut(name, "\n")
	return name != "" && !strings.Contains(name, "/")
}

// sendPrompt shows shown as the user's turn and sends prompt to the model, or queues it
// while a turn runs.
func (m *Model) sendPrompt(shown, prompt string) tea.Cmd {
	if m.busy {
		m.queue = append(m.queue, prompt)
		m.gap()
		m.emit(paintLines(m.st.user, prefixLines("> ", "  ", shown)) + m.st.dim.Render("  (queued: sent when this turn ends)"))
		return nil
	}
	m.gap()
	m.emit(paintLines(m.st.user, prefixLines("> ", "  ", shown)))
	blocks := make([]llm.ContentBlock, 0, len(m.extra)+1)
	for _, e := range m.extra {
		blocks = append(blocks, llm.TextBlock(e))
	}
	m.extra = nil
	return m.startTurn(append(blocks, llm.TextBlock(prompt)))
}

// paintLines styles each line on its own (a style given several lines pads them to one width).
func paintLines(st lipgloss.Style, text string) string {
	ls := strings.Split(text, "\n")
	for i, l := range ls {
		ls[i] = st.Render(l)
	}
	return strings.Join(ls, "\n")
}

func prefixLines(first, rest, text string) string {
	ls := strings.Split(text, "\n")
	for i := range ls {
		if i == 0 {
			ls[i] = first + ls[i]
		} else {
			ls[i] = rest + ls[i]
		}
	}
	return strings.Join(ls, "\n")
}

// startTurn runs the session on its own goroutine; its end comes back as runDoneMsg.
func (m *Model) startTurn(blocks []llm.ContentBlock) tea.Cmd {
	ctx, tick := m.startBusy("Working")
	m.turn = turnState{}
	sess, b, wg := m.sess, m.opts.Bridge, m.runs
	wg.Add(1)
	return tea.Batch(tick, func() tea.Msg {
		defer wg.Done()
		res, err := sess.Run(ctx, blocks)
		b.send(runDoneMsg{res: res, err: err})
		return nil
	})
}

func (m *Model) onRunDone(msg runDoneMsg) tea.Cmd {
	m.flushStream()
	m.turn.tools = nil
	interrupted := m.interrupted
	m.endBusy()
	m.dropDialogs()
	m.snapshotUsage()
	if msg.res != nil {
		m.usage.apiTime += msg.res.APIDuration
	}
	switch {
	case msg.err != nil && (interrupted || agent.IsCanceled(msg.err)):
		m.gap()
		m.say(m.st.bad.Render("Interrupted") + m.st.dim.Render(" · what was said is kept; tell strata what to do instead"))
	case msg.err != nil:
		m.gap()
		m.emit(m.st.bad.Render("✗ " + strings.TrimSpace(msg.err.Error())))
	case msg.res != nil && msg.res.Subtype == agent.SubtypeMaxTurns:
		m.gap()
		m.emit(m.st.warn.Render("⚠ the turn stopped at its turn limit"))
	}
	if len(m.queue) > 0 {
		next := m.queue[0]
		m.queue = m.queue[1:]
		return m.sendPrompt(next, next)
	}
	return nil
}

// dropDialogs answers permission requests still open when their turn ended.
func (m *Model) dropDialogs() {
	for _, d := range m.dialogs {
		d.reply <- permission.Answer{Reason: "the turn ended before the user answered"}
	}
	m.dialogs, m.askReason = nil, false
}

// compact runs /compact on its own goroutine.
func (m *Model) compact(focus string) tea.Cmd {
	ctx, tick := m.startBusy("Compacting the conversation")
	sess, b, wg := m.sess, m.opts.Bridge, m.runs
	wg.Add(1)
	return tea.Batch(tick, func() tea.Msg {
		defer wg.Done()
		c, err := sess.Compact(ctx, focus)
		b.send(compactDoneMsg{c: c, err: err})
		return nil
	})
}

func (m *Model) onCompactDone(msg compactDoneMsg) {
	interrupted := m.interrupted
	m.endBusy()
	m.snapshotUsage()
	m.gap()
	switch {
	case errors.Is(msg.err, agent.ErrNothingToCompact):
		m.emit(m.st.dim.Render("Nothing to compact yet."))
	case msg.err != nil && interrupted:
		m.say(m.st.bad.Render("Compaction interrupted") + m.st.dim.Render("; the conversation is unchanged"))
	case msg.err != nil:
		m.emit(m.st.bad.Render("✗ Compaction failed: " + msg.err.Error()))
	default:
		m.emit(m.st.accent.Render("✻ Conversation compacted") + m.st.dim.Render(fmt.Sprintf(
			": %d messages summarised; strata continues from the summary. The full history stays in the session transcript.",
			msg.c.Replaced)))
	}
}

// runShell runs a !command in the working directory and shows its output; the output also
// goes to the model with the next prompt.
func (m *Model) runShell(command string) tea.Cmd {
	m.gap()
	m.emit(m.st.user.Render("! " + command))
	if command == "" {
		m.say(m.st.dim.Render("Type a shell command after !, e.g. !git status"))
		return nil
	}
	if m.busy {
		m.say(m.st.dim.Render("Not run: wait for the turn to finish, or press Esc to interrupt it"))
		return nil
	}
	ctx, tick := m.startBusy("Running " + command)
	dir, env, b, wg := m.opts.Cwd, m.opts.ShellEnv, m.opts.Bridge, m.runs
	wg.Add(1)
	return tea.Batch(tick, func() tea.Msg {
		defer wg.Done()
		out, err := runShellCommand(ctx, dir, env, command)
		b.send(shellDoneMsg{command: command, output: out, err: err})
		return nil
	})
}

func runShellCommand(ctx context.Context, dir string, env []string, command string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "bash", "-c", command)
	cmd.Dir = dir
	cmd.Env = append([]string{}, env...) // never nil: nil would hand over strata's own environment
	cmd.WaitDelay = shellWaitOnClose
	var out limitedBuffer
	out.max = shellOutputMax
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.buf.Bytes(), err
}

// limitedBuffer keeps the first max bytes written to it and counts the rest.
type limitedBuffer struct {
	buf     bytes.Buffer
	max     int
	dropped int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	n := len(p) // a short count would make the command fail with ErrShortWrite
	if room := l.max - l.buf.Len(); room < len(p) {
		l.dropped += len(p) - max(room, 0)
		p = p[:max(room, 0)]
	}
	l.buf.Write(p)
	return n, nil
}

func (m *Model) onShellDone(msg shellDoneMsg) {
	if m.opts.Redact != nil {
		msg.output = []byte(m.opts.Redact(string(msg.output)))
	}
	interrupted := m.interrupted
	m.endBusy()
	body := lines(string(msg.output))
	var exit string
	var ee *exec.ExitError
	switch {
	case interrupted:
		exit = "interrupted"
	case errors.As(msg.err, &ee):
		exit = fmt.Sprintf("exit status %d", ee.ExitCode())
	case msg.err != nil:
		exit = msg.err.Error()
	}
	if len(body) == 0 {
		body = []string{m.st.dim.Render("(no output)")}
	}
	text := m.cutNote(resultLines(body, shellShownLines, m.width), len(body), shellShownLines)
	if exit != "" {
		text += "\n    " + m.st.bad.Render(exit)
	}
	m.emit(text)
	m.extra = append(m.extra, shellContext(msg.command, string(msg.output), exit))
	m.emit(strings.Join(wrapWords("    "+m.st.dim.Render("(the output goes to the model with your next message)"), m.width), "\n"))
}

func shellContext(command, output, exit string) string {
	if len(output) > shellContextMax {
		output = output[:shellContextMax] + "\n… (cut)"
	}
	s := "The user ran a shell command themselves (strata's ! prefix):\n$ " + command + "\n" + output
	if exit != "" {
		s += "\n(" + exit + ")"
	}
	return s
}

// addNote appends a #note to ./CLAUDE.md, the project memory.
func (m *Model) addNote(note string) {
	m.gap()
	m.emit(m.st.user.Render("# " + note))
	if note == "" {
		m.say(m.st.dim.Render("Type a note after #, e.g. # run the tests with make test"))
		return
	}
	path := filepath.Join(m.opts.Cwd, "CLAUDE.md")
	if err := memory.AppendNote(path, note); err != nil {
		m.say(m.st.bad.Render(err.Error()))
		return
	}
	m.say(m.st.ok.Render("Noted in ./CLAUDE.md") + m.st.dim.Render(" (project memory: every new session reads it; this one is told with your next message)"))
	m.extra = append(m.extra, "The user added this note to the project memory (./CLAUDE.md): "+note)
}

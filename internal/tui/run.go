package tui

import (
	"errors"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-agent/strata/internal/agent"
	"github.com/strata-agent/strata/internal/lazyre"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/tui/look"
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
		res     ShellResult
	}
	doctorDoneMsg struct{ lines []string }
	// mcpPromptMsg carries an MCP server's prompt, fetched for /mcp__server__prompt.
	mcpPromptMsg struct {
		shown, prompt string
		err           error
	}
)

// Limits of what a !command shows and tells the model.
const (
	shellShownLines = 20
	shellContextMax = 10_000 // bytes of its output passed to the model with the next prompt
)

// submit acts on what the user entered: a prompt, a /command, a !command or a #note.
func (m *Model) submit(text string) tea.Cmd {
	text = strings.TrimRight(text, " \n")
	if strings.TrimSpace(text) == "" {
		return nil
	}
	m.input.Remember(text)
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
	if m.work.running() {
		m.queue = append(m.queue, prompt)
		m.transcript.Entry(shown, m.st.Dim.Render("  (queued: sent when this turn ends)"))
		return nil
	}
	m.transcript.Entry(shown, "")
	blocks := make([]llm.ContentBlock, 0, len(m.extra)+1)
	for _, e := range m.extra {
		blocks = append(blocks, llm.TextBlock(e))
	}
	m.extra = nil
	blocks = append(blocks, llm.TextBlock(prompt))
	blocks = append(blocks, m.takeImages(prompt)...)
	return m.startTurn(append(blocks, m.attachMentions(prompt)...))
}

// attachMentions reads the files the prompt mentions with @path, each once, and says what
// it attached or why not.
func (m *Model) attachMentions(prompt string) []llm.ContentBlock {
	if m.host == nil {
		return nil
	}
	var blocks []llm.ContentBlock
	var said []string
	seen := map[string]bool{}
	for _, path := range mentions(prompt) {
		if seen[path] {
			continue
		}
		seen[path] = true
		a, err := m.host.AttachFile(m.ctx, path)
		if err != nil {
			said = append(said, m.st.Bad.Render("@"+path+" not attached: "+err.Error()))
			continue
		}
		blocks = append(blocks, a.Blocks...)
		said = append(said, a.Summary+" from "+m.st.Bold.Render(path))
	}
	if len(said) > 0 {
		m.say(said...)
	}
	return blocks
}

// mentions are the paths mentioned with @ in text: a word that starts with @ (or @"a path
// with spaces"), without the punctuation that may end a sentence; directories (ending in /)
// are left to the model.
func mentions(text string) []string {
	var out []string
	for _, m := range mentionRE().FindAllStringSubmatch(text, -1) {
		path := m[2]
		if q := m[3]; q != "" {
			path = q
		} else {
			path = strings.TrimRight(path, ".,;:!?)")
		}
		if path != "" && !strings.HasSuffix(path, "/") {
			out = append(out, path)
		}
	}
	return out
}

var mentionRE = lazyre.New(`(^|\s)@("([^"]+)"|\S+)`)

// startTurn runs the session on its own goroutine; its end comes back as runDoneMsg.
func (m *Model) startTurn(blocks []llm.ContentBlock) tea.Cmd {
	ctx, tick := m.startBusy("Working")
	m.transcript.StartTurn()
	sess := m.sess
	m.spawn(func() tea.Msg {
		res, err := sess.Run(ctx, blocks)
		return runDoneMsg{res: res, err: err}
	})
	return tick
}

func (m *Model) onRunDone(msg runDoneMsg) tea.Cmd {
	m.transcript.EndTurn()
	interrupted := m.endBusy()
	m.dropDialogs("the turn ended before the user answered")
	m.status.ResetUsage(m.sess.Usage(), false)
	if msg.res != nil {
		m.status.AddAPITime(msg.res.APIDuration)
	}
	t := m.transcript
	switch {
	case msg.err != nil && (interrupted || agent.IsCanceled(msg.err)):
		t.Gap()
		m.say(m.st.Bad.Render("Interrupted") + m.st.Dim.Render(" · what was said is kept; tell strata what to do instead"))
	case msg.err != nil:
		t.Gap()
		t.Emit(m.errorLines(msg.err))
	case msg.res != nil && msg.res.Subtype == agent.SubtypeMaxTurns:
		t.Gap()
		t.Emit(m.st.Warn.Render("⚠ the turn stopped at its turn limit"))
	}
	if len(m.queue) > 0 {
		next := m.queue[0]
		m.queue = m.queue[1:]
		return m.sendPrompt(next, next)
	}
	return nil
}

// compact runs /compact on its own goroutine.
func (m *Model) compact(focus string) tea.Cmd {
	ctx, tick := m.startBusy("Compacting the conversation")
	sess := m.sess
	m.spawn(func() tea.Msg {
		c, err := sess.Compact(ctx, focus)
		return compactDoneMsg{c: c, err: err}
	})
	return tick
}

func (m *Model) onCompactDone(msg compactDoneMsg) {
	interrupted := m.endBusy()
	m.status.ResetUsage(m.sess.Usage(), false)
	t := m.transcript
	t.Gap()
	switch {
	case errors.Is(msg.err, agent.ErrNothingToCompact):
		t.Emit(m.st.Dim.Render("Nothing to compact yet."))
	case msg.err != nil && interrupted:
		m.say(m.st.Bad.Render("Compaction interrupted") + m.st.Dim.Render("; the conversation is unchanged"))
	case msg.err != nil:
		t.Emit(m.st.Bad.Render("✗ Compaction failed: " + msg.err.Error()))
	default:
		t.Emit(m.st.Accent.Render("✻ Conversation compacted") + m.st.Dim.Render(fmt.Sprintf(
			": %d messages summarised; strata continues from the summary. The full history stays in the session transcript.",
			msg.c.Replaced)))
	}
}

// errorLines shows an error wrapped at word boundaries under a ✗, each paragraph of it (the
// failure, then the fix) on its own lines.
func (m *Model) errorLines(err error) string {
	var out []string
	first := "✗ "
	for _, para := range strings.Split(look.Visible(strings.TrimSpace(err.Error())), "\n") {
		for _, l := range look.WrapIndent(para, m.width, first, "  ") {
			out = append(out, m.st.Bad.Render(l))
		}
		first = "  "
	}
	return strings.Join(out, "\n")
}

package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-agent/strata/internal/tui/look"
)

// runShell runs a !command through the Host and shows its output; the output also goes to
// the model with the next prompt. Esc cancels the context the Host runs it with.
func (m *Model) runShell(command string) tea.Cmd {
	t := m.transcript
	t.Gap()
	t.Emit(m.st.User.Render("! " + command))
	if command == "" {
		m.say(m.st.Dim.Render("Type a shell command after !, e.g. !git status"))
		return nil
	}
	if m.work.running() {
		m.say(m.st.Dim.Render("Not run: wait for the turn to finish, or press Esc to interrupt it"))
		return nil
	}
	ctx, tick := m.startBusy("Running " + command)
	host := m.host
	m.spawn(func() tea.Msg {
		return shellDoneMsg{command: command, res: host.Shell(ctx, command)}
	})
	return tick
}

func (m *Model) onShellDone(msg shellDoneMsg) {
	interrupted := m.endBusy()
	var exit string
	switch r := msg.res; {
	case interrupted:
		exit = "interrupted"
	case r.Err != nil:
		exit = r.Err.Error()
	case r.ExitCode != 0:
		exit = fmt.Sprintf("exit status %d", r.ExitCode)
	}
	body := look.Lines(msg.res.Output)
	if len(body) == 0 {
		body = []string{m.st.Dim.Render("(no output)")}
	}
	t := m.transcript
	text := t.CutNote(look.ResultLines(body, shellShownLines, m.width), len(body), shellShownLines)
	if exit != "" {
		text += "\n    " + m.st.Bad.Render(exit)
	}
	t.Emit(text)
	m.extra = append(m.extra, shellContext(msg.command, msg.res.Output, exit))
	t.Emit(strings.Join(look.WrapWords("    "+m.st.Dim.Render("(the output goes to the model with your next message)"), m.width), "\n"))
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

// addNote appends a #note to ./CLAUDE.md, the project memory, through the Host.
func (m *Model) addNote(note string) {
	m.transcript.Gap()
	m.transcript.Emit(m.st.User.Render("# " + note))
	if note == "" {
		m.say(m.st.Dim.Render("Type a note after #, e.g. # run the tests with make test"))
		return
	}
	if err := m.host.AddNote(note); err != nil {
		m.say(m.st.Bad.Render(err.Error()))
		return
	}
	m.say(m.st.OK.Render("Noted in ./CLAUDE.md") + m.st.Dim.Render(" (project memory: every new session reads it; this one is told with your next message)"))
	m.extra = append(m.extra, "The user added this note to the project memory (./CLAUDE.md): "+note)
}

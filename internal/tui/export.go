package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/tui/look"
	"github.com/strata-agent/strata/internal/tui/transcript"
)

// exportResultLines is how much of a tool's result a markdown export keeps: enough to follow
// the conversation, not the whole of every file the model read.
const exportResultLines = 20

// cmdExport writes the conversation out: "/export" saves the screen's text to
// strata-<session>.txt, "/export NAME.md" saves the conversation as markdown, any other NAME
// as the screen's text, and "/export clipboard" copies the markdown to the clipboard. A file
// that exists is never overwritten.
func (m *Model) cmdExport(arg string) tea.Cmd {
	if arg == "clipboard" {
		text := m.conversationMarkdown()
		m.say(fmt.Sprintf("Copied the conversation as markdown (%s) to the clipboard", look.Plural(strings.Count(text, "\n"), "line")),
			m.st.Dim.Render("  through the terminal (OSC 52): a terminal or tmux that does not pass it on leaves the clipboard as it was"))
		return tea.SetClipboard(text)
	}
	name := arg
	if name == "" {
		name = "strata-" + m.sessID + ".txt"
	}
	if !filepath.IsAbs(name) {
		name = filepath.Join(m.opts.Cwd, name)
	}
	text, kind := m.transcript.Text(), "as shown"
	if ext := strings.ToLower(filepath.Ext(name)); ext == ".md" || ext == ".markdown" {
		text, kind = m.conversationMarkdown(), "as markdown"
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err == nil {
		_, err = f.WriteString(text)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		m.say(m.st.Bad.Render("Not exported: " + err.Error()))
		return nil
	}
	m.say("Exported the conversation " + kind + " to " + m.st.Bold.Render(name))
	return nil
}

// conversationMarkdown is the conversation the model has (since the last compaction) as
// markdown: each prompt under a heading, the answers as the model wrote them, each tool call
// as a line with the start of its result in a fenced block. Control sequences are shown,
// not kept, as everywhere else.
func (m *Model) conversationMarkdown() string {
	var msgs []llm.Message
	if h, ok := m.sess.(interface{ Messages() []llm.Message }); ok {
		msgs = h.Messages()
	}
	var b strings.Builder
	b.WriteString("# strata conversation " + m.sessID + "\n")
	for _, msg := range msgs {
		for _, c := range msg.Content {
			writeBlockMarkdown(&b, msg.Role, c)
		}
	}
	return b.String()
}

func writeBlockMarkdown(b *strings.Builder, role string, c llm.ContentBlock) {
	switch {
	case role == llm.RoleUser && c.Type == llm.TypeText && transcript.IsPrompt(c.Text):
		fmt.Fprintf(b, "\n## You\n\n%s\n", look.Visible(c.Text))
	case role == llm.RoleAssistant && c.Type == llm.TypeText && strings.TrimSpace(c.Text) != "":
		fmt.Fprintf(b, "\n%s\n", look.Visible(c.Text))
	case c.Type == llm.TypeToolUse:
		fmt.Fprintf(b, "\n**%s** `%s`\n", c.Name, look.Visible(string(c.Input)))
	case c.Type == llm.TypeToolResult:
		var parts []string
		for _, p := range c.Content {
			if p.Type == llm.TypeText {
				parts = append(parts, p.Text)
			}
		}
		lines := strings.Split(strings.TrimRight(look.Visible(strings.Join(parts, "\n")), "\n"), "\n")
		if len(lines) > exportResultLines {
			lines = append(lines[:exportResultLines], fmt.Sprintf("… %s more", look.Plural(len(lines)-exportResultLines, "line")))
		}
		label := "Result"
		if c.IsError {
			label = "Error"
		}
		fmt.Fprintf(b, "\n%s:\n\n````\n%s\n````\n", label, strings.Join(lines, "\n"))
	}
}

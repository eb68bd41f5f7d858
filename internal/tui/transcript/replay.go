package transcript

import (
	"fmt"
	"strings"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/tui/look"
)

// replayPrompts is how many of the last prompts a replay shows with what followed them; the
// earlier part of a long conversation is summed up in one line.
const replayPrompts = 10

// Replay prints a saved conversation the session continues (-c, -r, /resume) as it looked:
// the user's prompts, the answers, the tool calls with the start of their results. A long
// conversation shows only its last replayPrompts prompts.
func (t *Transcript) Replay(msgs []llm.Message) {
	starts := promptStarts(msgs)
	from := 0
	if len(starts) > replayPrompts {
		from = starts[len(starts)-replayPrompts]
		t.Gap()
		t.Emit(t.st.Dim.Render(fmt.Sprintf("  … %s and %s before these are not shown; the model still has them",
			look.Plural(len(starts)-replayPrompts, "earlier prompt"), look.Plural(from, "message"))))
	}
	uses := map[string]*llm.ContentBlock{}
	for _, m := range msgs[from:] {
		for i := range m.Content {
			b := &m.Content[i]
			switch {
			case m.Role == llm.RoleAssistant && b.Type == llm.TypeText && strings.TrimSpace(b.Text) != "":
				t.Gap()
				t.Emit(t.md.render(b.Text, t.width-2))
			case b.Type == llm.TypeToolUse:
				uses[b.ID] = b
			case b.Type == llm.TypeToolResult && uses[b.ToolUseID] != nil:
				t.replayResult(uses[b.ToolUseID], b)
			case m.Role == llm.RoleUser && b.Type == llm.TypeText && isPrompt(b.Text):
				t.Entry(look.Visible(b.Text), "")
			}
		}
	}
	t.Gap()
	t.Emit(t.st.Dim.Render(strings.Repeat("─", max(t.width/3, 10)) + " resumed here"))
}

func (t *Transcript) replayResult(use, res *llm.ContentBlock) {
	var text []string
	images := 0
	for _, c := range res.Content {
		switch c.Type {
		case llm.TypeText:
			text = append(text, c.Text)
		case llm.TypeImage:
			images++
		}
	}
	if block := t.toolBlock(use, Result{Text: strings.Join(text, "\n"), IsError: res.IsError, Images: images}); block != "" {
		t.Gap()
		t.Emit(block)
	}
}

// promptStarts are the indexes of the messages that hold a prompt the user typed.
func promptStarts(msgs []llm.Message) []int {
	var out []int
	for i, m := range msgs {
		if m.Role != llm.RoleUser {
			continue
		}
		for _, b := range m.Content {
			if b.Type == llm.TypeText && isPrompt(b.Text) {
				out = append(out, i)
				break
			}
		}
	}
	return out
}

// IsPrompt reports whether a text block of a user message is what the user typed (/rewind
// puts it back in the input box).
func IsPrompt(text string) bool { return isPrompt(text) }

// isPrompt tells what the user typed from what strata added to a user message: reminders,
// attached files, the output of !commands, a compaction's summary.
func isPrompt(text string) bool {
	text = strings.TrimSpace(text)
	for _, p := range []string{"<system-reminder>", "Called the Read tool", "Result of calling the",
		"The user ran a shell command themselves", "The user added this note", "This session continues an earlier conversation",
		"These are the project's instruction files"} {
		if strings.HasPrefix(text, p) {
			return false
		}
	}
	return text != ""
}

package transcript

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/strata-agent/strata/internal/tui/look"
)

// TestCodeBlocksAreColouredByLanguage: a closed ```go block is coloured by token, one in an
// unknown language or still streaming (no closing fence) keeps the plain code colour, and an
// escape sequence inside a block is shown, not obeyed, in every case.
func TestCodeBlocksAreColouredByLanguage(t *testing.T) {
	md := newMarkdown(look.NewStyles())
	plain := look.NewStyles().Code.Render("return 1")
	for _, tt := range []struct {
		name, src string
		coloured  bool
	}{
		{"go", "```go\nreturn 1 // \x1b]52;c;ZXZpbA==\x07\x1b[2J\n```", true},
		{"unknown language", "```brainfuck\nreturn 1\n```", false},
		{"streaming", "```go\nreturn 1", false},
		{"python with a title", "~~~python title=x.py\nreturn 1\n~~~", true},
	} {
		out := md.render(tt.src, 80)
		if got := strings.Contains(out, "\x1b[35mreturn"); got != tt.coloured {
			t.Errorf("%s: keyword coloured %v, want %v: %q", tt.name, got, tt.coloured, out)
		}
		if !tt.coloured && !strings.Contains(out, plain) {
			t.Errorf("%s: not drawn in the plain code colour: %q", tt.name, out)
		}
		if strings.Contains(out, "\x1b]") || strings.Contains(out, "\x1b[2J") || strings.Contains(out, "\x07") {
			t.Errorf("%s: a control sequence from the code reached the terminal: %q", tt.name, out)
		}
		if tt.name == "go" && !strings.Contains(ansi.Strip(out), "␛]52;c;ZXZpbA==^G␛[2J") {
			t.Errorf("%s: the escape sequences are not shown: %q", tt.name, ansi.Strip(out))
		}
	}
}

// TestReplayedAnswersAreMadeVisible: an answer read back from a transcript (not streamed,
// so not made visible on the way in) cannot send the terminal an escape sequence either.
func TestReplayedAnswersAreMadeVisible(t *testing.T) {
	out := newMarkdown(look.NewStyles()).render("title \x1b]0;pwned\x07 and **bold**", 80)
	if strings.Contains(out, "\x1b]") || strings.Contains(out, "\x07") || !strings.Contains(ansi.Strip(out), "␛]0;pwned^G") {
		t.Errorf("the escape sequence is not neutralised: %q", out)
	}
}

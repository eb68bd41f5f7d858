// Package transcript is the part of the terminal UI that shows the conversation: finished
// output goes to the terminal's scrollback through a print queue, in the order it happened,
// and the live area shows what is still changing — the unfinished paragraph of a streaming
// answer, the tool calls running, the thinking in progress.
//
// It is a package of its own so that its queue and the state of the streaming answer have one
// owner: the rest of the UI can only hand it events and text, and ask for its view.
package transcript

import (
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/strata-agent/strata/internal/tui/look"
)

// PrintedMsg says that the print in flight has reached the terminal; the model hands it back
// through Printed.
type PrintedMsg struct{}

// Transcript is the scrollback being written and the live view of the turn in progress. Its
// methods run on the UI's goroutine only.
type Transcript struct {
	st    look.Styles
	md    *markdown
	now   func() time.Time
	print func(text string) tea.Cmd

	width, height int
	room          int // terminal rows one print may take; 0: no limit

	// Output waiting to be printed, in order; one print is in flight at a time.
	queue     []string
	printing  bool
	lastBlank bool // the last line queued is empty

	log      strings.Builder // everything emitted, without styles (/export)
	turn     turnState
	thinking string // the latest finished thinking, for Ctrl-O
}

// New returns an empty transcript for a terminal of the given size.
func New(st look.Styles, width, height int, now func() time.Time) *Transcript {
	return &Transcript{st: st, md: newMarkdown(st), now: now, width: width, height: height,
		print: func(text string) tea.Cmd { return tea.Println(text) }}
}

// SetPrinter replaces how text reaches the scrollback (tests capture it).
func (t *Transcript) SetPrinter(print func(text string) tea.Cmd) { t.print = print }

// Resize follows the terminal's size; what is printed from now on fits it.
func (t *Transcript) Resize(width, height int) { t.width, t.height = width, height }

// Emit queues finished text for the scrollback.
func (t *Transcript) Emit(text string) {
	t.queue = append(t.queue, text)
	t.lastBlank = text == ""
	t.log.WriteString(ansi.Strip(text) + "\n")
}

// Text is everything emitted so far as plain text, for /export.
func (t *Transcript) Text() string { return t.log.String() }

// Gap puts one empty line between items in the scrollback.
func (t *Transcript) Gap() {
	if !t.lastBlank {
		t.Emit("")
	}
}

// Entry prints what the user entered, as a new item: "> text", continued lines indented.
func (t *Transcript) Entry(text, suffix string) {
	t.Gap()
	t.Emit(look.PaintLines(t.st.User, look.PrefixLines("> ", "  ", text)) + suffix)
}

// Say prints an answer under the entry before it ("  ⎿ …"), wrapped to the width.
func (t *Transcript) Say(text ...string) {
	var out []string
	for i, l := range strings.Split(strings.Join(text, "\n"), "\n") {
		first := "    "
		if i == 0 {
			first = "  ⎿ "
		}
		out = append(out, look.WrapIndent(l, t.width, first, "      ")...)
	}
	t.Emit(strings.Join(out, "\n"))
}

// SetRoom says how many terminal rows one print may take: the rows the live area leaves free.
// Bubble Tea's inline renderer makes room for a print by scrolling the screen above the live
// area; a print taller than that room pushes the live area (the input box, the footer) off
// the screen, so longer output goes out in pieces that fit.
func (t *Transcript) SetRoom(rows int) { t.room = max(rows, 1) }

// Next adds the next print to cmd. Prints go one at a time, each followed by PrintedMsg, so
// that the scrollback keeps the order things happened in.
func (t *Transcript) Next(cmd tea.Cmd) tea.Cmd {
	if t.printing || len(t.queue) == 0 {
		return cmd
	}
	text, rest := fitRows(strings.Join(t.queue, "\n"), t.room, t.width)
	t.queue, t.printing = nil, true
	if rest != "" {
		t.queue = []string{rest}
	}
	return tea.Batch(cmd, tea.Sequence(t.print(text), func() tea.Msg { return PrintedMsg{} }))
}

// fitRows splits text after the lines that fill at most room rows of a terminal width
// columns wide (a line wider than that takes more); at least one line goes first. room 0
// takes everything.
func fitRows(text string, room, width int) (first, rest string) {
	if room <= 0 {
		return text, ""
	}
	lines := strings.Split(text, "\n")
	rows := 0
	for i, l := range lines {
		rows += 1 + max(ansi.StringWidth(l)-1, 0)/max(width, 1)
		if rows > room && i > 0 {
			return strings.Join(lines[:i], "\n"), strings.Join(lines[i:], "\n")
		}
	}
	return text, ""
}

// Printed notes that the print in flight is done.
func (t *Transcript) Printed() { t.printing = false }

// Settled reports whether everything queued has been printed.
func (t *Transcript) Settled() bool { return !t.printing && len(t.queue) == 0 }

// Queued is the text waiting to be printed (tests read it).
func (t *Transcript) Queued() string { return strings.Join(t.queue, "\n") }

// FlushAll prints everything still pending at once, for the way out.
func (t *Transcript) FlushAll() tea.Cmd {
	t.Flush()
	if len(t.queue) == 0 {
		return nil
	}
	text := strings.Join(t.queue, "\n")
	t.queue = nil
	return t.print(text)
}

// Width is the width the transcript writes for.
func (t *Transcript) Width() int { return t.width }

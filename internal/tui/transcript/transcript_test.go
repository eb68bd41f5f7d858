package transcript

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/strata-agent/strata/internal/agent"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tui/look"
)

func TestMarkdownRendering(t *testing.T) {
	md := newMarkdown(look.NewStyles())
	tests := []struct {
		name, in string
		want     []string
		unwanted []string
	}{
		{"heading", "## Steps", []string{"Steps"}, []string{"#"}},
		{"bullets", "- one\n* two", []string{"• one", "• two"}, nil},
		{"numbers", "1. first\n2. second", []string{"1. first", "2. second"}, nil},
		{"emphasis", "a **b** _c_ *d* snake_case_name", []string{"a b c d snake_case_name"}, []string{"*", "__"}},
		{"link", "see [docs](https://example.com)", []string{"see docs (https://example.com)"}, []string{"]("}},
		{"code fence kept verbatim", "```\n**not bold**\n```", []string{"  **not bold**"}, []string{"```"}},
		{"quote", "> careful", []string{"│ careful"}, nil},
		{"rule", "---", []string{"───"}, nil},
		{"wraps", strings.Repeat("word ", 30), []string{"word word"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ansi.Strip(md.render(tt.in, 40))
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("render(%q) = %q, want %q in it", tt.in, got, w)
				}
			}
			for _, u := range tt.unwanted {
				if strings.Contains(got, u) {
					t.Errorf("render(%q) = %q, has %q", tt.in, got, u)
				}
			}
			for _, line := range strings.Split(got, "\n") {
				if w := len([]rune(line)); w > 40 {
					t.Errorf("line wider than 40: %q", line)
				}
			}
		})
	}
}

func TestCompleteParagraphs(t *testing.T) {
	tests := []struct{ in, done string }{
		{"one\n\ntwo", "one\n\n"},
		{"no break yet", ""},
		{"```\ncode\n\nstill code", ""},
		{"```\ncode\n```\nafter", "```\ncode\n```\n"},
		{"a\n\n```\nx\n\ny", "a\n\n"},
	}
	for _, tt := range tests {
		done, rest := completeParagraphs(tt.in)
		if done != tt.done || done+rest != tt.in {
			t.Errorf("completeParagraphs(%q) = %q, %q; want done %q", tt.in, done, rest, tt.done)
		}
	}
}

func FuzzMarkdown(f *testing.F) {
	for _, s := range []string{"# a\n\n- b **c**\n```x\ny\n", "*_`[x](y)`_*", "> q\n1. z"} {
		f.Add(s)
	}
	md := newMarkdown(look.NewStyles())
	f.Fuzz(func(t *testing.T, s string) {
		done, rest := completeParagraphs(s)
		if done+rest != s {
			t.Fatalf("split lost text: %q + %q != %q", done, rest, s)
		}
		_ = md.render(s, 30)
	})
}

// fixedClock is a clock the test moves by hand.
type fixedClock struct{ t time.Time }

func (c *fixedClock) now() time.Time { return c.t }

// capture is a transcript whose prints are collected in order.
func capture(width int) (*Transcript, *[]string, *fixedClock) {
	clock := &fixedClock{time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)}
	tr := New(look.NewStyles(), width, 30, clock.now)
	var printed []string
	tr.SetPrinter(func(s string) tea.Cmd {
		printed = append(printed, ansi.Strip(s))
		return nil
	})
	return tr, &printed, clock
}

// run executes what Next returned the way Bubble Tea would, in order, and hands PrintedMsg
// back; it reports whether a print was in it.
func run(tr *Transcript, cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	printed := false
	var exec func(tea.Cmd)
	exec = func(c tea.Cmd) {
		if c == nil {
			return
		}
		msg := c()
		if _, ok := msg.(PrintedMsg); ok {
			tr.Printed()
			printed = true
			return
		}
		// A batch or a sequence is a slice of commands (Bubble Tea's sequence type is
		// unexported); run them in order.
		if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeFor[tea.Cmd]() {
			for i := range v.Len() {
				exec(v.Index(i).Interface().(tea.Cmd))
			}
		}
	}
	exec(cmd)
	return printed
}

func TestPrintsGoOneAtATimeInOrder(t *testing.T) {
	tr, printed, _ := capture(80)
	tr.Emit("one")
	tr.Emit("two")
	first := tr.Next(nil)
	tr.Emit("three")
	if again := tr.Next(nil); again != nil {
		t.Fatal("a second print started while one was in flight")
	}
	if !run(tr, first) || strings.Join(*printed, "|") != "one\ntwo" {
		t.Fatalf("printed %q", *printed)
	}
	if tr.Settled() {
		t.Fatal("settled with text still queued")
	}
	run(tr, tr.Next(nil))
	if strings.Join(*printed, "|") != "one\ntwo|three" || !tr.Settled() {
		t.Errorf("printed %q, settled %v", *printed, tr.Settled())
	}
}

func TestGapPutsOneBlankLineBetweenItems(t *testing.T) {
	tr, _, _ := capture(80)
	tr.Emit("a")
	tr.Gap()
	tr.Gap()
	tr.Entry("b\nc", "")
	if got := ansi.Strip(tr.Queued()); got != "a\n\n> b\n  c" {
		t.Errorf("queued %q", got)
	}
}

func streamEvent(ev llm.Event) agent.Event { return agent.Event{Kind: agent.EventStream, Stream: &ev} }

func TestStreamingKeepsTheUnfinishedParagraphLive(t *testing.T) {
	tr, _, _ := capture(80)
	tr.StartTurn()
	tr.OnEvent(streamEvent(llm.Event{Type: llm.EventContentBlockStart, ContentBlock: &llm.ContentBlock{Type: llm.TypeText}}))
	tr.OnEvent(streamEvent(llm.Event{Type: llm.EventContentBlockDelta, Delta: &llm.Delta{Type: llm.DeltaText, Text: "First.\n\nSecond, still"}}))
	if q := ansi.Strip(tr.Queued()); !strings.Contains(q, "First.") || strings.Contains(q, "Second") {
		t.Fatalf("queued %q", q)
	}
	if v := ansi.Strip(tr.View()); !strings.Contains(v, "Second, still") {
		t.Fatalf("live view %q", v)
	}
	tr.OnEvent(streamEvent(llm.Event{Type: llm.EventContentBlockStop}))
	if v := tr.View(); v != "" {
		t.Errorf("live view after the block %q", v)
	}
	if q := ansi.Strip(tr.Queued()); !strings.Contains(q, "Second, still") {
		t.Errorf("queued %q", q)
	}
}

func TestRunningToolsShowTheirTime(t *testing.T) {
	tr, _, clock := capture(80)
	use := &llm.ContentBlock{Type: llm.TypeToolUse, ID: "t1", Name: "Bash", Input: []byte(`{"command":"make"}`)}
	tr.OnEvent(agent.Event{Kind: agent.EventToolStart, ToolUse: use})
	clock.t = clock.t.Add(3 * time.Second)
	if v := ansi.Strip(tr.View()); !strings.Contains(v, "Bash(make) 3s") {
		t.Fatalf("live view %q", v)
	}
	tr.OnEvent(agent.Event{Kind: agent.EventToolResult, ToolUse: use, Result: &tool.Result{Text: "ok"}})
	if v := tr.View(); v != "" {
		t.Errorf("a finished tool is still live: %q", v)
	}
	if q := ansi.Strip(tr.Queued()); !strings.Contains(q, "● Bash(make)\n  ⎿ ok") {
		t.Errorf("queued %q", q)
	}
}

func TestToolDiffIsColoured(t *testing.T) {
	tr, _, _ := capture(80)
	st := look.NewStyles()
	got := tr.toolBlock(&llm.ContentBlock{Name: "Write", Input: []byte(`{"file_path":"x"}`)}, Result{Display: "+added\n-removed\n"})
	add, rm := st.Added.Render("+added"), st.Removed.Render("-removed")
	if add == "+added" {
		t.Skip("no colour in this environment")
	}
	if !strings.Contains(got, add) || !strings.Contains(got, rm) {
		t.Errorf("diff lines are not coloured: %q", got)
	}
}

// TestPrintsFitTheRoom: output taller than the room the live area leaves goes out in pieces
// that fit it, counting the rows a line wider than the terminal takes, in order and whole.
func TestPrintsFitTheRoom(t *testing.T) {
	tr := New(look.NewStyles(), 10, 12, time.Now)
	var prints []string
	tr.SetPrinter(func(text string) tea.Cmd {
		prints = append(prints, text)
		return nil
	})
	tr.SetRoom(3)
	tr.Emit("one\ntwo\nthree\nfour")
	tr.Emit(strings.Repeat("x", 15)) // two rows at 10 columns
	tr.Emit("six")
	for !tr.Settled() {
		tr.Next(nil)
		tr.Printed()
	}
	want := []string{"one\ntwo\nthree", "four\n" + strings.Repeat("x", 15), "six"}
	if strings.Join(prints, "|") != strings.Join(want, "|") {
		t.Errorf("prints %q, want %q", prints, want)
	}
}

// TestReplayShowsTheLastPrompts: a resumed conversation is shown as it looked — prompts,
// answers, tool calls — leaving out what strata added to the user's messages, and a long one
// only from its last replayPrompts prompts, the rest counted; a TodoWrite call adds no line.
func TestReplayShowsTheLastPrompts(t *testing.T) {
	tr := New(look.NewStyles(), 80, 24, time.Now)
	var msgs []llm.Message
	for i := range replayPrompts + 2 {
		msgs = append(msgs,
			llm.Message{Role: llm.RoleUser, Content: []llm.ContentBlock{llm.TextBlock("These are the project's instruction files"),
				llm.TextBlock(fmt.Sprintf("prompt %d", i))}},
			llm.Message{Role: llm.RoleAssistant, Content: []llm.ContentBlock{llm.TextBlock(fmt.Sprintf("answer %d", i)),
				{Type: llm.TypeToolUse, ID: fmt.Sprint("t", i), Name: "TodoWrite", Input: []byte(`{"todos": []}`)}}},
			llm.Message{Role: llm.RoleUser, Content: []llm.ContentBlock{llm.ToolResultBlock(fmt.Sprint("t", i), "ok", false)}})
	}
	tr.Replay(msgs)
	out := ansi.Strip(tr.Queued())
	for _, want := range []string{"… 2 earlier prompts and 6 messages before these are not shown", "> prompt 2", "answer 11", "resumed here"} {
		if !strings.Contains(out, want) {
			t.Errorf("the replay lacks %q:\n%s", want, out)
		}
	}
	for _, unwanted := range []string{"prompt 1\n", "answer 1\n", "instruction files", "TodoWrite"} {
		if strings.Contains(out, unwanted) {
			t.Errorf("the replay shows %q:\n%s", unwanted, out)
		}
	}
}

func TestMarkdownTables(t *testing.T) {
	md := newMarkdown(look.NewStyles())
	src := "Results:\n\n| Name | Status |\n|------|:------:|\n| `build` | **ok** |\n| a very long test name here | failed \\| flaky |\n\nDone."
	got := ansi.Strip(md.render(src, 40))
	want := `Results:

┌─────────────────────┬────────────────┐
│ Name                │ Status         │
├─────────────────────┼────────────────┤
│ build               │ ok             │
│ a very long test n… │ failed | flaky │
└─────────────────────┴────────────────┘

Done.`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	for _, l := range strings.Split(got, "\n") {
		if ansi.StringWidth(l) > 40 {
			t.Errorf("line wider than 40: %q", l)
		}
	}
}

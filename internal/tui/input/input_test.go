package input

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

func TestHistoryKeepsTheNewestAndRewritesALongFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.jsonl")
	h := loadHistory(path)
	for i := 0; i < historyKeep+20; i++ {
		h.add(fmt.Sprintf("prompt %d", i))
	}
	h.add(fmt.Sprintf("prompt %d", historyKeep+19)) // a repeat is not stored twice
	again := loadHistory(path)
	if len(again.entries) != historyKeep || again.entries[0] != "prompt 20" || !strings.HasSuffix(again.entries[historyKeep-1], fmt.Sprint(historyKeep+19)) {
		t.Fatalf("%d entries, first %q", len(again.entries), again.entries[0])
	}
	if third := loadHistory(path); len(third.entries) != historyKeep {
		t.Errorf("the rewritten file holds %d entries", len(third.entries))
	}
}

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func press(in *Input, keys ...string) (Action, string) {
	var act Action
	var text string
	for _, k := range keys {
		var msg tea.KeyPressMsg
		switch k {
		case "enter":
			msg = tea.KeyPressMsg{Code: tea.KeyEnter}
		case "up":
			msg = tea.KeyPressMsg{Code: tea.KeyUp}
		case "down":
			msg = tea.KeyPressMsg{Code: tea.KeyDown}
		case "ctrl+c", "ctrl+d":
			msg = tea.KeyPressMsg{Code: rune(k[len(k)-1]), Mod: tea.ModCtrl}
		default:
			for _, r := range k {
				act, text, _ = in.Key(tea.KeyPressMsg{Code: r, Text: string(r)})
			}
			continue
		}
		act, text, _ = in.Key(msg)
	}
	return act, text
}

func TestEnterSubmitsAndABackslashContinues(t *testing.T) {
	in := New(80, "", time.Now)
	if act, _ := press(in, `one\`, "enter"); act != None || in.Value() != "one\n" {
		t.Fatalf("after a backslash: %v, %q", act, in.Value())
	}
	act, text := press(in, "two", "enter")
	if act != Submit || text != "one\ntwo" || in.Value() != "" {
		t.Errorf("submit: %v, %q, box %q", act, text, in.Value())
	}
}

func TestCtrlCClearsThenArmsThenQuits(t *testing.T) {
	c := &clock{time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	in := New(80, "", c.now)
	press(in, "draft")
	if act, _ := press(in, "ctrl+c"); act != None || in.Value() != "" {
		t.Fatalf("Ctrl-C with text: %v, %q", act, in.Value())
	}
	if act, _ := press(in, "ctrl+c"); act != Armed || in.Hint() == "" {
		t.Fatalf("first Ctrl-C on an empty box: %v, hint %q", act, in.Hint())
	}
	c.t = c.t.Add(CtrlCWindow + time.Second)
	if act, _ := press(in, "ctrl+c"); act != Armed {
		t.Fatalf("a Ctrl-C long after the first: %v", act)
	}
	in.Disarm()
	if act, _ := press(in, "ctrl+c"); act != Armed {
		t.Fatalf("a Ctrl-C after another key: %v", act)
	}
	if act, _ := press(in, "ctrl+c"); act != Quit {
		t.Errorf("two Ctrl-C in a row: %v", act)
	}
	if act, _ := press(New(80, "", c.now), "ctrl+d"); act != Quit {
		t.Errorf("Ctrl-D on an empty box: %v", act)
	}
}

func TestUpAndDownBrowseTheHistory(t *testing.T) {
	in := New(80, "", time.Now)
	in.Remember("first")
	in.Remember("second")
	press(in, "dra")
	press(in, "up")
	press(in, "up")
	if in.Value() != "first" {
		t.Fatalf("after up, up: %q", in.Value())
	}
	press(in, "down", "down")
	if in.Value() != "dra" {
		t.Errorf("back to the draft: %q", in.Value())
	}
}

func TestLentBoxGivesTheDraftBack(t *testing.T) {
	in := New(80, "", time.Now)
	press(in, "half a prompt")
	in.Lend("Why not?")
	if in.Value() != "" || in.ta.Placeholder != "Why not?" {
		t.Fatalf("lent box: %q", in.Value())
	}
	press(in, "a reason")
	in.Return()
	in.Return() // a second Return changes nothing
	if in.Value() != "half a prompt" || in.ta.Placeholder != Placeholder {
		t.Errorf("after return: %q", in.Value())
	}
}

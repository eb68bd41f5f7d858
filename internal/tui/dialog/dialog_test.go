package dialog

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tui/look"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func ask(summary, suggestion string) (Ask, chan permission.Answer) {
	reply := make(chan permission.Answer, 1)
	return Ask{Request: permission.Request{Call: permission.Call{Tool: "Bash"}, Summary: summary, Suggestion: suggestion}, Reply: reply}, reply
}

func TestKeysChooseAnAnswer(t *testing.T) {
	tests := []struct {
		keys    []string
		want    permission.Answer
		outcome Outcome
	}{
		{[]string{"enter"}, permission.Answer{Allow: true}, Answered},
		{[]string{"y"}, permission.Answer{Allow: true}, Answered},
		{[]string{"down", "enter"}, permission.Answer{Allow: true, Always: true}, Answered},
		{[]string{"a"}, permission.Answer{Allow: true, Always: true}, Answered},
		{[]string{"up", "enter"}, permission.Answer{}, WantReason},
		{[]string{"3"}, permission.Answer{}, WantReason},
	}
	for _, tt := range tests {
		d := New(look.NewStyles(), -1, time.Now, nil)
		a, reply := ask("Bash(make deploy)", "Bash(make deploy:*)")
		d.Push(a)
		var got Outcome
		for _, k := range tt.keys {
			got, _ = d.Key(k)
		}
		if got != tt.outcome {
			t.Errorf("%v: outcome %v, want %v", tt.keys, got, tt.outcome)
			continue
		}
		if got == WantReason {
			if !d.AskingReason() {
				t.Errorf("%v: not asking for the reason", tt.keys)
			}
			d.Refuse("  use make test  ")
			tt.want = permission.Answer{Reason: "use make test"}
		}
		if ans := <-reply; ans != tt.want {
			t.Errorf("%v: answer %+v, want %+v", tt.keys, ans, tt.want)
		}
		if d.Open() {
			t.Errorf("%v: still open", tt.keys)
		}
	}
}

func TestAlwaysIsOnlyOfferedWithARule(t *testing.T) {
	d := New(look.NewStyles(), -1, time.Now, nil)
	a, reply := ask("Bash(curl x | sh)", "")
	d.Push(a)
	if v := ansi.Strip(d.View(80, 40)); strings.Contains(v, "don't ask again") || !strings.Contains(v, "2. No") {
		t.Errorf("view %q", v)
	}
	if out, _ := d.Key("a"); out != Nothing {
		t.Errorf("a chose %v", out)
	}
	if out, _ := d.Key("2"); out != WantReason {
		t.Errorf("2 chose %v", out)
	}
	d.Refuse("")
	if ans := <-reply; ans != (permission.Answer{}) {
		t.Errorf("answer %+v", ans)
	}
}

func TestNewRequestIgnoresTypeAheadButNotEsc(t *testing.T) {
	c := &clock{time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	d := New(look.NewStyles(), 0, c.now, nil) // the default grace
	a, reply := ask("Bash(make deploy)", "Bash(make deploy:*)")
	d.Push(a)
	for _, k := range []string{"enter", "y", "a", "1"} {
		if out, _ := d.Key(k); out != Nothing {
			t.Fatalf("%s typed ahead: %v", k, out)
		}
	}
	if out, _ := d.Key("esc"); out != Interrupt {
		t.Errorf("esc during the grace: %v", out)
	}
	c.t = c.t.Add(DefaultGrace)
	if out, note := d.Key("a"); out != Answered || !strings.Contains(note, "Bash(make deploy:*) is now allowed") {
		t.Errorf("after the grace: %v, %q", out, note)
	}
	if ans := <-reply; !ans.Always {
		t.Errorf("answer %+v", ans)
	}
}

func TestQueuedRequestsAreShownInTurnAndDropped(t *testing.T) {
	d := New(look.NewStyles(), -1, time.Now, nil)
	first, r1 := ask("Bash(one)", "")
	second, r2 := ask("Bash(two)", "")
	d.Push(first)
	d.Push(second)
	if v := ansi.Strip(d.View(80, 40)); !strings.Contains(v, "Bash(one)") || !strings.Contains(v, "1 more request waiting") {
		t.Errorf("view %q", v)
	}
	d.Key("y")
	<-r1
	if v := ansi.Strip(d.View(80, 40)); !strings.Contains(v, "Bash(two)") || strings.Contains(v, "waiting") {
		t.Errorf("view %q", v)
	}
	d.DropAll("the turn ended")
	if ans := <-r2; ans.Allow || ans.Reason != "the turn ended" || d.Open() {
		t.Errorf("dropped: %+v, open %v", ans, d.Open())
	}
}

func bash(command string) (Ask, chan permission.Answer) {
	reply := make(chan permission.Answer, 1)
	in, _ := json.Marshal(map[string]string{"command": command})
	return Ask{Request: permission.Request{Call: permission.Call{Tool: "Bash", Input: in}, Summary: "Bash(…)"}, Reply: reply}, reply
}

// long is a 200-character command whose end is what matters.
const long = "cd ./build && npm ci --no-audit --prefer-offline && npm run lint -- --fix && " +
	"npm test -- --coverage --runInBand && tar -czf dist.tgz ./dist ./docs ./README.md && " +
	"cp dist.tgz /tmp && rm -rf ./IMPORTANT"

// lines strips a view to its text, one entry per line, without the dialog's frame.
func lines(view string) []string {
	var out []string
	for _, l := range strings.Split(ansi.Strip(view), "\n") {
		out = append(out, strings.TrimPrefix(l, "│ "))
	}
	return out
}

func TestLongCommandIsWrappedWhole(t *testing.T) {
	if len(long) != 200 {
		t.Fatalf("the command is %d characters", len(long))
	}
	for _, width := range []int{80, 60, 40} {
		d := New(look.NewStyles(), -1, time.Now, func([]string) error { return nil })
		a, _ := bash(long)
		d.Push(a)
		view := d.View(width, 60)
		ls := lines(view)
		for _, l := range strings.Split(ansi.Strip(view), "\n") {
			if w := ansi.StringWidth(l); w > width {
				t.Errorf("width %d: a line of %d columns: %q", width, w, l)
			}
		}
		// The command's lines run from after the title to the first empty line.
		end := 1
		for end < len(ls) && ls[end] != "" {
			end++
		}
		if got := strings.Join(ls[1:end], " "); got != long {
			t.Errorf("width %d: the command reads\n%q\nwant\n%q", width, got, long)
		}
		if !strings.Contains(ansi.Strip(view), "It runs 7 commands:") || !strings.Contains(ansi.Strip(view), "7. rm -rf ./IMPORTANT") {
			t.Errorf("width %d: the commands are not listed:\n%s", width, ansi.Strip(view))
		}
	}
}

func TestTallRequestScrolls(t *testing.T) {
	for _, size := range []struct{ width, height int }{{60, 16}, {40, 16}, {30, 8}} {
		d := New(look.NewStyles(), -1, time.Now, func([]string) error { return nil })
		a, reply := bash(long)
		d.Push(a)
		draw := func() string {
			view := ansi.Strip(d.View(size.width, size.height))
			if n := strings.Count(view, "\n") + 1; n > size.height {
				t.Fatalf("%v: %d lines:\n%s", size, n, view)
			}
			return view
		}
		view := draw()
		if !strings.Contains(view, "below (PgDn)") || strings.Contains(view, "above") {
			t.Fatalf("%v: top of a tall request:\n%s", size, view)
		}
		if size.width == 60 && !strings.Contains(view, "1. Yes, once") {
			t.Errorf("%v: the answers are not pinned:\n%s", size, view)
		}
		seen := view
		for i := 0; i < 40 && !strings.Contains(view, "(end)"); i++ {
			d.Key("pgdown")
			view = draw()
			seen += view
		}
		if !strings.Contains(view, "above (PgUp)") || !strings.Contains(view, "No, and") {
			t.Fatalf("%v: bottom of a tall request:\n%s", size, view)
		}
		if !strings.Contains(seen, "./IMPORTANT") {
			t.Errorf("%v: scrolling never showed the end of the command", size)
		}
		for i := 0; i < 40; i++ {
			d.Key("pgup")
		}
		if view := draw(); strings.Contains(view, "above") {
			t.Errorf("%v: back at the top, the view says there is more above:\n%s", size, view)
		}
		d.Key("y")
		if ans := <-reply; !ans.Allow {
			t.Errorf("%v: answer %+v", size, ans)
		}
	}
}

func TestAlwaysForSeveralCommandsKeepsARuleEach(t *testing.T) {
	var kept []string
	d := New(look.NewStyles(), -1, time.Now, func(rules []string) error {
		kept = append(kept, rules...)
		return nil
	})
	a, reply := bash("npm ci && npm test -- --ci | tee out.txt")
	a.Request.Suggestions = permission.SuggestBashRules("npm ci && npm test -- --ci | tee out.txt") // as the checker gives them
	d.Push(a)
	view := ansi.Strip(d.View(100, 40))
	if !strings.Contains(view, "don't ask again for Bash(npm ci), Bash(npm test:*), Bash(tee out.txt) in this") ||
		!strings.Contains(view, "(saved to .claude/settings.local.json)") {
		t.Fatalf("view:\n%s", view)
	}
	out, note := d.Key("a")
	if out != Answered || !strings.Contains(note, "are now allowed") {
		t.Errorf("outcome %v, note %q", out, note)
	}
	if ans := <-reply; !ans.Allow || ans.Always {
		t.Errorf("answer %+v: the rules travel through remember, the call is allowed once", ans)
	}
	if fmt.Sprint(kept) != "[Bash(npm ci) Bash(npm test:*) Bash(tee out.txt)]" {
		t.Errorf("kept %q", kept)
	}
}

func TestAlwaysIsNotOfferedWhenAPartCannotBeKept(t *testing.T) {
	d := New(look.NewStyles(), -1, time.Now, func([]string) error { return nil })
	a, _ := bash("npm test && rm -rf $TARGET")
	d.Push(a)
	if view := ansi.Strip(d.View(100, 40)); strings.Contains(view, "don't ask again") {
		t.Errorf("view:\n%s", view)
	}
}

// TestTypingThatGoesOnIsNotAnAnswer: "do npm…" typed for the input box as the dialog opens
// — its "n" arriving after the grace, but hard on the key before it — does not say no; a
// key after a pause answers, and the hint said the keys were ignored.
func TestTypingThatGoesOnIsNotAnAnswer(t *testing.T) {
	c := &clock{time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	d := New(look.NewStyles(), 0, c.now, nil)
	press := func(k string) Outcome {
		d.Typed()
		out, _ := d.Key(k)
		c.t = c.t.Add(DefaultGrace / 3)
		return out
	}
	a, reply := ask("Bash(npm publish)", "")
	d.Push(a)
	c.t = c.t.Add(DefaultGrace / 2) // "do" went to the input box; the dialog opened; " npm…" goes on
	for _, k := range []string{"space", "n", "p", "m", "y", "enter"} {
		if out := press(k); out != Nothing {
			t.Fatalf("%q in a run of typing: %v", k, out)
		}
	}
	if v := ansi.Strip(d.View(80, 20)); !strings.Contains(v, "6 keys typed ahead ignored") {
		t.Errorf("no hint about the ignored keys:\n%s", v)
	}
	c.t = c.t.Add(DefaultGrace)
	if out := press("y"); out != Answered {
		t.Fatalf("y after a pause: %v", out)
	}
	if ans := <-reply; !ans.Allow {
		t.Errorf("answer %+v", ans)
	}
}

package dialog

import (
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
		d := New(look.NewStyles(), -1, time.Now)
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
	d := New(look.NewStyles(), -1, time.Now)
	a, reply := ask("Bash(curl x | sh)", "")
	d.Push(a)
	if v := ansi.Strip(d.View(80)); strings.Contains(v, "don't ask again") || !strings.Contains(v, "2. No") {
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
	d := New(look.NewStyles(), 0, c.now) // the default grace
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
	d := New(look.NewStyles(), -1, time.Now)
	first, r1 := ask("Bash(one)", "")
	second, r2 := ask("Bash(two)", "")
	d.Push(first)
	d.Push(second)
	if v := ansi.Strip(d.View(80)); !strings.Contains(v, "Bash(one)") || !strings.Contains(v, "1 more request waiting") {
		t.Errorf("view %q", v)
	}
	d.Key("y")
	<-r1
	if v := ansi.Strip(d.View(80)); !strings.Contains(v, "Bash(two)") || strings.Contains(v, "waiting") {
		t.Errorf("view %q", v)
	}
	d.DropAll("the turn ended")
	if ans := <-r2; ans.Allow || ans.Reason != "the turn ended" || d.Open() {
		t.Errorf("dropped: %+v, open %v", ans, d.Open())
	}
}

package complete

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/strata-agent/strata/internal/tui/look"
)

func TestMatchPathsRanksPrefixesFirst(t *testing.T) {
	paths := []string{"docs/main.md", "main.go", "cmd/", "cmd/main/main.go", "internal/domain.go"}
	got := matchPaths(paths, "ma", 10)
	want := []string{"main.go", "docs/main.md", "cmd/main/main.go", "internal/domain.go"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if got := matchPaths(paths, "MAIN", 1); len(got) != 1 || got[0] != "main.go" {
		t.Errorf("limit or case: %v", got)
	}
}

func newCompletion(listed *int) *Completion {
	files := func() []string {
		*listed++
		return []string{"main.go", "internal/", "internal/mapper/map.go", "README.md"}
	}
	commands := func() []Command {
		return []Command{{Name: "help"}, {Name: "clear"}, {Name: "compact", Args: "[focus]", Help: "summarise"}, {Name: "cost"}, {Name: "co"}}
	}
	return New(look.NewStyles(), files, commands)
}

func TestPathsAreOfferedAfterAnAt(t *testing.T) {
	listed := 0
	c := newCompletion(&listed)
	c.Refresh("look at @ma", true)
	if !c.Active() || c.Kind() != KindPath {
		t.Fatal("nothing offered for @ma")
	}
	if v := ansi.Strip(c.View(80, 10)); !strings.Contains(v, "❯ @main.go") || !strings.Contains(v, "@internal/mapper/map.go") {
		t.Errorf("view %q", v)
	}
	c.Move(true)
	c.Move(false)
	got, more := c.Accept("look at @ma")
	if got != "look at @main.go " || more || c.Active() {
		t.Errorf("accept: %q, more %v, active %v", got, more, c.Active())
	}
	c.Refresh("and @int", true)
	if got, more := c.Accept("and @int"); got != "and @internal/" || !more {
		t.Errorf("accept a directory: %q, more %v", got, more)
	}
	if listed != 1 {
		t.Errorf("the files were listed %d times; once until invalidated", listed)
	}
	c.Invalidate()
	c.Refresh("@x", true)
	if listed != 2 {
		t.Errorf("listed %d times after Invalidate", listed)
	}
}

func TestNothingIsOfferedAwayFromTheEndOrAfterASpace(t *testing.T) {
	c := newCompletion(new(int))
	for _, tc := range []struct {
		value string
		atEnd bool
	}{{"look at @ma", false}, {"look at @ma ", true}, {"plain words", true}, {"/etc/hosts", true}, {"/help me", true}, {"x\n/help", true}, {"/zzz", true}} {
		c.Refresh(tc.value, tc.atEnd)
		if c.Active() {
			t.Errorf("%q (at end %v): offered %q", tc.value, tc.atEnd, ansi.Strip(c.View(80, 10)))
		}
	}
}

func TestCommandsAreOfferedAfterASlash(t *testing.T) {
	c := newCompletion(new(int))
	c.Refresh("/co", true)
	if c.Kind() != KindCommand {
		t.Fatal("no commands offered for /co")
	}
	v := ansi.Strip(c.View(80, 10))
	if !strings.Contains(v, "❯ /co\n") || !strings.Contains(v, "/compact [focus]  summarise") || strings.Contains(v, "/help") {
		t.Errorf("an exact name comes first and only matches are offered: %q", v)
	}
	c.Move(true)
	if got, _ := c.Accept("/co"); got != "/compact " {
		t.Errorf("accept %q", got)
	}
}

func TestCommandsMatchFuzzily(t *testing.T) {
	commands := []Command{{Name: "help"}, {Name: "resume"}, {Name: "review"}, {Name: "security-review"},
		{Name: "rewind"}, {Name: "re"}}
	for _, tc := range []struct{ typed, want string }{
		{"re", "[re resume review rewind security-review]"},
		{"rev", "[review security-review]"},
		{"rsm", "[resume]"},
		{"rw", "[review security-review rewind]"},
		{"x", "[]"},
	} {
		var names []string
		for _, c := range matchCommands(commands, tc.typed) {
			names = append(names, c.Name)
		}
		if got := fmt.Sprint(names); got != tc.want && !(tc.want == "[]" && names == nil) {
			t.Errorf("%q: %s, want %s", tc.typed, got, tc.want)
		}
	}
}

func TestTheMenuScrollsAndFitsItsRows(t *testing.T) {
	var commands []Command
	for i := range 10 {
		commands = append(commands, Command{Name: fmt.Sprintf("cmd%d", i), Help: "does " + fmt.Sprint(i), Source: "project"})
	}
	c := New(look.NewStyles(), nil, func() []Command { return commands })
	c.Refresh("/", true)
	if v := ansi.Strip(c.View(40, 3)); strings.Count(v, "\n") != 2 || !strings.Contains(v, "❯ /cmd0  does 0 (project)") ||
		!strings.Contains(v, "⋮ /cmd2") {
		t.Errorf("first page:\n%s", v)
	}
	for range 5 {
		c.Move(true)
	}
	v := ansi.Strip(c.View(40, 3))
	if !strings.Contains(v, "⋮ /cmd3") || !strings.Contains(v, "❯ /cmd5") || strings.Contains(v, "cmd6") {
		t.Errorf("after moving down to cmd5:\n%s", v)
	}
	c.Refresh("/", true)
	if v := ansi.Strip(c.View(40, 3)); !strings.Contains(v, "❯ /cmd5") {
		t.Errorf("the same text kept the selection:\n%s", v)
	}
	c.Refresh("/cmd", true)
	if v := ansi.Strip(c.View(40, 3)); !strings.Contains(v, "❯ /cmd0") {
		t.Errorf("new text selects the best match:\n%s", v)
	}
}

package look

import (
	"strings"
	"testing"
)

func TestColourLinesKeepsColoursOnly(t *testing.T) {
	in := "\x1b[31mFAIL\x1b[0m pkg\n\x1b[1;38;5;208mwarn\x1b[m\t\x1b[38;2;1;2;3mrgb\nplain\n" +
		"\x1b[8mhidden\x1b[0m \x1b]52;c;ZXZpbA==\x07 \x1b[2J\x1b[5mblink \x1b[38;5m"
	got := ColourLines(in)
	want := []string{
		"\x1b[31mFAIL\x1b[0m pkg\x1b[0m",
		"\x1b[1;38;5;208mwarn\x1b[m    \x1b[38;2;1;2;3mrgb\x1b[0m",
		"plain",
		"␛[8mhidden\x1b[0m ␛]52;c;ZXZpbA==^G ␛[2J␛[5mblink ␛[38;5m\x1b[0m",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

func FuzzColourLines(f *testing.F) {
	f.Add("\x1b[31mred\x1b[0m\x1b]0;title\x07\x1b[8m")
	f.Fuzz(func(t *testing.T, s string) {
		for _, l := range ColourLines(s) {
			// Nothing but kept SGR sequences may start with ESC.
			for i := strings.Index(l, "\x1b"); i >= 0; i = strings.Index(l, "\x1b") {
				end := strings.IndexByte(l[i:], 'm')
				if !strings.HasPrefix(l[i:], "\x1b[") || end < 0 || !harmlessSGR(l[i+2:i+end]) {
					t.Fatalf("an escape sequence got through: %q from %q", l, s)
				}
				l = l[i+end+1:]
			}
		}
	})
}

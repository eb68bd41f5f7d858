package search

import (
	"strings"
	"testing"
)

func TestRulesMatch(t *testing.T) {
	tests := []struct {
		name  string
		lines string
		path  string
		isDir bool
		want  Match
	}{
		{"basename anywhere", "*.log", "a/b/c.log", false, Ignored},
		{"basename at top", "*.log", "c.log", false, Ignored},
		{"negation wins when later", "*.log\n!keep.log", "x/keep.log", false, Whitelisted},
		{"earlier negation loses", "!keep.log\n*.log", "keep.log", false, Ignored},
		{"dir only on dir", "build/", "build", true, Ignored},
		{"dir only on file", "build/", "build", false, NoMatch},
		{"anchored top", "/build", "build", true, Ignored},
		{"anchored not nested", "/build", "src/build", true, NoMatch},
		{"middle slash anchors", "doc/*.txt", "doc/a.txt", false, Ignored},
		{"middle slash not nested", "doc/*.txt", "x/doc/a.txt", false, NoMatch},
		{"star stops at slash", "doc/*.txt", "doc/sub/a.txt", false, NoMatch},
		{"leading doublestar", "**/foo", "a/b/foo", false, Ignored},
		{"trailing doublestar contents", "abc/**", "abc/x/y", false, Ignored},
		{"trailing doublestar not dir itself", "abc/**", "abc", true, NoMatch},
		{"middle doublestar", "a/**/b", "a/x/y/b", false, Ignored},
		{"middle doublestar zero dirs", "a/**/b", "a/b", false, Ignored},
		{"comment", "#foo", "#foo", false, NoMatch},
		{"escaped hash", `\#foo`, "#foo", false, Ignored},
		{"escaped bang", `\!foo`, "!foo", false, Ignored},
		{"trailing spaces dropped", "foo   ", "foo", false, Ignored},
		{"escaped trailing space kept", `foo\ `, "foo ", false, Ignored},
		{"crlf line", "foo\r\nbar", "foo", false, Ignored},
		{"bom", "\ufeff*.tmp", "a.tmp", false, Ignored},
		{"blank lines", "\n\n", "a", false, NoMatch},
		{"invalid line skipped", "[abc\n*.o", "x.o", false, Ignored},
		{"question mark", "a?c", "abc", false, Ignored},
		{"class", "*.[oa]", "lib.a", false, Ignored},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ParseRules("/repo", []byte(tt.lines))
			if got := r.Match(tt.path, tt.isDir); got != tt.want {
				t.Errorf("rules %q on %q (dir=%v) = %v, want %v", tt.lines, tt.path, tt.isDir, got, tt.want)
			}
		})
	}
}

func TestRelTo(t *testing.T) {
	tests := []struct{ dir, path, want string }{
		{"/a", "/a/b/c", "b/c"},
		{"/a", "/ab/c", ""},
		{"/a", "/a", ""},
		{"/", "/x/y", "x/y"},
	}
	for _, tt := range tests {
		if got := relTo(tt.dir, tt.path); got != tt.want {
			t.Errorf("relTo(%q, %q) = %q, want %q", tt.dir, tt.path, got, tt.want)
		}
	}
}

// FuzzRules checks that no ignore file content or path makes the matcher panic, and that a
// plain literal name line always ignores that name.
func FuzzRules(f *testing.F) {
	f.Add("*.log\n!keep.log\n/build/\ndoc/**/x", "doc/a/x", true)
	f.Add("[a-", "a", false)
	f.Add("{a,b", "b", false)
	f.Add(`\!x\ `, "!x ", false)
	f.Fuzz(func(t *testing.T, lines, path string, isDir bool) {
		r := ParseRules("/root", []byte(lines))
		_ = r.Match(path, isDir)
		name := strings.Map(func(c rune) rune {
			if c < 'a' || c > 'z' {
				return -1
			}
			return c
		}, path)
		if name == "" {
			return
		}
		if got := ParseRules("/root", []byte(name)).Match(name, isDir); got != Ignored {
			t.Errorf("line %q does not ignore %q: %v", name, name, got)
		}
	})
}

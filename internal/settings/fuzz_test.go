package settings

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks the strict parser against encoding/json: it never panics, accepts only
// valid JSON, rejects valid JSON only for duplicate keys or extreme nesting, reports
// positions inside the file, and loads any valid JSON value stored under an unknown key
// verbatim.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{}`, `{"model": "x", "env": {"A": 1}}`, `{"permissions": {"allow": ["Read", "Bash(ls)"]}}`,
		`{"hooks": {"Stop": [{"matcher": "", "hooks": [{"type": "command", "command": "x", "timeout": 5}]}]}}`,
		`{"a": 1,}`, `{"a": 1, "a": 2}`, `[1, 2]`, `"\u00e9\ud83d\ude00"`, `-0.5e+10`, `{"a": [[[]]]}`,
		"{\"x\": \"\xff\"}", `// c`, `{"a" 1}`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _, err := parseFile(Source{ScopeUser, "f"}, data)
		if err != nil {
			fe, ok := err.(*FileError)
			if !ok || fe.Line < 1 || fe.Col < 1 || fe.Line > bytes.Count(data, []byte("\n"))+1 {
				t.Fatalf("bad error for %q: %#v", data, err)
			}
		}
		root, serr := parseJSON(data)
		valid := json.Valid(data)
		if serr == nil && !valid {
			t.Fatalf("accepted invalid JSON %q", data)
		}
		if serr != nil && valid && !strings.HasPrefix(serr.msg, "duplicate key") &&
			!strings.Contains(serr.msg, "nested more than") {
			t.Fatalf("rejected valid JSON %q: %s", data, serr.msg)
		}
		if serr != nil || !valid {
			return
		}
		if root.start < 0 || root.end > len(data) || !json.Valid(data[root.start:root.end]) {
			t.Fatalf("value span [%d,%d) wrong for %q", root.start, root.end, data)
		}
		// Any valid value under an unknown key loads and is kept as written.
		wrapped := append(append([]byte(`{"unknownKey": `), data...), '}')
		l, _, err := parseFile(Source{ScopeUser, "f"}, wrapped)
		if err != nil {
			t.Fatalf("valid object %q did not load: %v", wrapped, err)
		}
		if got := l.extra["unknownKey"]; !bytes.Equal(got, bytes.TrimSpace(data)) {
			t.Fatalf("unknown key kept as %q, want %q", got, bytes.TrimSpace(data))
		}
	})
}

// FuzzInsertAllowRule checks that adding a rule (AddToList, as the "always" answer does) to any valid settings file gives a valid file
// holding the old rules plus the new one, with every other key unchanged.
func FuzzInsertAllowRule(f *testing.F) {
	for _, s := range []string{
		"{}", "{\n  \"a\": 1\n}", `{"permissions": null}`, `{"permissions": {"allow": []}}`,
		"{\r\n\t\"permissions\": {\"deny\": [\"x\"]}\r\n}", `{"permissions":{"allow":["a" , "b"]}}`,
		"{\"x\": {}, \"permissions\": {\n\"allow\": [\n\"a\"]}}",
	} {
		f.Add([]byte(s), "Bash(ls:*)")
	}
	f.Fuzz(func(t *testing.T, data []byte, rule string) {
		before, _, err := parseFile(Source{ScopeLocal, "f"}, data)
		rule = strings.TrimSpace(rule)
		if err != nil || rule == "" || !utf8.ValidString(rule) { // rules come from JSON: valid UTF-8
			return
		}
		path := filepath.Join(t.TempDir(), "settings.local.json")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := AddToList(path, ScopeLocal, []string{"permissions", "allow"}, rule); err != nil {
			t.Fatalf("insert into %q: %v", data, err)
		}
		out, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		changed := !slices.Contains(before.allow, rule)
		after, _, err := parseFile(Source{ScopeLocal, "f"}, out)
		if err != nil {
			t.Fatalf("result %q does not load: %v", out, err)
		}
		want := append([]string(nil), before.allow...)
		if changed {
			want = append(want, rule)
		}
		if strings.Join(after.allow, "\x00") != strings.Join(want, "\x00") {
			t.Fatalf("allow %q, want %q (file %q)", after.allow, want, out)
		}
		if len(after.extra) != len(before.extra) || len(after.env) != len(before.env) || len(after.deny) != len(before.deny) {
			t.Fatalf("other keys changed: %q → %q", data, out)
		}
		for k, v := range before.extra {
			if !bytes.Equal(after.extra[k], v) {
				t.Fatalf("key %q changed: %q → %q", k, v, after.extra[k])
			}
		}
	})
}

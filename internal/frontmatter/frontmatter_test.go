package frontmatter

import (
	"reflect"
	"testing"
)

func TestParse(t *testing.T) {
	var meta struct {
		Name  string `yaml:"name"`
		Tools List   `yaml:"tools"`
		Deny  List   `yaml:"disallowedTools"`
	}
	body, err := Parse([]byte("---\nname: reviewer\ntools: Read, Grep, Bash(git diff:*)\ndisallowedTools:\n  - Write\n---\nYou review.\n"), &meta)
	if err != nil {
		t.Fatal(err)
	}
	if meta.Name != "reviewer" || body != "You review.\n" {
		t.Errorf("name %q body %q", meta.Name, body)
	}
	if want := (List{"Read", "Grep", "Bash(git diff:*)"}); !reflect.DeepEqual(meta.Tools, want) {
		t.Errorf("tools = %q, want %q", meta.Tools, want)
	}
	if want := (List{"Write"}); !reflect.DeepEqual(meta.Deny, want) {
		t.Errorf("disallowedTools = %q", meta.Deny)
	}
}

func TestSplitEdgeCases(t *testing.T) {
	for _, tc := range []struct{ in, meta, body string }{
		{"no front matter\n", "", "no front matter\n"},
		{"---\r\na: 1\r\n---\r\nbody", "a: 1", "body"},
		{"---\na: 1\n---", "a: 1", ""},
		{"---\nunclosed\n", "", "---\nunclosed\n"},
		{"---\n---\nbody", "", "body"},
		{"\ufeff---\na: b\n---\nx", "a: b", "x"},
	} {
		meta, body := Split([]byte(tc.in))
		if string(meta) != tc.meta || body != tc.body {
			t.Errorf("Split(%q) = %q, %q; want %q, %q", tc.in, meta, body, tc.meta, tc.body)
		}
	}
	if got := SplitList("Read Grep"); !reflect.DeepEqual(got, []string{"Read", "Grep"}) {
		t.Errorf("space list = %q", got)
	}
}

func TestBadYAMLIsAnError(t *testing.T) {
	var v struct {
		Tools List `yaml:"tools"`
	}
	if _, err := Parse([]byte("---\ntools: {a: 1}\n---\n"), &v); err == nil {
		t.Error("a mapping for tools was accepted")
	}
	if _, err := Parse([]byte("---\n: : :\n---\n"), &v); err == nil {
		t.Error("broken YAML was accepted")
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("---\nname: x\ntools: [Read]\n---\nbody"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var v struct {
			Name  string `yaml:"name"`
			Tools List   `yaml:"tools"`
		}
		_, _ = Parse(data, &v)
	})
}

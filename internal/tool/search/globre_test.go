package search

import "testing"

func TestCompileGlob(t *testing.T) {
	tests := []struct {
		glob  string
		match []string
		miss  []string
	}{
		{"*.go", []string{"a.go", ".go"}, []string{"a/b.go", "a.gox"}},
		{"**", []string{"a", "a/b/c"}, nil},
		{"**/*.go", []string{"a.go", "x/y/a.go"}, []string{"a.c"}},
		{"src/**", []string{"src/a", "src/a/b"}, []string{"src", "srca"}},
		{"src/**/*.go", []string{"src/a.go", "src/x/y/a.go"}, []string{"src.go", "a/src/a.go"}},
		{"a**b", []string{"ab", "axxb"}, []string{"a/b"}},
		{"?.txt", []string{"a.txt"}, []string{"ab.txt", "/.txt"}},
		{"[abc].txt", []string{"b.txt"}, []string{"d.txt"}},
		{"[!abc].txt", []string{"d.txt"}, []string{"a.txt"}},
		{"[a-c]x", []string{"bx"}, []string{"dx"}},
		{"[]]", []string{"]"}, []string{"a"}},
		{"[a-]", []string{"-", "a"}, []string{"b"}},
		{"*.{ts,tsx}", []string{"a.ts", "a.tsx"}, []string{"a.t", "a.js"}},
		{"{**/a,b}", []string{"a", "x/a", "b"}, []string{"x/b"}},
		{`\*.go`, []string{"*.go"}, []string{"a.go"}},
		{"a,b}", []string{"a,b}"}, nil},
		{"(x).go", []string{"(x).go"}, []string{"x.go"}},
		{"日本*.txt", []string{"日本語.txt"}, []string{"中.txt"}},
	}
	for _, tt := range tests {
		re, err := compileGlob(tt.glob)
		if err != nil {
			t.Errorf("compileGlob(%q): %v", tt.glob, err)
			continue
		}
		for _, s := range tt.match {
			if !re.MatchString(s) {
				t.Errorf("glob %q (re %s) should match %q", tt.glob, re, s)
			}
		}
		for _, s := range tt.miss {
			if re.MatchString(s) {
				t.Errorf("glob %q (re %s) should not match %q", tt.glob, re, s)
			}
		}
	}
}

func TestCompileGlobErrors(t *testing.T) {
	for _, g := range []string{"[abc", "{a,b", "{a,{b}}", "[z-a]"} {
		if _, err := compileGlob(g); err == nil {
			t.Errorf("compileGlob(%q) succeeded, want an error", g)
		}
	}
}

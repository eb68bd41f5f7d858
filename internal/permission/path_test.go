package permission

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bmatcuk/doublestar/v4"
)

// pathWorld builds a project with symlinks in a temporary directory:
//
//	root/p            the project (cwd), with src/, vendor/, secrets/, .env, sub/.env
//	root/p/escape     → root/out (a symlink leaving the project)
//	root/p/srclink    → root/p/src
//	root/p/src/out    → root/out (a symlink leaving src)
//	root/p/envlink    → root/p/.env
//	root/out          outside, with docs/
//	root/extra        an additional working directory
//	root/home         the home directory, with .ssh/ and notes/
func pathWorld(t *testing.T) string {
	t.Helper()
	root, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"p/src", "p/vendor", "p/secrets", "p/sub", "p/gen", "out/docs", "extra", "home/.ssh", "home/notes"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"p/.env", "p/sub/.env", "p/a.go", "p/src/a.go", "p/secrets/key", "out/x", "out/docs/a.md", "home/.ssh/id_rsa"} {
		if err := os.WriteFile(filepath.Join(root, f), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{"p/escape": "out", "p/srclink": "p/src", "p/src/out": "out", "p/envlink": "p/.env"} {
		if err := os.Symlink(filepath.Join(root, target), filepath.Join(root, link)); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func fileCall(tool, key, path string) Call {
	c := Call{Tool: tool, Input: input(map[string]string{key: path})}
	switch {
	case isReadTool(tool):
		c.Class = ClassRead
	case isEditTool(tool):
		c.Class = ClassEdit
	}
	return c
}

// TestPathRules checks every anchor of path rules, the tools each rule family covers, and
// that symlinks and .. are resolved before rules and working directories are compared.
func TestPathRules(t *testing.T) {
	root := pathWorld(t)
	p := filepath.Join(root, "p")
	rootRule := "Read(/" + root + "/out/docs/**)"
	rules := func(texts ...string) []Rule {
		rs := mustRules(t, texts...)
		for i := range rs {
			rs[i].Base = p // as if from p/.claude/settings.json
		}
		return rs
	}
	c := &Checker{
		Mode:       ModeDefault,
		AllowRules: rules(rootRule, "Edit(./src/**)", "Read(~/notes/**)", "Edit(/gen/**)"),
		AskRules:   rules("Edit(*.lock)"),
		DenyRules:  rules("Read(.env)", "Read(./secrets/)", "Edit(//etc/**)", "Read(~/.ssh/**)", "Edit(vendor/**)"),
		Dirs:       []string{p, filepath.Join(root, "extra")},
		Home:       filepath.Join(root, "home"),
	}
	cases := []struct {
		name string
		call Call
		want Behavior
		rule string
	}{
		{"read inside", fileCall("Read", "file_path", p+"/a.go"), Allow, ""},
		{"read relative to cwd", fileCall("Read", "file_path", "a.go"), Allow, ""},
		{"read in an added dir", fileCall("Read", "file_path", root+"/extra/x"), Allow, ""},
		{"bare name anywhere", fileCall("Read", "file_path", p+"/.env"), Deny, "Read(.env)"},
		{"bare name deeper", fileCall("Read", "file_path", p+"/sub/.env"), Deny, "Read(.env)"},
		{"bare name through a symlink", fileCall("Read", "file_path", p+"/envlink"), Deny, "Read(.env)"},
		{"dir rule covers its files", fileCall("Read", "file_path", p+"/secrets/key"), Deny, "Read(./secrets/)"},
		{"read rule covers grep", fileCall("Grep", "path", p+"/secrets"), Deny, "Read(./secrets/)"},
		{"read rule covers LS", fileCall("LS", "path", p+"/secrets"), Deny, "Read(./secrets/)"},
		{"read rule covers an absolute glob", fileCall("Glob", "pattern", p+"/secrets/**"), Deny, "Read(./secrets/)"},
		{"read rule covers a relative glob", Call{Tool: "Glob", Class: ClassRead, Input: input(map[string]string{"pattern": "secrets/*.txt", "path": p})}, Deny, "Read(./secrets/)"},
		{"dotdot resolved", fileCall("Read", "file_path", p+"/src/../secrets/key"), Deny, "Read(./secrets/)"},
		{"symlink out of the project asks", fileCall("Read", "file_path", p+"/escape/x"), Ask, ""},
		{"root rule", fileCall("Read", "file_path", root+"/out/docs/a.md"), Allow, rootRule},
		{"root rule through a symlink", fileCall("Read", "file_path", p+"/escape/docs/a.md"), Allow, rootRule},
		{"outside without a rule asks", fileCall("Read", "file_path", root+"/out/x"), Ask, ""},
		{"home deny", fileCall("Read", "file_path", root+"/home/.ssh/id_rsa"), Deny, "Read(~/.ssh/**)"},
		{"home allow", fileCall("Read", "file_path", root+"/home/notes/todo.md"), Allow, "Read(~/notes/**)"},
		{"cwd edit rule", fileCall("Edit", "file_path", p+"/src/a.go"), Allow, "Edit(./src/**)"},
		{"edit rule covers a new file", fileCall("Write", "file_path", p+"/src/new/file.go"), Allow, "Edit(./src/**)"},
		{"edit rule through a symlink into src", fileCall("Edit", "file_path", p+"/srclink/a.go"), Allow, "Edit(./src/**)"},
		{"edit rule not through a symlink out of src", fileCall("Edit", "file_path", p+"/src/out/x"), Ask, ""},
		{"ask rule on any depth", fileCall("MultiEdit", "file_path", p+"/src/x.lock"), Ask, "Edit(*.lock)"},
		{"edit asks in default mode", fileCall("Edit", "file_path", p+"/a.go"), Ask, ""},
		{"bare path with a slash is cwd-relative", fileCall("Write", "file_path", p+"/vendor/x.go"), Deny, "Edit(vendor/**)"},
		{"absolute rule", fileCall("Edit", "file_path", "/etc/hosts"), Deny, "Edit(//etc/**)"},
		{"settings-relative rule", fileCall("Write", "file_path", p+"/gen/out.go"), Allow, "Edit(/gen/**)"},
		{"write through a symlink out asks", fileCall("Write", "file_path", p+"/escape/evil.sh"), Ask, ""},
		{"read rule does not cover edit", fileCall("Edit", "file_path", p+"/.env"), Ask, ""},
		{"edit rule does not cover read", fileCall("Read", "file_path", p+"/vendor/x.go"), Allow, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := c.Check(tc.call)
			if d.Behavior != tc.want || d.Rule != tc.rule {
				t.Fatalf("got %s by %q (%s), want %s by %q", d.Behavior, d.Rule, d.Reason, tc.want, tc.rule)
			}
		})
	}
}

// TestToolLevelRulesStayInside: `Edit` without a path allows edits in the working
// directories only; a file elsewhere still asks.
func TestToolLevelRulesStayInside(t *testing.T) {
	root := pathWorld(t)
	c := &Checker{AllowRules: mustRules(t, "Edit", "Read"), Dirs: []string{filepath.Join(root, "p")}}
	if d := c.Check(fileCall("Edit", "file_path", root+"/p/a.go")); d.Behavior != Allow || d.Rule != "Edit" {
		t.Errorf("inside: got %s by %q", d.Behavior, d.Rule)
	}
	for _, call := range []Call{fileCall("Edit", "file_path", root+"/out/x"), fileCall("Read", "file_path", root+"/p/escape/x")} {
		if d := c.Check(call); d.Behavior != Ask {
			t.Errorf("outside %s: got %s by %q", call.Input, d.Behavior, d.Rule)
		}
	}
}

func TestResolvePath(t *testing.T) {
	root := pathWorld(t)
	cases := map[string]string{
		root + "/p/escape/x":            root + "/out/x",
		root + "/p/escape/../a.go":      root + "/a.go", // .. after a symlink leaves its target
		root + "/p/missing/../a.go":     root + "/p/a.go",
		root + "/p/escape/new/dir/f":    root + "/out/new/dir/f",
		root + "/p/src/./out/docs/a.md": root + "/out/docs/a.md",
	}
	for in, want := range cases {
		if got := resolvePath(in); got != want {
			t.Errorf("resolvePath(%s) = %s, want %s", in, got, want)
		}
	}
}

// TestEscapeGlobMatchesItselfOnly: an escaped path is a pattern for that path alone, whatever
// glob characters its directory names hold.
func TestEscapeGlobMatchesItselfOnly(t *testing.T) {
	for _, s := range []string{"/home/u/plain", `/tmp/a*b/[x]/{y,z}/q?`, `/c/back\slash`, "/ü/ß*/日本"} {
		p := escapeGlob(s)
		if ok, err := doublestar.Match(p, s); err != nil || !ok {
			t.Errorf("escapeGlob(%q) = %q does not match itself (%v)", s, p, err)
		}
		if other := s + "x"; strings.ContainsAny(s, globMeta) {
			if ok, _ := doublestar.Match(p, other); ok {
				t.Errorf("escapeGlob(%q) = %q also matches %q", s, p, other)
			}
		}
	}
	if escapeGlob("/plain/path") != "/plain/path" {
		t.Error("a path without glob characters changed")
	}
}

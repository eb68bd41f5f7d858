package permission

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBashListingsAndGlobsHonourTheReadFilter: a Bash line whose globs expand to a hidden
// file, or which lists or searches a directory holding one, asks even under rules that
// allow the command; the same commands elsewhere stay allowed.
func TestBashListingsAndGlobsHonourTheReadFilter(t *testing.T) {
	dir, other := t.TempDir(), t.TempDir()
	for _, p := range []string{"secrets/key.txt", "src/a.go", "src/deep/b.go", "docs/x.md"} {
		mkfile(t, filepath.Join(dir, p))
	}
	mkfile(t, filepath.Join(other, "sub/k.pem"))
	if err := os.Symlink(filepath.Join(other, "sub"), filepath.Join(dir, "docs", "certs")); err != nil {
		t.Fatal(err)
	}
	c := &Checker{Mode: ModeBypass, Dirs: []string{dir}, DenyRules: mustRules(t, "Read(./secrets/**)", "Read(//"+other[1:]+"/**/*.pem)"),
		AllowRules: mustRules(t, "Bash(cat *)", "Bash(ls:*)", "Bash(find:*)", "Bash(grep:*)", "Bash(rg:*)", "Bash(tree:*)",
			"Bash(du:*)", "Bash(tar:*)", "Bash(head:*)")}
	for _, cmd := range []string{"cat secre*/key.txt", "cat s?crets/*", "head src/../secret[s]/key.txt", "cat {secrets,src}/*",
		"cat ./*/key.txt", "ls", "ls .", "ls -R src ..", "ls -laR", "find .", "find . -name '*.txt'", "find -L docs",
		"grep -r TOP .", "grep -rn TOP", "grep -R x docs", "grep --recursive x .", "rg TOP", "rg TOP .", "tree", "du -a",
		"tar czf /tmp/x.tgz .", "tar -cf - src secrets", "cd src && ls -R ..", "ls " + dir, "find " + filepath.Dir(dir) + " -name x"} {
		if d := c.Check(bashCall(cmd)); d.Behavior != Ask || !d.MaybeDenied {
			t.Errorf("%q: got %s (%s), want ask", cmd, d.Behavior, d.Reason)
		}
	}
	for _, cmd := range []string{"cat {secrets,src}/*", "ls", "cat s*/k*"} {
		if d := c.Check(bashCall(cmd)); strings.Contains(d.Reason, "key.txt") {
			t.Errorf("%q: the reason tells the hidden name: %s", cmd, d.Reason)
		}
	}
	for _, cmd := range []string{"cat src/*.go", "ls src", "ls -R src", "find src -name '*.go'", "grep -r x src", "grep x *.md",
		"rg TOP src docs", "tree src", "du -a src", "tar czf /tmp/x.tgz src", "grep -r x docs", "ls docs", "cat 'secre*'x"} {
		if d := c.Check(bashCall(cmd)); d.Behavior != Allow {
			t.Errorf("%q: got %s (%s), want allow", cmd, d.Behavior, d.Reason)
		}
	}
}

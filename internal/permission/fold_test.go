package permission

import (
	"path/filepath"
	"testing"
)

// TestCaseInsensitiveFileSystems: on macOS and Windows, where .GIT/config is .git/config,
// protected paths and path rules ignore case; on Linux they do not, since there the names are
// different files.
func TestCaseInsensitiveFileSystems(t *testing.T) {
	dir, home := t.TempDir(), t.TempDir()
	mkfile(t, filepath.Join(dir, "secrets/key.txt"))
	for _, goos := range []string{"darwin", "windows", "linux"} {
		fold := goos != "linux"
		c := &Checker{Mode: ModeBypass, GOOS: goos, Dirs: []string{dir}, Home: home,
			DenyRules: mustRules(t, "Read(./secrets/**)", "Edit(./Docs/**)"), AllowRules: mustRules(t, "Bash(cat *)"),
			Protected: []string{filepath.Join(home, "State")}}
		for _, p := range []string{".GIT/config", ".Claude/settings.local.json", "sub/.BashRC", ".Config/Git/config"} {
			d := c.Check(editCall("Write", filepath.Join(dir, p)))
			if got := d.Behavior == Ask && d.Protected; got != fold {
				t.Errorf("%s %s: got %s (%s), protected %v want %v", goos, p, d.Behavior, d.Reason, got, fold)
			}
		}
		if d := c.Check(editCall("Write", filepath.Join(home, "state/trusted-folders.json"))); (d.Behavior == Ask && d.Protected) != fold {
			t.Errorf("%s: Checker.Protected in another case: got %s", goos, d.Behavior)
		}
		if got := c.CanRead(filepath.Join(dir, "SECRETS/key.txt")); got == fold {
			t.Errorf("%s: SECRETS/key.txt readable %v", goos, got)
		}
		if d := c.Check(bashCall("cat SECRETS/key.txt")); (d.Behavior == Ask) != fold {
			t.Errorf("%s: cat SECRETS/key.txt: got %s", goos, d.Behavior)
		}
		if d := c.Check(editCall("Write", filepath.Join(dir, "docs/x.md"))); (d.Behavior == Deny) != fold {
			t.Errorf("%s: Edit deny rule on Docs/**: got %s", goos, d.Behavior)
		}
	}
}

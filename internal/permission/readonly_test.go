package permission

import (
	"os"
	"path/filepath"
	"testing"
)

// readOnlyFixture is a home holding a credentials file and a project holding a .git
// directory, a secrets folder a Read deny rule covers, and a link to the credentials.
func readOnlyFixture(t *testing.T) (*Checker, string, string) {
	t.Helper()
	home := t.TempDir()
	proj := filepath.Join(home, "proj")
	for _, d := range []string{".aws", "proj/.git", "proj/secrets", "proj/src", "other"} {
		if err := os.MkdirAll(filepath.Join(home, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{".aws/credentials", "proj/README.md", "proj/secrets/key.txt", "proj/src/a.go"} {
		if err := os.WriteFile(filepath.Join(home, f), []byte("x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(home, ".aws/credentials"), filepath.Join(proj, "creds")); err != nil {
		t.Fatal(err)
	}
	c := &Checker{Mode: ModeDefault, Dirs: []string{proj}, Home: home,
		DenyRules: mustRules(t, "Read(./secrets/key.txt)", "Bash(rm:*)"), AskRules: mustRules(t, "Bash(git push:*)")}
	return c, proj, home
}

// TestReadOnlyBash: commands that only read files the Read tool may read run without asking;
// everything else asks (or is denied) as before.
func TestReadOnlyBash(t *testing.T) {
	c, proj, _ := readOnlyFixture(t)
	allowed := []string{
		"ls", "ls -la", "ls -la src", "pwd", "cat README.md", "cat src/*.go", "head -n 5 README.md",
		"wc -l README.md src/a.go", "grep -rn TODO src", "grep -rn TODO src | head -20", "find src -name '*.go'",
		"git status", "git status --short", "git log --oneline -n 5", "git log -5 --stat", "git diff HEAD~1",
		"git diff --cached --name-only", "git show HEAD:README.md", "git branch", "git branch -a -v",
		"git tag -l 'v*'", "git remote -v", "git rev-parse --show-toplevel", "git --no-pager log -3",
		"git stash list", "echo hi && ls", "cd src && ls", "LC_ALL=C sort README.md", "tail -f README.md",
		"sort README.md | uniq -c", "du -sh src", "which go", "diff README.md src/a.go", "jq .a README.md",
		"cat < README.md", "ls 2>&1 | wc -l", "ls 2>/dev/null", "tree src", "tree -L 2 src",
	}
	refused := []string{
		// paths Read would ask or deny for
		"cat ~/.aws/credentials", "cat ../.aws/credentials", "cat /etc/passwd", "ls /", "ls ..", "cat creds",
		"cat secrets/key.txt", "cat secre*/key.txt", "grep -r x secrets", "cat < ~/.aws/credentials",
		"cd .. && cat .aws/credentials", "cd /etc && cat passwd", "grep -f/etc/passwd x", "ls ~", "cat ~root/x",
		"find / -name x", "head --file=/etc/passwd", "cat *", "ls .*", "cat src/.?/x",
		// writes, code and computed words
		"ls > out.txt", "cat README.md >> x", "find . -delete", "find . -exec rm {} \\;", "find . -fprint x",
		"sort -o x README.md", "sort --output=x README.md", "git diff --output=x", "sed -i s/a/b/ README.md",
		"sed -n 1p README.md", "uniq README.md out", "tree -o x", "tree -l src", "du -L src", "rg --pre cat x", "file -C -m x",
		"cat $(echo README.md)", "cat `echo x`", "cat $F", "ls $HOME", "cat <(ls)", "echo $(rm -rf /)",
		"jq -n env", "jq '$ENV' README.md", "jq -f prog README.md", "ls | sh", "ls | xargs rm",
		"PAGER=evil git log", "GIT_EXTERNAL_DIFF=x git diff", "LD_PRELOAD=x.so ls", "./cat README.md",
		"/tmp/ls", "timeout 5 cat README.md", "bash -c ls", "eval ls", "f() { ls; }; f",
		"{ ls; } > out", "ls -R -L .", "grep -rn x .", "grep -R x .", "du -L .",
		// git that writes, runs code or leaves the repository
		"git push", "git commit -m x", "git branch newbranch", "git tag v1", "git -C /etc log", "git -c core.pager=x log",
		"git diff --no-index /etc/passwd x", "git log --format=%G?", "git log --ext-diff", "git remote add x y",
		"git stash", "git config user.name", "git log --output=x", "git checkout .", "git fetch",
		// denied outright stays denied
		"rm -rf /", "ls && rm x", "git push origin",
	}
	check := func(cmd string) Decision {
		return c.Check(Call{Tool: "Bash", Input: input(map[string]string{"command": cmd}), Class: ClassExecute, Cwd: proj})
	}
	for _, cmd := range allowed {
		if d := check(cmd); d.Behavior != Allow {
			t.Errorf("%q: %s (%s), want allow", cmd, d.Behavior, d.Reason)
		}
	}
	for _, cmd := range refused {
		if d := check(cmd); d.Behavior == Allow {
			t.Errorf("%q: allowed (%s), want ask or deny", cmd, d.Reason)
		}
	}
	for cmd, want := range map[string]Behavior{"rm -rf /": Deny, "git push origin": Ask, "ls && rm x": Deny} {
		if d := check(cmd); d.Behavior != want {
			t.Errorf("%q: %s, want %s", cmd, d.Behavior, want)
		}
	}
}

// A project below a repository that is not inside the working directories (a home directory
// under git) does not show that repository through git.
func TestReadOnlyGitOutsideRepo(t *testing.T) {
	c, proj, home := readOnlyFixture(t)
	if err := os.Rename(filepath.Join(proj, ".git"), filepath.Join(home, ".git")); err != nil {
		t.Fatal(err)
	}
	d := c.Check(Call{Tool: "Bash", Input: input(map[string]string{"command": "git log"}), Cwd: proj})
	if d.Behavior == Allow {
		t.Fatalf("git log in a repository outside the working directories: allowed")
	}
	// Allowed again once a Read rule lets the model read the home directory.
	c.AllowRules = mustRules(t, "Read(~/**)")
	if d := c.Check(Call{Tool: "Bash", Input: input(map[string]string{"command": "git log"}), Cwd: proj}); d.Behavior != Allow {
		t.Fatalf("with Read(~/**): %s (%s)", d.Behavior, d.Reason)
	}
}

// Plan mode keeps refusing Bash, and a tool-wide Read deny rule turns every read off.
func TestReadOnlyModes(t *testing.T) {
	c, proj, _ := readOnlyFixture(t)
	call := Call{Tool: "Bash", Input: input(map[string]string{"command": "ls"}), Class: ClassExecute, Cwd: proj}
	c.DenyRules = append(c.DenyRules, mustRules(t, "Read")...)
	if d := c.Check(call); d.Behavior == Allow {
		t.Errorf("ls with Read denied: allowed")
	}
}

// A repository that arrived as an archive brings its own .git/config and .git/hooks: a git
// command that would run a program of theirs asks, however read-only it looks.
func TestReadOnlyGitRunsNoRepositoryProgram(t *testing.T) {
	for name, plant := range map[string]func(git string) error{
		"fsmonitor": func(git string) error {
			return os.WriteFile(filepath.Join(git, "config"), []byte("[core]\n\tFSMonitor = ./evil.sh\n"), 0o644)
		},
		"textconv": func(git string) error {
			return os.WriteFile(filepath.Join(git, "config"), []byte("[diff \"x\"]\n  textconv=./evil.sh\n"), 0o644)
		},
		"include": func(git string) error {
			return os.WriteFile(filepath.Join(git, "config"), []byte("[include]\npath = ../evil.cfg\n"), 0o644)
		},
		"hook": func(git string) error {
			if err := os.MkdirAll(filepath.Join(git, "hooks"), 0o755); err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(git, "hooks", "post-index-change"), []byte("#!/bin/sh\n"), 0o755)
		},
	} {
		c, proj, _ := readOnlyFixture(t)
		call := Call{Tool: "Bash", Input: input(map[string]string{"command": "git status"}), Cwd: proj}
		if d := c.Check(call); d.Behavior != Allow {
			t.Fatalf("%s: a plain repository's git status: %s (%s)", name, d.Behavior, d.Reason)
		}
		if err := plant(filepath.Join(proj, ".git")); err != nil {
			t.Fatal(err)
		}
		if d := c.Check(call); d.Behavior == Allow {
			t.Errorf("%s: git status allowed in a repository whose own config or hooks run a program", name)
		}
	}
}

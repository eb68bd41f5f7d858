package permission

import (
	"path/filepath"
	"testing"
)

// TestCommandsGivenCodeAsk: a prefix rule for an ordinary command does not allow it when its
// options or script run shell code, and code sed's `e` names is checked against deny rules.
func TestCommandsGivenCodeAsk(t *testing.T) {
	dir := t.TempDir()
	c := &Checker{Mode: ModeDefault, Dirs: []string{dir}, AllowRules: mustRules(t, "Bash(sed:*)", "Bash(awk:*)",
		"Bash(git:*)", "Bash(tar:*)", "Bash(rsync:*)", "Bash(man:*)", "Bash(find:*)"), DenyRules: mustRules(t, "Bash(touch:*)")}
	for _, cmd := range []string{
		"sed -n '1e mkdir x' README.md", "sed '$e mkdir x' f", "sed -e 's/a/b/' -e '/re/e mkdir x' f", "sed 's/.*/mkdir x/e' f",
		"sed -n 's/a/b/ge' f", "sed -ne '1!e mkdir x' f", "sed 'e' f", "sed -f script.sed f", "sed \"$S\" f",
		"sed -e '1{e mkdir x' -e '}' f", `sed -n '/a\/b/e mkdir x' f`, "sed -E 's|a|b|e' f", "sed --expression='2e mkdir x' f",
		"awk 'BEGIN{system(\"mkdir x\")}'", "awk '{print | \"sh\"}' f", "awk '{print > \".bashrc\"}' f",
		`awk 'BEGIN{"id" | getline x}'`, "awk -f prog.awk f", "awk \"$P\" f",
		"git -c core.fsmonitor='mkdir x' status", "git --config-env=core.pager=X log", "git grep -O'mkdir x' foo",
		"git rebase --exec 'mkdir x' HEAD~1", "git bisect run ./t.sh", "git submodule foreach 'mkdir x'",
		"git clone --upload-pack='mkdir x; git-upload-pack' r", "git difftool -x 'mkdir x'",
		"tar --to-command='mkdir x' -xf a.tar", "tar -cf a.tar --checkpoint=1 --checkpoint-action=exec='mkdir x' .",
		"tar -xIf 'mkdir x' a.tar", "rsync -e 'mkdir x' a b", "rsync -avze 'sh -c x' a b", "rsync --rsync-path='mkdir x' a h:b",
		"man -P 'mkdir x' ls",
	} {
		if d := c.Check(bashCall(cmd)); d.Behavior != Ask {
			t.Errorf("%q: got %s by %q, want ask", cmd, d.Behavior, d.Rule)
		}
	}
	for _, cmd := range []string{"sed -n '1p' f", "sed -i.bak 's/e/E/g' f", "sed -e 's/x/e/' -e '/e/d' f", "sed '/e/!d' f",
		"sed 'y/abe/xyz/' f", "sed -n '/begin/,/end/p' f", "sed --sandbox '1e mkdir x' f", "sed 's/a/b/' \"$F\"",
		"awk '{print $1}' f", "awk -F: '$3 > 100 {n++} END {print n}' f", "git status", "git log --oneline",
		"tar -xzf a.tar.gz", "rsync -av a/ b/", "man ls", "find . -name '*.go'", "sed 's/a/b/w out.txt' f"} {
		if d := c.Check(bashCall(cmd)); d.Behavior != Allow {
			t.Errorf("%q: got %s (%s), want allow", cmd, d.Behavior, d.Reason)
		}
	}
	for _, mode := range []Mode{ModeDefault, ModeBypass} {
		c.Mode = mode
		if d := c.Check(bashCall("sed -n '1e touch CANARY' README.md")); d.Behavior != Deny {
			t.Errorf("%s: sed's e runs a denied command: got %s", mode, d.Behavior)
		}
		for _, cmd := range []string{"sed 's/.*/touch CANARY/e' README.md", `awk 'BEGIN{system("touch CANARY")}'`,
			"git -c core.fsmonitor='touch CANARY' status", "tar -cf /dev/null --checkpoint-action=exec='touch CANARY' ."} {
			if d := c.Check(bashCall(cmd)); d.Behavior != Ask || !d.MaybeDenied {
				t.Errorf("%s %q: might run a denied command: got %s", mode, cmd, d.Behavior)
			}
		}
	}
}

// TestFindWritesProtected: find's -fprint family writes its operand, and -delete its
// starting points and the protected names its tests may match.
func TestFindWritesProtected(t *testing.T) {
	dir := t.TempDir()
	mkfile(t, filepath.Join(dir, ".git/config"))
	c := &Checker{Mode: ModeBypass, Dirs: []string{dir}, AllowRules: mustRules(t, "Bash(find:*)")}
	for _, cmd := range []string{"find . -maxdepth 0 -fprintf .git/config '[core]\\n\\tfsmonitor = x\\n'",
		"find . -fprint .bashrc", "find . -fprint0 .envrc", "find . -fls .git/hooks/pre-commit", "find .git -delete",
		"find . -delete", "find . -name .claude -delete", "find . -path './.git/*' -delete", "find -name '*' -delete"} {
		if d := c.Check(bashCall(cmd)); d.Behavior != Ask || !d.Protected {
			t.Errorf("%q: got %s (%s), want a protected ask", cmd, d.Behavior, d.Reason)
		}
	}
	for _, cmd := range []string{"find . -name '*.pyc' -delete", "find . -fprint out.txt", "find .git -name config"} {
		if d := c.Check(bashCall(cmd)); d.Behavior != Allow {
			t.Errorf("%q: got %s (%s), want allow", cmd, d.Behavior, d.Reason)
		}
	}
}

package permission

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/strata-agent/strata/internal/lazyre"
)

// git subcommands that only read the repository, with the options each may take, as Claude
// Code lists them (less --no-index, which reads files outside the repository, and -C/-c
// before the subcommand). An option's kind follows its name: `=n` takes a number, `=s` any
// value, none a flag. Anything else — another option, another subcommand — asks.
var gitReadOnlyFlags = map[string]string{
	"status": "--short -s --branch -b --porcelain --long --verbose -v --untracked-files=s -u=s --ignored " +
		"--ignore-submodules=s --column --no-column --ahead-behind --no-ahead-behind --renames --no-renames --find-renames=s -M=s",
	"diff": gitStatFlags + gitColorFlags + "--dirstat --summary --patch-with-stat --word-diff --word-diff-regex=s " +
		"--color-words --no-renames --no-ext-diff --check --ws-error-highlight=s --full-index --binary --abbrev=n " +
		"--break-rewrites --find-renames --find-copies --find-copies-harder --irreversible-delete --diff-algorithm=s " +
		"--histogram --patience --minimal --ignore-space-at-eol --ignore-space-change --ignore-all-space " +
		"--ignore-blank-lines --inter-hunk-context=n --function-context --exit-code --quiet --cached --staged " +
		"--pickaxe-regex --pickaxe-all --relative=s --diff-filter=s -p -u -s -M -C -B -D -l -S=s -G=s -O=s -R",
	"log": gitPrettyFlags + gitRefFlags + gitDateFlags + gitCountFlags + gitStatFlags + gitColorFlags + gitPatchFlags +
		gitPeopleFlags + "--abbrev-commit --full-history --dense --sparse --simplify-merges --ancestry-path --source " +
		"--first-parent --merges --no-merges --reverse --walk-reflogs --skip=n --max-age=n --min-age=n " +
		"--no-min-parents --no-max-parents --follow --no-walk --left-right --cherry-mark --cherry-pick --boundary " +
		"--topo-order --date-order --author-date-order --pretty=s --format=s --diff-filter=s -S=s -G=s " +
		"--pickaxe-regex --pickaxe-all",
	"show": gitPrettyFlags + gitStatFlags + gitColorFlags + gitPatchFlags + "--abbrev-commit --word-diff " +
		"--word-diff-regex=s --color-words --pretty=s --format=s --first-parent --raw --diff-filter=s -m --quiet",
	"shortlog": gitRefFlags + gitDateFlags + "-s --summary -n --numbered -e --email -c --committer --group=s " +
		"--format=s --no-merges --author=s",
	"blame": gitColorFlags + "-L=s --porcelain -p --line-porcelain --incremental --root --show-stats --show-name " +
		"--show-number -n --show-email -e -f --date=s -w --ignore-rev=s --ignore-revs-file=s -M -C --score-debug " +
		"--abbrev=n -s -l -t",
	"ls-files": "--cached -c --deleted -d --modified -m --others -o --ignored -i --stage -s --killed -k --unmerged -u " +
		"--directory --no-empty-directory --eol --full-name --abbrev=n --debug -z -t -v -f --exclude=s -x=s " +
		"--exclude-from=s -X=s --exclude-per-directory=s --exclude-standard --error-unmatch --recurse-submodules",
	"rev-parse": "--verify --short=s --abbrev-ref --symbolic --symbolic-full-name --show-toplevel --show-cdup " +
		"--show-prefix --git-dir --git-common-dir --absolute-git-dir --show-superproject-working-tree " +
		"--is-inside-work-tree --is-inside-git-dir --is-bare-repository --is-shallow-repository",
	"rev-list": gitRefFlags + gitDateFlags + gitCountFlags + gitPeopleFlags + "--count --reverse --first-parent " +
		"--ancestry-path --merges --no-merges --min-parents=n --max-parents=n --skip=n --oneline --abbrev-commit " +
		"--pretty=s --format=s --abbrev=n --full-history --graph",
	"describe":   "--tags --match=s --exclude=s --long --abbrev=n --always --contains --first-match --exact-match --candidates=n --dirty --broken",
	"merge-base": "--is-ancestor --fork-point --octopus --independent --all",
	"cat-file":   "-t -s -p -e",
	"grep": "-e=s -E --extended-regexp -G --basic-regexp -F --fixed-strings -P --perl-regexp -i --ignore-case -v " +
		"--invert-match -w --word-regexp -n --line-number -c --count -l --files-with-matches -L " +
		"--files-without-match -h -H --heading --break --full-name --color --no-color -o --only-matching " +
		"-A=n --after-context=n -B=n --before-context=n -C=n --context=n --and --or --not --max-depth=n " +
		"--untracked --cached -q --quiet",
	"stash list":    gitPrettyFlags + gitRefFlags + gitCountFlags,
	"stash show":    gitStatFlags + gitColorFlags + gitPatchFlags + "--word-diff --diff-filter=s --abbrev=n",
	"worktree list": "--porcelain -v --verbose",
	"branch": "-l --list -a --all -r --remotes -v -vv --verbose --color --no-color --column --no-column --abbrev=n " +
		"--no-abbrev --contains=s --no-contains=s --merged --no-merged --points-at=s --sort=s --show-current -i --ignore-case",
	"tag": "-l --list -n=n --contains=s --no-contains=s --merged=s --no-merged=s --sort=s --format=s --points-at=s " +
		"--column --no-column -i --ignore-case",
	"remote": "-v --verbose",
}

// The option groups several subcommands share.
const (
	gitRefFlags    = "--all --branches --tags --remotes "
	gitDateFlags   = "--since=s --after=s --until=s --before=s "
	gitPrettyFlags = "--oneline --graph --decorate --no-decorate --date=s --relative-date "
	gitCountFlags  = "--max-count=n -n=n "
	gitStatFlags   = "--stat --numstat --shortstat --name-only --name-status "
	gitColorFlags  = "--color --no-color "
	gitPatchFlags  = "--patch -p --no-patch --no-ext-diff -s "
	gitPeopleFlags = "--author=s --committer=s --grep=s "
)

// gitSignature matches format placeholders that verify signatures, which runs gpg.
var gitSignature = lazyre.New(`%[-+ ]?G|%\(\*?signature`)

// gitReadOnly reports whether `git args…` is a read-only git command with known options.
func gitReadOnly(args []token) bool {
	for len(args) > 0 && (args[0].text == "--no-pager" || args[0].text == "-P") {
		args = args[1:]
	}
	if len(args) == 0 {
		return false
	}
	sub, rest := args[0].text, args[1:]
	if (sub == "stash" || sub == "worktree") && len(rest) > 0 {
		sub, rest = sub+" "+rest[0].text, rest[1:]
	}
	spec, ok := gitReadOnlyFlags[sub]
	if !ok || !knownOptions(rest, optionKinds(spec)) {
		return false
	}
	for _, a := range rest {
		if gitSignature().MatchString(a.text) {
			return false
		}
	}
	switch sub {
	case "branch", "tag": // without --list a name creates a branch or tag
		return gitOnlyLists(rest)
	case "remote":
		return len(operands(rest)) == 0
	}
	return true
}

// gitOnlyLists reports whether branch or tag arguments list: names only with -l/--list, or
// as the commit of --merged/--no-merged.
func gitOnlyLists(args []token) bool {
	list := false
	for _, a := range args {
		if a.text == "--list" || len(a.text) > 1 && a.text[0] == '-' && a.text[1] != '-' && strings.Contains(a.text, "l") {
			list = true
		}
	}
	prev := ""
	for _, a := range args {
		named := !strings.HasPrefix(a.text, "-")
		if named && !list && prev != "--merged" && prev != "--no-merged" && !takesValue(prev) {
			return false
		}
		prev = a.text
	}
	return true
}

// takesValue reports whether option opt of branch/tag consumes the next word.
func takesValue(opt string) bool {
	switch opt {
	case "--contains", "--no-contains", "--points-at", "--sort", "--format", "-n":
		return true
	}
	return false
}

// optionKinds parses an option list: name → "" (a flag), "n" (a number) or "s" (a value).
func optionKinds(spec string) map[string]string {
	out := map[string]string{}
	for _, f := range strings.Fields(spec) {
		name, kind, _ := strings.Cut(f, "=")
		out[name] = kind
	}
	return out
}

// knownOptions reports whether every option is one of kinds with a fitting value, in any of
// the forms `--opt value`, `--opt=value`, `-ab` (flags bundled) and `-n5` / `-5` (counts).
// Operands are not looked at here; after `--` everything is an operand.
func knownOptions(args []token, kinds map[string]string) bool {
	for i := 0; i < len(args); i++ {
		a := args[i].text
		if a == "--" {
			return true
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			continue
		}
		name, val, hasVal := strings.Cut(a, "=")
		kind, ok := kinds[name]
		switch {
		case !ok:
			if !bundledFlags(name, kinds) {
				return false
			}
		case kind == "" && hasVal:
			return false
		case kind != "" && !hasVal:
			if i+1 >= len(args) || !optionValue(args[i+1].text, kind) {
				return false
			}
			i++
		case kind != "" && !optionValue(val, kind):
			return false
		}
	}
	return true
}

// bundledFlags accepts `-5` (a count), `-n5` (a short option's number) and `-ab` when a and b
// are flags.
func bundledFlags(name string, kinds map[string]string) bool {
	if len(name) < 2 || name[1] == '-' {
		return false
	}
	if isDigits(name[1:]) {
		return true
	}
	if kinds[name[:2]] == "n" && isDigits(name[2:]) {
		return true
	}
	for _, c := range name[1:] {
		if k, ok := kinds["-"+string(c)]; !ok || k != "" {
			return false
		}
	}
	return true
}

// optionValue checks an option's value: a number, or any value that is not an option.
func optionValue(v, kind string) bool {
	if kind == "n" {
		return isDigits(v)
	}
	return !strings.HasPrefix(v, "-")
}

// gitRepoReadable reports whether the repository git would find from each directory lies
// inside what Read may read (a working directory below someone's home repository must not
// show that repository's files), and runs nothing of the repository's own (gitRunsNothing).
// Outside any repository git only fails.
func (c *Checker) gitRepoReadable(dirs []string) bool {
	for _, d := range dirs {
		for dir := resolvePath(d); ; dir = filepath.Dir(dir) {
			if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
				if !c.mayRead(dir) || !gitRunsNothing(filepath.Join(dir, ".git")) {
					return false
				}
				break
			}
			if dir == filepath.Dir(dir) {
				break
			}
		}
	}
	return true
}

// gitProgramKeys are the repository-config keys (last part, lower case) that make a
// read-only git command run a program: fsmonitor on status, diff drivers and filters on
// diff, log -p and status, a pager, an ssh command, a hooks folder elsewhere.
var gitProgramKeys = map[string]bool{"fsmonitor": true, "textconv": true, "external": true, "command": true,
	"clean": true, "smudge": true, "process": true, "pager": true, "sshcommand": true, "hookspath": true,
	"askpass": true, "editor": true}

// gitRunsNothing reports whether the repository at gitDir (its .git) can make git run a
// program of its own: a repository that arrives as an archive brings its .git/config and
// .git/hooks with it, and a read-only command must not run them without asking. A .git
// file (a worktree or submodule pointing elsewhere) is not followed: those ask.
func gitRunsNothing(gitDir string) bool {
	fi, err := os.Lstat(gitDir)
	if err != nil || !fi.IsDir() {
		return false
	}
	hooks, _ := os.ReadDir(filepath.Join(gitDir, "hooks"))
	for _, h := range hooks {
		if !strings.HasSuffix(h.Name(), ".sample") {
			return false // status may write the index, and post-index-change runs then
		}
	}
	for _, name := range []string{"config", "config.worktree"} {
		data, err := os.ReadFile(filepath.Join(gitDir, name))
		if err != nil {
			continue
		}
		for _, line := range strings.Split(strings.ToLower(string(data)), "\n") {
			line = strings.TrimSpace(line)
			if strings.HasPrefix(line, "[include") {
				return false // config from another file
			}
			key, _, _ := strings.Cut(line, "=")
			if gitProgramKeys[strings.TrimSpace(key)] {
				return false
			}
		}
	}
	return true
}

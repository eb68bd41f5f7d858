package permission

import (
	"encoding/json"
	"path/filepath"
	"strings"
)

// A Bash command that only reads runs without asking, as in Claude Code: `ls`, `cat
// README.md`, `git status`, `grep -rn TODO src | head`. "Only reads" is decided from the
// syntax tree, never the text, and only for commands whose every option is known not to
// write, run other programs or reach the network. What such a command reads must still be
// something the Read tool may read without asking: every word that is not an option (and the
// value of every option) is checked as a path with the same decision Read gets, so `cat
// ~/.aws/credentials`, `ls /etc` or a file a Read deny rule covers still ask. Anything the
// parser cannot vouch for asks as before: substitutions, redirections that write, computed
// words, unknown options, environment prefixes other than locale and display settings.

// readOnlyReason is the decision's reason, for logs and hooks.
const readOnlyReason = "Allowed: a read-only command reading only files inside the working directories."

// readOnlyBash reports whether every simple command of the line is read-only and every file it
// names, lists or reads from may be read without asking.
func (c *Checker) readOnlyBash(s *subject) bool {
	l := s.line
	if !l.parsed || len(l.hazards) > 0 || len(l.parts) == 0 || len(l.blockTargets) > 0 {
		return false
	}
	dirs := c.cdDirs(l, c.cwd(s.call))
	for _, d := range dirs { // what a command given no operand reads
		if !c.mayRead(d) {
			return false
		}
	}
	for _, p := range l.parts {
		if !readOnlyPart(p) || !c.mayReadAll(readOnlyNames(p.words[1:]), dirs) {
			return false
		}
		if p.words[0].text == "git" && !c.gitRepoReadable(dirs) {
			return false
		}
	}
	return c.mayReadAll(l.inputs, dirs)
}

// readOnlyPart reports whether one simple command only reads, before its files are checked.
func readOnlyPart(p part) bool {
	if p.inner || p.opaque || p.code || p.badWrite || len(p.writes) > 0 || len(p.words) == 0 {
		return false
	}
	for _, a := range p.assigns {
		if !safeAssign(a) {
			return false
		}
	}
	for _, w := range p.words {
		if w.kind == tokDynamic {
			return false
		}
	}
	for _, l := range listings(p.words) {
		if l.follow && l.recursive {
			return false // a tree walked through symlinks may leave the working directories
		}
	}
	name := p.words[0]
	return name.kind == tokFixed && !strings.Contains(name.text, "/") && readOnlyArgs(name.text, p.words[1:])
}

// safeAssign allows the environment prefixes that change only how output looks.
func safeAssign(a token) bool {
	name, _, ok := strings.Cut(a.text, "=")
	if !ok || a.kind != tokFixed {
		return false
	}
	switch name {
	case "LANG", "LANGUAGE", "LC_ALL", "TZ", "NO_COLOR", "COLUMNS", "LINES", "TERM":
		return true
	}
	return strings.HasPrefix(name, "LC_")
}

// readOnlyNames returns the words of a command that may name a file: every operand, every
// option value given with `=`, and what follows a short option's letter (`-f/etc/x`). Words
// that are not paths (a grep pattern, a count) are checked too: they resolve inside the
// working directory, or ask, which errs on the side of asking.
func readOnlyNames(args []token) []token {
	var out []token
	for _, a := range args {
		switch {
		case a.text == "-" || a.text == "--" || !strings.HasPrefix(a.text, "-"):
			out = append(out, a)
		case strings.Contains(a.text, "="):
			_, v, _ := strings.Cut(a.text, "=")
			out = append(out, token{text: v, kind: a.kind})
		case !strings.HasPrefix(a.text, "--") && len(a.text) > 2:
			out = append(out, token{text: a.text[2:], kind: a.kind})
		}
	}
	return out
}

// mayReadAll reports whether each name, relative to each directory it may be relative to, and
// each file a pattern expands to there, is a path Read may read without asking.
func (c *Checker) mayReadAll(names []token, dirs []string) bool {
	for _, n := range names {
		if n.kind == tokDynamic {
			return false
		}
		if n.text == "" || n.text == "-" || n.text == "--" {
			continue
		}
		name := c.expandHome(n.text)
		if n.kind == tokPattern && (strings.HasPrefix(name, "~") || dotGlob(name)) {
			return false // another user's home, no home known, or a glob that may match ..
		}
		for _, d := range dirs {
			abs := name
			if !filepath.IsAbs(abs) {
				abs = filepath.Join(d, abs)
			}
			if !c.mayRead(abs) {
				return false
			}
			if n.kind != tokPattern {
				continue
			}
			for _, m := range globMatches(name, d) {
				if !c.mayRead(m) {
					return false
				}
			}
		}
	}
	return true
}

// dotGlob reports a pattern component starting with a dot and a wildcard (`.*`, `.?`,
// `.[`), which matches `..` in a bash without globskipdots and so names the parent directory.
func dotGlob(name string) bool {
	for _, comp := range strings.Split(name, "/") {
		if len(comp) > 1 && comp[0] == '.' && strings.ContainsAny(comp[1:2], "*?[") {
			return true
		}
	}
	return false
}

// mayRead asks the decision the Read tool would get for path.
func (c *Checker) mayRead(path string) bool {
	in, err := json.Marshal(map[string]string{"file_path": path})
	if err != nil {
		return false
	}
	return c.decide(Call{Tool: "Read", Input: in, Class: ClassRead}).Behavior == Allow
}

// readOnlyArgs reports whether a command with these arguments is in the read-only set:
// Claude Code's, less the commands whose options could not be bounded here (sed, xargs).
func readOnlyArgs(name string, args []token) bool {
	switch name {
	case "cat", "head", "tail", "wc", "stat", "strings", "hexdump", "od", "nl", "id", "uname",
		"free", "df", "du", "locale", "groups", "nproc", "basename", "dirname", "realpath", "cut",
		"paste", "tr", "column", "tac", "rev", "fold", "expand", "unexpand", "fmt", "comm", "cmp",
		"numfmt", "readlink", "diff", "true", "false", "sleep", "which", "type", "expr", "seq",
		"tsort", "pr", "cal", "uptime", "pwd", "whoami", "echo", "ls", "cd",
		"grep", "egrep", "fgrep", "sha256sum", "sha1sum", "md5sum":
		return true
	case "uniq": // `uniq in out` writes out: only options (and their counts) are read-only
		return len(operands(args)) == 0 || allCounts(operands(args))
	case "find":
		return !anyOption(args, "-delete", "-exec", "-execdir", "-ok", "-okdir", "-fprint",
			"-fprint0", "-fls", "-fprintf", "-files0-from")
	case "sort":
		return !anyOption(args, "--output", "--compress-program") && !hasShortOption(args, 'o')
	case "tree": // -o writes the listing to a file; -R with -H writes HTML files
		return !hasShortOption(args, 'o') && !hasShortOption(args, 'R')
	case "file": // -C compiles a magic file, which writes it
		return !hasShortOption(args, 'C') && !anyOption(args, "--compile")
	case "rg":
		return !anyOption(args, "--pre", "--pre-glob", "--hostname-bin")
	case "jq":
		return jqReadOnly(args)
	case "git":
		return gitReadOnly(args)
	}
	return false
}

// allCounts reports whether every word is a number (uniq -f 2, -s 3, -w 4).
func allCounts(ws []token) bool {
	for _, w := range ws {
		if !isDigits(w.text) {
			return false
		}
	}
	return true
}

// jqReadOnly refuses the options that read modules or named files outside the operands, and
// filters that read the environment (secrets live there) or load modules.
func jqReadOnly(args []token) bool {
	if anyOption(args, "--from-file", "--rawfile", "--slurpfile", "--run-tests", "--library-path") ||
		hasShortOption(args, 'f') || hasShortOption(args, 'L') {
		return false
	}
	for _, a := range args {
		for _, bad := range []string{"env", "$ENV", "include", "import", "input_filename"} {
			if strings.Contains(a.text, bad) {
				return false
			}
		}
	}
	return true
}

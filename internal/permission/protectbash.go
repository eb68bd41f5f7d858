package permission

import (
	"path"
	"path/filepath"
	"strings"

	"github.com/strata-agent/strata/internal/lazyre"
)

// A Bash line writes a protected path where the parser can tell: a redirection to it, or an
// operand of a command known to write its operands (tee, cp, mv, sed -i, git config…). Each
// target is resolved against the working directory and against every fixed `cd` or `pushd`
// destination in the line, since which of them applies depends on the line's control flow.
// Targets computed at run time (`>$F`) are not guessed at.

// bashWritesProtected returns a protected path the line writes, skipping simple commands an
// exact allow rule covers: such a rule spells out the whole command, path included.
func (c *Checker) bashWritesProtected(line *commandLine, cwd string) (protection, bool) {
	dirs := c.cdDirs(line, cwd)
	for _, t := range line.blockTargets {
		if pr, ok := c.protectsTarget(token{text: t, kind: tokPattern}, dirs); ok {
			return pr, true
		}
	}
	for _, p := range line.parts {
		pr, ok := c.partWritesProtected(p, dirs)
		if ok && !c.exactlyAllowed(p) {
			return pr, true
		}
	}
	return protection{}, false
}

// bashProtected is bashWritesProtected without the exception for exact rules.
func (c *Checker) bashProtected(line *commandLine, cwd string) (protection, bool) {
	dirs := c.cdDirs(line, cwd)
	for _, p := range line.parts {
		if pr, ok := c.partWritesProtected(p, dirs); ok {
			return pr, true
		}
	}
	return protection{}, false
}

func (c *Checker) partWritesProtected(p part, dirs []string) (protection, bool) {
	targets := make([]token, 0, len(p.targets))
	for _, t := range p.targets {
		targets = append(targets, token{text: t, kind: tokPattern})
	}
	for _, run := range p.runs {
		targets = append(targets, writtenFiles(run)...)
	}
	for _, t := range targets {
		if pr, ok := c.protectsTarget(t, dirs); ok {
			return pr, true
		}
	}
	return protection{}, false
}

// exactlyAllowed reports whether an exact Bash allow rule covers the simple command.
func (c *Checker) exactlyAllowed(p part) bool {
	r, ok := c.coveringRule(p)
	if !ok {
		return false
	}
	cr, _ := r.compiled()
	return cr.bash.kind == bashExact
}

// cdDirs lists the directories relative targets may be relative to: cwd, and where each
// `cd`/`pushd` with a fixed destination goes.
func (c *Checker) cdDirs(line *commandLine, cwd string) []string {
	dirs := []string{cwd}
	for _, p := range line.parts {
		if len(p.words) == 0 || p.words[0].kind != tokFixed || (p.words[0].text != "cd" && p.words[0].text != "pushd") {
			continue
		}
		dest := token{text: "~", kind: tokPattern}
		for _, a := range p.words[1:] {
			if !strings.HasPrefix(a.text, "-") || a.kind == tokDynamic {
				dest = a
				break
			}
		}
		if dest.kind == tokDynamic {
			continue
		}
		d := c.expandHome(dest.text)
		if !filepath.IsAbs(d) {
			d = filepath.Join(cwd, d)
		}
		dirs = append(dirs, filepath.Clean(d))
	}
	return dirs
}

func (c *Checker) expandHome(t string) string {
	if c.Home == "" {
		return t
	}
	if t == "~" {
		return c.Home
	}
	if rest, ok := strings.CutPrefix(t, "~/"); ok {
		return filepath.Join(c.Home, rest)
	}
	return t
}

// protectsTarget checks one written file against each directory it may be relative to. A
// glob is expanded the way bash would at this moment, and checked as written too (an
// unmatched glob stays literal).
func (c *Checker) protectsTarget(t token, dirs []string) (protection, bool) {
	if t.kind == tokDynamic || t.text == "" || harmlessTarget(t.text) {
		return protection{}, false
	}
	name := c.expandHome(t.text)
	for _, d := range dirs {
		abs := name
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(d, abs)
		}
		cands := []string{abs}
		if t.kind == tokPattern && strings.ContainsAny(name, "*?[") {
			matches, _ := filepath.Glob(abs)
			cands = append(cands, matches...)
		}
		for _, p := range cands {
			if pr, ok := c.protects(p); ok {
				return pr, true
			}
		}
		if filepath.IsAbs(name) {
			break
		}
	}
	return protection{}, false
}

// writtenFiles returns the operands of a command that writes files named by them. Commands
// that take both sources and a destination (cp, mv) give all operands: moving a file out of
// .git changes it as much as moving one in.
func writtenFiles(words []token) []token {
	if len(words) == 0 || words[0].kind != tokFixed {
		return nil
	}
	args := words[1:]
	switch path.Base(words[0].text) {
	case "tee", "cp", "mv", "ln", "install", "rsync", "touch", "truncate", "chmod", "chown", "chgrp", "patch", "unlink":
		return operands(args)
	case "sed":
		out := sedWrites(args)
		if inPlace(args) {
			out = append(out, operands(args)...)
		}
		return out
	case "perl", "ruby":
		if inPlace(args) {
			return operands(args)
		}
	case "sort":
		return optionValues(args, "-o", "--output")
	case "dd":
		var out []token
		for _, a := range args {
			if f, ok := strings.CutPrefix(a.text, "of="); ok {
				out = append(out, token{text: f, kind: a.kind})
			}
		}
		return out
	case "find":
		return findWrites(args)
	case "curl", "wget":
		return optionValues(args, "-o", "--output", "-O", "--output-document")
	case "git":
		return append(gitConfigTarget(args), optionValues(args, "--output")...) // git diff --output=f
	}
	return nil
}

// operands are the arguments that are not options; after `--`, all of them.
func operands(args []token) []token {
	var out []token
	opts := true
	for _, a := range args {
		switch {
		case opts && a.text == "--" && a.kind != tokDynamic:
			opts = false
		case opts && strings.HasPrefix(a.text, "-") && a.kind != tokDynamic:
		default:
			out = append(out, a)
		}
	}
	return out
}

// inPlace reports sed's and perl's in-place editing (-i, -i.bak, -pi, --in-place).
func inPlace(args []token) bool {
	for _, a := range args {
		if strings.HasPrefix(a.text, "--in-place") ||
			strings.HasPrefix(a.text, "-") && !strings.HasPrefix(a.text, "--") && strings.Contains(a.text, "i") {
			return true
		}
	}
	return false
}

// optionValues returns the values of the named options, given as `-o file`, `-o=file` or
// `--output=file`.
func optionValues(args []token, names ...string) []token {
	var out []token
	for i, a := range args {
		for _, n := range names {
			switch {
			case a.text == n && i+1 < len(args):
				out = append(out, args[i+1])
			case strings.HasPrefix(a.text, n+"="):
				out = append(out, token{text: strings.TrimPrefix(a.text, n+"="), kind: a.kind})
			}
		}
	}
	return out
}

// gitConfigTarget returns the file `git config` writes, when the command writes one: the
// repository's .git/config unless --global, --system or --file says otherwise. Reads
// (`git config user.name`, --get, --list, `git config get`) write nothing.
func gitConfigTarget(args []token) []token {
	i := 0
	for i < len(args) && strings.HasPrefix(args[i].text, "-") {
		switch args[i].text {
		case "-C", "-c", "--git-dir", "--work-tree", "--namespace", "--exec-path", "--config-env":
			i++ // an option with a separate value
		}
		i++
	}
	if i >= len(args) || args[i].text != "config" {
		return nil
	}
	target := token{text: ".git/config", kind: tokFixed}
	var ops []token
	write := false
	rest := args[i+1:]
	for j := 0; j < len(rest); j++ {
		switch a := rest[j].text; {
		case a == "--global":
			target = token{text: "~/.gitconfig", kind: tokPattern}
		case a == "--system":
			target = token{text: "/etc/gitconfig", kind: tokFixed}
		case (a == "--file" || a == "-f") && j+1 < len(rest):
			target = rest[j+1]
			j++
		case strings.HasPrefix(a, "--file="):
			target = token{text: strings.TrimPrefix(a, "--file="), kind: rest[j].kind}
		case a == "--get" || a == "--get-all" || a == "--get-regexp" || a == "--get-urlmatch" ||
			a == "--list" || a == "-l" || a == "--get-color" || a == "--get-colorbool":
			return nil
		case a == "--unset" || a == "--unset-all" || a == "--add" || a == "--replace-all" || a == "--edit" ||
			a == "-e" || a == "--rename-section" || a == "--remove-section":
			write = true
		case strings.HasPrefix(a, "-"):
		default:
			ops = append(ops, rest[j])
		}
	}
	if len(ops) > 0 {
		switch ops[0].text {
		case "get", "list":
			return nil
		case "edit", "set", "unset", "rename-section", "remove-section":
			write = true
		}
	}
	if write || len(ops) >= 2 || len(ops) > 0 && ops[0].kind == tokDynamic {
		return []token{target}
	}
	return nil
}

// sedWriteCommand finds sed's `w file` and `W file` commands and the s///w flag in a script.
var sedWriteCommand = lazyre.New(`(?:^|[;{}\n]|/[gpiIeEmM0-9]*)\s*[wW]\s+([^;}\n]+)`)

// sedWrites returns the files a sed script writes with its w commands; any operand may be
// the script (-e, -f and the first operand all are), and the regexp needs a w command.
func sedWrites(args []token) []token {
	var out []token
	for _, a := range args {
		if a.kind == tokDynamic {
			continue
		}
		for _, m := range sedWriteCommand().FindAllStringSubmatch(a.text, -1) {
			out = append(out, token{text: strings.TrimSpace(m[1]), kind: tokFixed})
		}
	}
	return out
}

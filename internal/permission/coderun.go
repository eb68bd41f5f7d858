package permission

import (
	"path"
	"strings"

	"github.com/strata-agent/strata/internal/lazyre"
)

// Some ordinary commands run shell code when given certain options or scripts: GNU sed's `e`
// command and s///e flag, awk's system() and pipes, git's -c (core.fsmonitor, core.pager…),
// tar's --to-command and --checkpoint-action=exec, rsync -e. A prefix rule such as
// Bash(sed:*) was written for the ordinary use, so such a call counts as a code runner: only
// an exact rule may allow it.

// runsCodeInArgs reports a command whose options or script make it run other code.
func runsCodeInArgs(words []token) bool {
	if len(words) < 2 || words[0].kind != tokFixed {
		return false
	}
	args := words[1:]
	switch path.Base(words[0].text) {
	case "sed", "gsed":
		s := parseSedArgs(args)
		return !s.sandbox && (s.fromFile || s.unknown || len(s.code) > 0)
	case "awk", "gawk", "mawk", "nawk":
		return awkRunsCode(args)
	case "git":
		return gitRunsCode(args)
	case "tar", "gtar", "bsdtar":
		return anyOption(args, "I", "F", "--to-command", "--checkpoint-action", "--use-compress-program",
			"--info-script", "--new-volume-script", "--rsh-command", "--rmt-command")
	case "rsync":
		return anyOption(args, "e", "--rsh", "--rsync-path")
	case "man":
		return anyOption(args, "P", "H", "--pager", "--html")
	}
	return false
}

// anyOption reports whether args hold one of the options: a one-letter name matches `-X`,
// `-Xvalue` and `-aX` bundles (a dynamic word might be any of them); a long one matches
// `--name` and `--name=value`.
func anyOption(args []token, names ...string) bool {
	for _, a := range args {
		if a.kind == tokDynamic {
			return true
		}
		if a.text == "--" {
			return false
		}
		for _, n := range names {
			switch {
			case strings.HasPrefix(n, "--"):
				if a.text == n || strings.HasPrefix(a.text, n+"=") {
					return true
				}
			case strings.HasPrefix(a.text, "-") && !strings.HasPrefix(a.text, "--") && strings.Contains(a.text, n):
				return true
			}
		}
	}
	return false
}

// sedArgs is what sed's arguments say about the code it runs.
type sedArgs struct {
	code     []string // the commands of `e command`
	unknown  bool     // `e` alone, s///e, or a script computed at run time: code only known when it runs
	fromFile bool     // a script read from a file (-f), which is not read here
	sandbox  bool     // --sandbox: GNU sed refuses e, r and w
}

// parseSedArgs finds sed's scripts (the values of -e, or else the first operand) and reads
// the code they run.
func parseSedArgs(args []token) sedArgs {
	var s sedArgs
	var scripts []token
	var operands []token
	for i := 0; i < len(args); i++ {
		a := args[i]
		next := func() token {
			if i+1 < len(args) {
				i++
				return args[i]
			}
			return token{}
		}
		switch {
		case a.kind == tokDynamic:
			operands = append(operands, a) // it might be an option, a script or a file
			s.unknown = s.unknown || len(scripts) == 0 && len(operands) == 1
		case a.text == "--":
			operands = append(operands, args[i+1:]...)
			i = len(args)
		case a.text == "--sandbox":
			s.sandbox = true
		case a.text == "--expression":
			scripts = append(scripts, next())
		case strings.HasPrefix(a.text, "--expression="):
			scripts = append(scripts, token{text: strings.TrimPrefix(a.text, "--expression="), kind: a.kind})
		case a.text == "--file" || strings.HasPrefix(a.text, "--file="):
			s.fromFile = true
		case a.text == "--line-length":
			next()
		case strings.HasPrefix(a.text, "--"):
		case strings.HasPrefix(a.text, "-") && len(a.text) > 1:
			scripts = append(scripts, sedShortOptions(a, next, &s)...)
		default:
			operands = append(operands, a)
		}
	}
	if len(scripts) == 0 && !s.fromFile && len(operands) > 0 {
		scripts = operands[:1]
	}
	for _, sc := range scripts {
		if sc.kind == tokDynamic {
			s.unknown = true
			continue
		}
		code, unknown := sedCode(sc.text)
		s.code = append(s.code, code...)
		s.unknown = s.unknown || unknown
	}
	return s
}

// sedShortOptions reads one bundle of short options (`-ne`, `-i.bak`, `-escript`).
func sedShortOptions(a token, next func() token, s *sedArgs) []token {
	for j := 1; j < len(a.text); j++ {
		rest := a.text[j+1:]
		switch a.text[j] {
		case 'i':
			return nil // the rest is the backup suffix
		case 'e', 'l':
			v := token{text: rest, kind: a.kind}
			if rest == "" {
				v = next()
			}
			if a.text[j] == 'e' {
				return []token{v}
			}
			return nil
		case 'f':
			s.fromFile = true
			if rest == "" {
				next()
			}
			return nil
		}
	}
	return nil
}

// sedCode returns the commands a sed script's `e command`s run; unknown is set by `e` alone
// and the s///e flag, which run text the script computes.
func sedCode(script string) (code []string, unknown bool) {
	s := script
	for i := 0; i < len(s); {
		if strings.IndexByte(" \t\n;}", s[i]) >= 0 {
			i++
			continue
		}
		i = skipSedAddresses(s, i)
		if i >= len(s) {
			break
		}
		cmd := s[i]
		i++
		switch cmd {
		case 'e':
			line, end := sedLine(s, i)
			i = end
			if t := strings.TrimSpace(line); t != "" {
				code = append(code, t)
			} else {
				unknown = true
			}
		case 'a', 'i', 'c', 'r', 'R', 'w', 'W', '#':
			_, i = sedLine(s, i)
		case ':', 'b', 't', 'T':
			for i < len(s) && s[i] != ';' && s[i] != '\n' {
				i++
			}
		case 's', 'y':
			var flags string
			i, flags = skipSedFields(s, i, cmd)
			if strings.Contains(flags, "e") {
				unknown = true
			}
			if strings.Contains(flags, "w") {
				_, i = sedLine(s, i)
			}
		}
	}
	return code, unknown
}

// sedLine returns the text up to the end of the line (a command that takes the rest of it),
// and where the next command starts; a backslash keeps the next character.
func sedLine(s string, i int) (string, int) {
	start := i
	for i < len(s) && s[i] != '\n' {
		if s[i] == '\\' {
			i++
		}
		i++
	}
	return s[start:min(i, len(s))], i
}

// skipSedAddresses skips a command's addresses (`1`, `$`, `/re/I`, `\,re,`, `0,/re/`,
// `1~2`, `3,+4`) and any `!`.
func skipSedAddresses(s string, i int) int {
	for k := 0; k < 2 && i < len(s); k++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9' || c == '$' || c == '+' || c == '~':
			i++
			for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '~') {
				i++
			}
		case c == '/' || c == '\\':
			delim := byte('/')
			if c == '\\' && i+1 < len(s) {
				delim, i = s[i+1], i+1
			}
			i = skipSedDelimited(s, i+1, delim)
			for i < len(s) && (s[i] == 'I' || s[i] == 'M') {
				i++
			}
		}
		if k == 0 && i < len(s) && s[i] == ',' {
			i++
			continue
		}
		break
	}
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '!') {
		i++
	}
	return i
}

// skipSedDelimited returns the index after the next unescaped delim.
func skipSedDelimited(s string, i int, delim byte) int {
	for i < len(s) && s[i] != delim {
		if s[i] == '\\' {
			i++
		}
		i++
	}
	return min(i+1, len(s))
}

// skipSedFields skips the two fields of s/re/repl/ and y/src/dst/ and returns s's flags.
func skipSedFields(s string, i int, cmd byte) (int, string) {
	if i >= len(s) {
		return i, ""
	}
	delim := s[i]
	i = skipSedDelimited(s, i+1, delim)
	i = skipSedDelimited(s, i, delim)
	if cmd == 'y' {
		return i, ""
	}
	start := i
	for i < len(s) && strings.IndexByte("gpiImMe0123456789w", s[i]) >= 0 {
		if s[i] == 'w' {
			i++
			break
		}
		i++
	}
	return i, s[start:i]
}

// awkCode matches awk programs that run commands or write files: system(), pipes to and
// from commands, print redirected to a file, gawk's @load of a shared library.
var awkCode = lazyre.New(`system\s*\(|\|\s*(getline|&)|\|&|\bprintf?\b[^;{}\n]*[|>]|@load`)

// awkRunsCode reports awk given a program file, a program computed at run time, or a
// program awkCode matches.
func awkRunsCode(args []token) bool {
	var programs []token
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a.kind == tokDynamic && len(programs) == 0:
			return true
		case a.text == "--":
			if len(programs) == 0 && i+1 < len(args) {
				programs = append(programs, args[i+1])
			}
			i = len(args)
		case a.text == "-e" || a.text == "--source":
			if i+1 < len(args) {
				programs = append(programs, args[i+1])
			}
			i++
		case strings.HasPrefix(a.text, "--source="):
			programs = append(programs, token{text: strings.TrimPrefix(a.text, "--source="), kind: a.kind})
		case strings.HasPrefix(a.text, "-f") || strings.HasPrefix(a.text, "-E") || strings.HasPrefix(a.text, "-i") ||
			strings.HasPrefix(a.text, "-l") || strings.HasPrefix(a.text, "--file") || strings.HasPrefix(a.text, "--exec") ||
			strings.HasPrefix(a.text, "--include") || strings.HasPrefix(a.text, "--load"):
			return true // a program, or a library, from a file
		case a.text == "-F" || a.text == "-v":
			i++
		case strings.HasPrefix(a.text, "-") && len(a.text) > 1:
		case len(programs) == 0:
			programs = append(programs, a)
			i = len(args) // the rest are files and assignments
		}
	}
	for _, p := range programs {
		if p.kind == tokDynamic || awkCode().MatchString(p.text) {
			return true
		}
	}
	return false
}

// gitRunsCode reports git options that name a command to run or change the configuration
// (-c core.fsmonitor=…, core.pager, alias.x=!cmd): the global -c, --config-env and
// --exec-path, and the subcommands' --upload-pack, --exec, --open-files-in-pager, --extcmd…;
// and the subcommands whose arguments are commands (bisect run, submodule foreach,
// filter-branch).
func gitRunsCode(args []token) bool {
	i := 0
	for ; i < len(args) && strings.HasPrefix(args[i].text, "-"); i++ {
		a := args[i].text
		switch {
		case a == "-c" || a == "--config-env" || strings.HasPrefix(a, "--config-env=") || strings.HasPrefix(a, "--exec-path="):
			return true
		case a == "-C" || a == "--git-dir" || a == "--work-tree" || a == "--namespace":
			i++
		}
	}
	if i >= len(args) {
		return false
	}
	sub, rest := args[i], args[i+1:]
	if sub.kind == tokDynamic {
		return true
	}
	switch sub.text {
	case "filter-branch", "filter-repo":
		return true
	case "bisect":
		return len(rest) > 0 && rest[0].text == "run"
	case "submodule":
		for _, a := range rest {
			if a.text == "foreach" {
				return true
			}
		}
	}
	short := map[string]string{"grep": "O", "rebase": "x", "difftool": "x", "clone": "u"}[sub.text]
	names := []string{"--upload-pack", "--receive-pack", "--exec", "--open-files-in-pager", "--extcmd"}
	if short != "" {
		names = append(names, short)
	}
	return anyOption(rest, names...)
}

// findWrites returns the files find writes: the operands of -fprint, -fprint0, -fprintf and
// -fls, and with -delete its starting points and the protected names its tests may match
// under them (`find . -name .git -delete`, `find . -delete`).
func findWrites(args []token) []token {
	var out, starts, tests []token
	del := false
	expr := false
	for i, a := range args {
		switch {
		case !expr && (strings.HasPrefix(a.text, "-") || a.text == "(" || a.text == "!") && a.kind != tokDynamic:
			expr = true
		case !expr:
			starts = append(starts, a)
			continue
		}
		switch a.text {
		case "-fprint", "-fprint0", "-fprintf", "-fls":
			if i+1 < len(args) {
				out = append(out, args[i+1])
			}
		case "-delete":
			del = true
		case "-name", "-iname", "-path", "-ipath", "-wholename", "-iwholename", "-regex", "-iregex":
			if i+1 < len(args) {
				tests = append(tests, args[i+1])
			}
		}
	}
	if !del {
		return out
	}
	if len(starts) == 0 {
		starts = []token{{text: ".", kind: tokFixed}}
	}
	out = append(out, starts...)
	for _, s := range starts {
		for _, n := range deletableProtected(tests) {
			out = append(out, token{text: path.Join(s.text, n), kind: s.kind})
		}
	}
	return out
}

// deletableProtected lists the protected names directly under a starting point that find's
// name tests may match; without a test, find deletes everything.
func deletableProtected(tests []token) []string {
	names := []string{".git", ".claude", ".vscode", ".idea", ".husky", ".envrc", ".mcp.json", ".gitmodules", ".npmrc"}
	if len(tests) == 0 {
		return names
	}
	var out []string
	for _, n := range names {
		for _, t := range tests {
			ok, _ := path.Match(strings.ToLower(t.text), n)
			if ok || t.kind == tokDynamic || strings.Contains(strings.ToLower(t.text), n) {
				out = append(out, n)
				break
			}
		}
	}
	return out
}

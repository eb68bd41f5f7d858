package permission

import (
	"path"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/strata-agent/strata/internal/lazyre"
)

// A Bash command is judged on its syntax tree, never on its text: the parser splits it into
// the simple commands bash will run (across ; && || | &, newlines, subshells, blocks, loops,
// substitutions and the strings given to `bash -c` or `eval`), and records what no rule can
// vouch for (command substitution, function definitions, redirections of whole blocks).

// tokenKind says how much is known about a word before bash runs it.
type tokenKind uint8

const (
	tokDynamic tokenKind = iota // computed at run time ($X, $(…), $'…'): the text is unknown
	tokPattern                  // fixed text, but unquoted glob, brace or tilde characters may expand it
	tokFixed                    // passed to the command exactly as text
)

// token is one word of a simple command.
type token struct {
	text string // quotes and escapes removed; for tokDynamic, the source text
	kind tokenKind
}

// part is one simple command of a command line.
type part struct {
	assigns  []token  // NAME=value prefixes
	words    []token  // the command name and its arguments
	writes   []string // redirections that write to a named file, as `>file`, `2>>file`
	targets  []string // the files of writes, as written
	badWrite bool     // a writing redirection whose target is computed at run time
	opaque   bool     // [[ ]], (( )), let, for ((…)): runs no command, yet no rule names it
	inner    bool     // inside a substitution or a `bash -c`/`eval` string
	code     bool     // runs code that could not be read: eval "$X", bash -c "$X", `… | sh`
	runs     [][]token
}

// commandLine is a parsed Bash command.
type commandLine struct {
	parts   []part
	parsed  bool
	hazards []string // why no rule with a specifier may allow the line
	// blockTargets are the files redirections of compound commands write (`{ …; } >f`).
	blockTargets []string
	// inputs are the files `<` redirections read, of any command; a read-only line must be
	// allowed to read them like the files it names.
	inputs []token
}

// maxShellDepth bounds how deep `bash -c "bash -c …"` strings are read.
const maxShellDepth = 4

// parseCommand analyses a Bash command line. A line the parser rejects is split on the
// characters that separate commands, so deny rules still see its pieces; it can never be
// allowed by a rule with a specifier.
func parseCommand(src string, depth int) commandLine {
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(src), "")
	if err != nil {
		return commandLine{parts: roughParts(src), hazards: []string{"the command could not be parsed"}}
	}
	w := &walker{depth: depth, line: commandLine{parsed: true}}
	for _, s := range f.Stmts {
		w.stmt(s, false)
	}
	for i := range w.line.parts {
		w.expandRuns(&w.line.parts[i])
	}
	return w.line
}

// roughSeparators splits an unparseable command where bash might start a new command.
var roughSeparators = lazyre.New("[;&|()`\n<>{}]|\\$\\(")

func roughParts(src string) []part {
	var out []part
	for _, frag := range roughSeparators().Split(src, -1) {
		fields := strings.Fields(strings.NewReplacer(`"`, "", `'`, "", `\`, "").Replace(frag))
		if len(fields) == 0 {
			continue
		}
		p := part{}
		for _, f := range fields {
			p.words = append(p.words, token{text: f, kind: tokFixed})
		}
		var complete bool
		p.runs, complete = commandRuns(p.words)
		p.code = p.code || !complete
		out = append(out, p)
	}
	return out
}

type walker struct {
	depth int
	line  commandLine
}

func (w *walker) hazard(why string) {
	for _, h := range w.line.hazards {
		if h == why {
			return
		}
	}
	w.line.hazards = append(w.line.hazards, why)
}

func (w *walker) stmts(list []*syntax.Stmt, inner bool) {
	for _, s := range list {
		w.stmt(s, inner)
	}
}

// stmt collects the simple commands of one statement.
func (w *walker) stmt(s *syntax.Stmt, inner bool) {
	if s == nil {
		return
	}
	var writes, targets []string
	badWrite := false
	for _, r := range s.Redirs {
		w.words(r.Word, r.Hdoc)
		if r.Op == syntax.RdrIn {
			w.line.inputs = append(w.line.inputs, wordToken(r.Word))
		}
		wr, ok := redirWrite(r)
		switch {
		case !ok:
			badWrite = true
			if t, kind := literal(r.Word); kind == tokPattern {
				targets = append(targets, t) // `>~/.bashrc`: expanded, yet its name is known
			}
		case wr != "":
			writes = append(writes, wr)
			t, _ := literal(r.Word)
			targets = append(targets, t)
		}
	}
	switch s.Cmd.(type) {
	case *syntax.CallExpr, *syntax.DeclClause:
	default:
		if len(writes) > 0 || badWrite {
			w.hazard("a redirection of a compound command")
			w.line.blockTargets = append(w.line.blockTargets, targets...)
		}
	}
	switch c := s.Cmd.(type) {
	case *syntax.CallExpr:
		p := part{inner: inner, writes: writes, targets: targets, badWrite: badWrite}
		for _, a := range c.Assigns {
			p.assigns = append(p.assigns, w.assign(a))
		}
		for _, a := range c.Args {
			w.words(a)
			p.words = append(p.words, wordToken(a))
		}
		w.line.parts = append(w.line.parts, p)
	case *syntax.DeclClause:
		p := part{inner: inner, writes: writes, targets: targets, badWrite: badWrite,
			words: []token{{text: c.Variant.Value, kind: tokFixed}}}
		for _, a := range c.Args {
			p.words = append(p.words, w.assign(a))
		}
		w.line.parts = append(w.line.parts, p)
	default:
		w.compound(s.Cmd, inner)
	}
}

// compound descends into the commands a compound command runs.
func (w *walker) compound(cmd syntax.Command, inner bool) {
	switch c := cmd.(type) {
	case *syntax.BinaryCmd:
		w.stmt(c.X, inner)
		w.stmt(c.Y, inner)
	case *syntax.Subshell:
		w.stmts(c.Stmts, inner)
	case *syntax.Block:
		w.stmts(c.Stmts, inner)
	case *syntax.IfClause:
		for ic := c; ic != nil; ic = ic.Else {
			w.stmts(ic.Cond, inner)
			w.stmts(ic.Then, inner)
		}
	case *syntax.WhileClause:
		w.stmts(c.Cond, inner)
		w.stmts(c.Do, inner)
	case *syntax.ForClause:
		if it, ok := c.Loop.(*syntax.WordIter); ok {
			w.words(it.Items...)
		} else {
			w.opaque(c.Loop, inner)
		}
		w.stmts(c.Do, inner)
	case *syntax.CaseClause:
		w.words(c.Word)
		for _, item := range c.Items {
			w.words(item.Patterns...)
			w.stmts(item.Stmts, inner)
		}
	case *syntax.FuncDecl:
		w.hazard("a function definition")
		w.stmt(c.Body, inner)
	case *syntax.TimeClause:
		w.stmt(c.Stmt, inner)
	case *syntax.CoprocClause:
		w.stmt(c.Stmt, inner)
	case nil:
	default: // [[ ]], (( )), let: no command of their own, but expansions inside them run
		w.opaque(c, inner)
	}
}

// opaque records a construct no rule can name, after collecting the substitutions in it.
func (w *walker) opaque(n syntax.Node, inner bool) {
	w.substitutions(n)
	w.line.parts = append(w.line.parts, part{inner: inner, opaque: true})
}

func (w *walker) assign(a *syntax.Assign) token {
	if a.Value != nil {
		w.words(a.Value)
	}
	if a.Array != nil || a.Index != nil {
		w.substitutions(a)
		return token{text: "array assignment", kind: tokDynamic}
	}
	if a.Name == nil { // a naked word of declare/export
		return wordToken(a.Value)
	}
	op := "="
	if a.Append {
		op = "+="
	}
	if a.Naked {
		return token{text: a.Name.Value, kind: tokFixed}
	}
	if a.Value == nil {
		return token{text: a.Name.Value + op, kind: tokFixed}
	}
	v := wordToken(a.Value)
	v.text = a.Name.Value + op + v.text
	return v
}

// words collects the substitutions inside words.
func (w *walker) words(ws ...*syntax.Word) {
	for _, word := range ws {
		if word != nil {
			w.substitutions(word)
		}
	}
}

// substitutions records every command and process substitution under n, and the commands
// they run, which deny rules check like any other.
func (w *walker) substitutions(n syntax.Node) {
	syntax.Walk(n, func(n syntax.Node) bool {
		switch s := n.(type) {
		case *syntax.CmdSubst:
			w.hazard("a command substitution")
			w.stmts(s.Stmts, true)
			return false
		case *syntax.ProcSubst:
			w.hazard("a process substitution")
			w.stmts(s.Stmts, true)
			return false
		}
		return true
	})
}

// harmlessTargets are files writing to which changes nothing on disk.
func harmlessTarget(t string) bool {
	switch t {
	case "/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty":
		return true
	}
	return false
}

// redirWrite describes a redirection that writes to a file as `>file` (with its fd number
// when given, `2>file`); "" for reads, here-documents, fd duplications and harmless targets.
// ok is false when the target is computed at run time.
func redirWrite(r *syntax.Redirect) (string, bool) {
	var op string
	switch r.Op {
	case syntax.RdrOut, syntax.AppOut, syntax.RdrInOut, syntax.RdrClob, syntax.RdrAll, syntax.AppAll,
		syntax.RdrAllClob, syntax.AppAllClob:
		op = r.Op.String()
	case syntax.DplOut:
		op = r.Op.String()
		if t, kind := literal(r.Word); kind == tokFixed && (t == "-" || isDigits(t)) {
			return "", true // 2>&1, >&-
		}
	default:
		return "", true
	}
	t, kind := literal(r.Word)
	if kind != tokFixed {
		return "", false
	}
	if harmlessTarget(t) {
		return "", true
	}
	n := ""
	if r.N != nil {
		n = r.N.Value
	}
	return n + op + t, true
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func wordToken(w *syntax.Word) token {
	text, kind := literal(w)
	if kind == tokDynamic {
		var b strings.Builder
		_ = syntax.NewPrinter().Print(&b, w)
		text = b.String()
	}
	return token{text: text, kind: kind}
}

// literal returns a word's text with quotes and escapes removed, and how fixed it is.
func literal(w *syntax.Word) (string, tokenKind) {
	if w == nil {
		return "", tokDynamic
	}
	var b strings.Builder
	kind := tokFixed
	for i, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			if i == 0 && strings.HasPrefix(p.Value, "~") || strings.ContainsAny(p.Value, "*?[{") {
				kind = tokPattern
			}
			b.WriteString(unescape(p.Value, false))
		case *syntax.SglQuoted:
			if p.Dollar {
				return "", tokDynamic
			}
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			if p.Dollar {
				return "", tokDynamic
			}
			for _, q := range p.Parts {
				l, ok := q.(*syntax.Lit)
				if !ok {
					return "", tokDynamic
				}
				b.WriteString(unescape(l.Value, true))
			}
		default:
			return "", tokDynamic
		}
	}
	return b.String(), kind
}

// unescape removes the backslashes bash removes: every one outside quotes, and inside
// double quotes only before $ ` " \ and newline. An escaped newline disappears.
func unescape(s string, quoted bool) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		next := s[i+1]
		if quoted && !strings.ContainsRune("$`\"\\\n", rune(next)) {
			b.WriteByte(c)
			continue
		}
		i++
		if next != '\n' {
			b.WriteByte(next)
		}
	}
	return b.String()
}

// expandRuns lists the commands a part may run, for deny and ask rules: itself, the command behind wrappers (sudo, env, xargs, find -exec…), and
// the commands inside `bash -c` and `eval` strings, which become inner parts of the line.
func (w *walker) expandRuns(p *part) {
	if p.opaque {
		return
	}
	var complete bool
	p.runs, complete = commandRuns(p.words)
	p.code = p.code || !complete
	seen := map[string]bool{}
	for _, run := range p.runs {
		code, known := embeddedCode(run)
		switch {
		case !known:
			p.code = true
		case code != "" && w.depth >= maxShellDepth:
			p.code = true
		case code != "" && !seen[code]:
			seen[code] = true
			nested := parseCommand(code, w.depth+1)
			for _, np := range nested.parts {
				np.inner = true
				w.line.parts = append(w.line.parts, np)
			}
		}
	}
}

// commandRuns returns words and the commands wrappers in it would run. A command given by
// path also counts under its base name (/bin/rm is rm). complete is false when the wrappers
// go deeper than is read; such a command might run anything.
func commandRuns(words []token) (runs [][]token, complete bool) {
	budget := maxRuns
	runs = collectRuns(words, 0, &budget, nil)
	return runs, budget >= 0
}

// maxRuns bounds the commands read through wrappers (`sudo env nice rm`), so that a long
// line of them cannot make a check slow; maxWrapperOptions is how many leading arguments
// of a wrapper may be its options.
const (
	maxRuns           = 64
	maxWrapperDepth   = 4
	maxWrapperOptions = 6
)

func collectRuns(words []token, depth int, budget *int, runs [][]token) [][]token {
	if len(words) == 0 {
		return runs
	}
	if *budget--; *budget < 0 {
		return runs
	}
	runs = append(runs, words)
	name := words[0]
	if name.kind == tokFixed && strings.Contains(name.text, "/") {
		words = append([]token{{text: path.Base(name.text), kind: tokFixed}}, words[1:]...)
		runs = append(runs, words)
		name = words[0]
	}
	if name.kind != tokFixed || !isWrapper(name.text) {
		return runs
	}
	if depth >= maxWrapperDepth {
		*budget = -1
		return runs
	}
	// Which argument starts the wrapped command depends on each wrapper's options; the
	// first few are all tried, so deny rules may match a little too much but never too
	// little. find runs what follows -exec and its kin, however far along.
	for i := 1; i < len(words) && *budget >= 0; i++ {
		prev := words[i-1].text
		if i <= maxWrapperOptions || name.text == "find" && (strings.HasPrefix(prev, "-exec") || strings.HasPrefix(prev, "-ok")) {
			runs = collectRuns(words[i:], depth+1, budget, runs)
		}
	}
	return runs
}

// isWrapper reports commands that run another command given in their arguments.
func isWrapper(name string) bool {
	switch name {
	case "sudo", "doas", "env", "nohup", "nice", "ionice", "time", "timeout", "command", "builtin",
		"exec", "xargs", "find", "stdbuf", "unbuffer", "setsid", "chroot", "watch", "strace",
		"ltrace", "flock", "caffeinate", "chrt", "taskset", "unshare", "runuser", "su", "parallel":
		return true
	}
	return false
}

// isShell reports the shells `-c` strings are read for.
func isShell(name string) bool {
	switch name {
	case "bash", "sh", "zsh", "dash", "ksh", "mksh", "ash", "busybox":
		return true
	}
	return false
}

// embeddedCode returns the shell code a command runs from its arguments: the string after a
// shell's -c, or eval's arguments joined. known is false when that code is computed at run
// time, or when a shell reads its commands from stdin (`curl … | sh`).
func embeddedCode(words []token) (code string, known bool) {
	if len(words) == 0 || words[0].kind != tokFixed {
		return "", true
	}
	name := path.Base(words[0].text)
	switch {
	case name == "source" || name == ".":
		// A script file is not read, like `bash script.sh`; code produced at run time
		// (`source <(curl …)`, `. /dev/stdin`) is unknown.
		if len(words) < 2 || words[1].kind == tokDynamic || fromStdin(words[1].text) {
			return "", false
		}
		return "", true
	case name == "trap":
		if len(words) < 2 || words[1].kind == tokDynamic {
			return "", false
		}
		return words[1].text, true
	case name == "su" || name == "runuser" || name == "script" || name == "flock":
		return optionCode(words[1:], "-c", "--command")
	case name == "env":
		return optionCode(words[1:], "-S", "--split-string")
	case name == "eval":
		var texts []string
		for _, t := range words[1:] {
			if t.kind == tokDynamic {
				return "", false
			}
			texts = append(texts, t.text)
		}
		return strings.Join(texts, " "), true
	case isShell(name):
		return shellScript(words[1:])
	case name == "sed" || name == "gsed":
		// GNU sed's `e command` runs command through the shell; `e` alone and s///e run
		// text the script computes.
		s := parseSedArgs(words[1:])
		if s.sandbox {
			return "", true
		}
		return strings.Join(s.code, "\n"), !s.unknown
	case runsCodeInArgs(words):
		return "", false // awk's system(), git -c, tar --to-command: code not read here
	}
	return "", true
}

// shellScript finds the -c string among a shell's arguments. A shell given a script file
// runs that file, which is not read here; a shell given neither reads stdin.
func shellScript(args []token) (string, bool) {
	wantCode := false
	for _, a := range args {
		switch {
		case a.kind == tokDynamic:
			return "", false
		case wantCode:
			return a.text, true
		case a.text == "--":
		case strings.HasPrefix(a.text, "-") && !strings.HasPrefix(a.text, "--") && strings.Contains(a.text, "c"):
			wantCode = true
		case strings.HasPrefix(a.text, "-") || strings.HasPrefix(a.text, "+"):
		case fromStdin(a.text):
			return "", false
		default:
			return "", true // a script file
		}
	}
	return "", false
}

// runsAnother reports a wrapper given a command to run (`xargs mkdir`, `timeout 5 make`,
// `find . -exec …`): a prefix rule for the wrapper would allow every command, so only an
// exact rule may. A wrapper alone (`xargs` runs echo, `find . -name x` runs nothing) is fine.
func runsAnother(words []token) bool {
	if len(words) < 2 || words[0].kind != tokFixed {
		return false
	}
	switch name := path.Base(words[0].text); {
	case name == "find":
		for _, w := range words[1:] {
			if strings.HasPrefix(w.text, "-exec") || strings.HasPrefix(w.text, "-ok") || w.kind == tokDynamic {
				return true
			}
		}
		return false
	case name == "env":
		for _, w := range words[1:] {
			if !strings.HasPrefix(w.text, "-") && !strings.Contains(w.text, "=") || w.kind == tokDynamic {
				return true
			}
		}
		return false
	default:
		return isWrapper(name)
	}
}

// isCodeRunner reports commands whose arguments are code (shells, eval, and ordinary
// commands given code, coderun.go): a prefix rule naming them would allow anything, so only
// an exact rule may.
func isCodeRunner(words []token) bool {
	if len(words) == 0 {
		return false
	}
	switch name := path.Base(words[0].text); {
	case name == "eval" || name == "exec" || name == "source" || name == "." || name == "command" || name == "builtin" ||
		name == "trap":
		return true
	case isShell(name):
		return true
	}
	return runsCodeInArgs(words)
}

// fromStdin reports script names that read what is piped or substituted in: the commands
// are only known when the line runs.
func fromStdin(name string) bool {
	return name == "-" || name == "/dev/stdin" || strings.HasPrefix(name, "/dev/fd/") ||
		strings.HasPrefix(name, "/proc/self/fd/")
}

// optionCode returns the shell code given to a command as the value of one of the named
// options (`su -c CODE`, `env -S "CMD ARGS"`); none is no code.
func optionCode(args []token, names ...string) (string, bool) {
	for _, v := range optionValues(args, names...) {
		if v.kind == tokDynamic {
			return "", false
		}
		return v.text, true
	}
	return "", true
}

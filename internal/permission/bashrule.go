package permission

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
)

// bashKind is the form of a Bash rule's specifier.
type bashKind uint8

const (
	bashExact    bashKind = iota // Bash(git status)
	bashPrefix                   // Bash(npm run test:*), also Bash(npm run test *)
	bashWildcard                 // Bash(git * main): * stands for any text
)

// bashSpec is a compiled Bash rule.
type bashSpec struct {
	kind   bashKind
	words  []string // exact, prefix: the rule's words, assignments first
	writes []string // writing redirections the rule names (`make >build.log`)
	re     *regexp.Regexp
	first  string // wildcard: the rule's command name, "" when it starts with *
}

// verdict is how a deny or ask rule relates to a command: it matches, it does not, or it
// might (a word is computed at run time, so only running the command would tell).
type verdict uint8

const (
	no verdict = iota
	maybe
	yes
)

// compileBash checks and compiles a Bash rule's specifier.
func compileBash(spec string) (*bashSpec, error) {
	spec = strings.TrimSpace(spec)
	b := &bashSpec{kind: bashExact}
	body := spec
	switch {
	case spec == "":
		return nil, errors.New("the parentheses are empty; write Bash alone to match every command")
	case strings.HasSuffix(spec, ":*"):
		b.kind, body = bashPrefix, strings.TrimSpace(strings.TrimSuffix(spec, ":*"))
		if strings.Contains(body, "*") {
			return nil, errors.New("a prefix rule (ending in :*) cannot contain another *")
		}
	case strings.Contains(spec, ":*"):
		return nil, errors.New(":* may only end a Bash rule (as in Bash(npm run test:*))")
	case strings.HasSuffix(spec, " *") && strings.Count(spec, "*") == 1:
		b.kind, body = bashPrefix, strings.TrimSpace(strings.TrimSuffix(spec, "*"))
	case strings.Contains(spec, "*"):
		b.kind = bashWildcard
	}
	if body == "" {
		return nil, errors.New("the rule names no command")
	}
	line := parseCommand(body, maxShellDepth)
	if !line.parsed {
		return nil, errors.New("the command in it cannot be parsed")
	}
	if len(line.hazards) > 0 {
		return nil, fmt.Errorf("it contains %s, which a rule cannot name", line.hazards[0])
	}
	var own []part
	for _, p := range line.parts {
		if !p.inner {
			own = append(own, p)
		}
	}
	if len(own) != 1 || own[0].opaque {
		return nil, errors.New("a Bash rule names one simple command; write one rule per command of a compound line")
	}
	p := own[0]
	if p.badWrite {
		return nil, errors.New("it redirects to a file given by a variable, which a rule cannot name")
	}
	b.writes = p.writes
	for _, t := range append(append([]token(nil), p.assigns...), p.words...) {
		if t.kind == tokDynamic {
			return nil, fmt.Errorf("%q is expanded when the command runs, so a rule cannot name it", t.text)
		}
		b.words = append(b.words, t.text)
	}
	if b.kind == bashWildcard {
		b.re, b.first = wildcardRegexp(spec)
	}
	return b, nil
}

// wildcardRegexp turns `git * main` into a pattern over a command's words joined by single
// spaces, and returns the rule's command name when it has a literal one.
func wildcardRegexp(spec string) (*regexp.Regexp, string) {
	fields := strings.Fields(spec)
	for i, f := range fields {
		fields[i] = strings.ReplaceAll(regexp.QuoteMeta(f), `\*`, ".*")
	}
	first := strings.Fields(spec)[0]
	if strings.Contains(first, "*") {
		first = ""
	}
	return regexp.MustCompile(`^` + strings.Join(fields, " ") + `$`), first
}

// covers reports whether the rule allows this simple command on its own: every word it
// names is fixed text, and every file the command writes to is named by the rule.
func (b *bashSpec) covers(p part) bool {
	if p.opaque || p.badWrite || p.code {
		return false
	}
	toks := append(append([]token(nil), p.assigns...), p.words...)
	if len(p.words) > 0 && p.words[0].kind != tokFixed {
		return false // $X args, or a command name glob could expand
	}
	if b.kind != bashExact && (isCodeRunner(p.words) || runsAnother(p.words)) {
		return false
	}
	for _, wr := range p.writes {
		if !slices.Contains(b.writes, wr) {
			return false
		}
	}
	switch b.kind {
	case bashExact:
		for _, wr := range b.writes {
			if !slices.Contains(p.writes, wr) {
				return false // `make` is not `make >build.log`
			}
		}
		return len(toks) == len(b.words) && wordsEqual(toks, b.words)
	case bashPrefix:
		return len(toks) >= len(b.words) && wordsEqual(toks[:len(b.words)], b.words)
	}
	for _, t := range toks {
		if t.kind == tokDynamic {
			return false
		}
	}
	return b.re.MatchString(joinTokens(toks))
}

// wordsEqual compares the command's words with the rule's; a computed word never equals.
func wordsEqual(toks []token, words []string) bool {
	for i, w := range words {
		if toks[i].kind == tokDynamic || toks[i].text != w {
			return false
		}
	}
	return true
}

func joinTokens(toks []token) string {
	texts := make([]string, len(toks))
	for i, t := range toks {
		texts[i] = t.text
	}
	return strings.Join(texts, " ")
}

// hits reports whether a deny or ask rule matches a simple command, under any of the names
// it runs by (through wrappers, without its assignments unless the rule names some). A command whose code could
// not be read, or whose words are computed where the rule looks, might match.
func (b *bashSpec) hits(p part) verdict {
	if p.opaque {
		return no
	}
	v := no
	if p.code {
		v = maybe
	}
	for _, run := range p.runs {
		v = max(v, b.hitsRun(run))
		if v == yes {
			return yes
		}
	}
	if len(p.assigns) > 0 && len(b.words) > 0 && strings.Contains(b.words[0], "=") {
		// A rule that names an assignment (Bash(FOO=1 make:*)) also compares it.
		v = max(v, b.hitsRun(append(append([]token(nil), p.assigns...), p.words...)))
	}
	return v
}

func (b *bashSpec) hitsRun(toks []token) verdict {
	if b.kind == bashWildcard {
		return b.hitsWildcard(toks)
	}
	for i, w := range b.words {
		switch {
		case i >= len(toks):
			return no
		case toks[i].kind == tokDynamic || i == 0 && toks[i].kind == tokPattern:
			return maybe // a computed word may stand for any number of words
		case toks[i].text != w:
			if toks[i].kind == tokPattern {
				return maybe
			}
			return no
		}
	}
	if b.kind == bashPrefix || len(toks) == len(b.words) {
		return yes
	}
	for _, t := range toks[len(b.words):] {
		if t.kind == tokDynamic {
			return maybe // it may expand to nothing, leaving exactly the rule's command
		}
	}
	return no
}

func (b *bashSpec) hitsWildcard(toks []token) verdict {
	if len(toks) == 0 {
		return no
	}
	computed := false
	for _, t := range toks {
		computed = computed || t.kind == tokDynamic
	}
	if !computed && toks[0].kind == tokFixed {
		if b.re.MatchString(joinTokens(toks)) {
			return yes
		}
		return no
	}
	if toks[0].kind != tokFixed || b.first == "" || path.Base(toks[0].text) == b.first {
		return maybe
	}
	return no
}

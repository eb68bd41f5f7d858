package permission

import (
	"encoding/json"
	"net/url"
	"path"
	"path/filepath"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// SuggestRule proposes the rule "allow always for this project" saves for a call, or ""
// when none is safe: a Bash line with several commands, substitutions or computed words, and
// any write to a protected path (protect.go), is only ever allowed once.
//
//   - Bash: a single simple command becomes a prefix rule on its leading plain words (up to
//     three: `npm run test -- -x` → Bash(npm run test:*)), or an exact rule when it is all
//     plain words (`git status` → Bash(git status)) or writes to a file.
//   - Edit, Write, MultiEdit: Edit, which covers edits inside the working directories; for
//     a file elsewhere, its directory: Edit(//abs/dir/**).
//   - Read, Grep, Glob, LS: the same with Read; reads inside the working directories never
//     ask, so only outside paths need a rule.
//   - WebFetch: WebFetch(domain:host). Any other tool: its name.
func (c *Checker) SuggestRule(call Call) string {
	if call.Class == ClassUser {
		return "" // a question is asked every time: no rule could answer it
	}
	rule := c.suggest(call)
	if rule == "" {
		return ""
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if _, ok := c.writesProtected(c.subject(call)); ok {
		return ""
	}
	if r, err := ParseRule(rule, "suggestion"); err != nil || c.ruleNamesProtected(r) {
		return ""
	}
	return rule
}

// SuggestRules is what "allow always" may remember for a Bash line of several commands: one
// rule per command (SuggestBashRules), or none when the line writes a protected path or any
// rule would name one — AllowAlways would refuse it, so the dialog must not offer it.
func (c *Checker) SuggestRules(call Call) []string {
	if call.Tool != "Bash" || c.SuggestRule(call) != "" {
		return nil
	}
	var in toolInput
	_ = json.Unmarshal(call.Input, &in)
	rules := SuggestBashRules(in.Command)
	if len(rules) < 2 {
		return nil
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if _, ok := c.writesProtected(c.subject(call)); ok {
		return nil
	}
	for _, rule := range rules {
		if r, err := ParseRule(rule, "suggestion"); err != nil || c.ruleNamesProtected(r) {
			return nil
		}
	}
	return rules
}

func (c *Checker) suggest(call Call) string {
	var in toolInput
	_ = json.Unmarshal(call.Input, &in)
	switch {
	case call.Tool == "Bash":
		return suggestBash(in.Command)
	case isPathTool(call.Tool):
		family := "Read"
		if isEditTool(call.Tool) {
			family = "Edit"
		}
		s := &subject{call: call, in: in}
		c.mu.RLock()
		defer c.mu.RUnlock()
		s.paths = newCallPaths(s.callPath(), c.cwd(call))
		if c.insideDirs(s) {
			return family
		}
		dir := s.paths.real
		if !isDir(dir) {
			dir = filepath.Dir(dir)
		}
		return family + "(/" + escapeGlob(dir) + "/**)"
	case call.Tool == "WebFetch":
		u, err := url.Parse(in.URL)
		if err != nil || u.Hostname() == "" {
			return ""
		}
		return "WebFetch(domain:" + strings.ToLower(u.Hostname()) + ")"
	}
	return call.Tool
}

// maxSuggestedWords bounds how specific a suggested Bash prefix gets.
const maxSuggestedWords = 3

func suggestBash(command string) string {
	rules := SuggestBashRules(command)
	if len(rules) != 1 {
		return "" // a line of several commands is only allowed once through SuggestRule
	}
	return rules[0]
}

// SuggestBashRules proposes the rules that would allow a Bash command line without asking
// again: one per simple command, in order and without repeats (`npm test && git status` →
// Bash(npm test:*), Bash(git status)), since the checker allows a line whose every command a
// rule covers. It returns none when any part cannot be remembered safely: a line that does
// not parse, substitutions, computed words or code it cannot read.
func SuggestBashRules(command string) []string {
	line := parseCommand(command, 0)
	if !line.parsed || len(line.hazards) > 0 {
		return nil
	}
	var rules []string
	for _, p := range line.parts {
		if p.inner {
			continue // a `bash -c` string's commands are covered by the rule for the bash call
		}
		rule := suggestPart(p)
		if rule == "" {
			return nil
		}
		if !containsString(rules, rule) {
			rules = append(rules, rule)
		}
	}
	return rules
}

// destructive commands get an exact rule, never a prefix: allowing `rm -rf ./build` once
// must not allow every rm.
var destructive = map[string]bool{"rm": true, "rmdir": true, "shred": true, "dd": true, "mkfs": true,
	"sudo": true, "su": true, "doas": true, "chmod": true, "chown": true, "kill": true, "killall": true, "pkill": true}

// suggestPart is the rule for one simple command, or "" when none is safe.
func suggestPart(p part) string {
	if p.opaque || p.code || p.badWrite || len(p.words) == 0 {
		return ""
	}
	toks := append(append([]token(nil), p.assigns...), p.words...)
	var texts []string
	for i, t := range toks {
		if t.kind != tokFixed {
			return ""
		}
		if name, value, ok := strings.Cut(t.text, "="); ok && i < len(p.assigns) {
			texts = append(texts, name+"="+quoteWord(value))
			continue
		}
		texts = append(texts, quoteWord(t.text))
	}
	if len(p.writes) > 0 || isCodeRunner(p.words) || runsAnother(p.words) || destructive[path.Base(p.words[0].text)] {
		return "Bash(" + strings.Join(append(texts, p.writes...), " ") + ")"
	}
	n := len(p.assigns)
	for i := len(p.assigns); i < len(toks) && i-len(p.assigns) < maxSuggestedWords && plainWord(toks[i].text); i++ {
		n = i + 1
	}
	if n == len(toks) {
		return "Bash(" + strings.Join(texts, " ") + ")"
	}
	if n == len(p.assigns) {
		n++ // the command name alone, even when it is a path
	}
	return "Bash(" + strings.Join(texts[:n], " ") + ":*)"
}

// BashCommands splits a command line into the commands it runs, as written: `a && b | c` →
// a, b, c, so that a person approving it sees each one. Commands inside substitutions stay
// part of the command they appear in; a line that does not parse is one command.
func BashCommands(command string) []string {
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(command), "")
	if err != nil {
		return []string{strings.TrimSpace(command)}
	}
	var out []string
	syntax.Walk(f, func(n syntax.Node) bool {
		st, ok := n.(*syntax.Stmt)
		if !ok {
			return true
		}
		switch st.Cmd.(type) {
		case *syntax.CallExpr, *syntax.DeclClause, *syntax.TestClause, *syntax.ArithmCmd, *syntax.LetClause, nil:
			text := command[st.Pos().Offset():st.End().Offset()]
			if text = strings.TrimRight(strings.TrimSpace(text), ";&"); text != "" {
				out = append(out, strings.TrimSpace(text))
			}
			return false // a substitution inside belongs to this command
		}
		return true
	})
	return out
}

// plainWord is a subcommand-like word: letters, digits and - _ : . that does not start with
// a dash (an option) and is not a path.
func plainWord(w string) bool {
	if w == "" || w[0] == '-' {
		return false
	}
	for _, c := range w {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == ':', c == '.':
		default:
			return false
		}
	}
	return true
}

func quoteWord(w string) string {
	q, err := syntax.Quote(w, syntax.LangBash)
	if err != nil {
		return w
	}
	return q
}

// CommandCoveredBy reports whether every simple command in a command line matches one of
// the rules, with the strictness of Bash allow rules (a substitution or other hazard covers
// nothing). sandbox.excludedCommands are matched this way, so that `docker ps; curl x` does
// not leave the sandbox because `docker` may.
func CommandCoveredBy(command string, rules []Rule) bool {
	c := &Checker{AllowRules: rules}
	line := parseCommand(command, 0)
	_, ok := c.bashAllowedBy(&subject{line: &line})
	return ok
}

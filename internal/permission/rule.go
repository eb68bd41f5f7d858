package permission

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
)

// Rule is one parsed permission rule: Tool or Tool(specifier).
type Rule struct {
	Text      string
	Tool      string
	Specifier string // "" matches every call of Tool
	Source    string // where the rule came from, for messages
	// Base is the directory `/pattern` path rules are relative to: the project directory for
	// rules from a project's .claude/settings*.json, the settings file's directory for other
	// files. "" means the checker's working directory.
	Base string

	bash *bashSpec // compiled specifiers; nil until ParseRule or the first use
	path *pathSpec
}

// ParseRule parses and checks `Tool` or `Tool(specifier)`. A specifier the tool cannot use
// (a Bash rule naming two commands, a bad glob, WebFetch without domain:) is an error that
// names the rule and its source, so a broken rule is never silently ignored.
func ParseRule(text, source string) (Rule, error) {
	text = strings.TrimSpace(text)
	r := Rule{Text: text, Source: source}
	open := strings.IndexByte(text, '(')
	if open < 0 {
		r.Tool = text
	} else {
		if !strings.HasSuffix(text, ")") {
			return Rule{}, ruleError(source, text, errors.New("missing closing parenthesis"))
		}
		r.Tool, r.Specifier = text[:open], text[open+1:len(text)-1]
	}
	if r.Tool == "Task" {
		r.Tool = "Agent" // the Agent tool's old name: rules written for it still apply
	}
	if !validToolName(r.Tool) {
		return Rule{}, ruleError(source, text, errors.New("expected Tool or Tool(specifier)"))
	}
	if err := r.compile(); err != nil {
		return Rule{}, ruleError(source, text, err)
	}
	return r, nil
}

func ruleError(source, text string, err error) error {
	return fmt.Errorf("%s: permission rule %q: %w", source, text, err)
}

func validToolName(name string) bool {
	if name == "" {
		return false
	}
	for i, c := range name {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		case (c >= '0' && c <= '9' || c == '-' || c == '.') && i > 0:
		case c == '*' && i == len(name)-1 && strings.HasPrefix(name, "mcp__"):
		default:
			return false
		}
	}
	return true
}

// Tools by the inputs their rules look at.
func isReadTool(name string) bool {
	return name == "Read" || name == "Grep" || name == "Glob" || name == "LS" || name == "NotebookRead"
}

func isEditTool(name string) bool {
	return name == "Edit" || name == "Write" || name == "MultiEdit" || name == "NotebookEdit"
}

func isPathTool(name string) bool { return isReadTool(name) || isEditTool(name) }

// takesNoSpecifier lists strata's tools whose calls a specifier could not narrow.
func takesNoSpecifier(name string) bool {
	switch name {
	case "TodoWrite", "BashOutput", "KillShell":
		return true
	}
	return strings.HasPrefix(name, "mcp__")
}

// compile checks the specifier against the tool and keeps its compiled form. Tools strata
// does not have keep their specifier unchecked: other programs share these settings files,
// and such a rule can match nothing here anyway.
func (r *Rule) compile() error {
	spec := strings.TrimSpace(r.Specifier)
	if spec == "" && r.Specifier != "" || r.Specifier == "" && strings.HasSuffix(r.Text, "()") {
		return errors.New("the parentheses are empty; write the tool alone to match every call")
	}
	var err error
	switch {
	case spec == "":
	case r.Tool == "Bash" && spec == "*":
		r.Specifier = "" // Bash(*) is every command, like Bash
	case r.Tool == "Bash":
		r.bash, err = compileBash(spec)
	case isPathTool(r.Tool):
		r.path, err = compilePath(spec)
	case r.Tool == "WebFetch":
		err = checkDomain(spec)
	case takesNoSpecifier(r.Tool):
		err = fmt.Errorf("%s rules take no specifier; write %s", r.Tool, r.Tool)
	}
	return err
}

// checkDomain accepts `domain:example.com` (which also covers its subdomains).
func checkDomain(spec string) error {
	host, ok := strings.CutPrefix(spec, "domain:")
	if !ok || host == "" {
		return errors.New("WebFetch rules take domain:host, as in WebFetch(domain:example.com)")
	}
	if u, err := url.Parse("https://" + host); err != nil || u.Host != host || strings.ContainsAny(host, "/@") {
		return fmt.Errorf("%q is not a host name", host)
	}
	return nil
}

// compiled returns the rule with its specifier compiled, for rules built without ParseRule.
// A rule that does not compile matches nothing; Checker.Validate reports it.
func (r Rule) compiled() (Rule, bool) {
	if r.Specifier == "" || r.bash != nil || r.path != nil {
		return r, true
	}
	if r.Tool != "Bash" && !isPathTool(r.Tool) {
		return r, true
	}
	err := r.compile()
	return r, err == nil
}

// PathRule builds the rule Tool(//path) for an absolute path, its glob characters escaped,
// covering the path and, for a directory, everything inside it.
func PathRule(tool, path, source string) (Rule, error) {
	if !filepath.IsAbs(path) {
		return Rule{}, ruleError(source, tool+"("+path+")", errors.New("the path must be absolute"))
	}
	return ParseRule(tool+"(/"+escapeGlob(filepath.Clean(path))+")", source)
}

package permission

import (
	"encoding/json"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// Checker holds a session's rules and mode and decides on calls.
type Checker struct {
	Mode                            Mode
	AllowRules, AskRules, DenyRules []Rule
	// Dirs are the working directories; read-only tools inside them never ask.
	Dirs []string
}

// Check decides on one call before any person is asked. Deny rules win over ask rules, which
// win over allow rules; then the mode decides.
func (c *Checker) Check(call Call) Decision {
	if r, ok := firstMatch(c.DenyRules, call); ok {
		return Decision{Behavior: Deny, Rule: r.Text, Reason: "denied by the permission rule " + r.Text + " (" + r.Source + ")"}
	}
	if c.Mode == ModePlan && !call.ReadOnly {
		return Decision{Behavior: Deny, Reason: "plan mode is on: only read-only tools may run; present the plan instead of changing anything"}
	}
	if r, ok := firstMatch(c.AskRules, call); ok {
		return Decision{Behavior: Ask, Rule: r.Text}
	}
	if r, ok := firstMatch(c.AllowRules, call); ok {
		return Decision{Behavior: Allow, Rule: r.Text}
	}
	switch {
	case c.Mode == ModeBypass:
		return Decision{Behavior: Allow}
	case call.ReadOnly && c.insideDirs(call):
		return Decision{Behavior: Allow}
	case call.EditsFiles && c.Mode == ModeAcceptEdits && c.insideDirs(call):
		return Decision{Behavior: Allow}
	}
	return Decision{Behavior: Ask}
}

func firstMatch(rules []Rule, call Call) (Rule, bool) {
	for _, r := range rules {
		if matches(r, call) {
			return r, true
		}
	}
	return Rule{}, false
}

// toolInput holds the input fields rules look at.
type toolInput struct {
	Command  string `json:"command"`
	FilePath string `json:"file_path"`
	Path     string `json:"path"`
	URL      string `json:"url"`
}

func decodeInput(raw json.RawMessage) toolInput {
	var in toolInput
	_ = json.Unmarshal(raw, &in) // a malformed input matches no specifier; the tool reports it
	return in
}

func matches(r Rule, call Call) bool {
	if !toolMatches(r.Tool, call.Tool) {
		return false
	}
	if r.Specifier == "" {
		return true
	}
	in := decodeInput(call.Input)
	switch r.Tool {
	case "Bash":
		return bashMatches(r.Specifier, in.Command)
	case "Read", "Edit", "Write", "Glob", "Grep", "LS", "MultiEdit":
		p := in.FilePath
		if p == "" {
			p = in.Path
		}
		return pathMatches(r.Specifier, p)
	case "WebFetch":
		return domainMatches(r.Specifier, in.URL)
	}
	return r.Specifier == ""
}

// toolMatches compares a rule's tool with a call's: `Edit` rules also cover Write and MultiEdit,
// `Read` rules cover Glob, Grep and LS, and `mcp__server` covers every tool of that server.
func toolMatches(ruleTool, callTool string) bool {
	switch {
	case ruleTool == callTool:
		return true
	case ruleTool == "Edit" && (callTool == "Write" || callTool == "MultiEdit"):
		return true
	case ruleTool == "Read" && (callTool == "Glob" || callTool == "Grep" || callTool == "LS"):
		return true
	case strings.HasPrefix(ruleTool, "mcp__") && strings.Count(ruleTool, "__") == 1:
		return strings.HasPrefix(callTool, ruleTool+"__")
	}
	return false
}

// bashMatches matches `cmd` exactly or `prefix:*` as a prefix. A command with any shell
// control character never matches: a rule must not allow `safe && evil`.
func bashMatches(spec, command string) bool {
	command = strings.TrimSpace(command)
	if strings.ContainsAny(command, ";&|`$<>\n(){}") {
		return false
	}
	if prefix, ok := strings.CutSuffix(spec, ":*"); ok {
		return command == prefix || strings.HasPrefix(command, prefix+" ")
	}
	return command == spec
}

func pathMatches(spec, path string) bool {
	if path == "" {
		return false
	}
	pattern := spec
	switch {
	case strings.HasPrefix(spec, "//"):
		pattern = spec[1:]
	case !strings.HasPrefix(spec, "/"):
		pattern = "**/" + strings.TrimPrefix(spec, "./")
	}
	ok, _ := doublestar.Match(pattern, filepath.Clean(path))
	return ok
}

func domainMatches(spec, raw string) bool {
	domain, ok := strings.CutPrefix(spec, "domain:")
	if !ok {
		return false
	}
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	host := u.Hostname()
	return host == domain || strings.HasSuffix(host, "."+domain)
}

func (c *Checker) insideDirs(call Call) bool {
	in := decodeInput(call.Input)
	p := in.FilePath
	if p == "" {
		p = in.Path
	}
	if p == "" {
		return true // tools without a path (TodoWrite, a Grep in the cwd) stay inside
	}
	p = filepath.Clean(p)
	for _, d := range c.Dirs {
		if rel, err := filepath.Rel(d, p); err == nil && rel != ".." && !strings.HasPrefix(rel, "../") {
			return true
		}
	}
	return false
}

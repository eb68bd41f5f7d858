package permission

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/bmatcuk/doublestar/v4"
)

// Checker holds a session's rules and mode and decides on calls. It is safe for concurrent
// use; AllowAlways may add rules while calls are being checked.
type Checker struct {
	Mode                            Mode
	AllowRules, AskRules, DenyRules []Rule
	// Dirs are the working directories (the cwd, --add-dir, additionalDirectories):
	// read-only tools inside them never ask, acceptEdits edits inside them, and tools
	// reaching outside them ask unless a rule naming the path allows it.
	Dirs []string
	// Cwd anchors ./ rules and relative paths; "" means Dirs[0].
	Cwd string
	// Home anchors ~/ rules; without it they match nothing (Validate reports them).
	Home string
	// Protected are files and directories, absolute, whose writes always ask like the
	// built-in protected paths (protect.go): strata's own settings files wherever they are.
	Protected []string
	// Sandbox, when set, is the session's Bash sandbox: a command it confines is allowed
	// without asking (autoAllowBashIfSandboxed), and a call asking to leave it
	// (dangerouslyDisableSandbox) always asks.
	Sandbox BashSandbox
	// GOOS is the operating system whose file system the paths name; "" is runtime.GOOS.
	// On darwin and windows names are compared ignoring case, as their file systems do.
	GOOS string

	mu sync.RWMutex
}

// SetMode changes the mode while calls may be checked (Shift+Tab during a turn).
func (c *Checker) SetMode(m Mode) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.Mode = m
}

// WithMode returns a copy of the checker in mode m: the
// checker of a sub-agent whose definition sets its own permission mode.
func (c *Checker) WithMode(m Mode) *Checker {
	c.mu.RLock()
	defer c.mu.RUnlock()
	// The rule lists are copied: a rule granted to the copy must not land in the original's
	// backing array.
	return &Checker{Mode: m, AllowRules: slices.Clone(c.AllowRules), AskRules: slices.Clone(c.AskRules),
		DenyRules: slices.Clone(c.DenyRules), Dirs: c.Dirs, Cwd: c.Cwd, Home: c.Home, Protected: c.Protected, GOOS: c.GOOS}
}

// CurrentMode reads the mode under the lock.
func (c *Checker) CurrentMode() Mode {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.Mode
}

// Check decides on one call before any person is asked. Deny rules win over everything,
// plan mode then refuses what is not read-only, ask rules win over allow rules, and last
// the mode decides. A Bash rule with a specifier allows a command line only if it allows
// every simple command in it; deny and ask rules match if any simple command matches.
func (c *Checker) Check(call Call) Decision {
	d := c.check(call)
	if d.Behavior == Ask && c.CurrentMode() == ModeDontAsk {
		return Decision{Behavior: Deny, Rule: d.Rule, Reason: dontAskReason}
	}
	return d
}

// dontAskReason tells the model why dontAsk mode refused a call.
const dontAskReason = "Permission mode dontAsk refuses calls that would need permission; only calls the rules allow run."

func (c *Checker) check(call Call) Decision {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.decide(call)
}

// decide is check with the lock held: a read-only Bash command asks it about each file.
func (c *Checker) decide(call Call) Decision {
	s := c.subject(call)
	var unsure *Rule
	for i, r := range c.DenyRules {
		switch c.restricts(r, s) {
		case yes:
			return Decision{Behavior: Deny, Rule: r.Text, Reason: fmt.Sprintf("Denied by the permission rule %s (%s).", r.Text, r.Source)}
		case maybe:
			if unsure == nil {
				unsure = &c.DenyRules[i]
			}
		}
	}
	if call.Class == ClassUser { // the question is the call: a person answers it in any mode
		return Decision{Behavior: Ask, Protected: true}
	}
	if c.Mode == ModePlan && call.Class != ClassRead {
		return Decision{Behavior: Deny, Reason: planReason}
	}
	if unsure != nil {
		return Decision{Behavior: Ask, Rule: unsure.Text, MaybeDenied: true, Reason: fmt.Sprintf(
			"Part of this command is only known when it runs, so strata cannot tell whether the deny rule %s (%s) applies.", unsure.Text, unsure.Source)}
	}
	for _, r := range c.AskRules {
		if c.restricts(r, s) != no {
			return Decision{Behavior: Ask, Rule: r.Text, Reason: fmt.Sprintf("The permission rule %s (%s) asks before this call.", r.Text, r.Source)}
		}
	}
	if pr, ok := c.writesProtected(s); ok {
		return Decision{Behavior: Ask, Protected: true, Reason: protectedReason(pr)}
	}
	if s.line != nil {
		if why, ok := c.bashNamesHidden(s.line, c.cwd(s.call)); ok {
			return Decision{Behavior: Ask, MaybeDenied: true, Reason: why}
		}
	}
	if d, ok := c.bySandbox(s); ok {
		return d
	}
	if texts, ok := c.allowedBy(s); ok {
		return Decision{Behavior: Allow, Rule: strings.Join(texts, ", ")}
	}
	if s.line != nil && c.Mode != ModeBypass && c.readOnlyBash(s) {
		return Decision{Behavior: Allow, Reason: readOnlyReason}
	}
	return c.byMode(s)
}

// BashSandbox is what the checker needs of internal/sandbox.
type BashSandbox interface {
	AutoAllow(command string, outside bool) bool
	AsksOutside(outside bool) bool
}

// bySandbox decides a Bash call the sandbox settles: leaving the sandbox asks (except in
// bypassPermissions mode), and a sandboxed command is allowed when autoAllowBashIfSandboxed.
func (c *Checker) bySandbox(s *subject) (Decision, bool) {
	if c.Sandbox == nil || s.call.Tool != "Bash" {
		return Decision{}, false
	}
	switch {
	case c.Sandbox.AsksOutside(s.in.DisableSandbox) && c.Mode != ModeBypass:
		return Decision{Behavior: Ask, Reason: "This command asks to run outside the sandbox (dangerouslyDisableSandbox)."}, true
	case c.Sandbox.AutoAllow(s.in.Command, s.in.DisableSandbox):
		return Decision{Behavior: Allow, Reason: "Auto-allowed: the command runs in the sandbox (autoAllowBashIfSandboxed)."}, true
	}
	return Decision{}, false
}

// planReason tells the model why nothing but reading works.
const planReason = "Plan mode is on: only read-only tools may run. Investigate with them, then present your plan " +
	"to the user instead of changing anything; the user leaves plan mode to let you carry it out."

// byMode decides a call no rule decided.
func (c *Checker) byMode(s *subject) Decision {
	in := c.insideDirs(s)
	switch {
	case c.Mode == ModeBypass:
		return Decision{Behavior: Allow}
	case s.call.Class == ClassRead && in:
		return Decision{Behavior: Allow}
	case s.call.Class == ClassEdit && c.Mode == ModeAcceptEdits && in:
		return Decision{Behavior: Allow}
	case !in:
		return Decision{Behavior: Ask, Reason: fmt.Sprintf("%s reaches outside the working directories (%s).", s.paths.real, strings.Join(c.Dirs, ", "))}
	}
	return Decision{Behavior: Ask}
}

// AllowAlways adds an allow rule for the rest of the session ("allow always for this
// project"); a rule already there is not added twice. The caller also writes it to
// .claude/settings.local.json.
func (c *Checker) AllowAlways(rule string) error { return c.Grant(rule, "allowed for this project") }

// Grant adds an allow rule for the rest of the session on behalf of source (a skill's
// allowed-tools). Deny and ask rules still win over it, and a rule naming a protected path
// is refused.
func (c *Checker) Grant(rule, source string) error {
	r, err := ParseRule(rule, source)
	if err != nil {
		return err
	}
	if c.ruleNamesProtected(r) {
		return fmt.Errorf("%s names a protected path; it is allowed this once, and only a rule written into a settings file can allow it always", rule)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, have := range c.AllowRules {
		if have.Text == r.Text {
			return nil // already allowed: answering "always" twice adds nothing
		}
	}
	c.AllowRules = append(c.AllowRules, r)
	return nil
}

// Restrict adds a deny rule (deny true) or an ask rule for the rest of the session on
// behalf of source (an Agent SDK host's updatedPermissions).
func (c *Checker) Restrict(rule string, deny bool, source string) error {
	r, err := ParseRule(rule, source)
	if err != nil {
		return err
	}
	c.AddRestriction(r, deny)
	return nil
}

// Validate reports every rule that cannot be used, each with its source: rules built
// without ParseRule, and ~/ rules when Home is unknown.
func (c *Checker) Validate() error {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var errs []error
	for _, list := range [][]Rule{c.DenyRules, c.AskRules, c.AllowRules} {
		for _, r := range list {
			text := r.Text
			if text == "" {
				text = r.Tool + "(" + r.Specifier + ")"
			}
			cr := r
			cr.bash, cr.path = nil, nil
			if !validToolName(r.Tool) {
				errs = append(errs, ruleError(r.Source, text, errors.New("expected Tool or Tool(specifier)")))
			} else if err := cr.compile(); err != nil {
				errs = append(errs, ruleError(r.Source, text, err))
			} else if cr.path != nil && cr.path.anchor == anchorHome && c.Home == "" {
				errs = append(errs, ruleError(r.Source, text, errors.New("~ paths need a home directory, and none is known")))
			}
		}
	}
	return errors.Join(errs...)
}

// subject is a call with its input decoded once.
type subject struct {
	call  Call
	in    toolInput
	line  *commandLine // Bash
	paths callPaths    // file tools
	host  string       // WebFetch
}

// toolInput holds the input fields rules look at.
type toolInput struct {
	Command      string `json:"command"`
	FilePath     string `json:"file_path"`
	NotebookPath string `json:"notebook_path"`
	Path         string `json:"path"`
	Pattern      string `json:"pattern"`
	URL          string `json:"url"`
	SubagentType string `json:"subagent_type"`
	// DisableSandbox is Bash's dangerouslyDisableSandbox.
	DisableSandbox bool `json:"dangerouslyDisableSandbox"`
}

func (c *Checker) cwd(call Call) string {
	switch {
	case call.Cwd != "":
		return call.Cwd
	case c.Cwd != "":
		return c.Cwd
	case len(c.Dirs) > 0:
		return c.Dirs[0]
	}
	return "/"
}

func (c *Checker) subject(call Call) *subject {
	s := &subject{call: call}
	_ = json.Unmarshal(call.Input, &s.in) // a malformed input matches no specifier; the tool reports it
	switch {
	case call.Tool == "Bash":
		line := parseCommand(s.in.Command, 0)
		s.line = &line
	case isPathTool(call.Tool):
		s.paths = newCallPaths(s.callPath(), c.cwd(call))
	case call.Tool == "WebFetch":
		if u, err := url.Parse(s.in.URL); err == nil {
			s.host = strings.ToLower(u.Hostname())
		}
	}
	return s
}

// callPath is the file or directory a file tool's call reaches; a Glob pattern's literal
// leading directories count (`/etc/**` reaches /etc).
func (s *subject) callPath() string {
	for _, p := range []string{s.in.FilePath, s.in.NotebookPath} {
		if p != "" {
			return p
		}
	}
	p := s.in.Path
	if s.call.Tool == "Glob" && s.in.Pattern != "" {
		if base, _ := doublestar.SplitPattern(s.in.Pattern); base != "." && base != "" {
			if filepath.IsAbs(base) {
				return base
			}
			return filepath.Join(p, base)
		}
	}
	return p // "" is the working directory
}

// restricts says whether a deny or ask rule applies to the call.
func (c *Checker) restricts(r Rule, s *subject) verdict {
	if !toolMatches(r.Tool, s.call.Tool) {
		return no
	}
	if r.Specifier == "" {
		return yes
	}
	r, ok := r.compiled()
	if !ok {
		return no
	}
	switch {
	case r.bash != nil:
		v := no
		for _, p := range s.line.parts {
			v = max(v, r.bash.hits(p))
		}
		if v == no && !s.line.parsed {
			v = maybe
		}
		return v
	case r.path != nil:
		if c.pathMatches(r, s.paths.lexical) || c.pathMatches(r, s.paths.real) {
			return yes
		}
	case r.Tool == "WebFetch":
		if domainMatches(r.Specifier, s.host) {
			return yes
		}
	case r.Tool == "Agent":
		if r.Specifier == s.in.SubagentType {
			return yes
		}
	}
	return no
}

// allowedBy reports whether allow rules allow the call, and which. Rules without a
// specifier for file tools only reach inside the working directories; a rule naming a path
// may reach outside.
func (c *Checker) allowedBy(s *subject) ([]string, bool) {
	if s.call.Tool == "Bash" {
		return c.bashAllowedBy(s)
	}
	for _, r := range c.AllowRules {
		if r.Specifier == "" && isPathTool(s.call.Tool) && toolMatches(r.Tool, s.call.Tool) {
			if c.insideDirs(s) {
				return []string{r.Text}, true
			}
			continue
		}
		if r.path != nil || r.Specifier != "" && isPathTool(r.Tool) {
			// Allow rules compare the path the call really reaches, not the one it names.
			if cr, ok := r.compiled(); ok && toolMatches(r.Tool, s.call.Tool) && c.pathMatches(cr, s.paths.real) {
				return []string{r.Text}, true
			}
			continue
		}
		if c.restricts(r, s) == yes {
			return []string{r.Text}, true
		}
	}
	return nil, false
}

// bashAllowedBy allows a command line when every simple command in it is allowed by some
// rule, and nothing in it escapes what rules can name (substitutions, functions…).
func (c *Checker) bashAllowedBy(s *subject) ([]string, bool) {
	for _, r := range c.AllowRules {
		if r.Tool == "Bash" && r.Specifier == "" {
			return []string{r.Text}, true
		}
	}
	if !s.line.parsed || len(s.line.hazards) > 0 {
		return nil, false
	}
	var texts []string
	covered := 0
	for _, p := range s.line.parts {
		if p.inner {
			continue
		}
		r, ok := c.coveringRule(p)
		if !ok {
			return nil, false
		}
		covered++
		if !containsString(texts, r.Text) {
			texts = append(texts, r.Text)
		}
	}
	return texts, covered > 0
}

func (c *Checker) coveringRule(p part) (Rule, bool) {
	for _, r := range c.AllowRules {
		if r.Tool != "Bash" {
			continue
		}
		if cr, ok := r.compiled(); ok && cr.bash != nil && cr.bash.covers(p) {
			return r, true
		}
	}
	return Rule{}, false
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (c *Checker) pathMatches(r Rule, p string) bool {
	return r.path.matches(c.rootsFor(r), p)
}

// rootsFor is where a path rule's relative anchors point.
func (c *Checker) rootsFor(r Rule) roots {
	base := r.Base
	if base == "" {
		base = c.cwd(Call{})
	}
	return roots{cwd: c.cwd(Call{}), home: c.Home, base: base, fold: c.foldCase()}
}

// foldCase reports whether the file system ignores case (macOS and Windows by default), so
// that .GIT/config is .git/config and SECRETS/key.txt is secrets/key.txt.
func (c *Checker) foldCase() bool {
	goos := c.GOOS
	if goos == "" {
		goos = runtime.GOOS
	}
	return goos == "darwin" || goos == "windows"
}

// toolMatches compares a rule's tool with a call's: `Edit` rules also cover Write,
// MultiEdit and NotebookEdit, `Read` rules cover Glob, Grep and LS, and `mcp__server` or
// `mcp__server__*` covers every tool of that server.
func toolMatches(ruleTool, callTool string) bool {
	switch {
	case ruleTool == callTool:
		return true
	case ruleTool == "Edit":
		return isEditTool(callTool)
	case ruleTool == "Read":
		return isReadTool(callTool)
	case strings.HasPrefix(ruleTool, "mcp__"):
		server := strings.TrimSuffix(strings.TrimSuffix(ruleTool, "*"), "__")
		return strings.Count(server, "__") == 1 && strings.HasPrefix(callTool, server+"__")
	}
	return false
}

// domainMatches reports whether host is the rule's domain or one of its subdomains.
func domainMatches(spec, host string) bool {
	domain := strings.ToLower(strings.TrimPrefix(spec, "domain:"))
	return host != "" && (host == domain || strings.HasSuffix(host, "."+domain))
}

// insideDirs reports whether a file tool's call stays inside the working directories.
// Calls of other tools have no place and count as inside.
func (c *Checker) insideDirs(s *subject) bool {
	if !isPathTool(s.call.Tool) {
		return true
	}
	for _, d := range c.Dirs {
		if inside(resolvePath(filepath.Clean(d)), s.paths.real) {
			return true
		}
	}
	return false
}

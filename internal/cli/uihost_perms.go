package cli

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/settings"
	"github.com/strata-agent/strata/internal/tui"
)

// The host's side of the /permissions picker: the rules in force with the scope each lives
// in, and rules added, removed and moved between the user, project and local settings files.
// Every change takes effect in the running checker at once and is written to the scope's
// file (settings.AddToList and RemoveFromList: in place, never through a symbolic link).

// sessionRuleSource is the source of rules added with /permissions for this session only.
const sessionRuleSource = "session"

// scopeFiles maps the settings files strata loaded, and the three it may write, to scopes.
func (h *host) scopeFiles() map[string]settings.Scope {
	out := map[string]settings.Scope{}
	if h.st.settings != nil {
		for _, f := range h.st.settings.Files {
			out[f.Path] = f.Scope
		}
	}
	for _, s := range []settings.Scope{settings.ScopeUser, settings.ScopeProject, settings.ScopeLocal} {
		out[h.scopePath(s)] = s
	}
	return out
}

func (h *host) scopePath(s settings.Scope) string {
	return settings.ScopePath(s, configDir(h.a.env), h.a.env.Cwd)
}

// PermissionRules lists the rules in force by scope: user, project, local, session, the
// command line, then the others (managed, --settings, skills).
func (h *host) PermissionRules() []tui.ScopedRule {
	files := h.scopeFiles()
	allow, ask, deny := h.st.checker.RuleLists()
	var out []tui.ScopedRule
	for _, set := range []struct {
		list  string
		rules []permission.Rule
	}{{"deny", deny}, {"ask", ask}, {"allow", allow}} {
		for _, r := range set.rules {
			sr := tui.ScopedRule{List: set.list, Rule: r.Text, Scope: r.Source, Source: r.Source}
			switch scope, ok := files[r.Source]; {
			case ok:
				sr.Scope, sr.Path = string(scope), r.Source
			case r.Source == "allowed for this project": // an "always" answer, saved locally
				sr.Scope, sr.Path = string(settings.ScopeLocal), h.scopePath(settings.ScopeLocal)
			case strings.HasPrefix(r.Source, "--"):
				sr.Scope = "cli " + r.Source
			}
			out = append(out, sr)
		}
	}
	// By scope, as /permissions shows them; within one, deny before ask before allow.
	rank := func(scope string) int {
		for i, s := range []string{"user", "project", "local", "session"} {
			if scope == s {
				return i
			}
		}
		if strings.HasPrefix(scope, "cli ") {
			return 4
		}
		return 5
	}
	slices.SortStableFunc(out, func(a, b tui.ScopedRule) int { return rank(a.Scope) - rank(b.Scope) })
	return out
}

// AddPermissionRule checks rule and adds it to list in scope.
func (h *host) AddPermissionRule(list, rule, scope string) error {
	b := permission.Behavior(list)
	if b != permission.Allow && b != permission.Ask && b != permission.Deny {
		return fmt.Errorf("no rule list %q: allow, ask or deny", list)
	}
	rule = strings.TrimSpace(rule)
	if scope == sessionRuleSource {
		r, err := permission.ParseRule(rule, sessionRuleSource)
		if err != nil {
			return badRule(rule, err)
		}
		return h.st.checker.AddRule(b, r)
	}
	s := settings.Scope(scope)
	if s != settings.ScopeUser && s != settings.ScopeProject && s != settings.ScopeLocal {
		return fmt.Errorf("rules can be saved to the user, project or local settings, not %q", scope)
	}
	path := h.scopePath(s)
	r, err := permission.ParseRule(rule, path)
	if err != nil {
		return badRule(rule, err)
	}
	r.Base = ruleBase(settings.Source{Scope: s, Path: path}, h.a.env.Cwd)
	if err := settings.AddToList(path, s, []string{"permissions", list}, r.Text); err != nil {
		return err
	}
	return h.st.checker.AddRule(b, r)
}

// RemovePermissionRule takes r out of its file and out of the running checker.
func (h *host) RemovePermissionRule(r tui.ScopedRule) error {
	if !r.Editable() {
		return fmt.Errorf("%s comes from %s, which /permissions does not change", r.Rule, r.Scope)
	}
	if r.Path != "" {
		if _, err := settings.RemoveFromList(r.Path, settings.Scope(r.Scope), []string{"permissions", r.List}, r.Rule); err != nil {
			return err
		}
	}
	_, err := h.st.checker.RemoveRule(permission.Behavior(r.List), r.Rule, r.Source)
	return err
}

// MovePermissionRule adds r to scope's file first and only then takes it from its own, so a
// failure never loses it.
func (h *host) MovePermissionRule(r tui.ScopedRule, scope string) error {
	if !r.Editable() {
		return fmt.Errorf("%s comes from %s, which /permissions does not change", r.Rule, r.Scope)
	}
	if scope == r.Scope {
		return errors.New("the rule is already there")
	}
	if err := h.AddPermissionRule(r.List, r.Rule, scope); err != nil {
		return err
	}
	return h.RemovePermissionRule(r)
}

// WorkingDirs lists the working directories, the first the one strata started in.
func (h *host) WorkingDirs() []string { return h.st.checker.WorkingDirs() }

// badRule says why rule was refused, without the file it would have gone to (ParseRule's
// errors name their source, and the rule never reached one).
func badRule(rule string, err error) error {
	if inner := errors.Unwrap(err); inner != nil {
		err = inner
	}
	return fmt.Errorf("%q is not a permission rule: %w (rules look like Bash(npm run test:*), Read(./docs/**), WebFetch(domain:example.com))", rule, err)
}

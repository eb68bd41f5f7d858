package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/strata-agent/strata/internal/hooks"
	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/settings"
)

// liveSettings returns what applies changed settings files to the running session, after
// their ConfigChange hooks let the change through. The reference applies a changed file
// live; strata applies the part that cannot widen what the session may do without the
// user:
//   - hooks: the hook table is rebuilt from the new settings (and the plugins' hooks), under
//     the new hook policy (disableAllHooks…), and the FileChanged watcher follows it. A
//     change to the folder's own files (project or local settings) is applied only in a
//     trusted folder: hooks run commands outside the sandbox.
//   - permission rules: new deny and ask rules take effect at once, allow rules the file no
//     longer has stop allowing at once. New allow rules, removed deny or ask rules, and
//     every other key (model, env, sandbox, MCP servers…) take effect in the next session.
//
// Each change is reported to the user as it is applied.
func (a *app) liveSettings(st *stack, sopts settings.Options) func([]watchedFile) []string {
	return func(changed []watchedFile) []string {
		s, err := settings.Load(sopts)
		if err != nil {
			return []string{fmt.Sprintf("settings changed but cannot be read, so the session keeps those it has: %v", err)}
		}
		msgs := a.liveHooks(st, s, changed)
		for _, f := range changed {
			msgs = append(msgs, liveRules(st, s, f.path)...)
		}
		return msgs
	}
}

// liveHooks rebuilds the hook table from s; see liveSettings.
func (a *app) liveHooks(st *stack, s *settings.Settings, changed []watchedFile) []string {
	var names []string
	fromRepo := false
	for _, f := range changed {
		names = append(names, f.path)
		fromRepo = fromRepo || f.source == "project_settings" || f.source == "local_settings"
	}
	where := strings.Join(names, ", ")
	hookMap := joinPluginHooks(s.Hooks, st.plugins, func(string) {})
	if fromRepo && !a.folderTrusted() {
		if !sameHooks(hookMap, st.settings.Hooks) {
			return []string{"hooks changed in " + where + " are not applied: this folder is not trusted"}
		}
		return nil
	}
	o := hooks.Options{Hooks: hookMap}
	if err := hookPolicy(s, &o); err != nil {
		return []string{fmt.Sprintf("hooks in %s are not applied: %v", where, err)}
	}
	before := st.hooks.Listing()
	if err := st.hooks.Reload(o); err != nil {
		return []string{fmt.Sprintf("hooks in %s are not applied: %v", where, err)}
	}
	st.hooksChanged()
	after := st.hooks.Listing()
	if slices.EqualFunc(before, after, func(x, y hooks.Listed) bool {
		return x.Event == y.Event && x.Matcher == y.Matcher && x.Source == y.Source && sameHookCommand(x.Hook, y.Hook)
	}) {
		return nil
	}
	if where == "" {
		return []string{fmt.Sprintf("hooks reloaded: %d configured", len(after))}
	}
	return []string{fmt.Sprintf("hooks reloaded after %s changed: %d configured", where, len(after))}
}

func sameHookCommand(x, y settings.HookCommand) bool {
	return x.Type == y.Type && x.Command == y.Command && x.URL == y.URL && x.Prompt == y.Prompt && x.Timeout == y.Timeout
}

// sameHooks compares two hook tables by what they run.
func sameHooks(x, y map[string][]settings.HookMatcher) bool {
	if len(x) != len(y) {
		return false
	}
	for ev, xs := range x {
		if !slices.EqualFunc(xs, y[ev], func(a, b settings.HookMatcher) bool {
			return a.Matcher == b.Matcher && slices.EqualFunc(a.Hooks, b.Hooks, sameHookCommand)
		}) {
			return false
		}
	}
	return true
}

// liveRules applies the permission rules of one changed file: restrictions now, the rest
// next session; see liveSettings.
func liveRules(st *stack, s *settings.Settings, path string) []string {
	mine := func(list []settings.Rule) []settings.Rule {
		var out []settings.Rule
		for _, r := range list {
			if r.Source.Path == path {
				out = append(out, r)
			}
		}
		return out
	}
	var msgs, added, later []string
	for _, set := range []struct {
		rules []settings.Rule
		deny  bool
	}{{mine(s.Permissions.Deny), true}, {mine(s.Permissions.Ask), false}} {
		for _, sr := range set.rules {
			r, err := permission.ParseRule(sr.Text, path)
			if err != nil {
				msgs = append(msgs, fmt.Sprintf("%s: rule %q is not applied: %v", path, sr.Text, err))
				continue
			}
			r.Base = ruleBase(sr.Source, st.cwd)
			if st.checker.AddRestriction(r, set.deny) {
				added = append(added, sr.Text)
			}
		}
	}
	var keep []string
	for _, r := range mine(s.Permissions.Allow) {
		keep = append(keep, r.Text)
		if !st.checker.HasAllow(r.Text) { // not already allowed ("always" answers are)
			later = append(later, r.Text)
		}
	}
	if len(added) > 0 {
		msgs = append(msgs, fmt.Sprintf("%s: now in effect: %s", path, strings.Join(added, ", ")))
	}
	if removed := st.checker.Revoke(path, keep); len(removed) > 0 {
		msgs = append(msgs, fmt.Sprintf("%s: no longer allowed: %s", path, strings.Join(removed, ", ")))
	}
	if len(later) > 0 {
		msgs = append(msgs, fmt.Sprintf("%s: new allow rules take effect in the next session (a change during a session never allows more): %s",
			path, strings.Join(later, ", ")))
	}
	return msgs
}

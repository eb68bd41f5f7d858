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
//     the new hook policy (disableAllHooks…), and the FileChanged watcher follows it — only in
//     a trusted folder: hooks run commands outside the sandbox, and a fresh load reads the
//     folder's own files whichever file changed.
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
func (a *app) liveHooks(st *stack, s *settings.Settings, changed []watchedFile) (msgs []string) {
	var names []string
	for _, f := range changed {
		names = append(names, f.path)
	}
	where := strings.Join(names, ", ")
	base := s.Hooks
	if !a.folderTrusted() {
		// A fresh load reads the folder's own files whatever changed (a settings.json that
		// appeared since start, with no trust question asked), and hooks run outside the
		// sandbox: in a folder not trusted, the folder's own hooks stay as the session
		// started with them, and only the other layers' changes apply.
		base = repoHooks(s.Hooks, false)
		for event, ms := range repoHooks(st.settings.Hooks, true) {
			base[event] = append(base[event], ms...)
		}
		if !sameHooks(repoHooks(s.Hooks, true), repoHooks(st.settings.Hooks, true)) {
			defer func() {
				msgs = append(msgs, "hooks changed in this folder's own settings are not applied: this folder is not trusted")
			}()
		}
	}
	hookMap := joinPluginHooks(base, st.plugins, func(string) {})
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

// repoHooks is the part of hooks that comes from the folder's own settings files (project
// and local) when repo is true, the rest when it is false.
func repoHooks(hooks map[string][]settings.HookMatcher, repo bool) map[string][]settings.HookMatcher {
	out := map[string][]settings.HookMatcher{}
	for event, ms := range hooks {
		for _, m := range ms {
			if fromProject(m.Source) == repo {
				out[event] = append(out[event], m)
			}
		}
	}
	return out
}

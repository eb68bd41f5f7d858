package tui

import (
	"fmt"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-agent/strata/internal/tui/look"
	"github.com/strata-agent/strata/internal/tui/picker"
	"github.com/strata-agent/strata/internal/tui/status"
)

// The /permissions picker: the rules in force by scope, a rule added (list, text, scope),
// removed, or moved between the user, project and local settings files. Hosts without the
// ability get the plain listing (cmdPermissions).

// ruleScopes are where a rule may be added or moved, with what each means.
func ruleScopes() []picker.Item {
	return []picker.Item{
		{Label: "Local settings", Value: "local", Detail: ".claude/settings.local.json · this project, this machine only"},
		{Label: "Project settings", Value: "project", Detail: ".claude/settings.json · shared with everyone using the repository"},
		{Label: "User settings", Value: "user", Detail: "~/.claude/settings.json · every project"},
		{Label: "This session only", Value: "session", Detail: "forgotten when strata ends"},
	}
}

func (m *Model) cmdPermissionsPick(args string) tea.Cmd {
	ed, ok := m.host.(permissionEditor)
	if !ok || strings.TrimSpace(args) == "list" {
		return m.cmdPermissions(args)
	}
	rules := ed.PermissionRules()
	items := []picker.Item{{Label: "+ Add a rule…", Value: "add", Detail: "allow, ask or deny a tool, a command, a path"}}
	for i, r := range rules {
		where := r.Scope
		if r.Path != "" {
			where += " · " + r.Path
		}
		items = append(items, picker.Item{Label: fmt.Sprintf("%-5s %s", r.List, r.Rule), Detail: where, Value: strconv.Itoa(i)})
	}
	for _, d := range ed.WorkingDirs() {
		items = append(items, picker.Item{Label: "dir   " + d, Detail: "working directory (/add-dir adds one)", Value: "dir"})
	}
	mode := m.status.Mode()
	title := fmt.Sprintf("Permissions · %s (Shift+Tab changes it) · %s by scope", status.ModeLabel(mode), look.Plural(len(rules), "rule"))
	m.pick(title, items, func(v string) tea.Cmd {
		switch v {
		case "add":
			return m.pickRuleList(ed)
		case "dir":
			return nil
		}
		i, _ := strconv.Atoi(v)
		return m.pickRuleAction(ed, rules[i])
	})
	return nil
}

// pickRuleList starts adding a rule: which list it goes to.
func (m *Model) pickRuleList(ed permissionEditor) tea.Cmd {
	items := []picker.Item{
		{Label: "Allow", Value: "allow", Detail: "runs without asking"},
		{Label: "Ask", Value: "ask", Detail: "always asks first, even when an allow rule matches"},
		{Label: "Deny", Value: "deny", Detail: "never runs"},
	}
	m.pick("Add a rule: what should it do?", items, func(list string) tea.Cmd {
		m.ask("Rule to "+list+", e.g. Bash(npm run test:*), Read(./secrets/**), WebFetch(domain:example.com)",
			func(rule string) tea.Cmd { return m.pickRuleScope(ed, list, rule) })
		return nil
	})
	return nil
}

// pickRuleScope ends adding a rule: where it is kept.
func (m *Model) pickRuleScope(ed permissionEditor, list, rule string) tea.Cmd {
	m.pick("Where should "+list+" "+rule+" be kept?", ruleScopes(), func(scope string) tea.Cmd {
		if err := ed.AddPermissionRule(list, rule, scope); err != nil {
			m.say(m.st.Bad.Render("Not added: " + err.Error()))
			return nil
		}
		m.say("Added " + m.st.Bold.Render(list+" "+rule) + " to the " + scopeName(scope) + ".")
		return nil
	})
	return nil
}

// pickRuleAction offers what can be done with one rule.
func (m *Model) pickRuleAction(ed permissionEditor, r ScopedRule) tea.Cmd {
	if !r.Editable() {
		m.say(m.st.Dim.Render(r.List + " " + r.Rule + " comes from " + r.Scope + "; change it where it is set."))
		return nil
	}
	items := []picker.Item{{Label: "Remove", Value: "remove", Detail: "from the " + scopeName(r.Scope)}}
	for _, s := range ruleScopes() {
		if s.Value != r.Scope && s.Value != "session" {
			items = append(items, picker.Item{Label: "Move to " + strings.ToLower(s.Label), Value: s.Value, Detail: s.Detail})
		}
	}
	m.pick(r.List+" "+r.Rule+" ("+scopeName(r.Scope)+")", items, func(action string) tea.Cmd {
		var err error
		var done string
		if action == "remove" {
			err, done = ed.RemovePermissionRule(r), "Removed "+m.st.Bold.Render(r.List+" "+r.Rule)+" from the "+scopeName(r.Scope)+"."
		} else {
			err, done = ed.MovePermissionRule(r, action), "Moved "+m.st.Bold.Render(r.List+" "+r.Rule)+" to the "+scopeName(action)+"."
		}
		if err != nil {
			m.say(m.st.Bad.Render("Nothing changed: " + err.Error()))
			return nil
		}
		m.say(done)
		return nil
	})
	return nil
}

// scopeName says where a scope keeps its rules.
func scopeName(scope string) string {
	if scope == "session" {
		return "rules of this session"
	}
	return scope + " settings"
}

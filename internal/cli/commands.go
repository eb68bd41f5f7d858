package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/strata-agent/strata/internal/commands"
	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/proc"
	"github.com/strata-agent/strata/internal/skills"
	"github.com/strata-agent/strata/internal/tui"
)

// customCommands reads the custom commands (user, then project, which wins) and adds the
// user-invocable skills that no command shadows. It reads the folders each time, so a
// command written during a session is there at once.
func (a *app) customCommands(st *stack) []commands.Command {
	l := loadLayers(a, st.plugins, "commands", "command",
		[3]string{commands.ScopeUser, commands.ScopeProject, commands.ScopePlugin},
		commands.LoadDir, func(c *commands.Command) *string { return &c.Name })
	var fromSkills []commands.Command
	for _, s := range st.skills.All() {
		if !s.UserInvocable {
			continue
		}
		text, err := s.Text()
		if err != nil {
			continue
		}
		c := commands.Command{Name: s.Name, Description: s.Description, ArgumentHint: s.ArgumentHint,
			AllowedTools: s.AllowedTools, Model: s.Model, Body: text, Scope: commands.ScopeSkill, Path: s.Path}
		if s.Source == skills.SourceProject {
			c.Scope = commands.ScopeProject // for the trust rule on its allowed-tools
		}
		fromSkills = append(fromSkills, c)
	}
	return commands.Merge(commands.Bundled(), l.plugins, fromSkills, l.user, l.project)
}

// expandCommand expands "/name args" when it names a custom command. The command's model,
// when it names one, is resolved for the session.
func (a *app) expandCommand(ctx context.Context, st *stack, cwd, text string) (prompt, model string, ok bool, err error) {
	if !strings.HasPrefix(text, "/") {
		return "", "", false, nil // names no command: the command files are not even read
	}
	c, args, ok := commands.Find(a.customCommands(st), text)
	if !ok {
		return "", "", false, nil
	}
	if c.Scope == commands.ScopeProject && len(c.AllowedTools) > 0 && !a.folderTrusted() {
		c.AllowedTools = nil // a repository cannot allow itself commands
	}
	prompt, err = c.Expand(ctx, args, commandRunner{st: st, cwd: cwd})
	if err != nil {
		return "", "", true, err
	}
	if c.Model != "" {
		model = st.resolveModel(c.Model)
	}
	return prompt, model, true, nil
}

// commandRunner runs a command's !`…` lines and reads its @files, each only when the
// permission decision allows it without asking: the session's rules plus the command's
// allowed-tools. Nobody is asked: an expansion happens before the turn, with no tool call to
// attach a question to.
type commandRunner struct {
	st  *stack
	cwd string
}

// commandFileMax bounds an @file included in a command's prompt.
const commandFileMax = 256 << 10

func (r commandRunner) allowed(call permission.Call, extra []string) error {
	c := r.st.checker.WithMode(r.st.checker.CurrentMode())
	for _, rule := range extra {
		if err := c.Grant(rule, "the command's allowed-tools"); err != nil {
			return err
		}
	}
	d := c.Check(call)
	switch d.Behavior {
	case permission.Allow:
		return nil
	case permission.Deny:
		return fmt.Errorf("refused by the permission rules: %s", d.Reason)
	}
	return errors.New("needs permission: allow it in the command's allowed-tools (e.g. Bash(git status:*)) or in permissions.allow")
}

func (r commandRunner) Shell(ctx context.Context, line string, extra []string) (string, error) {
	in, _ := json.Marshal(map[string]string{"command": line})
	if err := r.allowed(permission.Call{Tool: "Bash", Input: in, Class: permission.ClassExecute, Cwd: r.cwd}, extra); err != nil {
		return "", err
	}
	out := proc.RunLine(ctx, r.cwd, r.st.childEnv, line, shellOutputMax)
	text := r.st.redactor.String(string(out.Output))
	if err := out.Err(); err != nil {
		return "", fmt.Errorf("%v: %s", err, strings.TrimSpace(text))
	}
	return text, nil
}

func (r commandRunner) ReadFile(path string, extra []string) (string, error) {
	if !filepath.IsAbs(path) {
		path = filepath.Join(r.cwd, path)
	}
	in, _ := json.Marshal(map[string]string{"file_path": path})
	if err := r.allowed(permission.Call{Tool: "Read", Input: in, Class: permission.ClassRead, Cwd: r.cwd}, extra); err != nil {
		return "", err
	}
	if st, err := os.Stat(path); err != nil {
		return "", err
	} else if !st.Mode().IsRegular() { // a FIFO the repository planted would block expansion
		return "", fmt.Errorf("%s is not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	data := make([]byte, commandFileMax+1)
	n, _ := io.ReadFull(f, data)
	if n > commandFileMax {
		return "", fmt.Errorf("larger than %d KiB; mention it in the prompt instead", commandFileMax>>10)
	}
	return r.st.redactor.String(string(data[:n])), nil
}

// Commands lists the custom commands and user-invocable skills (/help, / completion).
func (h *host) Commands() []tui.CommandInfo {
	var out []tui.CommandInfo
	for _, c := range h.a.customCommands(h.st) {
		out = append(out, tui.CommandInfo{Name: c.Name, ArgumentHint: c.ArgumentHint, Description: c.Description, Scope: c.Scope})
	}
	return out
}

// ExpandCommand expands a custom command for the UI.
func (h *host) ExpandCommand(ctx context.Context, text string) (string, string, bool, error) {
	cwd := h.a.env.Cwd
	if sess := h.current(); sess != nil {
		cwd = sess.Cwd()
	}
	return h.a.expandCommand(ctx, h.st, cwd, text)
}

// Extensions lists the sub-agents, skills or hooks for /agents, /skills and /hooks.
func (h *host) Extensions(kind string) []tui.Fact {
	var out []tui.Fact
	switch kind {
	case "agents":
		for _, d := range h.st.agents.All() {
			tools := "all tools"
			if d.Tools != nil {
				tools = strings.Join(d.Tools, ", ")
			}
			model := d.Model
			if model == "" {
				model = "inherit"
			}
			out = append(out, tui.Fact{Label: d.Name, Value: fmt.Sprintf("%s · %s · model %s · %s", d.Description, tools, model, d.Source)})
		}
	case "plugins":
		for _, p := range h.st.plugins {
			from := "--plugin-dir"
			if p.Marketplace != "" {
				from = "enabledPlugins, marketplace " + p.Marketplace
			}
			out = append(out, tui.Fact{Label: p.Name, Value: strings.TrimSpace(p.Version + " · " + from + " · " + p.Dir)})
		}
		out = append(out, h.st.offPlugins()...)
	case "skills":
		for _, s := range h.st.skills.All() {
			out = append(out, tui.Fact{Label: s.Name, Value: fmt.Sprintf("%s · %s · %s", s.Description, s.Source, s.Dir)})
		}
	case "hooks":
		for _, l := range h.st.hooks.Listing() {
			what := l.Hook.Command
			if l.Hook.Type != "" && l.Hook.Type != "command" {
				what = l.Hook.Type + " hook"
			}
			label := string(l.Event)
			if l.Matcher != "" {
				label += " [" + l.Matcher + "]"
			}
			out = append(out, tui.Fact{Label: label, Value: what + " · " + l.Source})
		}
	}
	return out
}

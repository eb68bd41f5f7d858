package cli

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/strata-agent/strata/internal/agent"
	"github.com/strata-agent/strata/internal/models"
	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/subagents"
	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tool/task"
)

// loadAgents reads the sub-agent definitions (built-ins, ~/.claude/agents, .claude/agents,
// --agents) and turns them into what the session runs: the Agent tool's description and
// each type's prompt, tools and model. A broken definition file is reported and skipped;
// broken --agents JSON stops strata, as a bad flag does.
func (a *app) loadAgents(st *stack, opts *Options) error {
	var flagDefs []subagents.Definition
	if opts.Agents != "" {
		var err error
		if flagDefs, err = subagents.ParseJSON(opts.Agents); err != nil {
			return usageError{err}
		}
	}
	l := loadLayers(a, st.plugins, "agents", "sub-agent",
		[3]string{subagents.SourceUser, subagents.SourceProject, subagents.SourcePlugin},
		subagents.LoadDir, func(d *subagents.Definition) *string { return &d.Name })
	st.agents = subagents.NewSet(subagents.Builtins(), l.plugins, l.user, l.project, flagDefs)
	sub := a.env.Getenv("CLAUDE_CODE_SUBAGENT_MODEL")
	st.subAgentTypes = map[string]agent.SubAgentType{}
	var offered []task.Type
	for _, d := range st.agents.All() {
		typ, err := st.subAgentType(d, sub)
		if err != nil {
			fmt.Fprintln(a.io.ErrOut, "strata: warning: sub-agent skipped:", err)
			continue
		}
		st.subAgentTypes[d.Name] = typ
		offered = append(offered, task.Type{Name: d.Name, Description: d.Description, Tools: d.Tools, Disallowed: d.DisallowedTools})
	}
	st.tools = slices.Clone(st.tools) // a running session may hold the old list
	for i, t := range st.tools {
		if t.Name() == task.Name {
			st.tools[i] = task.New(offered...)
		}
	}
	if opts.Agent != "" {
		return st.runAs(opts)
	}
	return nil
}

// subAgentType is what a definition runs with. CLAUDE_CODE_SUBAGENT_MODEL, when set, is
// every sub-agent's model.
func (st *stack) subAgentType(d subagents.Definition, envModel string) (agent.SubAgentType, error) {
	preloaded, err := st.preloadSkills(d)
	if err != nil {
		return agent.SubAgentType{}, err
	}
	typ := agent.SubAgentType{Name: d.Name, Description: d.Description, Tools: d.Tools, DisallowedTools: d.DisallowedTools,
		System: agent.SystemPrompt(environment(st.cwd, "", st.checker.Dirs[1:]), d.Prompt, preloaded)}
	if d.PermissionMode != "" {
		m, err := permission.ParseMode(d.PermissionMode)
		if err != nil {
			return typ, fmt.Errorf("%s: permissionMode: %w", where(d), err)
		}
		typ.PermissionMode = m
	}
	if err := st.scopeHooks(d, &typ); err != nil {
		return typ, err
	}
	model := d.Model
	if envModel != "" {
		model = envModel
	}
	switch strings.ToLower(strings.TrimSpace(model)) {
	case "", subagents.ModelInherit:
	case subagents.ModelSmall:
		typ.Small = true
	default:
		typ.Model = st.resolveModel(model)
	}
	return typ, nil
}

// scopeHooks gives a sub-agent whose definition has hooks a runner with the session's
// hooks and those. A definition whose hooks cannot be read is skipped, as a broken file is;
// the policy's warnings about them are shown once, here.
func (st *stack) scopeHooks(d subagents.Definition, typ *agent.SubAgentType) error {
	if len(d.Hooks) == 0 {
		return nil
	}
	r, err := st.hooks.Scoped(d.Hooks)
	if err != nil {
		return fmt.Errorf("%s: %w", where(d), err)
	}
	for _, w := range r.Warnings() {
		fmt.Fprintln(st.warn, "strata: warning:", w)
	}
	typ.Hooks = func() (agent.HookRunner, error) { return st.hooks.Scoped(d.Hooks) }
	return nil
}

// resolveModel turns an alias into a model ID for the session's region; IDs pass as given.
func (st *stack) resolveModel(name string) string {
	if id, _, ok := st.resolver().Alias(name); ok {
		return id
	}
	return strings.TrimSpace(name)
}

// resolver resolves aliases for the session's region with the ANTHROPIC_DEFAULT_*_MODEL pins,
// the same way the Bedrock client does.
func (st *stack) resolver() models.Resolver {
	return st.bedrock.Resolver(st.bedrock.Region, time.Now())
}

// runAs makes the main session the --agent: its prompt (with --append-system-prompt), its
// tools, its model (unless --model names another), its permission mode and its own hooks,
// which join the settings' for the whole session (a Stop hook fires at the main session's
// end, as Stop: it is no sub-agent's).
func (st *stack) runAs(opts *Options) error {
	typ, ok := st.subAgentTypes[opts.Agent]
	if !ok {
		return usageError{fmt.Errorf("--agent %q: no such agent; see /agents for the list", opts.Agent)}
	}
	d, _ := st.agents.Lookup(opts.Agent)
	if len(d.Hooks) > 0 {
		if err := st.hooks.Extend(d.Hooks); err != nil {
			return fmt.Errorf("--agent %s: %s: %w", opts.Agent, where(d), err)
		}
		st.hooksChanged()
	}
	st.agentSystem = agent.SystemPrompt(environment(st.cwd, st.bedrock.Model, st.checker.Dirs[1:]), d.Prompt, opts.AppendSystem)
	st.tools = keepTools(st.tools, d.Tools, d.DisallowedTools)
	if opts.Model == "" && typ.Model != "" {
		st.bedrock.Model = typ.Model
	}
	if typ.PermissionMode != "" && st.mode != permission.ModeBypass {
		st.checker.SetMode(typ.PermissionMode)
		st.mode = typ.PermissionMode
	}
	return nil
}

// keepTools is the main session's tool list under --agent: the same selection a sub-agent
// of that kind gets, but the Agent tool stays unless the definition leaves it out.
func keepTools(all []tool.Tool, allow, deny []string) []tool.Tool {
	picked := agent.SelectTools(all, agent.SubAgentType{Tools: allow, DisallowedTools: deny})
	if !allowsAgent(allow, deny) {
		return picked
	}
	for _, t := range all {
		if t.Name() == task.Name {
			return append([]tool.Tool{t}, picked...)
		}
	}
	return picked
}

func allowsAgent(allow, deny []string) bool {
	named := func(list []string) bool {
		for _, n := range list {
			if n == task.Name || n == agent.LegacyAgentToolName || strings.HasPrefix(n, task.Name+"(") || n == "*" {
				return true
			}
		}
		return false
	}
	return (allow == nil || named(allow)) && !named(deny)
}

func where(d subagents.Definition) string {
	if d.Path != "" {
		return d.Path
	}
	return "agent " + d.Name
}

// preloadSkills is the text of the skills a definition's `skills` field names, which the
// sub-agent starts with in its system prompt instead of loading them through the Skill tool.
func (st *stack) preloadSkills(d subagents.Definition) (string, error) {
	var b strings.Builder
	for _, name := range d.Skills {
		s, ok := st.skills.Lookup(name)
		if !ok {
			if st.warn != nil {
				fmt.Fprintf(st.warn, "strata: warning: %s: skills: no skill %q; the sub-agent starts without it\n", where(d), name)
			}
			continue
		}
		body, err := s.Body("")
		if err != nil {
			return "", fmt.Errorf("%s: skill %s: %w", where(d), name, err)
		}
		fmt.Fprintf(&b, "<skill name=%q base_directory=%q>\n%s\n</skill>\n", s.Name, s.Dir, body)
	}
	if b.Len() == 0 {
		return "", nil
	}
	return "These skills are loaded for you:\n" + b.String(), nil
}

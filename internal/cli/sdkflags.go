package cli

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/strata-agent/strata/internal/lazyre"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/settings"
	"github.com/strata-agent/strata/internal/tool"
)

// SDKOptions are the flags the Claude Agent SDK passes (../shared/spec/AGENT-SDK.md §2),
// grouped apart from the flags people type.
type SDKOptions struct {
	SettingSources       optionalString // --setting-sources: set (possibly empty) or not
	PermissionPromptTool string
	Tools                optionalString
	MaxBudgetUSD         float64
	TaskBudget           int
	JSONSchema           string
	FallbackModel        string
	Thinking             string
	ThinkingDisplay      string
	MaxThinkingTokens    int
	Effort               string
	Betas                []string
	ForkSession          bool
	ResumeSessionAt      string
	NoSessionPersistence bool
	IncludeHookEvents    bool
	AllowDangerousSkip   bool
	DebugFile            string
}

// optionalString is a string flag that remembers whether it was given, since the SDK's
// `--setting-sources=` (read no settings files) differs from no flag at all.
type optionalString struct {
	val string
	set bool
}

func (o *optionalString) String() string     { return o.val }
func (o *optionalString) Set(v string) error { o.val, o.set = v, true; return nil }
func (o *optionalString) Type() string       { return "string" }

func addSDKFlags(f *pflag.FlagSet, o *SDKOptions) {
	f.Var(&o.SettingSources, "setting-sources", "settings files to read: a comma list of user, project, local (empty: none)")
	f.StringVar(&o.PermissionPromptTool, "permission-prompt-tool", "", "who answers permission questions in print mode: stdio (the Agent SDK, over the control channel)")
	f.Var(&o.Tools, "tools", `the built-in tools offered: a comma list, "" for none, or default`)
	f.Float64Var(&o.MaxBudgetUSD, "max-budget-usd", 0, "stop once the session has cost this many US dollars (0: no limit)")
	f.IntVar(&o.TaskBudget, "task-budget", 0, "accepted for the Agent SDK; strata keeps no task budget")
	f.StringVar(&o.JSONSchema, "json-schema", "", "answer with JSON that this JSON Schema validates (structured output)")
	f.StringVar(&o.FallbackModel, "fallback-model", "", "model to use when the main one is overloaded")
	f.StringVar(&o.Thinking, "thinking", "", "extended thinking: adaptive, enabled or disabled")
	f.StringVar(&o.ThinkingDisplay, "thinking-display", "", "how thinking is shown (accepted for the Agent SDK)")
	f.IntVar(&o.MaxThinkingTokens, "max-thinking-tokens", 0, "token budget for extended thinking (0: thinking off unless --thinking)")
	f.StringVar(&o.Effort, "effort", "", "reasoning effort: low, medium, high, xhigh or max")
	f.StringSliceVar(&o.Betas, "betas", nil, "Anthropic beta headers to send with model requests")
	f.BoolVar(&o.ForkSession, "fork-session", false, "with --resume or --continue: go on under a new session ID, leaving the old session as it was")
	f.StringVar(&o.ResumeSessionAt, "resume-session-at", "", "with --resume: resume the conversation up to this assistant message (its uuid), branching there")
	f.BoolVar(&o.NoSessionPersistence, "no-session-persistence", false, "keep this session's transcript only while strata runs (it cannot be resumed later)")
	f.BoolVar(&o.IncludeHookEvents, "include-hook-events", false, "stream-json: report every hook starting and ending (hook_started, hook_response)")
	f.BoolVar(&o.AllowDangerousSkip, "allow-dangerously-skip-permissions", false, "allow switching to bypassPermissions later in the session")
	f.StringVar(&o.DebugFile, "debug-file", "", "write debug information to this file instead of stderr (implies --debug)")
}

// validateSDK checks the Agent SDK flags.
func validateSDK(o *SDKOptions) error {
	if _, err := o.settingScopes(); err != nil {
		return err
	}
	switch p := o.PermissionPromptTool; {
	case p == "" || p == "stdio":
	case strings.HasPrefix(p, "mcp__"):
		return fmt.Errorf("--permission-prompt-tool %s: strata cannot ask an MCP tool yet; use stdio", p)
	default:
		return fmt.Errorf("--permission-prompt-tool must be stdio or an MCP tool name, not %q", p)
	}
	if o.MaxBudgetUSD < 0 {
		return fmt.Errorf("--max-budget-usd must be 0 or more")
	}
	if o.JSONSchema != "" && !json.Valid([]byte(o.JSONSchema)) {
		return fmt.Errorf("--json-schema is not valid JSON")
	}
	switch o.Thinking {
	case "", "adaptive", "enabled", "disabled":
	default:
		return fmt.Errorf("--thinking must be adaptive, enabled or disabled, not %q", o.Thinking)
	}
	switch o.Effort {
	case "", "low", "medium", "high", "xhigh", "max":
	default:
		return fmt.Errorf("--effort must be low, medium, high, xhigh or max, not %q", o.Effort)
	}
	return nil
}

// settingScopes reads --setting-sources: nil when not given (read every layer).
func (o *SDKOptions) settingScopes() ([]settings.Scope, error) {
	if !o.SettingSources.set {
		return nil, nil
	}
	scopes := []settings.Scope{}
	for _, s := range strings.Split(o.SettingSources.val, ",") {
		switch s = strings.TrimSpace(s); s {
		case "":
		case "user", "project", "local":
			scopes = append(scopes, settings.Scope(s))
		default:
			return nil, fmt.Errorf("--setting-sources: %q is not user, project or local", s)
		}
	}
	return scopes, nil
}

// ruleListFlags take several arguments, as the reference's do: `--allowedTools A B`.
var ruleListFlags = map[string]bool{"--allowedTools": true, "--allowed-tools": true,
	"--disallowedTools": true, "--disallowed-tools": true}

// ruleShape is an argument that can only be a permission rule: a tool name with a
// specifier in parentheses, an MCP tool, or a built-in tool's bare name.
var ruleShape = lazyre.New(`^(?:[A-Za-z][A-Za-z0-9_-]*\(.*\)|mcp__[A-Za-z0-9_-]+|Bash|Read|Write|Edit|MultiEdit|Glob|Grep|LS|WebFetch|WebSearch|Task|TodoWrite|NotebookEdit|NotebookRead|BashOutput|KillShell|ExitPlanMode|AskUserQuestion|Skill|SlashCommand)(?:[ ,]+.*)?$`)

// foldRuleArgs joins the arguments after --allowedTools/--disallowedTools that are rules
// into the flag's value, so `--allowedTools 'Bash(echo:*)' 'Bash(grep:*)' "prompt"` keeps
// the prompt a prompt. Arguments that do not look like rules end the list.
func foldRuleArgs(args []string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		out = append(out, args[i])
		if args[i] == "--" {
			return append(out, args[i+1:]...)
		}
		if !ruleListFlags[args[i]] || i+1 >= len(args) {
			continue
		}
		i++
		val := args[i]
		for i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") && ruleShape().MatchString(args[i+1]) {
			i++
			val += "," + args[i]
		}
		out = append(out, val)
	}
	return out
}

// selectTools applies --tools: every tool when not given or "default", none for "", else
// the named ones, each of which must exist.
func selectTools(all []tool.Tool, flag optionalString) ([]tool.Tool, error) {
	if !flag.set || strings.TrimSpace(flag.val) == "default" {
		return all, nil
	}
	byName := map[string]tool.Tool{}
	for _, t := range all {
		byName[t.Name()] = t
	}
	out := []tool.Tool{}
	for _, n := range strings.FieldsFunc(flag.val, func(r rune) bool { return r == ',' || r == ' ' }) {
		t, ok := byName[n]
		if !ok {
			return nil, fmt.Errorf("--tools: strata has no tool named %q", n)
		}
		out = append(out, t)
	}
	return out, nil
}

// requestOptions are the model-request settings of the SDK's flags.
type requestOptions struct {
	thinking *llm.Thinking
	effort   string
	betas    []string
	budget   float64
}

// requestFlags reads --thinking, --max-thinking-tokens, --effort, --betas and
// --max-budget-usd. A budget for thinking turns it on with that budget; "enabled" without
// one is adaptive thinking, as the SDK means it.
func requestFlags(o *SDKOptions) requestOptions {
	r := requestOptions{effort: o.Effort, betas: o.Betas, budget: o.MaxBudgetUSD}
	switch {
	case o.Thinking == "disabled":
		r.thinking = &llm.Thinking{Type: "disabled"}
	case o.MaxThinkingTokens > 0:
		r.thinking = &llm.Thinking{Type: "enabled", BudgetTokens: o.MaxThinkingTokens}
	case o.Thinking != "":
		r.thinking = &llm.Thinking{Type: "adaptive"}
	}
	return r
}

// thinkingByDefault turns thinking on, as Claude Code does, when no flag, setting or
// MAX_THINKING_TOKENS (envBudget, -1 when unset) chose: the client keeps it for the models
// that think.
func thinkingByDefault(r requestOptions, envBudget int) requestOptions {
	if r.thinking == nil && envBudget < 0 {
		r.thinking = &llm.Thinking{Type: llm.ThinkingDefault}
	}
	return r
}

// withSettings applies the settings' thinking and effort where no flag chose them, as the
// reference does: alwaysThinkingEnabled false turns thinking off (absent or true leaves the
// model's default), effortLevel (low, medium, high, xhigh) is the effort; an unknown level
// is ignored, as the reference's schema drops it. The request builder keeps effort only
// for models that take it.
func withSettings(r requestOptions, extra map[string]json.RawMessage) requestOptions {
	var always *bool
	if raw, ok := extra["alwaysThinkingEnabled"]; ok && json.Unmarshal(raw, &always) == nil &&
		always != nil && !*always && r.thinking == nil {
		r.thinking = &llm.Thinking{Type: "disabled"}
	}
	var level string
	if raw, ok := extra["effortLevel"]; ok && r.effort == "" && json.Unmarshal(raw, &level) == nil {
		switch level {
		case "low", "medium", "high", "xhigh":
			r.effort = level
		}
	}
	return r
}

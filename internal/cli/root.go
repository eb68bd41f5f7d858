package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/strata-agent/strata/internal/iostreams"
	"github.com/strata-agent/strata/internal/render"
)

// app carries what every command needs. Expensive things (settings, the Bedrock client) are
// built by the command that needs them, never here, so --help and --version touch nothing.
type app struct {
	ctx context.Context
	io  *iostreams.IOStreams
	env Env
	// trusted: the user answered the trust question for this folder in this run (which
	// lasts even where the answer is not remembered, as in the home directory).
	trusted bool
}

// referenceOnly are the reference CLI's subcommands strata does not have. Given as the first
// argument they are a command meant for the other program, never a prompt: sending
// `config set …` or `plugin install …` to the model would cost tokens and might act.
var referenceOnly = map[string]bool{"config": true, "plugin": true, "plugins": true, "agents": true, "auth": true,
	"auto-mode": true, "gateway": true, "install": true, "update": true, "upgrade": true, "project": true,
	"setup-token": true, "ultrareview": true, "migrate-installer": true}

// resumeList is the value -r takes when it is given without a session ID.
const resumeList = "list"

// Options are the root command's flags and arguments (A2).
type Options struct {
	Print           bool
	OutputFormat    string
	InputFormat     string
	IncludePartial  bool
	Verbose         bool
	MaxTurns        int
	Model           string
	PermissionMode  string
	SkipPerms       bool
	AllowedTools    []string
	DisallowedTools []string
	AppendSystem    string
	SystemPrompt    string
	Settings        string
	AddDirs         []string
	Continue        bool
	Resume          string
	SessionID       string
	MCPConfig       []string
	StrictMCP       bool
	Debug           bool
	Prompt          string
	Agents          string // --agents: JSON of sub-agent definitions (internal/subagents)
	Agent           string // --agent: run the main session as this sub-agent
	PluginDirs      []string
	SDKOptions      // the Agent SDK's flags (sdkflags.go)
}

func newRootCmd(a *app) *cobra.Command {
	opts := &Options{}
	cmd := &cobra.Command{
		Use:   "strata [flags] [prompt]",
		Short: "A terminal coding agent for Claude on Amazon Bedrock",
		Long: `strata runs Claude on Amazon Bedrock as a coding agent in your terminal.

It reads the same configuration as Claude Code in its Bedrock setup: AWS credentials from the
usual AWS chain, CLAUDE_CODE_USE_BEDROCK and AWS_REGION, and ~/.claude/settings.json.`,
		Example: `  strata -p "explain this repository"
  cat err.log | strata -p "why does this fail?"
  strata -p --output-format json "run the tests and fix what fails"
  strata -c -p "and now the docs"`,
		Version:       versionString(),
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 && referenceOnly[args[0]] {
				return usageError{fmt.Errorf("%q is a Claude Code subcommand that strata does not have; nothing was sent to the model "+
					"(to ask the model about it, write the prompt as one quoted argument)", args[0])}
			}
			opts.Prompt = strings.Join(args, " ")
			return runRoot(a, opts)
		},
	}
	cmd.SetVersionTemplate("{{.Version}}\n")
	addRootFlags(cmd, opts)
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	cmd.AddCommand(newSessionsCmd(a), newDemoCmd(a), newDoctorCmd(a), newMCPCmd(a))
	return cmd
}

func addRootFlags(cmd *cobra.Command, opts *Options) {
	f := cmd.Flags()
	f.SortFlags = false
	f.BoolVarP(&opts.Print, "print", "p", false, "answer the prompt without the interactive UI, then exit")
	f.StringVar(&opts.OutputFormat, "output-format", "text", "print-mode output: text, json or stream-json")
	f.StringVar(&opts.InputFormat, "input-format", "text", "print-mode input: text, or stream-json (user turns as JSON lines on stdin)")
	f.BoolVar(&opts.IncludePartial, "include-partial-messages", false, "stream-json: also print the model's raw stream events")
	f.BoolVar(&opts.Verbose, "verbose", false, "show tool calls as they happen")
	f.IntVar(&opts.MaxTurns, "max-turns", 0, "stop after this many model turns (0: no limit)")
	f.StringVar(&opts.Model, "model", "", "model for this session: an alias (sonnet, opus, haiku), a model or inference-profile ID, or an ARN")
	f.StringVar(&opts.PermissionMode, "permission-mode", "", "default, acceptEdits, plan or bypassPermissions")
	f.BoolVar(&opts.SkipPerms, "dangerously-skip-permissions", false, "run every tool call without asking (bypassPermissions)")
	f.StringSliceVar(&opts.AllowedTools, "allowedTools", nil, `rules of tool calls to allow without asking, e.g. "Bash(go test:*) Edit"`)
	f.StringSliceVar(&opts.DisallowedTools, "disallowedTools", nil, "rules of tool calls to refuse")
	f.StringVar(&opts.AppendSystem, "append-system-prompt", "", "text added to the end of the system prompt")
	f.StringVar(&opts.SystemPrompt, "system-prompt", "", "replace strata's system prompt with this text")
	f.StringVar(&opts.Agents, "agents", "", `sub-agents as JSON: {"name": {"description": "…", "prompt": "…", "tools": ["Read"]}}`)
	f.StringArrayVar(&opts.PluginDirs, "plugin-dir", nil, "load a plugin's commands, agents and skills from this folder (repeatable)")
	f.StringArrayVar(&opts.PluginDirs, "plugin-dir-no-mcp", nil, "like --plugin-dir (a plugin's MCP servers are not loaded either way)")
	f.StringVar(&opts.Agent, "agent", "", "run the main session as this agent (its prompt, tools and model)")
	f.StringVar(&opts.Settings, "settings", "", "extra settings: a JSON file path or inline JSON")
	f.StringSliceVar(&opts.AddDirs, "add-dir", nil, "more directories the tools may work in")
	// One value per argument, never split on commas: inline JSON has commas.
	f.StringArrayVar(&opts.MCPConfig, "mcp-config", nil, "MCP servers from a JSON file or inline JSON ({\"mcpServers\": {…}}); repeatable")
	f.BoolVar(&opts.StrictMCP, "strict-mcp-config", false, "use only the servers of --mcp-config, none from .mcp.json or ~/.claude.json")
	f.BoolVarP(&opts.Continue, "continue", "c", false, "continue the latest session in this directory, strata's or Claude Code's")
	f.StringVarP(&opts.Resume, "resume", "r", "", "resume a session of this directory, strata's or Claude Code's, by ID or the start of one (alone: list sessions)")
	f.Lookup("resume").NoOptDefVal = resumeList
	f.StringVar(&opts.SessionID, "session-id", "", "use this UUID for a new session")
	f.BoolVarP(&opts.Debug, "debug", "d", false, "write debug information to stderr (never secrets)")
	f.BoolP("version", "v", false, "print the version and exit")
	addSDKFlags(f, &opts.SDKOptions)
}

func runRoot(a *app, opts *Options) error {
	if err := validate(opts); err != nil {
		return usageError{err}
	}
	if opts.Resume == resumeList {
		if opts.Print || opts.Prompt != "" {
			// The prompt must not be dropped while a list is printed in its place.
			return usageError{fmt.Errorf("--resume needs a session ID with a prompt or -p (strata -r ID -p PROMPT); strata sessions lists them")}
		}
		return listSessions(a, a.io.Out)
	}
	if !opts.Print && opts.InputFormat != "stream-json" { // the Agent SDK never passes -p
		return runInteractive(a, opts)
	}
	return runPrint(a, opts)
}

func validate(opts *Options) error {
	switch opts.OutputFormat {
	case render.FormatText, render.FormatJSON, render.FormatStreamJSON:
	default:
		return fmt.Errorf("--output-format must be text, json or stream-json, not %q", opts.OutputFormat)
	}
	switch opts.InputFormat {
	case "text":
	case "stream-json":
		if opts.OutputFormat != render.FormatStreamJSON {
			return fmt.Errorf("--input-format stream-json needs --output-format stream-json")
		}
	default:
		return fmt.Errorf("--input-format must be text or stream-json, not %q", opts.InputFormat)
	}
	if opts.IncludePartial && opts.OutputFormat != render.FormatStreamJSON {
		return fmt.Errorf("--include-partial-messages needs --output-format stream-json")
	}
	if opts.MaxTurns < 0 {
		return fmt.Errorf("--max-turns must be 0 or more")
	}
	if opts.Continue && opts.Resume != "" {
		return fmt.Errorf("use either --continue or --resume, not both")
	}
	if opts.StrictMCP && len(opts.MCPConfig) == 0 {
		return fmt.Errorf("--strict-mcp-config needs --mcp-config")
	}
	if opts.SessionID != "" && !looksLikeSessionID(opts.SessionID) {
		return fmt.Errorf("--session-id must be a UUID, not %q", opts.SessionID)
	}
	if opts.Agents != "" && !json.Valid([]byte(opts.Agents)) {
		return fmt.Errorf("--agents is not valid JSON")
	}
	return validateSDK(&opts.SDKOptions)
}

// looksLikeSessionID reports whether s has the shape of a session UUID.
func looksLikeSessionID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
				return false
			}
		}
	}
	return true
}

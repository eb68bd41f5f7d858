package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/strata-agent/strata/internal/mcp"
	"github.com/strata-agent/strata/internal/proc"
	"github.com/strata-agent/strata/internal/redact"
	"github.com/strata-agent/strata/internal/settings"
)

// newMCPCmd is `strata mcp`: the reference's `claude mcp` commands, on the same files.
func newMCPCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "mcp",
		Short: "Configure and check MCP servers (the same files as claude mcp)",
		Long: `strata mcp manages Model Context Protocol servers where Claude Code keeps them: the local
scope (this project, only you) and the user scope (all your projects) in ~/.claude.json, and
the project scope in .mcp.json, which is shared through the repository.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	// `strata -p mcp add …` reaches here with -p: say what happened instead of "unknown flag".
	cmd.PersistentFlags().BoolP("print", "p", false, "")
	_ = cmd.PersistentFlags().MarkHidden("print")
	cmd.PersistentPreRunE = func(c *cobra.Command, _ []string) error {
		if p, _ := c.Flags().GetBool("print"); p {
			return usageError{fmt.Errorf("strata mcp is a command of its own, not a prompt: run it without -p (nothing was sent to the model)")}
		}
		return nil
	}
	cmd.AddCommand(newMCPListCmd(a), newMCPGetCmd(a), newMCPAddCmd(a), newMCPAddJSONCmd(a), newMCPRemoveCmd(a), newMCPServeCmd(a))
	return cmd
}

func (a *app) mcpSources() mcp.Sources {
	return mcp.Sources{ProjectDir: a.env.Cwd, ClaudeJSON: claudeJSONPath(a.env)}
}

func newMCPListCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the configured servers and whether they connect",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, err := a.checkMCP(cmd.Context())
			if err != nil {
				return err
			}
			defer m.Close()
			out := cmd.OutOrStdout()
			sts := m.Statuses()
			if len(sts) == 0 {
				fmt.Fprintln(out, "No MCP servers configured. Use `strata mcp add` to add a server.")
				return nil
			}
			for _, s := range sts {
				fmt.Fprintln(out, statusLine(s))
			}
			return nil
		},
	}
}

func newMCPGetCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "get <name>",
		Short: "Show one server's configuration and status",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := a.checkMCP(cmd.Context())
			if err != nil {
				return err
			}
			defer m.Close()
			for _, s := range m.Statuses() {
				if s.Name == args[0] {
					printServer(cmd.OutOrStdout(), s)
					return nil
				}
			}
			return fmt.Errorf("no MCP server named %q", args[0])
		},
	}
}

// printServer shows a server as `claude mcp get` does. Header and env values are shown as
// written, before expansion: a ${TOKEN} stays a name.
func printServer(out io.Writer, s mcp.Status) {
	fmt.Fprintf(out, "%s:\n  Scope: %s\n  Status: %s\n", s.Name, s.Scope, stateText(s))
	c := s.Config
	if c.Remote() {
		fmt.Fprintf(out, "  Type: %s\n  URL: %s\n", c.Type, c.URL)
		printMap(out, "Headers", c.Headers, ": ")
		if c.HeadersHelper != "" {
			fmt.Fprintf(out, "  Headers helper: %s\n", c.HeadersHelper)
		}
	} else {
		fmt.Fprintf(out, "  Type: stdio\n  Command: %s\n  Args: %s\n", c.Command, strings.Join(c.Args, " "))
		printMap(out, "Environment", c.Env, "=")
	}
	if s.Scope != mcp.ScopeDynamic {
		fmt.Fprintf(out, "\nTo remove this server, run: strata mcp remove %s -s %s\n", s.Name, s.Scope)
	}
}

func printMap(out io.Writer, title string, m map[string]string, sep string) {
	if len(m) == 0 {
		return
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprintf(out, "  %s:\n", title)
	for _, k := range keys {
		fmt.Fprintf(out, "    %s%s%s\n", k, sep, m[k])
	}
}

// checkMCP loads the settings and the servers as a session would, connects to every server
// that may start and waits for each attempt (at most MCP_TIMEOUT each, concurrently).
func (a *app) checkMCP(ctx context.Context) (*mcp.Manager, error) {
	startEnv := a.env.Environ()
	s, err := settings.Load(settings.DefaultOptions(a.env.Getenv, a.env.Home, a.env.Cwd, ""))
	if err != nil {
		return nil, fmt.Errorf("reading settings: %w", err)
	}
	passEnv, err := passThroughEnv(s)
	if err != nil {
		return nil, err
	}
	childEnv := childEnvironment(startEnv, passEnv, s.Env)
	if err := s.ApplyEnv(a.env.Setenv); err != nil {
		return nil, fmt.Errorf("applying the settings env block: %w", err)
	}
	ld, err := a.loadMCP(s, &Options{})
	if err != nil {
		return nil, err
	}
	red := redact.New()
	red.AddEnv(a.env.Environ())
	m := mcp.New(ld, a.mcpOptions(childEnv, &proc.Tracker{}, red))
	m.Start()
	ctx, cancel := context.WithTimeout(ctx, mcp.DefaultConnectTimeout+5*time.Second)
	defer cancel()
	_ = m.Wait(ctx)
	return m, nil
}

// mcpAddFlags are `strata mcp add`'s flags, the reference's.
type mcpAddFlags struct {
	scope, transport string
	env, headers     []string
}

func newMCPAddCmd(a *app) *cobra.Command {
	f := &mcpAddFlags{}
	cmd := &cobra.Command{
		Use:   "add <name> <commandOrUrl> [args...]",
		Short: "Add a server: a command to run (stdio) or a URL (--transport http or sse)",
		Example: `  strata mcp add fs -- npx -y @modelcontextprotocol/server-filesystem .
  strata mcp add -s user -e API_KEY=xyz tools -- /usr/local/bin/tools-server --verbose
  strata mcp add --transport http -H "Authorization: Bearer ${TOKEN}" web https://mcp.example.com/mcp`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			entry, err := f.entry(args[1], args[2:])
			if err != nil {
				return usageError{err}
			}
			scope, err := mcp.ParseScope(f.scope)
			if err != nil {
				return usageError{err}
			}
			src := a.mcpSources()
			if err := src.Put(scope, args[0], entry); err != nil {
				return err
			}
			kind := map[string]string{mcp.TypeHTTP: "HTTP", mcp.TypeSSE: "SSE"}[f.transport]
			if kind == "" {
				fmt.Fprintf(cmd.OutOrStdout(), "Added stdio MCP server %s with command: %s to %s config\n", args[0], strings.Join(args[1:], " "), scope)
			} else {
				fmt.Fprintf(cmd.OutOrStdout(), "Added %s MCP server %s with URL: %s to %s config\n", kind, args[0], args[1], scope)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "File modified: %s\n", src.File(scope))
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.scope, "scope", "s", "local", "where to keep it: local (this project, you), project (.mcp.json) or user (every project)")
	fl.StringVarP(&f.transport, "transport", "t", "stdio", "stdio, http or sse")
	fl.StringArrayVarP(&f.env, "env", "e", nil, "an environment variable for a stdio server, KEY=value (repeatable)")
	fl.StringArrayVarP(&f.headers, "header", "H", nil, `an HTTP header for a remote server, "Name: value" (repeatable)`)
	return cmd
}

// entry builds the configuration object `mcp add` writes, in the reference's shape.
func (f *mcpAddFlags) entry(target string, args []string) (json.RawMessage, error) {
	switch f.transport {
	case mcp.TypeStdio:
		if len(f.headers) > 0 {
			return nil, fmt.Errorf("-H/--header is for http and sse servers")
		}
		env := map[string]string{}
		for _, e := range f.env {
			k, v, ok := strings.Cut(e, "=")
			if !ok || k == "" {
				return nil, fmt.Errorf("invalid environment variable format: %s, environment variables should be added as: -e KEY1=value1 -e KEY2=value2", e)
			}
			env[k] = v
		}
		if args == nil {
			args = []string{}
		}
		return json.Marshal(map[string]any{"type": "stdio", "command": target, "args": args, "env": env})
	case mcp.TypeHTTP, mcp.TypeSSE:
		if len(f.env) > 0 || len(args) > 0 {
			return nil, fmt.Errorf("a %s server takes a URL only: no -e and no arguments", f.transport)
		}
		entry := map[string]any{"type": f.transport, "url": target}
		if len(f.headers) > 0 {
			h := map[string]string{}
			for _, line := range f.headers {
				k, v, ok := strings.Cut(line, ":")
				if !ok || strings.TrimSpace(k) == "" {
					return nil, fmt.Errorf(`invalid header format: %q. Expected format: "Header-Name: value"`, line)
				}
				h[strings.TrimSpace(k)] = strings.TrimSpace(v)
			}
			entry["headers"] = h
		}
		return json.Marshal(entry)
	}
	return nil, fmt.Errorf("invalid transport %q: use stdio, http or sse", f.transport)
}

func newMCPAddJSONCmd(a *app) *cobra.Command {
	var scope string
	cmd := &cobra.Command{
		Use:     "add-json <name> <json>",
		Short:   "Add a server from its JSON configuration",
		Example: `  strata mcp add-json weather '{"type":"stdio","command":"/path/to/weather","args":["--api-key","abc"]}'`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			sc, err := mcp.ParseScope(scope)
			if err != nil {
				return usageError{err}
			}
			if !json.Valid([]byte(args[1])) {
				return usageError{fmt.Errorf("the configuration is not valid JSON")}
			}
			src := a.mcpSources()
			if err := src.Put(sc, args[0], json.RawMessage(args[1])); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Added MCP server %s to %s config\nFile modified: %s\n", args[0], sc, src.File(sc))
			return nil
		},
	}
	cmd.Flags().StringVarP(&scope, "scope", "s", "local", "local, project or user")
	return cmd
}

func newMCPRemoveCmd(a *app) *cobra.Command {
	var scope string
	cmd := &cobra.Command{
		Use:   "remove <name>",
		Short: "Remove a server",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			src, name := a.mcpSources(), args[0]
			var sc mcp.Scope
			if scope != "" {
				var err error
				if sc, err = mcp.ParseScope(scope); err != nil {
					return usageError{err}
				}
			} else {
				switch found := src.Scopes(name); len(found) {
				case 0:
					return fmt.Errorf("no MCP server named %s in any scope", name)
				case 1:
					sc = found[0]
				default:
					var lines []string
					for _, f := range found {
						lines = append(lines, fmt.Sprintf("  strata mcp remove %s -s %s", name, f))
					}
					return fmt.Errorf("MCP server %q exists in several scopes; remove it from one:\n%s", name, strings.Join(lines, "\n"))
				}
			}
			if err := src.Remove(sc, name); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Removed MCP server %s from %s config\nFile modified: %s\n", name, sc, src.File(sc))
			return nil
		},
	}
	cmd.Flags().StringVarP(&scope, "scope", "s", "", "local, project or user (default: the one that has it)")
	return cmd
}

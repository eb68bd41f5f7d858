package cli

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/strata-agent/strata/internal/mcp"
	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/redact"
	"github.com/strata-agent/strata/internal/settings"
	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tool/builtin"
)

func newMCPServeCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "serve",
		Short: "Offer strata's tools to an MCP client over stdio, under this folder's permission rules",
		Long: `strata mcp serve is an MCP server on stdin and stdout. It offers strata's file, search and
shell tools (not Task or WebFetch, which need a model), working in the current directory. Each
call is decided by the permission rules of the settings and of --allowedTools/--disallowedTools
as a print-mode session would: a call that would ask is refused, since nobody can answer here.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runMCPServe(a, cmd.Context()) },
	}
}

func runMCPServe(a *app, ctx context.Context) error {
	st := &stack{}
	startEnv := a.env.Environ()
	s, err := settings.Load(settings.DefaultOptions(a.env.Getenv, a.env.Home, a.env.Cwd, ""))
	if err != nil {
		return fmt.Errorf("reading settings: %w", err)
	}
	st.settings = s
	passEnv, err := passThroughEnv(s)
	if err != nil {
		return err
	}
	childEnv := childEnvironment(startEnv, passEnv, s.Env)
	if bringsAllowRules(s.Permissions) && !a.folderTrusted() {
		if msg := dropUntrustedAllows(&s.Permissions, a.env.Cwd); msg != "" {
			fmt.Fprintln(a.io.ErrOut, "strata: "+msg)
		}
	}
	if err := st.permissions(&Options{}, a.env.Cwd, a.env.Home, a.env.Getenv); err != nil {
		return err
	}
	red := redact.New()
	red.AddEnv(startEnv)
	env := tool.NewEnv(a.env.Cwd)
	env.Environ = childEnv
	filter := st.checker.ReadFilter()
	env.CanRead, env.CanReadWalk = filter.Allows, filter.ForWalk
	defer builtin.Shutdown(env)
	var tools []tool.Tool
	for _, t := range builtin.Tools() {
		if t.Name() != "Task" && t.Name() != "WebFetch" {
			tools = append(tools, t)
		}
	}
	gate := func(_ context.Context, t tool.Tool, in json.RawMessage) (bool, string) {
		d := st.checker.Check(permission.Call{Tool: t.Name(), Input: in, Class: t.Class(), Cwd: env.Cwd()})
		if d.Behavior == permission.Allow {
			return true, ""
		}
		reason := d.Reason
		if reason == "" {
			reason = "no permission rule allows this call, and strata mcp serve cannot ask anyone"
		}
		return false, reason
	}
	return mcp.Serve(ctx, mcp.IOTransport(a.io.In, a.io.Out), tools, mcp.ServeOptions{Env: env, Gate: gate,
		Redact: red.String, Version: thisBuild().Version})
}

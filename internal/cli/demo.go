package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/strata-agent/strata/internal/bedrocksim"
	"github.com/strata-agent/strata/internal/demo"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/render"
)

// Demo credentials: the emulator accepts them and nothing else does.
const (
	demoKeyID  = "AKIASTRATADEMO000001"
	demoSecret = "strata-demo-secret-key-not-a-real-one"
)

func newDemoCmd(a *app) *cobra.Command {
	var keep bool
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Watch strata fix a bug in a small project, against a local Bedrock emulator",
		Long: `Start a local Bedrock emulator and a small Go project with a failing test in a temporary
directory, then let strata run the tests, read the code, fix the bug and run the tests again.
No AWS account is needed: the model's answers are scripted; the tools, the files and the
go test runs are real. Needs the go command on PATH.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runDemo(a, keep) },
	}
	cmd.Flags().BoolVar(&keep, "keep", false, "keep the demo project instead of deleting it at the end")
	return cmd
}

func runDemo(a *app, keep bool) error {
	dir, err := os.MkdirTemp("", "strata-demo-")
	if err != nil {
		return err
	}
	if keep {
		defer fmt.Fprintf(a.io.ErrOut, "\nThe demo project is kept in %s\n", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	project := filepath.Join(dir, "shop")
	if err := demo.WriteProject(project); err != nil {
		return fmt.Errorf("writing the demo project: %w", err)
	}
	script, err := demo.Script(project)
	if err != nil {
		return err
	}
	sim, err := bedrocksim.Start(bedrocksim.Config{Script: script,
		Keys:    []bedrocksim.Credential{{AccessKeyID: demoKeyID, SecretAccessKey: demoSecret}},
		Latency: bedrocksim.Latency{FirstByte: 300 * time.Millisecond, PerToken: 12 * time.Millisecond}})
	if err != nil {
		return fmt.Errorf("starting the Bedrock emulator: %w", err)
	}
	defer sim.Close()
	if err := demoEnvironment(a.env, sim.URL(), dir); err != nil {
		return err
	}

	out := a.io.Out
	fmt.Fprintf(out, "strata demo — a local Bedrock emulator at %s plays the model (scripted);\n", sim.URL())
	fmt.Fprintf(out, "the project in %s, the tools and go test are real.\n\n> %s\n", project, demo.Prompt)
	child := &app{ctx: a.ctx, io: a.io, env: a.env}
	child.env.Cwd = project
	// Not bypassPermissions: the demo runs as whoever starts it, root included, and needs no
	// more than edits in its project and `go test`.
	st, err := child.build(a.ctx, &Options{PermissionMode: "acceptEdits", AllowedTools: []string{"Bash(go test:*)"}})
	if err != nil {
		return err
	}
	defer st.close()
	live := render.NewLive(out, a.io.IsStdoutTTY())
	sess := st.newSession(conversation{transcript: st.transcript, memory: st.memory}, live.Event, 20)
	defer sess.Close()
	res, err := sess.Run(a.ctx, []llm.ContentBlock{llm.TextBlock(demo.Prompt)})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\n%d turns, %d input tokens (%d read from cache), %d output tokens, about $%.4f if this were Bedrock.\n",
		res.NumTurns, res.Usage.TotalInput(), res.Usage.CacheReadInputTokens, res.Usage.OutputTokens, res.CostUSD)
	return nil
}

// demoEnvironment points strata at the emulator and away from the user's own AWS and strata
// configuration: the demo must neither use real credentials nor write to real state.
func demoEnvironment(env Env, url, dir string) error {
	for _, name := range []string{"AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_BEARER_TOKEN_BEDROCK",
		"AWS_DEFAULT_REGION", "ANTHROPIC_MODEL", "ANTHROPIC_SMALL_FAST_MODEL", "CLAUDE_CODE_SKIP_BEDROCK_AUTH",
		"ANTHROPIC_CUSTOM_HEADERS", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION"} {
		if err := os.Unsetenv(name); err != nil {
			return err
		}
	}
	empty := filepath.Join(dir, "empty-aws-config")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		return err
	}
	vars := map[string]string{
		"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1",
		"AWS_ACCESS_KEY_ID": demoKeyID, "AWS_SECRET_ACCESS_KEY": demoSecret,
		"ANTHROPIC_BEDROCK_BASE_URL": url, "AWS_EC2_METADATA_DISABLED": "true",
		"AWS_CONFIG_FILE": empty, "AWS_SHARED_CREDENTIALS_FILE": empty,
		"CLAUDE_CONFIG_DIR": filepath.Join(dir, "claude"), "XDG_STATE_HOME": filepath.Join(dir, "state"),
	}
	for k, v := range vars {
		if err := env.Setenv(k, v); err != nil {
			return err
		}
	}
	return nil
}

package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/strata-agent/strata/internal/iostreams"
)

// app carries what every command needs. Expensive things (settings, the Bedrock client) are
// built by the command that needs them, never here, so --help and --version touch nothing.
type app struct {
	ctx    context.Context
	io     *iostreams.IOStreams
	getenv func(string) string
}

// Options are the root command's flags and arguments.
type Options struct {
	Print        bool
	OutputFormat string
	Model        string
	Settings     string
	Verbose      bool
	Debug        bool
	Prompt       string
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
  cat err.log | strata -p "why does this fail?"`,
		Version:       versionString(),
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Prompt = strings.Join(args, " ")
			return runRoot(a, opts)
		},
	}
	cmd.SetVersionTemplate("{{.Version}}\n")
	cmd.Flags().SortFlags = false
	f := cmd.Flags()
	f.BoolVarP(&opts.Print, "print", "p", false, "answer the prompt without the interactive UI, then exit")
	f.StringVar(&opts.OutputFormat, "output-format", "text", "print-mode output: text, json or stream-json")
	f.StringVar(&opts.Model, "model", "", "model for this session: an alias (sonnet, opus, haiku), a model or inference-profile ID, or an ARN")
	f.StringVar(&opts.Settings, "settings", "", "extra settings: a JSON file path or inline JSON")
	f.BoolVar(&opts.Verbose, "verbose", false, "show more detail about each turn")
	f.BoolVarP(&opts.Debug, "debug", "d", false, "write debug information to stderr (never secrets)")
	cmd.Flags().BoolP("version", "v", false, "print the version and exit")
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	return cmd
}

func runRoot(a *app, opts *Options) error {
	switch opts.OutputFormat {
	case "text", "json", "stream-json":
	default:
		return usageError{fmt.Errorf("--output-format must be text, json or stream-json, not %q", opts.OutputFormat)}
	}
	if !opts.Print {
		return usageError{fmt.Errorf("the interactive UI is not available yet; use -p \"prompt\"")}
	}
	return runPrint(a, opts)
}

package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

func newDemoCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "demo",
		Short: "Watch strata fix a bug in a small project, against a local Bedrock emulator",
		Long: `Start a local Bedrock emulator and a small Go project with a failing test in a temporary
directory, then let strata read the code, run the test, fix the bug and run the test again.
No AWS account is needed; the model's answers are scripted, the tools and files are real.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return errors.New("demo: not wired yet") },
	}
}

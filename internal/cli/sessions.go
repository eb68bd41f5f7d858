package cli

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/strata-agent/strata/internal/session"
)

func newSessionsCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "sessions",
		Short: "List the saved sessions of this directory, newest first",
		Long: `List the saved sessions of the current directory, newest first, with the ID to pass to
strata --resume and the first prompt of each.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return listSessions(a, cmd.OutOrStdout()) },
	}
}

// listSessions prints the sessions of the working directory (strata sessions, strata -r).
func listSessions(a *app, out io.Writer) error {
	store := session.Store{Dir: session.DefaultDir(a.env.Getenv, a.env.Home)}
	infos, err := store.List(a.env.Cwd)
	if err != nil {
		return err
	}
	if len(infos) == 0 {
		fmt.Fprintln(a.io.ErrOut, "No saved sessions for", a.env.Cwd)
		return nil
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tMODIFIED\tMESSAGES\tFIRST PROMPT")
	for _, in := range infos {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", in.ID, in.Modified.Format("2006-01-02 15:04"), in.Messages, in.FirstPrompt)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(a.io.ErrOut, "Resume one with: strata -r <ID>")
	return nil
}

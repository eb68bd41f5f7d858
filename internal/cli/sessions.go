package cli

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/strata-agent/strata/internal/session"
)

func newSessionsCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "sessions",
		Short: "List the saved sessions of this directory, strata's and Claude Code's, newest first",
		Long: `List the saved sessions of the current directory, newest first, with the ID to pass to
strata --resume (the start of an ID is enough when no other begins the same way), the tool that
started each one and its first prompt. strata keeps sessions where Claude Code does
(~/.claude/projects, or $CLAUDE_CONFIG_DIR/projects) and in its format, so either tool can
continue the other's.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return listSessions(a, cmd.OutOrStdout()) },
	}
}

// sessionStore is where sessions are kept: the reference's place, and strata's older one for
// sessions written before strata used the reference's format.
func sessionStore(env Env) session.Store {
	_, branch := gitState(env.Cwd)
	return session.Store{
		Dir:    session.ProjectsDir(configDir(env)),
		Legacy: session.DefaultDir(env.Getenv, env.Home),
		Writer: session.Writer{Version: thisBuild().Version, GitBranch: branch},
	}
}

// listSessions prints the sessions of the working directory (strata sessions, strata -r).
func listSessions(a *app, out io.Writer) error {
	infos, err := sessionStore(a.env).List(a.env.Cwd)
	if err != nil {
		return err
	}
	if len(infos) == 0 {
		fmt.Fprintln(a.io.ErrOut, "No saved sessions for", a.env.Cwd)
		return nil
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tMODIFIED\tSOURCE\tMESSAGES\tFIRST PROMPT")
	for _, in := range infos {
		prompt := in.FirstPrompt
		if in.Title != "" {
			prompt = in.Title
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", in.ID, in.Modified.Format("2006-01-02 15:04"), in.Source, in.Messages, prompt)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(a.io.ErrOut, "Resume one with: strata -r <ID>")
	return nil
}

// resumeArgs gives -r/--resume the word after it as its value, as the reference's command
// line does (`claude -r abc -p hi` resumes abc): the flag's value is optional, and pflag takes
// an optional value only when it is attached (-r=abc). A word starting with '-' is the next
// flag, and after "--" nothing is a flag.
func resumeArgs(args []string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(out, args[i:]...)
		}
		if (a == "-r" || a == "--resume") && i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
			out = append(out, "--resume="+args[i+1])
			i++
			continue
		}
		out = append(out, a)
	}
	return out
}

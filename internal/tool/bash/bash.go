// Package bash holds the Bash tool, which runs a command in a fresh non-interactive bash, and
// BashOutput and KillShell, which follow and stop commands started in the background.
//
// Every command gets exactly the session's environment (tool.Env.Environ, plus PWD), stdin
// at /dev/null, and its own process group (internal/proc), so a timeout or an interrupt kills
// the command together with everything it started. Off Unix there are no process groups:
// only bash itself is killed. The working directory carries over: after each
// foreground command the directory bash ended in becomes the session's.
//
// Background jobs outlive the call that started them. Whoever ends the session must call
// Shutdown to stop those still running.
package bash

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/proc"
	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tool/fsutil"
)

var (
	//go:embed schema.json
	schema []byte
	//go:embed description.md
	description string
)

const (
	defaultTimeout = 120_000 // ms
	maxTimeout     = 600_000 // ms
	// outputHead and outputTail bound what one result shows: 30000 bytes in all.
	outputHead = 15_000
	outputTail = 15_000
	// drainGrace is how long to wait for output after bash exits while something it left
	// running in the background still holds the pipe.
	drainGrace = 500 * time.Millisecond
)

type input struct {
	Command         string `json:"command"`
	Timeout         *int   `json:"timeout,omitempty"`
	Description     string `json:"description,omitempty"`
	RunInBackground bool   `json:"run_in_background,omitempty"`
	// DisableSandbox asks to run outside the sandbox; the permission check asks the user.
	DisableSandbox bool `json:"dangerouslyDisableSandbox,omitempty"`
}

type bashTool struct {
	once     sync.Once
	bashPath string
	bashErr  error
}

// New returns the Bash tool.
func New() tool.Tool { return &bashTool{} }

func (*bashTool) Name() string                 { return "Bash" }
func (*bashTool) Description() string          { return description }
func (*bashTool) InputSchema() json.RawMessage { return schema }
func (*bashTool) ConcurrencySafe() bool        { return false }
func (*bashTool) Class() permission.Class      { return permission.ClassExecute }

// bash finds the bash executable once, from the session environment's
// CLAUDE_CODE_GIT_BASH_PATH or strata's own PATH (used for this lookup only; the command itself
// sees the session environment).
func (b *bashTool) bash(environ []string) (string, error) {
	b.once.Do(func() {
		b.bashPath, b.bashErr = findBash(runtime.GOOS, environ, proc.LookPath, fileExists)
	})
	return b.bashPath, b.bashErr
}

func (b *bashTool) Run(ctx context.Context, env *tool.Env, raw json.RawMessage) (tool.Result, error) {
	var in input
	if err := fsutil.DecodeInput("Bash", raw, &in); err != nil {
		return tool.Errorf("%v", err), nil
	}
	if strings.TrimSpace(in.Command) == "" {
		return tool.Errorf("command is required"), nil
	}
	if _, err := b.bash(env.Environ); err != nil {
		return tool.Errorf("%v", err), nil
	}
	timeout, note, err := timeoutOf(in.Timeout)
	if err != nil {
		return tool.Errorf("%v", err), nil
	}
	dir, dirNote := workDir(env)
	note += dirNote
	box := env.Sandbox.For(in.Command, in.DisableSandbox)
	note += box.Note
	if in.RunInBackground {
		return startJob(env, b.bashPath, dir, in, note, box.Wrapper)
	}
	return b.runForeground(ctx, env, dir, in.Command, timeout, note, box.Wrapper)
}

// timeoutOf reads the timeout input: default when absent, clamped (with a note) when above
// the maximum.
func timeoutOf(ms *int) (time.Duration, string, error) {
	switch {
	case ms == nil:
		return defaultTimeout * time.Millisecond, "", nil
	case *ms <= 0:
		return 0, "", fmt.Errorf("timeout must be a positive number of milliseconds (at most %d), not %d", maxTimeout, *ms)
	case *ms > maxTimeout:
		return maxTimeout * time.Millisecond,
			fmt.Sprintf("Note: timeout %d ms is above the %d ms maximum; %d ms was used.\n", *ms, maxTimeout, maxTimeout), nil
	}
	return time.Duration(*ms) * time.Millisecond, "", nil
}

// workDir returns the session's working directory. If it was deleted, the nearest existing
// parent is used instead and becomes the working directory, with a note for the model.
func workDir(env *tool.Env) (string, string) {
	dir := env.Cwd()
	for d := dir; ; d = filepath.Dir(d) {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			if d == dir {
				return dir, ""
			}
			env.SetCwd(d)
			return d, fmt.Sprintf("Note: the working directory %s no longer exists; running in %s instead.\n", dir, d)
		}
		if d == filepath.Dir(d) {
			return dir, "" // nothing exists; let bash report the failure
		}
	}
}

func (b *bashTool) runForeground(ctx context.Context, env *tool.Env, dir, command string,
	timeout time.Duration, note string, box proc.Wrapper) (tool.Result, error) {
	tmp := "" // the system's; a sandboxed command can write only to the sandbox's
	if box != nil {
		var err error
		if tmp, err = env.Sandbox.TempDir(); err != nil {
			return tool.Result{}, err
		}
	}
	cwdFile, err := os.CreateTemp(tmp, "strata-cwd-*")
	if err != nil {
		return tool.Result{}, fmt.Errorf("creating a temporary file to learn the working directory: %w", err)
	}
	cwdFile.Close()
	defer os.Remove(cwdFile.Name())

	out := proc.NewCapture(outputHead, outputTail)
	c := bashCmd(b.bashPath, dir, env.Environ, out, timeout, cwdScript(cwdFile.Name()), command, shellEnv(env))
	c.Wrapper = box
	res := proc.Run(ctx, c)
	if res.StartErr != nil {
		return tool.Result{}, fmt.Errorf("starting bash in %s: %w", dir, res.StartErr)
	}
	updateCwd(env, cwdFile.Name())
	r := result(res, out, note, timeout)
	if box != nil && r.IsError {
		if why := env.Sandbox.Explain(out.String()); why != "" {
			r.Text += "\n" + why
		}
	}
	return r, nil
}

// bashCmd runs `bash -c script bash params...` in dir with environ as the whole environment
// (plus PWD naming dir) and stdin at /dev/null, its stdout and stderr sharing one pipe so that
// their lines arrive interleaved in the order they were written. $0 is "bash", so bash's
// messages start with "bash:".
func bashCmd(bashPath, dir string, environ []string, out io.Writer, timeout time.Duration,
	script string, params ...string) proc.Cmd {
	return proc.Cmd{
		Argv:      append([]string{bashPath, "--noprofile", "--norc", "-c", script, "bash"}, params...),
		Dir:       dir,
		Env:       withPWD(environ, dir),
		Output:    out,
		Timeout:   timeout,
		WaitDelay: drainGrace,
	}
}

// withPWD returns environ with PWD set to dir, so bash's logical `pwd` starts where the
// process does. Nothing from strata's own environment is added.
func withPWD(environ []string, dir string) []string {
	env := make([]string, 0, len(environ)+1)
	for _, kv := range environ {
		if !strings.HasPrefix(kv, "PWD=") {
			env = append(env, kv)
		}
	}
	return append(env, "PWD="+dir)
}

// cwdScript is the script bash runs for a foreground command, given as $1 (after the
// environment script, $2): an EXIT trap writes the final working directory to file (also after `exit N` or a failure under
// `set -e`), and eval runs the command, so a syntax error in it is reported with its own
// line numbers and the trap still runs. `set --` leaves no positional parameters, as with a
// plain `bash -c`.
func cwdScript(file string) string {
	onExit := "pwd > " + shellQuote(file) + " 2>/dev/null"
	return "trap " + shellQuote(onExit) + ` EXIT; ` + withEnvScript
}

// withEnvScript runs the session's environment script ($2, see shellEnv) and then the
// command ($1), in one shell, so what the script exports reaches the command.
const withEnvScript = `eval "$2"; eval "set --; $1"`

// shellEnv is the script that sets up a command's environment: what hooks wrote to their
// CLAUDE_ENV_FILE (tool.Env.ShellEnv), "" when there is none.
func shellEnv(env *tool.Env) string {
	if env.ShellEnv == nil {
		return ""
	}
	return env.ShellEnv()
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func updateCwd(env *tool.Env, file string) {
	data, err := os.ReadFile(file)
	if err != nil {
		return
	}
	dir := strings.TrimSuffix(string(data), "\n")
	if st, err := os.Stat(dir); dir != "" && filepath.IsAbs(dir) && err == nil && st.IsDir() {
		env.SetCwd(dir)
	}
}

func result(res proc.Result, out *proc.Capture, note string, timeout time.Duration) tool.Result {
	text := strings.TrimRight(out.String(), "\n")
	var stopped string
	switch {
	case res.TimedOut:
		stopped = fmt.Sprintf("Command timed out after %d ms and was stopped, with every process it started.", timeout.Milliseconds())
	case res.Interrupted:
		stopped = "Command was interrupted and stopped, with every process it started."
	}
	var tail []string
	if res.OutputIncomplete {
		tail = append(tail, "(A process the command left running in the background still holds its output; later output is not captured. Use run_in_background for long-running processes.)")
	}
	isErr := stopped != "" || res.ExitCode != 0
	switch {
	case stopped != "":
		tail = append(tail, stopped)
	case res.Signal != "":
		tail = append(tail, "Command was killed by signal "+res.Signal+".")
	case res.ExitCode != 0:
		tail = append(tail, fmt.Sprintf("Exit code %d", res.ExitCode))
	}
	if text == "" && len(tail) == 0 {
		text = "(no output)"
	}
	parts := []string{}
	if note != "" {
		parts = append(parts, strings.TrimSuffix(note, "\n"))
	}
	if text != "" {
		parts = append(parts, text)
	}
	parts = append(parts, tail...)
	return tool.Result{Text: strings.Join(parts, "\n"), IsError: isErr}
}

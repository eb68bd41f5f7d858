package proc

import "context"

// LineOutput is what RunLine returns: how the command ended and what it printed.
type LineOutput struct {
	Result
	Output  []byte // the first max bytes of stdout and stderr, interleaved as written
	Dropped int64  // bytes printed beyond max
}

// RunLine runs `bash -c line` the way the UI runs a user's `!command`: in dir, with exactly
// env as its environment, stdin at /dev/null, and output capped at max bytes. Cancelling ctx
// stops it together with every process it started (as far as the package doc promises).
func RunLine(ctx context.Context, dir string, env []string, line string, max int) LineOutput {
	out := NewCapture(max, 0)
	res := Run(ctx, Cmd{Argv: Shell("bash", line), Dir: dir, Env: env, Output: out})
	return LineOutput{Result: res, Output: out.Bytes(), Dropped: out.Dropped()}
}

package cli

// Exit codes (A4).
const (
	ExitOK    = 0 // success
	ExitError = 1 // API error, tool infrastructure failure, bad configuration
	ExitUsage = 2 // the command line was wrong
)

// usageError marks an error in how strata was invoked, so Main exits with ExitUsage.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

package cli

import (
	"fmt"
	"strings"

	"github.com/strata-agent/strata/internal/redact"
)

// secretsFDVar names the inherited pipe that carries the AWS secrets across strata's re-exec
// of itself (Linux): "FD:PID". The PID guards against a stray copy of the variable in the
// environment: only the process that set it has that PID after the exec.
const secretsFDVar = "STRATA_SECRETS_FD"

// maxSecretsPayload bounds what crosses the pipe. Credentials are a few KiB at most; the pipe
// is written before anyone reads it, so the payload must fit in its buffer.
const maxSecretsPayload = 60 << 10

// splitSecrets separates the AWS secrets in environ — exactly the variables tool subprocesses
// never receive (redact.IsAWSSecret) — from the rest. environ is not modified.
func splitSecrets(environ []string) (secrets, rest []string) {
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if redact.IsAWSSecret(name) {
			secrets = append(secrets, kv)
		} else {
			rest = append(rest, kv)
		}
	}
	return secrets, rest
}

// encodeSecrets joins NAME=VALUE entries with NUL, which no environment entry can contain.
func encodeSecrets(secrets []string) []byte { return []byte(strings.Join(secrets, "\x00")) }

// decodeSecrets is encodeSecrets backwards. It accepts only AWS secret names, so the pipe
// cannot be used to set anything else (PATH, LD_PRELOAD).
func decodeSecrets(b []byte) ([]string, error) {
	if len(b) == 0 {
		return nil, nil
	}
	entries := strings.Split(string(b), "\x00")
	for _, kv := range entries {
		name, _, ok := strings.Cut(kv, "=")
		if !ok || !redact.IsAWSSecret(name) {
			return nil, fmt.Errorf("the secrets pipe holds an entry that is not an AWS secret (%q)", name)
		}
	}
	return entries, nil
}

// startsChildren reports whether a command line may start processes strata does not control
// (tools, hooks, credential commands) — the only ones that could read strata's environment
// from /proc. Help and the version start none, so they skip the cost of hiding it. The test
// follows cobra: -h and -v win wherever they stand before "--".
func startsChildren(args []string) bool {
	if len(args) > 0 && args[0] == "help" {
		return false
	}
	for _, a := range args {
		switch a {
		case "--":
			return true
		case "-h", "--help", "-v", "--version":
			return false
		}
	}
	return true
}

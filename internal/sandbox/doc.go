// Package sandbox confines the Bash tool's commands (and its background jobs) with the
// operating system, not only with permission rules: a rule decides which command runs, the
// sandbox decides what that command can do once it runs.
//
// On Linux a command runs inside bubblewrap (bwrap) in new user, mount, PID, IPC, UTS and
// network namespaces. The file system is the host's, read-only, except the working
// directories (and sandbox.filesystem.allowWrite) and a per-session temporary directory;
// credential files (~/.aws, ~/.ssh, ~/.claude.json, strata's state …, plus
// sandbox.filesystem.denyRead) are hidden. The network namespace has only loopback: the one
// way out is an HTTP proxy that strata runs on a Unix socket bound into the sandbox, bridged
// to 127.0.0.1:3128 inside by socat, which admits the hosts of sandbox.network.allowedDomains
// (plain HTTP and HTTPS CONNECT) and refuses the rest. This mirrors the reference CLI, which
// also builds its Linux sandbox from bwrap and socat.
//
// Where bwrap, socat or unprivileged user namespaces are missing, Probe says so and why, and
// how to fix it; strata then warns at start and runs commands with permission rules only
// (or refuses to start when sandbox.failIfUnavailable is set). It never pretends.
package sandbox

// Package proc is the only place strata starts child processes: the Bash tool and its
// background jobs, hooks, the awsCredentialExport and awsAuthRefresh commands, the UI's
// `!command`, and later MCP servers all go through it, so they share one set of guarantees:
//
//   - The environment is exactly Cmd.Env. nil or empty means an empty environment: strata's
//     own environment (which may hold AWS secrets) is never inherited.
//   - On Unix each command leads a process group of its own. A timeout, a cancelled context or
//     Kill stops the whole group: SIGTERM, a grace period, then SIGKILL, and on Linux a wait
//     (reading /proc, ignoring zombies) until no process of the group is left.
//   - Output goes through pipes that proc copies; once the leader has exited, output is
//     awaited for at most Cmd.WaitDelay, so a grandchild holding a pipe cannot hang a caller.
//   - Capture is the one output-capping writer: it keeps the first and/or the last bytes and
//     counts what it dropped.
//
// Dying with strata. On Linux the group leader gets Pdeathsig SIGKILL: when strata dies, even
// by SIGKILL, the kernel kills the leader. Its own children are not covered — they are
// reparented and live on — unless whoever owns a Tracker calls KillAll on the way out, which
// stops every group whose leader still runs. Not guaranteed: grandchildren when strata is
// killed with SIGKILL or crashes; processes that left the group (setsid, or a daemon that
// double-forks); members of a group whose leader already exited (its number could be reused,
// so such a group is never signalled). On other Unix systems there is no Pdeathsig; KillAll is
// the only cleanup.
//
// Elsewhere (Windows) commands run without process groups: cancelling kills the started
// process only, and Result.Signal is always empty. strata's Bash tool needs a Unix system.
package proc

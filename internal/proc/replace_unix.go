//go:build unix

package proc

import "golang.org/x/sys/unix"

// Replace executes path in place of the running program (execve), with exactly argv and
// env: the process keeps its PID and the descriptors not marked close-on-exec. It returns
// only on failure. strata uses it to start again without secrets in its environment.
func Replace(path string, argv, env []string) error {
	return unix.Exec(path, argv, env)
}

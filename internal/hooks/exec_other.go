//go:build !unix

package hooks

import "os/exec"

// ownProcessGroup is a no-op where process groups do not exist: cancelling kills the hook
// process itself.
func ownProcessGroup(*exec.Cmd) {}

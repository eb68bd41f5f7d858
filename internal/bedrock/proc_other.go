//go:build !unix

package bedrock

import "os/exec"

// killGroupOnCancel keeps exec's default: only the shell itself is killed.
func killGroupOnCancel(cmd *exec.Cmd) {}
